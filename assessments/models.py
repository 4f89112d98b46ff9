"""Assessments and completion.

- A question bank (single choice, multiple choice, true/false, numeric) in Spanish and English.
- Assessments of a course (pre-test, post-test, practice quiz): fixed questions or drawn from tags,
  shuffled, with attempts, time limit, pass mark and mastery cut-off.
- Online attempts: the questions drawn and their order are fixed when the attempt starts; the
  deadline is the server's; a submitted attempt is never changed.
- Scores of paper tests taken in workshops (pre and post per registration).
- Completion: one row per workshop registration or online enrolment, decided by one service
  (assessments.completion) from the course's rule, with the reasons; staff overrides are kept.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel

PERCENT = [MinValueValidator(0)]


def _bilingual(spanish: str, english: str) -> str:
    if english and (get_language() or "").startswith("en"):
        return english
    return spanish


class Kind(models.TextChoices):
    PRE = "pre", _("Pre-test")
    POST = "post", _("Post-test")
    PRACTICE = "practice", _("Practice quiz")


# --- Question bank ---------------------------------------------------------------------------


class QuestionTag(TaggedItemBase):
    content_object = ParentalKey(
        "assessments.Question", on_delete=models.CASCADE, related_name="tagged_items"
    )


class Question(ClusterableModel):
    class Type(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TRUE_FALSE = "true_false", _("True / false")
        NUMERIC = "numeric", _("Short numeric answer")

    text = models.TextField(_("question (Spanish)"))
    text_en = models.TextField(_("question (English)"), blank=True)
    type = models.CharField(_("type"), max_length=10, choices=Type.choices, default=Type.SINGLE)
    points = models.DecimalField(
        _("points"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    numeric_answer = models.DecimalField(
        _("correct number"),
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Numeric questions only."),
    )
    numeric_tolerance = models.DecimalField(
        _("tolerance (±)"),
        max_digits=14,
        decimal_places=4,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    feedback = models.TextField(
        _("feedback (Spanish)"),
        blank=True,
        help_text=_("Shown after submission, if the assessment shows answers."),
    )
    feedback_en = models.TextField(_("feedback (English)"), blank=True)
    tags = ClusterTaggableManager(
        through=QuestionTag,
        blank=True,
        verbose_name=_("tags"),
        help_text=_("Topic and competency, e.g. “conflicto-de-intereses”, “competencia:detectar”."),
    )
    active = models.BooleanField(_("in use"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        "text",
        "text_en",
        FieldRowPanel(["type", "points"]),
        InlinePanel("choices", heading=_("Options"), label=_("Option")),
        FieldRowPanel(["numeric_answer", "numeric_tolerance"], heading=_("Numeric answer")),
        MultiFieldPanel(["feedback", "feedback_en"], heading=_("Feedback")),
        "tags",
        "active",
    ]

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="question_has_text"),
            models.CheckConstraint(condition=Q(points__gt=0), name="question_points_positive"),
            models.CheckConstraint(
                condition=~Q(type="numeric") | Q(numeric_answer__isnull=False),
                name="question_numeric_has_answer",
            ),
            models.CheckConstraint(
                condition=Q(numeric_tolerance__gte=0), name="question_tolerance_not_negative"
            ),
        ]

    def __str__(self):
        label = self.label
        return label if len(label) <= 80 else label[:79] + "…"

    @property
    def label(self) -> str:
        return _bilingual(self.text, self.text_en)

    @property
    def feedback_label(self) -> str:
        return _bilingual(self.feedback, self.feedback_en)

    @property
    def is_choice(self) -> bool:
        return self.type != self.Type.NUMERIC


class Choice(models.Model):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("option (Spanish)"), max_length=500)
    text_en = models.CharField(_("option (English)"), max_length=500, blank=True)
    is_correct = models.BooleanField(_("correct"), default=False)
    sort_order = models.PositiveSmallIntegerField(default=0, editable=False)

    panels = [FieldRowPanel(["text", "text_en"]), "is_correct"]

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["sort_order", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="choice_has_text")]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return _bilingual(self.text, self.text_en)


# --- Assessments -----------------------------------------------------------------------------


class Assessment(ClusterableModel):
    class Selection(models.TextChoices):
        FIXED = "fixed", _("The questions listed")
        DRAWN = "drawn", _("Drawn at random from tags")

    class Review(models.TextChoices):
        SCORE = "score", _("Score only")
        ANSWERS = "answers", _("Score, correct answers and feedback")

    class LatePolicy(models.TextChoices):
        SCORE_AT_DEADLINE = "deadline", _("Scored with the answers saved by the deadline")
        REFUSE = "refuse", _("Refused: the attempt is closed without a score")

    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title (Spanish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    instructions = models.TextField(_("instructions (Spanish)"), blank=True)
    instructions_en = models.TextField(_("instructions (English)"), blank=True)
    selection = models.CharField(
        _("questions"), max_length=10, choices=Selection.choices, default=Selection.FIXED
    )
    draw_tags = models.CharField(
        _("draw from tags"),
        max_length=250,
        blank=True,
        help_text=_("Comma-separated; a question with any of these tags can be drawn."),
    )
    draw_count = models.PositiveSmallIntegerField(_("how many to draw"), null=True, blank=True)
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_choices = models.BooleanField(_("shuffle options"), default=True)
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=1, help_text=_("0 means unlimited.")
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"), null=True, blank=True, help_text=_("Empty: no time limit.")
    )
    late_policy = models.CharField(
        _("submission after the time limit"),
        max_length=10,
        choices=LatePolicy.choices,
        default=LatePolicy.SCORE_AT_DEADLINE,
    )
    pass_mark_percent = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        null=True,
        blank=True,
        validators=PERCENT,
        help_text=_("Empty: the course's pass mark."),
    )
    mastery_percent = models.PositiveSmallIntegerField(
        _("mastery cut-off (%)"),
        null=True,
        blank=True,
        validators=PERCENT,
        help_text=_("Empty: the course's mastery cut-off."),
    )
    review = models.CharField(
        _("after submission, show"), max_length=10, choices=Review.choices, default=Review.ANSWERS
    )
    paper_max_score = models.DecimalField(
        _("maximum score on paper"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Proposed as the maximum when trainers record paper scores in a workshop."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("course"),
        FieldRowPanel(["kind", "title", "title_en"]),
        MultiFieldPanel(["instructions", "instructions_en"], heading=_("Instructions")),
        MultiFieldPanel(
            [
                "selection",
                InlinePanel("items", heading=_("Questions listed"), label=_("Question")),
                FieldRowPanel(["draw_tags", "draw_count"]),
                FieldRowPanel(["shuffle_questions", "shuffle_choices"]),
            ],
            heading=_("Questions"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(["attempts_allowed", "time_limit_minutes", "late_policy"]),
                FieldRowPanel(["pass_mark_percent", "mastery_percent", "review"]),
                "paper_max_score",
            ],
            heading=_("Rules"),
        ),
    ]

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["course", "kind", "title"]
        constraints = [
            # One pre-test and one post-test per course: knowledge gain pairs them.
            models.UniqueConstraint(
                fields=["course", "kind"],
                condition=Q(kind__in=["pre", "post"]),
                name="assessment_one_pre_and_post_per_course",
            ),
            models.CheckConstraint(
                condition=~Q(selection="drawn") | (Q(draw_count__gt=0) & ~Q(draw_tags="")),
                name="assessment_drawn_has_tags_and_count",
            ),
            models.CheckConstraint(
                condition=Q(pass_mark_percent__isnull=True) | Q(pass_mark_percent__lte=100),
                name="assessment_pass_mark_percent",
            ),
            models.CheckConstraint(
                condition=Q(mastery_percent__isnull=True) | Q(mastery_percent__lte=100),
                name="assessment_mastery_percent",
            ),
            models.CheckConstraint(
                condition=Q(time_limit_minutes__isnull=True) | Q(time_limit_minutes__gt=0),
                name="assessment_time_limit_positive",
            ),
            models.CheckConstraint(
                condition=Q(paper_max_score__isnull=True) | Q(paper_max_score__gt=0),
                name="assessment_paper_max_positive",
            ),
        ]

    def __str__(self):
        return f"{self.course.code} · {self.get_kind_display()} · {self.label}"

    @property
    def label(self) -> str:
        return _bilingual(self.title, self.title_en)

    @property
    def instructions_label(self) -> str:
        return _bilingual(self.instructions, self.instructions_en)

    @property
    def pass_mark(self) -> int:
        return (
            self.pass_mark_percent
            if self.pass_mark_percent is not None
            else self.course.pass_mark_percent
        )

    @property
    def mastery(self) -> int:
        return (
            self.mastery_percent
            if self.mastery_percent is not None
            else self.course.mastery_percent
        )

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.draw_tags.split(",") if t.strip()]


class AssessmentItem(models.Model):
    assessment = ParentalKey(Assessment, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="+"
    )
    sort_order = models.PositiveSmallIntegerField(default=0, editable=False)

    panels = ["question"]

    class Meta:
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question"], name="assessment_item_unique_question"
            )
        ]

    def __str__(self):
        return str(self.question)


# --- Online attempts -------------------------------------------------------------------------


class Attempt(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")
        REFUSED = "refused", _("Closed after the time limit")

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="attempts")
    person = models.ForeignKey("lms.Person", on_delete=models.PROTECT, related_name="attempts")
    number = models.PositiveSmallIntegerField(_("attempt"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS
    )
    started_at = models.DateTimeField(_("started"))
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    late = models.BooleanField(_("submitted after the time limit"), default=False)
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(_("maximum"), max_digits=8, decimal_places=2)
    percent = models.DecimalField(
        _("percent"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "person", "number"], name="attempt_unique_number"
            ),
            # At most one attempt open at a time per person and assessment.
            models.UniqueConstraint(
                fields=["assessment", "person"],
                condition=Q(status="in_progress"),
                name="attempt_one_open",
            ),
            models.CheckConstraint(
                condition=Q(deadline__isnull=True) | Q(deadline__gt=F("started_at")),
                name="attempt_deadline_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status="in_progress") | Q(submitted_at__isnull=False),
                name="attempt_closed_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="submitted")
                | (Q(score__isnull=False) & Q(percent__isnull=False)),
                name="attempt_submitted_has_score",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=F("max_score"))),
                name="attempt_score_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.assessment} #{self.number}"

    @property
    def passed(self) -> bool | None:
        if self.percent is None:
            return None
        return self.percent >= self.assessment.pass_mark


class AttemptQuestion(models.Model):
    """A question as drawn for one attempt: its position, its option order, and the answer."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="questions")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    choice_order = models.JSONField(default=list)
    points = models.DecimalField(max_digits=5, decimal_places=2)
    # The answer: chosen option ids, or the number typed; with when it was last saved.
    selected = models.JSONField(default=list, blank=True)
    number = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    correct = models.BooleanField(null=True)
    awarded = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "position"], name="attempt_question_unique_position"
            ),
            models.UniqueConstraint(
                fields=["attempt", "question"], name="attempt_question_unique_question"
            ),
        ]

    def __str__(self):
        return f"{self.attempt} · {self.position}"


