"""Certificates: designs (Wagtail snippets), the certificates issued, and what happened to each.

A certificate is issued from a completion (or by staff with a reason), carries a 128-bit random
identifier, freezes what it certifies (name as registered, course, hours, dates, workshop, region)
and is never deleted: it moves between valid, suspended, revoked and superseded, each move recorded
with its reason in CertificateEvent. "Expired" is not stored: a valid certificate whose
``valid_until`` has passed is shown as expired.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldRowPanel, InlinePanel, MultiFieldPanel

from certificates.identifiers import display_identifier

COLOUR = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #8A1C1C."))


class Font(models.TextChoices):
    """Fonts installed with the system packages; the PDF embeds them (see certificates.fonts)."""

    CALADEA = "caladea", "Caladea (serif)"
    DEJAVU_SERIF = "dejavu-serif", "DejaVu Serif"
    LATO = "lato", "Lato (sans)"
    DEJAVU_SANS = "dejavu-sans", "DejaVu Sans"


class CertificateTemplate(ClusterableModel):
    """A certificate design: wording, colours, fonts, logos, background and signatories."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    is_default = models.BooleanField(
        _("default for its language"),
        default=False,
        help_text=_("Used for courses that have no design of their own in this language."),
    )
    courses = ParentalManyToManyField(
        "courses.CoursePage",
        verbose_name=_("courses"),
        blank=True,
        related_name="certificate_templates",
        help_text=_("Courses that use this design. Leave empty for a general design."),
    )
    title = models.CharField(_("title"), max_length=120, default="Certificado")
    subtitle = models.CharField(_("subtitle"), max_length=120, blank=True)
    intro = models.CharField(
        _("text before the name"), max_length=200, default="Se otorga el presente certificado a"
    )
    body = models.TextField(
        _("text after the name"),
        max_length=600,
        help_text=_(
            "Placeholders: {course}, {hours}, {workshop}, {region}, {dates}, {modality}. "
            "Workshop placeholders are left out for online courses."
        ),
    )
    online_body = models.TextField(
        _("text after the name (online courses)"),
        max_length=600,
        blank=True,
        help_text=_("Placeholders: {course}, {hours}, {dates}. Empty: the text above is used."),
    )
    footer = models.CharField(_("footer"), max_length=300, blank=True)
    issuer_name = models.CharField(
        _("issuer"),
        max_length=200,
        help_text=_("The organisation that issues the certificate, as shown to verifiers."),
    )
    primary_colour = models.CharField(
        _("main colour"), max_length=7, default="#7A1E1E", validators=[COLOUR]
    )
    accent_colour = models.CharField(
        _("accent colour"), max_length=7, default="#B08D3C", validators=[COLOUR]
    )
    heading_font = models.CharField(
        _("font for title and name"), max_length=20, choices=Font.choices, default=Font.CALADEA
    )
    body_font = models.CharField(
        _("font for the text"), max_length=20, choices=Font.choices, default=Font.LATO
    )
    logo_left = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo (left)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    logo_right = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo (right)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    background = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("background image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Covers the whole A4 landscape page; keep it light so the text stays legible."),
    )
    extra_css = models.TextField(
        _("extra styles (CSS)"),
        blank=True,
        help_text=_(
            "Applied after the built-in layout. The name, date, code and QR keep their place."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        MultiFieldPanel(
            ["name", FieldRowPanel(["language", "is_default"]), "courses"], heading=_("Use")
        ),
        MultiFieldPanel(
            ["title", "subtitle", "intro", "body", "online_body", "footer", "issuer_name"],
            heading=_("Wording"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(["primary_colour", "accent_colour"]),
                FieldRowPanel(["heading_font", "body_font"]),
                FieldRowPanel(["logo_left", "logo_right"]),
                "background",
                "extra_css",
            ],
            heading=_("Look"),
        ),
        InlinePanel("signatories", heading=_("Signatories"), label=_("signatory"), max_num=4),
    ]

    class Meta:
        verbose_name = _("certificate design")
        verbose_name_plural = _("certificate designs")
        ordering = ["language", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["language"],
                condition=Q(is_default=True),
                name="certificate_template_one_default_per_language",
            )
        ]

    def __str__(self):
        return self.name


