"""A workshop of the flagship course with sessions, open for registration."""

import datetime as dt

from django.utils import timezone

from attendance.models import Session, Workshop
from lms.models import Region
from tests.courses.factories import build_course


def build_workshop(
    *, code="LIM-2026-014", capacity=20, sessions=2, starts=None, status="open", **fields
):
    course, _lessons = build_course(code=f"C-{code}")
    workshop = Workshop.objects.create(
        code=code,
        course=course,
        region=Region.objects.get(code="1501"),
        venue="Auditorio de la Corte Superior de Lima",
        capacity=capacity,
        status=status,
        **fields,
    )
    starts = starts or timezone.now().replace(microsecond=0)
    for n in range(1, sessions + 1):
        begin = starts + dt.timedelta(days=n - 1)
        Session.objects.create(
            workshop=workshop, number=n, starts_at=begin, ends_at=begin + dt.timedelta(hours=3)
        )
    return workshop
