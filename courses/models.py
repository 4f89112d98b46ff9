"""Course content authored in Wagtail, and participants' enrolments and progress.

Page tree (each level keeps its children's order):
    HomePage -> CatalogPage -> CoursePage -> ModulePage -> LessonPage
Translations are copies of the Spanish pages in the English locale (same translation_key).
Enrolments and progress always point at the pages of the default (Spanish) locale, so a
participant keeps their progress whichever language they read in.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from courses.blocks import LessonStreamBlock, ObjectivesBlock

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class HomePage(Page):
    intro = RichTextField(_("introduction"), blank=True)
    verification_note = models.CharField(
        _("note on certificate verification"), max_length=255, blank=True
    )

    content_panels = [*Page.content_panels, "intro", "verification_note"]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CatalogPage"]

    class Meta:
        verbose_name = _("home page")


class CatalogPage(Page):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, "intro"]
    parent_page_types = ["courses.HomePage"]
    subpage_types = ["courses.CoursePage"]

    class Meta:
        verbose_name = _("course catalogue")


class CoursePage(Page):
    class Modality(models.TextChoices):
        ONLINE = "online", _("Online, self-paced")
        IN_PERSON = "in_person", _("In person")
        BLENDED = "blended", _("Blended")

    code = models.SlugField(
        _("course code"), max_length=20, help_text=_("Short and stable, e.g. ETI-101.")
    )
    summary = models.TextField(_("summary"), max_length=500)
    objectives = StreamField(ObjectivesBlock(), verbose_name=_("learning objectives"), blank=True)
    audience = ParentalManyToManyField(
        "lms.Position", verbose_name=_("intended audience"), blank=True, related_name="courses"
    )
    contact_hours = models.DecimalField(
        _("contact hours"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0)]
    )
    modality = models.CharField(
        _("modality"), max_length=10, choices=Modality.choices, default=Modality.ONLINE
    )
    sensitisation_only = models.BooleanField(
        _("sensitisation only"),
        default=False,
        help_text=_("One-off informational event: never counts as “trained” in donor reports."),
    )
    gender_equality_hours = models.DecimalField(
        _("hours of gender-equality content"),
        max_digits=5,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0)],
    )
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance (%)"), default=80, validators=PERCENT
    )
    pass_mark_percent = models.PositiveSmallIntegerField(
        _("post-test pass mark (%)"), default=70, validators=PERCENT
    )
    mastery_percent = models.PositiveSmallIntegerField(
        _("mastery cut-off (%)"), default=85, validators=PERCENT
    )
    require_all_lessons = models.BooleanField(_("all lessons must be completed"), default=True)
    excused_left_out = models.BooleanField(
        _("excused absences are left out of the attendance rate"),
        default=False,
        help_text=_(
            "Off: an excused absence counts as an absence. On: sessions with an excused absence "
            "are not counted, e.g. 4 present of 5 with 1 excused is 100%."
        ),
    )
    certificate_valid_months = models.PositiveSmallIntegerField(
        _("certificates valid for (months)"),
        null=True,
        blank=True,
        help_text=_("Empty: certificates of this course do not expire."),
    )
    certificates_automatic = models.BooleanField(
        _("issue certificates automatically"),
        default=True,
        help_text=_(
            "Online: as soon as a participant completes the course. Workshops: to everyone who "
            "completed it, when the workshop is closed. Off: program staff or the trainer issue "
            "them. Either way the holder is sent an email."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel(["code", "modality", "contact_hours"]),
        "summary",
        "objectives",
        FieldPanel("audience", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            ["sensitisation_only", "gender_equality_hours"], heading=_("Reporting flags")
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(["min_attendance_percent", "pass_mark_percent", "mastery_percent"]),
                "require_all_lessons",
                "excused_left_out",
            ],
            heading=_("Completion rule"),
        ),
        MultiFieldPanel(
            ["certificates_automatic", "certificate_valid_months"], heading=_("Certificates")
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.FilterField("code")]
    parent_page_types = ["courses.CatalogPage"]
    subpage_types = ["courses.ModulePage"]

    class Meta:
        verbose_name = _("course")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_attendance_percent__lte=100)
                & Q(pass_mark_percent__lte=100)
                & Q(mastery_percent__lte=100)
                & Q(mastery_percent__gte=models.F("pass_mark_percent")),
                name="course_rule_percentages_valid",
            ),
            models.CheckConstraint(
                condition=Q(contact_hours__gte=0)
                & Q(gender_equality_hours__lte=models.F("contact_hours")),
                name="course_hours_valid",
            ),
        ]

    def clean(self):
        super().clean()
        # The locale lives on Page (another table), so this rule cannot be a constraint here.
        clash = CoursePage.objects.filter(code=self.code, locale_id=self.locale_id).exclude(
            pk=self.pk
        )
        if self.code and clash.exists():
            raise ValidationError({"code": _("Another course in this language has this code.")})

    @property
    def language(self) -> str:
        return self.locale.language_code


class ModulePage(Page):
    summary = models.TextField(_("summary"), blank=True)

    content_panels = [*Page.content_panels, "summary"]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("module")


class LessonPage(Page):
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=20)
    body = StreamField(LessonStreamBlock(), verbose_name=_("content"))

    content_panels = [*Page.content_panels, FieldRowPanel(["estimated_minutes"]), "summary", "body"]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["courses.ModulePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")


class Enrolment(models.Model):
    """A person taking an online course; one per person and course."""

    class Source(models.TextChoices):
        SELF = "self", _("Self-enrolled")
        STAFF = "staff", _("Enrolled by staff")
        BULK = "bulk", _("Bulk enrolment")
        API = "api", _("Through the API")

    person = models.ForeignKey(
        "lms.Person",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    source = models.CharField(_("how"), max_length=10, choices=Source.choices, default=Source.SELF)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enrolled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    enrolled_at = models.DateTimeField(_("enrolled"), auto_now_add=True)
    last_lesson = models.ForeignKey(
        "courses.LessonPage",
        verbose_name=_("last lesson opened"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)
    lessons_completed_at = models.DateTimeField(_("all lessons completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-enrolled_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "course"], name="enrolment_unique_person_course"
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.course}"


class LessonProgress(models.Model):
    """When a person completed a lesson of a course they are enrolled in."""

    enrolment = models.ForeignKey(
        "courses.Enrolment", on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(
        "courses.LessonPage", verbose_name=_("lesson"), on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(_("completed"))

    class Meta:
        verbose_name = _("lesson completed")
        verbose_name_plural = _("lessons completed")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson"], name="lesson_progress_unique"),
        ]

    def __str__(self):
        return f"{self.enrolment.person} – {self.lesson}"
