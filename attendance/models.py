"""Workshops (in-person and live-online deliveries of a course), their sessions, registrations,
and attendance records that hold up to an auditor: one per person and session, with who, when
and how; corrections after closing keep the old and new values and a reason."""

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def personal_code() -> str:
    # Printed on badges and sign-in sheets: short, unambiguous, unguessable within a workshop.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class Workshop(models.Model):
    class Modality(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Live online")
        HYBRID = "hybrid", _("Hybrid")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for registration")
        CLOSED = "closed", _("Closed")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    code = models.CharField(_("code"), max_length=20, unique=True, help_text=_("e.g. LIM-2026-014"))
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        related_name="workshops",
    )
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("Defaults to the course title.")
    )
    modality = models.CharField(
        _("modality"), max_length=10, choices=Modality.choices, default=Modality.IN_PERSON
    )
    region = models.ForeignKey(
        "lms.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="workshops"
    )
    venue = models.CharField(_("venue"), max_length=250, blank=True)
    meeting_url = models.URLField(_("meeting link"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity"))
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    requires_approval = models.BooleanField(_("registrations need approval"), default=False)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainers"),
        blank=True,
        related_name="workshops_trained",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["-created_at"]
        # Program staff's marker: every workshop, not only the ones the user trains.
        permissions = [("view_all_workshops", _("Can see and manage every workshop"))]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gt=0), name="workshop_capacity_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "open", "closed", "completed", "cancelled"]),
                name="workshop_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(modality__in=["in_person", "online", "hybrid"]),
                name="workshop_modality_valid",
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_opens_at__lt=F("registration_closes_at")),
                name="workshop_registration_window_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.code} – {self.display_title}"

    @property
    def display_title(self) -> str:
        return self.title or self.course.title

    @property
    def attendance_locked(self) -> bool:
        return self.status in LOCKED_STATUSES


# A workshop in these states is final: its marks change only through staff, with a reason.
LOCKED_STATUSES = (Workshop.Status.CLOSED, Workshop.Status.COMPLETED, Workshop.Status.CANCELLED)


class Session(models.Model):
    workshop = models.ForeignKey(
        "attendance.Workshop",
        verbose_name=_("workshop"),
        on_delete=models.CASCADE,
        related_name="sessions",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    # Rotating check-in QR codes are signed with a per-session secret, so a leaked code
    # of one session says nothing about another.
    checkin_secret = models.CharField(max_length=64, default=secrets.token_urlsafe, editable=False)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["workshop", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=F("ends_at")), name="session_starts_before_ends"
            ),
            models.UniqueConstraint(fields=["workshop", "number"], name="session_unique_number"),
        ]

    def __str__(self):
        return f"{self.workshop.code} #{self.number}"


