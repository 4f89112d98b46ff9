"""The participant registry: people, their documents, consented self-identification, merges."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lms.validators import (
    make_search_text,
    normalize_document_number,
    normalize_name,
    validate_birth_date,
)


class DocumentType(models.TextChoices):
    """SUNAT catalogue 06 codes."""

    DNI = "1", _("DNI")
    CE = "4", _("Foreigner's card (carné de extranjería)")
    PASSPORT = "7", _("Passport")
    OTHER = "0", _("Other")


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    NOT_REPORTED = "X", _("Not reported")


class Ethnicity(models.TextChoices):
    """2017 Census self-identification categories (wording kept)."""

    QUECHUA = "quechua", "Quechua"
    AIMARA = "aimara", "Aimara"
    AMAZONIAN = "amazonian", _("Native or indigenous of the Amazon")
    OTHER_INDIGENOUS = "other_indigenous", _("Other indigenous or original people")
    AFRO = "afro", _("Black, moreno, zambo, mulato / Afro-Peruvian or Afro-descendant")
    WHITE = "white", _("White")
    MESTIZO = "mestizo", _("Mestizo")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Does not know / no answer")


class WGAnswer(models.TextChoices):
    """Washington Group Short Set answer scale."""

    NO_DIFFICULTY = "1", _("No difficulty")
    SOME = "2", _("Some difficulty")
    A_LOT = "3", _("A lot of difficulty")
    CANNOT = "4", _("Cannot do at all")


class AgeBand(models.TextChoices):
    """Five-year bands (15-29 is "youth" in donor reports), kept when the birth date is erased."""

    UNDER_15 = "0-14", "0–14"
    A15 = "15-19", "15–19"
    A20 = "20-24", "20–24"
    A25 = "25-29", "25–29"
    A30 = "30-34", "30–34"
    A35 = "35-39", "35–39"
    A40 = "40-44", "40–44"
    A45 = "45-49", "45–49"
    A50 = "50-54", "50–54"
    A55 = "55-59", "55–59"
    A60 = "60-64", "60–64"
    A65 = "65-69", "65–69"
    A70 = "70+", "70+"


class AnonymisationBasis(models.TextChoices):
    REQUEST = "request", _("At the person's request")
    RETENTION = "retention", _("End of the retention period")


# The registry's own fields in display order: one list for admin forms, exports, the API and
# the merge screen.
PERSON_FIELDS = (
    "document_type",
    "document_number",
    "given_names",
    "family_names",
    "sex",
    "birth_date",
    "email",
    "phone",
    "institution",
    "position",
    "region",
)


class Person(models.Model):
    """One real person, identified by (document type, document number)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    document_type = models.CharField(
        _("document type"), max_length=1, choices=DocumentType.choices, default=DocumentType.DNI
    )
    document_number = models.CharField(_("document number"), max_length=20)
    given_names = models.CharField(_("given names"), max_length=120)
    family_names = models.CharField(_("family names"), max_length=120)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.NOT_REPORTED)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    institution = models.ForeignKey(
        "lms.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    position = models.ForeignKey(
        "lms.Position",
        verbose_name=_("position"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    region = models.ForeignKey(
        "lms.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    # Lower-case, accent-free "given family document" so "nunez" finds "Ñúñez".
    search_text = models.CharField(max_length=300, editable=False, db_index=True, default="")
    # Set by anonymisation (lms.services.privacy): the coarse attributes donor counts still need
    # once the birth date and the identity are erased, and when and why that happened.
    age_band = models.CharField(
        _("age band"), max_length=8, choices=AgeBand.choices, blank=True, editable=False
    )
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    anonymised_basis = models.CharField(
        _("anonymised because"),
        max_length=10,
        choices=AnonymisationBasis.choices,
        blank=True,
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["family_names", "given_names"]
        indexes = [
            # The attributes donor reports break figures down by: a report reads everyone's
            # from this narrow index, not from the wide rows.
            models.Index(
                fields=[
                    "id",
                    "sex",
                    "institution",
                    "position",
                    "region",
                    "birth_date",
                    "age_band",
                ],
                name="person_report_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["document_type", "document_number"], name="person_unique_document"
            ),
            models.CheckConstraint(
                condition=~Q(document_type="1") | Q(document_number__regex=r"^[0-9]{8}$"),
                name="person_dni_is_8_digits",
            ),
            models.CheckConstraint(
                condition=~Q(document_number="") & ~Q(given_names="") & ~Q(family_names=""),
                name="person_required_text_not_empty",
            ),
        ]
        permissions = [
            ("merge_person", _("Can merge two records of one person")),
            ("import_person", _("Can import participants from a file")),
            ("view_sensitive_data", _("Can view sensitive self-identification data")),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.get_document_type_display()} {self.document_number})"

    def save(self, *args, **kwargs):
        self.search_text = make_search_text(
            self.given_names, self.family_names, self.document_number
        )
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        try:
            self.document_number = normalize_document_number(
                self.document_type, self.document_number
            )
        except ValidationError as exc:
            errors["document_number"] = exc.messages
        for field in ("given_names", "family_names"):
            try:
                setattr(self, field, normalize_name(getattr(self, field)))
            except ValidationError as exc:
                errors[field] = exc.messages
        self.email = (self.email or "").strip().lower()
        if self.birth_date:
            try:
                validate_birth_date(self.birth_date)
            except ValidationError as exc:
                errors["birth_date"] = exc.messages
        if errors:
            raise ValidationError(errors)

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_names}"


class ConsentText(models.Model):
    """The exact text a person agreed to, kept per purpose, version and language."""

    class Purpose(models.TextChoices):
        ETHNICITY = "ethnicity", _("Ethnic self-identification")
        DISABILITY = "disability", _("Disability (Washington Group questions)")

    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    version = models.CharField(_("version"), max_length=20)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    text = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published"), auto_now_add=True)

    class Meta:
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        ordering = ["purpose", "-version", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "version", "language"], name="consent_text_unique_version"
            ),
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} v{self.version} ({self.language})"


