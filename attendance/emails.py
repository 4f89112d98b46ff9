"""Registration emails (plain text, Spanish first) with the workshop's calendar invitation.

Callers decide *when* to write (after a service call, once the transaction has committed);
this module only decides *what* the email says and which iTIP method its invitation carries.
"""

import logging
from email.mime.image import MIMEImage

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from attendance import ical
from attendance.models import Registration
from attendance.qr import qr_png

logger = logging.getLogger(__name__)

KINDS = (
    "confirmed",
    "pending",
    "waitlisted",
    "approved",
    "promoted",
    "rejected",
    "cancelled",
    "reminder",
)
# Which emails add the sessions to the person's calendar, and which take them out.
ICAL_METHOD = {
    "confirmed": "REQUEST",
    "approved": "REQUEST",
    "promoted": "REQUEST",
    "reminder": "REQUEST",
    "cancelled": "CANCEL",
}
ICS_FILENAME = "taller.ics"
# Emails of a held seat show the personal QR code the trainer scans at the door.
WITH_QR = {"confirmed", "approved", "promoted", "reminder"}
QR_CONTENT_ID = "codigo-personal"
QR_FILENAME = "codigo-personal.png"


def _context(registration: Registration) -> dict:
    workshop = registration.workshop
    return {
        "registration": registration,
        "person": registration.person,
        "workshop": workshop,
        "course": workshop.course,
        "sessions": list(workshop.sessions.order_by("starts_at", "number")),
        "code": registration.code,
        "time_zone": settings.TIME_ZONE,
    }


def render_registration_email(registration: Registration, kind: str) -> tuple[str, str]:
    """(subject, body) in the site's language, times in Lima."""
    if kind not in KINDS:
        raise ValueError(f"Unknown email kind {kind!r}; expected one of {', '.join(KINDS)}.")
    context = _context(registration)
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"attendance/email/{kind}_subject.txt", context)
        body = render_to_string(f"attendance/email/{kind}_body.txt", context)
    # A subject is one line: a header with a newline in it is refused by Django.
    subject = " ".join(subject.split())
    return subject, body.strip() + "\n"


def send_registration_email(registration: Registration, kind: str) -> bool:
    """Send one registration email; False (nothing sent) when the person has no email."""
    person = registration.person
    if not person.email:
        logger.info("Registration %s: %s email not sent, no address", registration.pk, kind)
        return False
    subject, body = render_registration_email(registration, kind)
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[person.email],
    )
    method = ICAL_METHOD.get(kind)
    if method:
        with translation.override(settings.LANGUAGE_CODE):
            calendar = ical.invitation(registration, method=method).decode()
        # As an alternative part, mail clients show "add to calendar" / apply the update
        # (Outlook, Gmail); as an attachment, anyone can open it by hand.
        message.attach_alternative(calendar, f"text/calendar; method={method}")
        message.attach(ICS_FILENAME, calendar, f"text/calendar; method={method}")
    if kind in WITH_QR:
        _attach_personal_qr(message, registration, body)
    message.send()
    return True


def _attach_personal_qr(message, registration: Registration, body: str) -> None:
    """An HTML version of the text with the QR image inline (by Content-ID, which mail clients
    show without loading anything remote), the image also attached for printing."""
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "attendance/email/with_qr.html",
            {
                "body": body,
                "code": registration.code,
                "workshop": registration.workshop,
                "content_id": QR_CONTENT_ID,
            },
        )
    message.attach_alternative(html, "text/html")
    image = MIMEImage(qr_png(registration.code), "png")
    image.add_header("Content-ID", f"<{QR_CONTENT_ID}>")
    image.add_header("Content-Disposition", "inline", filename=QR_FILENAME)
    message.attach(image)
