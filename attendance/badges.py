"""Printable badge (PDF, A6) of one registration: the name as registered and the personal code,
in letters and as a QR code the trainer's scanner reads at the door."""

from zoneinfo import ZoneInfo

from django.db.models import Max, Min
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from attendance.models import Registration
from attendance.qr import qr_svg

LIMA = ZoneInfo("America/Lima")


def badge_pdf(registration: Registration) -> bytes:
    registration = Registration.objects.select_related("person", "workshop__course").get(
        pk=registration.pk
    )
    workshop = registration.workshop
    span = workshop.sessions.aggregate(first=Min("starts_at"), last=Max("ends_at"))
    context = {
        "registration": registration,
        "person": registration.person,
        "workshop": workshop,
        "first": span["first"] and timezone.localtime(span["first"], LIMA),
        "last": span["last"] and timezone.localtime(span["last"], LIMA),
        "qr": qr_svg(registration.code),
    }
    return HTML(string=render_to_string("attendance/badge.html", context)).write_pdf()