class Consent(models.Model):
    """Express consent of one person to one purpose (Ley 29733); withdrawing erases the data."""

    class Method(models.TextChoices):
        ONLINE = "online", _("Online form (electronic signature)")
        PAPER = "paper", _("Signed paper form")
        IMPORT = "import", _("Imported from a signed record")

    person = models.ForeignKey(
        "lms.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="consents"
    )
    text = models.ForeignKey(
        "lms.ConsentText", verbose_name=_("consent text"), on_delete=models.PROTECT
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentText.Purpose.choices)
    method = models.CharField(_("how it was given"), max_length=10, choices=Method.choices)
    given_at = models.DateTimeField(_("given at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=models.F("given_at")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.get_purpose_display()}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


WG_DOMAINS = ("seeing", "hearing", "walking", "remembering", "self_care", "communicating")


class SelfIdentification(models.Model):
    """Sensitive, optional answers; the database refuses them without a consent row.

    The consent links are RESTRICT: a consent cannot be deleted while it covers stored answers,
    but deleting the person (ARCO cancellation) removes consent and answers together.
    """

    person = models.OneToOneField(
        "lms.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="self_identification",
    )
    ethnicity = models.CharField(
        _("ethnic self-identification"), max_length=20, choices=Ethnicity.choices, blank=True
    )
    ethnicity_consent = models.ForeignKey(
        "lms.Consent", null=True, blank=True, on_delete=models.RESTRICT, related_name="+"
    )
    wg_seeing = models.CharField(
        _("Difficulty seeing, even if wearing glasses"),
        max_length=1,
        choices=WGAnswer.choices,
        blank=True,
    )
    wg_hearing = models.CharField(
        _("Difficulty hearing, even if using a hearing aid"),
        max_length=1,
        choices=WGAnswer.choices,
        blank=True,
    )
    wg_walking = models.CharField(
        _("Difficulty walking or climbing steps"),
        max_length=1,
        choices=WGAnswer.choices,
        blank=True,
    )
    wg_remembering = models.CharField(
        _("Difficulty remembering or concentrating"),
        max_length=1,
        choices=WGAnswer.choices,
        blank=True,
    )
    wg_self_care = models.CharField(
        _("Difficulty with self-care, such as washing all over or dressing"),
        max_length=1,
        choices=WGAnswer.choices,
        blank=True,
    )
    wg_communicating = models.CharField(
        _("Difficulty communicating, for example understanding or being understood"),
        max_length=1,
        choices=WGAnswer.choices,
        blank=True,
    )
    disability_consent = models.ForeignKey(
        "lms.Consent", null=True, blank=True, on_delete=models.RESTRICT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("self-identification")
        verbose_name_plural = _("self-identifications")
        constraints = [
            models.CheckConstraint(
                condition=Q(ethnicity="") | Q(ethnicity_consent__isnull=False),
                name="selfid_ethnicity_needs_consent",
            ),
            models.CheckConstraint(
                condition=Q(
                    wg_seeing="",
                    wg_hearing="",
                    wg_walking="",
                    wg_remembering="",
                    wg_self_care="",
                    wg_communicating="",
                )
                | Q(disability_consent__isnull=False),
                name="selfid_disability_needs_consent",
            ),
        ]

    def __str__(self):
        return str(self.person)

    @property
    def disability_answers(self) -> dict[str, str]:
        return {d: getattr(self, f"wg_{d}") for d in WG_DOMAINS}

    @property
    def has_disability(self) -> bool | None:
        """WG cut-off: any domain at 'a lot of difficulty' or 'cannot do at all'."""
        answers = [a for a in self.disability_answers.values() if a]
        if not answers:
            return None
        return any(a in (WGAnswer.A_LOT, WGAnswer.CANNOT) for a in answers)


class MergeLog(models.Model):
    """Record of folding a duplicate person into the one kept; the duplicate is then deleted."""

    kept = models.ForeignKey(
        "lms.Person",
        verbose_name=_("person kept"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="merge_logs",
    )
    duplicate_snapshot = models.JSONField(_("removed record"))
    moved = models.JSONField(_("records moved"), default=dict)
    filled_fields = models.JSONField(_("fields filled from the duplicate"), default=list)
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("merge log entry")
        verbose_name_plural = _("merge log")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.duplicate_snapshot.get('full_name', '?')} → {self.kept}"