class Registration(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CANCELLED = "cancelled", _("Cancelled")
        REJECTED = "rejected", _("Rejected")

    class Source(models.TextChoices):
        SELF = "self", _("Self-registration")
        STAFF = "staff", _("Registered by staff")
        IMPORT = "import", _("Imported")
        WALK_IN = "walk_in", _("Walk-in")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workshop = models.ForeignKey(
        "attendance.Workshop", on_delete=models.PROTECT, related_name="registrations"
    )
    person = models.ForeignKey("lms.Person", on_delete=models.PROTECT, related_name="registrations")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    source = models.CharField(_("how"), max_length=10, choices=Source.choices, default=Source.SELF)
    code = models.CharField(
        _("personal code"), max_length=12, default=personal_code, editable=False
    )
    # Order on the waitlist: the time the person joined it (ties broken by id).
    waitlisted_at = models.DateTimeField(_("waitlisted at"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    needs_review = models.BooleanField(_("data to complete"), default=False)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["workshop", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "person"], name="registration_unique_person"
            ),
            models.UniqueConstraint(fields=["workshop", "code"], name="registration_unique_code"),
            models.CheckConstraint(
                condition=~Q(status="waitlisted") | Q(waitlisted_at__isnull=False),
                name="registration_waitlist_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.person} @ {self.workshop.code}"


class AttendanceStatus(models.Model):
    """One mark a trainer can give: the program configures the set (names, order, which are
    offered) and what each mark counts as for completion, e.g. whether “late” counts as attended.

    Records point at the code, which never changes; a mark no longer wanted is deactivated, and
    records that use it keep it.
    """

    class CountsAs(models.TextChoices):
        ATTENDED = "attended", _("Attended")
        EXCUSED = "excused", _("Excused absence")
        ABSENT = "absent", _("Absence")

    # The marks the system itself gives (QR check-in, walk-ins, "all present") and their fixed
    # meaning; they can be renamed, and "late" and "excused" can be switched off or recounted.
    PRESENT = "present"
    LATE = "late"
    EXCUSED = "excused"
    ABSENT = "absent"
    REQUIRED = {PRESENT: CountsAs.ATTENDED, ABSENT: CountsAs.ABSENT}

    code = models.SlugField(
        _("code"),
        max_length=10,
        unique=True,
        help_text=_("Short and permanent: used in imports, the API and the history."),
    )
    name = models.CharField(_("name (Spanish)"), max_length=40)
    name_en = models.CharField(_("name (English)"), max_length=40, blank=True)
    counts_as = models.CharField(
        _("counts as"),
        max_length=10,
        choices=CountsAs.choices,
        help_text=_(
            "How completion rules count this mark. Excused absences are left out of the "
            "attendance rate when the course rule says so."
        ),
    )
    active = models.BooleanField(
        _("offered"), default=True, help_text=_("Offered on rosters, imports and the API.")
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("attendance mark")
        verbose_name_plural = _("attendance marks")
        ordering = ["sort_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(counts_as__in=["attended", "excused", "absent"]),
                name="attendance_status_counts_as_valid",
            ),
            models.CheckConstraint(
                condition=~Q(code="present") | Q(counts_as="attended", active=True),
                name="attendance_status_present_attended",
            ),
            models.CheckConstraint(
                condition=~Q(code="absent") | Q(counts_as="absent", active=True),
                name="attendance_status_absent_absent",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="attendance_status_has_name"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name

    def clean(self):
        required = self.REQUIRED.get(self.code)
        if required and (self.counts_as != required or not self.active):
            raise ValidationError(
                _(
                    "“%(code)s” is given by check-in and walk-ins: it stays offered and counts as %(as)s."
                )
                % {"code": self.code, "as": self.CountsAs(required).label}
            )
        if self.pk:
            old_code = type(self).objects.filter(pk=self.pk).values_list("code", flat=True).first()
            if old_code and old_code != self.code:
                raise ValidationError({"code": _("The code of a mark cannot be changed.")})


class AttendanceRecord(models.Model):
    # The built-in codes, for code that gives a mark (see AttendanceStatus).
    class Status:
        PRESENT = AttendanceStatus.PRESENT
        LATE = AttendanceStatus.LATE
        EXCUSED = AttendanceStatus.EXCUSED
        ABSENT = AttendanceStatus.ABSENT

    class Method(models.TextChoices):
        ROSTER = "roster", _("Roster")
        QR = "qr", _("Session QR check-in")
        PERSONAL_QR = "personal_qr", _("Personal QR scanned")
        IMPORT = "import", _("Import")
        API = "api", _("API")
        CORRECTION = "correction", _("Correction")

    session = models.ForeignKey(
        "attendance.Session", on_delete=models.PROTECT, related_name="attendance"
    )
    person = models.ForeignKey("lms.Person", on_delete=models.PROTECT, related_name="attendance")
    status = models.ForeignKey(
        "attendance.AttendanceStatus",
        verbose_name=_("status"),
        to_field="code",
        db_column="status",
        on_delete=models.PROTECT,
        related_name="+",
    )
    method = models.CharField(_("how"), max_length=12, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")
        ordering = ["session", "person"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], name="attendance_unique_person_session"
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.session}: {self.status}"


class AttendanceCorrection(models.Model):
    """A change to attendance after the workshop was closed: never silent, never lost."""

    record = models.ForeignKey(
        "attendance.AttendanceRecord", on_delete=models.PROTECT, related_name="corrections"
    )
    old_status = models.CharField(max_length=10, blank=True)
    new_status = models.CharField(max_length=10)
    reason = models.TextField(_("reason"))
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    corrected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attendance correction")
        verbose_name_plural = _("attendance corrections")
        ordering = ["-corrected_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="correction_has_reason")
        ]

    def __str__(self):
        return f"{self.record}: {self.old_status} → {self.new_status}"
