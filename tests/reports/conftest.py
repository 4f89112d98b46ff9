"""A small crafted programme whose every donor figure can be counted by hand (see
tests/reports/test_counting.py for the expected values and why)."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from assessments.completion import refresh_registrations
from assessments.scores import score_record
from attendance.models import Session, Workshop
from attendance.services import attendance_record, register
from lms.models import Institution, Region
from reports.models import Indicator
from tests.courses.factories import build_course
from tests.factories import PersonFactory

LIMA = ZoneInfo("America/Lima")


def at(year, month, day, hour=9) -> dt.datetime:
    return dt.datetime(year, month, day, hour, 0, tzinfo=LIMA)


def course(code, lessons=(), **flags):
    page, _lessons = build_course(code=code, title=f"Curso {code}", lessons_per_module=lessons)
    for name, value in flags.items():
        setattr(page, name, value)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def workshop(code, course_page, starts: list[dt.datetime], region="15", modality="in_person"):
    w = Workshop.objects.create(
        code=code,
        course=course_page,
        region=Region.objects.get(code=region),
        capacity=200,
        status=Workshop.Status.OPEN,
        modality=modality,
    )
    for n, start in enumerate(starts, start=1):
        Session.objects.create(
            workshop=w, number=n, starts_at=start, ends_at=start + dt.timedelta(hours=3)
        )
    return w


def attend(w, person, attended: list[int] | None = None, status="present"):
    """Register and mark the given session numbers present (all when None), the rest absent."""
    registration = register(workshop=w, person=person, source="staff", always_seat=True)
    for session in w.sessions.order_by("number"):
        mark = status if attended is None or session.number in attended else "absent"
        attendance_record(session=session, person=person, status=mark, method="roster")
    return registration


def close(w):
    w.status = Workshop.Status.CLOSED
    w.save()
    refresh_registrations(w.registrations.all())


def scores(registration, pre, post):
    for kind, value in (("pre", pre), ("post", post)):
        if value is not None:
            score_record(
                registration=registration,
                kind=kind,
                score=Decimal(value),
                max_score=Decimal(100),
                method="grid",
            )


def indicator(code, measure, **fields):
    fields.setdefault("level", "output")
    fields.setdefault("unit", "people" if measure in ("reached", "trained") else "completions")
    courses = fields.pop("courses", None)
    positions = fields.pop("positions", None)
    ind = Indicator.objects.create(
        code=code, name=f"Indicador {code}", definition="—", measure=measure, **fields
    )
    if courses or positions:
        # Parental many-to-many relations are written when the indicator is saved.
        ind.courses.set(courses or [])
        ind.positions.set(positions or [])
        ind.save()
    return ind


@pytest.fixture
def programme(db):
    """People and activities around FY2026 (2025-10-01..2026-09-30).

    - ana: two courses (ETI, CTL) completed in FY2026 Q2 → trained once, 2 completions.
    - beto: the boundary workshop, sessions 30 Sep 2025 (FY2025) and 1 Oct 2025 (FY2026), both
      attended → reached in FY2025 and FY2026; trained in FY2026 Q1 (last session).
    - carla: the boundary workshop too, but only the 30 Sep session at 20:00 Lima (1 Oct in UTC):
      → reached in FY2025 only; 1 of 2 sessions is partial attendance → not trained.
    - dora: a sensitisation-only talk (completed) → reached, a completion, never trained.
    - eva: ETI in FY2026 Q3, pre-test 100%, post 100% → excluded from the individual gain.
    - fito: ETI in FY2026 Q3 with pre 40 / post 70.
    - gil: ETI in FY2024 only → life of project, not FY2026.
    """
    judiciary = Institution.objects.get(code="poder-judicial")
    comptroller = Institution.objects.get(code="contraloria")
    eti = course("ETI-101", lessons=(1,))
    ctl = course("CTL-201", contact_hours=16)
    talk = course("SEN-001", sensitisation_only=True, contact_hours=2)
    people = {
        name: PersonFactory(given_names=name.title(), sex=sex, institution=inst)
        for name, sex, inst in [
            ("ana", "F", judiciary),
            ("beto", "M", judiciary),
            ("carla", "F", comptroller),
            ("dora", "F", comptroller),
            ("eva", "F", judiciary),
            ("fito", "M", comptroller),
            ("gil", "M", judiciary),
        ]
    }
    w_eti_q2 = workshop("ETI-Q2", eti, [at(2026, 2, 10), at(2026, 2, 11)])
    w_ctl_q2 = workshop("CTL-Q2", ctl, [at(2026, 3, 3), at(2026, 3, 4)])
    w_boundary = workshop("ETI-BORDE", eti, [at(2025, 9, 30, 20), at(2025, 10, 1)], region="08")
    w_talk = workshop("SEN-Q1", talk, [at(2025, 11, 5)])
    w_eti_q3 = workshop("ETI-Q3", eti, [at(2026, 5, 5), at(2026, 5, 6)])
    w_old = workshop("ETI-2024", eti, [at(2024, 3, 1), at(2024, 3, 2)])
    attend(w_eti_q2, people["ana"])
    attend(w_ctl_q2, people["ana"])
    attend(w_boundary, people["beto"])
    attend(w_boundary, people["carla"], attended=[1])
    attend(w_talk, people["dora"])
    eva = attend(w_eti_q3, people["eva"])
    fito = attend(w_eti_q3, people["fito"])
    attend(w_old, people["gil"])
    scores(eva, 100, 100)
    scores(fito, 40, 70)
    for w in (w_eti_q2, w_ctl_q2, w_boundary, w_talk, w_eti_q3, w_old):
        close(w)
    return {
        "people": people,
        "courses": {"eti": eti, "ctl": ctl, "talk": talk},
        "workshops": {
            "eti_q2": w_eti_q2,
            "ctl_q2": w_ctl_q2,
            "boundary": w_boundary,
            "talk": w_talk,
            "eti_q3": w_eti_q3,
            "old": w_old,
        },
    }