# --- Paper tests in workshops ----------------------------------------------------------------


class WorkshopScore(models.Model):
    class Method(models.TextChoices):
        GRID = "grid", _("Scores grid")
        API = "api", _("API")
        IMPORT = "import", _("Import")

    registration = models.ForeignKey(
        "attendance.Registration", on_delete=models.PROTECT, related_name="scores"
    )
    kind = models.CharField(
        _("test"), max_length=5, choices=[(Kind.PRE, Kind.PRE.label), (Kind.POST, Kind.POST.label)]
    )
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2)
    max_score = models.DecimalField(_("maximum"), max_digits=7, decimal_places=2)
    method = models.CharField(_("how"), max_length=10, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("workshop test score")
        verbose_name_plural = _("workshop test scores")
        ordering = ["registration", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "kind"], name="score_unique_kind"),
            models.CheckConstraint(
                condition=Q(kind__in=["pre", "post"]), name="score_kind_pre_or_post"
            ),
            models.CheckConstraint(condition=Q(max_score__gt=0), name="score_max_positive"),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=F("max_score")),
                name="score_within_max",
            ),
        ]

    def __str__(self):
        return f"{self.registration} · {self.get_kind_display()}: {self.score}/{self.max_score}"

    @property
    def percent(self) -> Decimal:
        return (self.score * 100 / self.max_score).quantize(Decimal("0.01"))


