"""Donor reporting: the indicator catalogue (data, edited by program staff), what was reported to
donors (so a restated figure shows as such), who receives the monthly report, and the
participation facts the counts are computed from.

Facts are derived data, kept in step with attendance, online activity and completions in the same
transaction (reports.signals) and rebuildable with ``python manage.py report_facts --rebuild``.
"""

from django import forms
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel


class Measure(models.TextChoices):
    REACHED = "reached", _("Unique people reached")
    TRAINED = "trained", _("Unique people trained")
    COMPLETIONS = "completions", _("Completions (person–course)")
    CONTACT_HOURS = "contact_hours", _("Contact hours of completions")
    GAIN_HAKE = "gain_hake", _("Knowledge gain: normalized gain <g>")
    GAIN_DIFFERENCE = "gain_difference", _("Knowledge gain: mean difference (points)")
    GAIN_IMPROVED = "gain_improved", _("Knowledge gain: % improved")
    GAIN_MASTERED = "gain_mastered", _("Knowledge gain: % mastered")


PEOPLE_MEASURES = {Measure.REACHED, Measure.TRAINED}
COUNT_MEASURES = {Measure.REACHED, Measure.TRAINED, Measure.COMPLETIONS}
GAIN_MEASURES = {
    Measure.GAIN_HAKE,
    Measure.GAIN_DIFFERENCE,
    Measure.GAIN_IMPROVED,
    Measure.GAIN_MASTERED,
}


class Dimension(models.TextChoices):
    SEX = "sex", _("Sex")
    AGE_BAND = "age_band", _("Age band (5 years)")
    YOUTH = "youth", _("Age group (15–29 / 30+)")
    INSTITUTION = "institution", _("Institution")
    POSITION = "position", _("Position")
    REGION = "region", _("Region")
    MODALITY = "modality", _("Modality")
    COURSE = "course", _("Course")
    DISABILITY = "disability", _("Disability (staff only)")
    ETHNICITY = "ethnicity", _("Ethnicity (staff only)")


# Sensitive self-identification: program staff only, never in a donor's report.
STAFF_ONLY_DIMENSIONS = {Dimension.DISABILITY, Dimension.ETHNICITY}


class ActivityModality(models.TextChoices):
    """How the activity was delivered (a workshop's modality, or the self-paced online course)."""

    IN_PERSON = "in_person", _("In person")
    LIVE_ONLINE = "online", _("Live online")
    HYBRID = "hybrid", _("Hybrid")
    SELF_PACED = "self_paced", _("Online, self-paced")


class ChoiceListField(models.JSONField):
    """A list of choices stored as JSON, edited as check boxes."""

    def __init__(self, *args, choice_list=(), **kwargs):
        self.choice_list = list(choice_list)
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["choice_list"] = self.choice_list
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=self.choice_list,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
            coerce=str,
        )

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        allowed = {key for key, _label in self.choice_list}
        unknown = [v for v in value or [] if v not in allowed]
        if unknown:
            from django.core.exceptions import ValidationError

            raise ValidationError(
                _("Unknown value(s): %(values)s") % {"values": ", ".join(map(str, unknown))}
            )


