"""Requests a participant makes about their personal data (ARCO rights under Law 29733).

Access and portability are self-service (the participant downloads their data); rectification,
cancellation and opposition are requests that staff process within a legal deadline, counted in
business days from the day after the request arrived (see ``lms.services.privacy``).
"""

import uuid

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.models.people import Person


class DataRequest(models.Model):
    class Kind(models.TextChoices):
        RECTIFICATION = "rectification", _("Rectification (correct my data)")
        CANCELLATION = "cancellation", _("Cancellation (erase my data)")
        OPPOSITION = "opposition", _("Opposition (stop a use of my data)")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        REFUSED = "refused", _("Refused")

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online, by the participant")
        STAFF = "staff", _("Recorded by staff (letter, email, in person)")

    OPEN = (Status.RECEIVED, Status.IN_PROGRESS)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        "lms.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="data_requests",
    )
    kind = models.CharField(_("request"), max_length=15, choices=Kind.choices)
    field = models.CharField(
        _("data to correct"),
        max_length=40,
        blank=True,
        help_text=_("Rectification only: which of your data is wrong."),
    )
    correct_value = models.CharField(_("correct value"), max_length=300, blank=True)
    details = models.TextField(_("details"), blank=True)
    channel = models.CharField(
        _("received through"), max_length=10, choices=Channel.choices, default=Channel.ONLINE
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    response = models.TextField(
        _("answer to the participant"),
        blank=True,
        help_text=_("Required when the request is refused: the reason, which the person reads."),
    )
    # Answers go out in the language the request was made in.
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    due_on = models.DateField(_("answer due by"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("personal-data request")
        verbose_name_plural = _("personal-data requests")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="rectification") | ~Q(field=""),
                name="data_request_rectification_names_field",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(response=""),
                name="data_request_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["received", "in_progress"], closed_at__isnull=True)
                | Q(status__in=["done", "refused"], closed_at__isnull=False),
                name="data_request_closed_has_time",
            ),
        ]

    def __str__(self):
        return (
            f"{self.get_kind_display()} · {self.received_at:%Y-%m-%d} · {self.get_status_display()}"
        )

    @property
    def field_label(self) -> str:
        if not self.field:
            return ""
        try:
            return str(Person._meta.get_field(self.field).verbose_name)
        except FieldDoesNotExist:
            return str(_("Other data"))

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.is_open and timezone.localdate() > self.due_on