# --- Completion ------------------------------------------------------------------------------


class Completion(models.Model):
    """The decision for one workshop registration or one online enrolment (exactly one)."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        NOT_COMPLETED = "not_completed", _("Not completed")

    person = models.ForeignKey("lms.Person", on_delete=models.PROTECT, related_name="completions")
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.PROTECT, related_name="completions"
    )
    registration = models.OneToOneField(
        "attendance.Registration",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="completion",
    )
    enrolment = models.OneToOneField(
        "courses.Enrolment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="completion",
    )
    computed_status = models.CharField(max_length=15, choices=Status.choices)
    status = models.CharField(
        _("status"),
        max_length=15,
        choices=Status.choices,
        help_text=_("The computed status, or the latest override."),
    )
    reasons = models.JSONField(_("why"), default=list)
    attendance_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    post_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    lessons_done = models.PositiveSmallIntegerField(null=True)
    lessons_total = models.PositiveSmallIntegerField(null=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("completion")
        verbose_name_plural = _("completions")
        ordering = ["course", "person"]
        constraints = [
            models.CheckConstraint(
                condition=Q(registration__isnull=True, enrolment__isnull=False)
                | Q(registration__isnull=False, enrolment__isnull=True),
                name="completion_one_source",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_on__isnull=False),
                name="completion_completed_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.course.code}: {self.get_status_display()}"

    @property
    def reason_text(self) -> str:
        return "; ".join(r.get("text", "") for r in self.reasons)


class CompletionOverride(models.Model):
    """Staff decided otherwise, with a reason: kept forever, the latest one applies."""

    completion = models.ForeignKey(Completion, on_delete=models.CASCADE, related_name="overrides")
    status = models.CharField(
        _("status"),
        max_length=15,
        choices=Completion.Status.choices,
        blank=True,
        help_text=_("Empty: back to the computed decision."),
    )
    reason = models.TextField(_("reason"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("completion override")
        verbose_name_plural = _("completion overrides")
        ordering = ["-decided_at", "-pk"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="override_has_reason")]

    def __str__(self):
        return f"{self.completion}: {self.status or '—'}"