class Indicator(ClusterableModel):
    """One donor indicator as the program reports it: a code and version (codes change over
    time), what is counted (the measure), which activities and people count (filters), how it
    is broken down, and its baseline and targets."""

    class Level(models.TextChoices):
        PROCESS = "process", pgettext_lazy("indicator level", "Process")
        OUTPUT = "output", _("Output")
        OUTCOME = "outcome", _("Outcome")
        OBJECTIVE = "objective", _("Objective")

    class Unit(models.TextChoices):
        PEOPLE = "people", _("People")
        COMPLETIONS = "completions", _("Completions")
        HOURS = "hours", _("Hours")
        PERCENT = "percent", _("Percent")
        RATIO = "ratio", _("Ratio (0–1)")
        POINTS = "points", _("Percentage points")

    code = models.CharField(_("code"), max_length=40, help_text=_("e.g. EG.3.2-1 or ACT-1.1"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name (Spanish)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    definition = models.TextField(_("definition (Spanish)"))
    definition_en = models.TextField(_("definition (English)"), blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    unit = models.CharField(_("unit"), max_length=12, choices=Unit.choices)
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    # Filters: empty means "all".
    courses = ParentalManyToManyField(
        "courses.CoursePage", verbose_name=_("only these courses"), blank=True, related_name="+"
    )
    min_gender_hours = models.DecimalField(
        _("minimum hours of gender-equality content"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("e.g. 3 for a GNDR-8 style indicator; empty: no condition."),
    )
    modalities = ChoiceListField(_("only these modalities"), choice_list=ActivityModality.choices)
    positions = ParentalManyToManyField(
        "lms.Position",
        verbose_name=_("only people in these positions"),
        blank=True,
        related_name="+",
    )
    institutions = ParentalManyToManyField(
        "lms.Institution",
        verbose_name=_("only people from these institutions"),
        blank=True,
        related_name="+",
    )
    disaggregations = ChoiceListField(
        _("disaggregations"),
        choice_list=Dimension.choices,
        help_text=_("Person-level indicators are always broken down by sex (USAID)."),
    )
    baseline = models.DecimalField(
        _("baseline"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    baseline_note = models.CharField(_("baseline source"), max_length=300, blank=True)
    active = models.BooleanField(_("reported"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["sort_order", "code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="indicator_code_version"),
        ]
        permissions = [
            ("view_donor_report", _("Can see donor reports (aggregates, small cells suppressed)")),
            ("view_staff_report", _("Can see unsuppressed reports, with sensitive breakdowns")),
            ("publish_report", _("Can record the figures reported to donors")),
        ]

    def __str__(self):
        return f"{self.code} v{self.version} · {self.label}"

    @property
    def label(self) -> str:
        if (get_language() or "es").startswith("en") and self.name_en:
            return self.name_en
        return self.name

    @property
    def definition_label(self) -> str:
        if (get_language() or "es").startswith("en") and self.definition_en:
            return self.definition_en
        return self.definition

    @property
    def dimensions(self) -> list[str]:
        """The breakdowns to show: sex first for person-level indicators, then the chosen ones."""
        chosen = list(dict.fromkeys(self.disaggregations or []))
        if self.measure in PEOPLE_MEASURES and Dimension.SEX not in chosen:
            chosen.insert(0, Dimension.SEX.value)
        return chosen


class IndicatorTarget(models.Model):
    """A target for one fiscal year (quarter empty) or one quarter of it."""

    indicator = ParentalKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"),
        null=True,
        blank=True,
        choices=[(1, "Q1"), (2, "Q2"), (3, "Q3"), (4, "Q4")],
        help_text=_("Empty: the target for the whole year."),
    )
    value = models.DecimalField(_("target"), max_digits=12, decimal_places=3)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["fiscal_year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "fiscal_year", "quarter"], name="target_unique_quarter"
            ),
            models.UniqueConstraint(
                fields=["indicator", "fiscal_year"],
                condition=Q(quarter__isnull=True),
                name="target_unique_year",
            ),
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | Q(quarter__gte=1, quarter__lte=4),
                name="target_quarter_1_4",
            ),
        ]

    def __str__(self):
        period = f"FY{self.fiscal_year}" + (f" Q{self.quarter}" if self.quarter else "")
        return f"{self.indicator.code} {period}: {self.value}"


class ReportedValue(models.Model):
    """A figure as it was reported to the donor. When the same figure computed today differs, the
    Indicator Tracking Table shows it as restated, with the value reported first."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="reported")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=3, null=True)
    suppressed = models.BooleanField(_("suppressed"), default=False)
    reported_at = models.DateTimeField(_("reported at"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("reported figure")
        verbose_name_plural = _("reported figures")
        ordering = ["indicator", "fiscal_year", "quarter", "reported_at"]
        indexes = [models.Index(fields=["fiscal_year", "indicator"], name="reported_fy_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | Q(quarter__gte=1, quarter__lte=4),
                name="reported_quarter_1_4",
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code} FY{self.fiscal_year} Q{self.quarter or '-'}: {self.value}"


class ReportSubscription(models.Model):
    """Who receives the monthly donor report by email (always the donor view: suppressed)."""

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="es"
    )
    disaggregate_by = ChoiceListField(
        _("tables by"),
        choice_list=[
            (d, label) for d, label in Dimension.choices if d not in STAFF_ONLY_DIMENSIONS
        ],
    )
    active = models.BooleanField(_("active"), default=True)
    last_sent_month = models.CharField(_("last report sent for"), max_length=7, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report subscription")
        verbose_name_plural = _("report subscriptions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["email"], name="subscription_unique_email"),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>"


class Fact(models.Model):
    """A participation fact: someone took part in a course's activity in a calendar month
    (``reach``), or an activity's final decision (``outcome``, with the month of completion and
    the pre/post-test results). ``month`` is year * 12 + month - 1, so fiscal quarters of any
    start month are ranges of it."""

    class Kind(models.IntegerChoices):
        REACH = 1, _("reached")
        OUTCOME = 2, _("outcome")

    kind = models.PositiveSmallIntegerField(choices=Kind.choices)
    # No index of their own for person, workshop and enrolment: fact_person_idx,
    # fact_workshop_idx and fact_enrolment_idx (Meta.indexes) lead with them.
    person = models.ForeignKey(
        "lms.Person", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="+")
    workshop = models.ForeignKey(
        "attendance.Workshop",
        null=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    enrolment = models.ForeignKey(
        "courses.Enrolment", null=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    month = models.PositiveIntegerField()
    completed = models.BooleanField(default=False)
    pre_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    post_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True)

    class Meta:
        verbose_name = _("participation fact")
        verbose_name_plural = _("participation facts")
        default_permissions = ()
        indexes = [
            # Every column a report reads, after the kind: a report reads one kind's facts
            # from this index alone, half the rows and none of the table's other columns.
            models.Index(
                fields=[
                    "kind",
                    "month",
                    "person",
                    "course",
                    "workshop",
                    "completed",
                    "pre_percent",
                    "post_percent",
                ],
                name="fact_report_idx",
            ),
            models.Index(fields=["person"], name="fact_person_idx"),
            models.Index(fields=["workshop", "person"], name="fact_workshop_idx"),
            models.Index(fields=["enrolment"], name="fact_enrolment_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(workshop__isnull=True, enrolment__isnull=False)
                | Q(workshop__isnull=False, enrolment__isnull=True),
                name="fact_one_source",
            ),
            models.UniqueConstraint(
                fields=["kind", "workshop", "person", "month"],
                condition=Q(workshop__isnull=False),
                name="fact_unique_workshop",
            ),
            models.UniqueConstraint(
                fields=["kind", "enrolment", "month"],
                condition=Q(enrolment__isnull=False),
                name="fact_unique_enrolment",
            ),
            models.CheckConstraint(
                condition=Q(kind=2) | Q(completed=False, pre_percent=None, post_percent=None),
                name="fact_reach_plain",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.person_id} {self.course_id} {self.month}"