class Signatory(models.Model):
    template = ParentalKey(
        CertificateTemplate, on_delete=models.CASCADE, related_name="signatories"
    )
    sort_order = models.PositiveSmallIntegerField(default=0, editable=False)
    name = models.CharField(_("name"), max_length=120)
    title = models.CharField(_("position"), max_length=160)
    signature = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("signature image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [FieldRowPanel(["name", "title"]), "signature"]

    class Meta:
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return f"{self.name}, {self.title}"


class ReasonCategory(models.TextChoices):
    ISSUED_IN_ERROR = "issued_in_error", _("Issued in error")
    COMPLETION_REVISED = "completion_revised", _("Completion revised")
    MISCONDUCT = "misconduct", _("Misconduct or fraud")
    IDENTITY = "identity", _("Wrong person or name")
    HOLDER_REQUEST = "holder_request", _("At the holder's request")
    UNDER_REVIEW = "under_review", _("Under review")
    OTHER = "other", _("Other")


class Certificate(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        SUSPENDED = "suspended", _("Suspended")
        REVOKED = "revoked", _("Revoked")
        SUPERSEDED = "superseded", _("Replaced")

    # What verifiers and the API see; "expired" is derived (see ``state``).
    class State(models.TextChoices):
        VALID = "valid", _("Valid")
        EXPIRED = "expired", _("Expired")
        SUSPENDED = "suspended", _("Suspended")
        REVOKED = "revoked", _("Revoked")
        SUPERSEDED = "superseded", _("Replaced")

    # Wagtail's reference index would add a write per certificate for its template's images.
    wagtail_reference_index_ignore = True

    identifier = models.CharField(_("identifier"), max_length=28, unique=True, editable=False)
    person = models.ForeignKey("lms.Person", on_delete=models.PROTECT, related_name="certificates")
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.PROTECT, related_name="certificates"
    )
    registration = models.ForeignKey(
        "attendance.Registration",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    enrolment = models.ForeignKey(
        "courses.Enrolment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    completion = models.ForeignKey(
        "assessments.Completion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    template = models.ForeignKey(
        CertificateTemplate, on_delete=models.PROTECT, related_name="certificates"
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)

    # Frozen at issue: what the certificate says, whatever happens to the records later.
    holder_name = models.CharField(_("holder's name as printed"), max_length=250)
    course_title = models.CharField(_("course"), max_length=255)
    contact_hours = models.DecimalField(_("contact hours"), max_digits=5, decimal_places=1)
    workshop_code = models.CharField(_("workshop"), max_length=20, blank=True)
    region_name = models.CharField(_("region"), max_length=100, blank=True)
    modality = models.CharField(_("modality"), max_length=20, blank=True)
    started_on = models.DateField(_("from"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"))
    issuer_name = models.CharField(_("issuer"), max_length=200)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty when issued from the completion engine."),
    )
    issue_reason = models.TextField(
        _("reason for issuing without completion"), blank=True, default=""
    )

    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.VALID
    )
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    status_category = models.CharField(
        _("reason"), max_length=20, choices=ReasonCategory.choices, blank=True
    )
    status_note = models.TextField(_("note"), blank=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )

    pdf = models.CharField(_("PDF file"), max_length=200, blank=True, editable=False)
    pdf_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    holder_notified_at = models.DateTimeField(
        _("holder notified"), null=True, blank=True, editable=False
    )
    verification_count = models.PositiveIntegerField(_("verifications"), default=0)
    last_verified_at = models.DateTimeField(_("last verified"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(registration__isnull=True, enrolment__isnull=False)
                | Q(registration__isnull=False, enrolment__isnull=True),
                name="certificate_one_source",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["valid", "suspended", "revoked", "superseded"]),
                name="certificate_status_known",
            ),
            # Revoked and suspended say why; valid says nothing.
            models.CheckConstraint(
                condition=Q(status="valid", status_category="")
                | ~Q(status="valid") & ~Q(status_category="")
                | Q(status="superseded"),
                name="certificate_status_has_reason",
            ),
            # Issued by a person (not the completion engine) only with the reason why.
            models.CheckConstraint(
                condition=Q(issued_by__isnull=True) | ~Q(issue_reason=""),
                name="certificate_manual_issue_has_reason",
            ),
            # One live certificate per person per workshop or online course.
            models.UniqueConstraint(
                fields=["registration"],
                condition=Q(status__in=["valid", "suspended"]),
                name="certificate_one_live_per_registration",
            ),
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=Q(status__in=["valid", "suspended"]),
                name="certificate_one_live_per_enrolment",
            ),
        ]
        indexes = [
            models.Index(fields=["person", "status"], name="certificate_person_status"),
            # The status lists read the few certificates that are not valid, by pk block.
            models.Index(
                fields=["status", "id"], condition=~Q(status="valid"), name="certificate_not_valid"
            ),
        ]

    def __str__(self):
        return f"{self.display_identifier} · {self.holder_name}"

    @property
    def display_identifier(self) -> str:
        return display_identifier(self.identifier)

    def state_on(self, day) -> str:
        if self.status == self.Status.VALID and self.valid_until and self.valid_until < day:
            return self.State.EXPIRED
        return self.status

    @property
    def state(self) -> str:
        return self.state_on(timezone.localdate())

    def get_state_display(self) -> str:
        return self.State(self.state).label

    @property
    def is_live(self) -> bool:
        return self.status in (self.Status.VALID, self.Status.SUSPENDED)


class CertificateEvent(models.Model):
    """Every issue, suspension, revocation, reinstatement and re-issue, with who and why."""

    class Action(models.TextChoices):
        ISSUED = "issued", _("Issued")
        SUSPENDED = "suspended", _("Suspended")
        REVOKED = "revoked", _("Revoked")
        REINSTATED = "reinstated", _("Reinstated")
        SUPERSEDED = "superseded", _("Replaced by a new certificate")

    wagtail_reference_index_ignore = True

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    category = models.CharField(
        _("reason"), max_length=20, choices=ReasonCategory.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("certificate event")
        verbose_name_plural = _("certificate events")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action="issued") | ~Q(note=""), name="certificate_event_has_reason"
            )
        ]

    def __str__(self):
        return f"{self.certificate.display_identifier}: {self.get_action_display()}"


class StatusList(models.Model):
    """One pair of Bitstring Status Lists (revocation, suspension) for a block of certificates.

    Certificate ``pk`` n sits in list ``(n - 1) // SIZE`` at a position drawn from a keyed
    permutation (certificates.openbadges): the position says nothing about issue order, no two
    certificates share one, and none is stored. ``key`` is that permutation's key: fixed for
    the list's life, since printed credentials point at their positions.
    """

    number = models.PositiveIntegerField(_("number"), unique=True)
    key = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("status list")
        verbose_name_plural = _("status lists")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(key__regex=r"^[0-9a-f]{64}$"), name="status_list_key_hex"
            )
        ]

    def __str__(self):
        return f"{self.number}"
