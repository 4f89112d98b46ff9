"""Demo workshops for `seed_demo`: past and upcoming, in Lima, Cusco, Loreto, Piura and more,
with registrations, a waitlist and realistic attendance."""

import datetime as dt
import random
import zoneinfo

from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale

from attendance.models import AttendanceRecord, Registration, Session, Workshop
from attendance.services import attendance_record, register
from courses.models import CoursePage
from lms.demo import register_demo
from lms.models import Person, Region, User

LIMA = zoneinfo.ZoneInfo("America/Lima")

# code, course, province (INEI), venue, capacity, days from today, sessions, status
PLAN = [
    (
        "LIM-2026-011",
        "ETI-101",
        "1501",
        "Corte Superior de Justicia de Lima, Auditorio",
        30,
        -40,
        3,
        "completed",
    ),
    (
        "CUS-2026-004",
        "ETI-101",
        "0801",
        "Gobierno Regional del Cusco, Sala de capacitación",
        25,
        -12,
        2,
        "closed",
    ),
    (
        "LOR-2026-002",
        "CTL-201",
        "1601",
        "Municipalidad Provincial de Maynas, Iquitos",
        20,
        -3,
        2,
        "open",
    ),
    (
        "PIU-2026-006",
        "ETI-101",
        "2001",
        "Universidad Nacional de Piura, Aula Magna",
        25,
        9,
        2,
        "open",
    ),
    ("LIM-2026-014", "PER-110", "1501", "Colegio de Periodistas del Perú, Lima", 12, 16, 1, "open"),
    (
        "ARE-2026-003",
        "GEN-120",
        "0401",
        "Defensoría del Pueblo, Oficina Defensorial de Arequipa",
        20,
        30,
        1,
        "open",
    ),
]


def _at(days: int, hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=LIMA)


@register_demo(order=20)
@transaction.atomic
def seed_workshops(rng: random.Random) -> list[str]:
    spanish = Locale.get_default()
    trainer = User.objects.filter(email="trainer@demo.pe").first()
    people = list(Person.objects.order_by("pk"))
    created = 0
    for code, course_code, province, venue, capacity, days, sessions, status in PLAN:
        if Workshop.objects.filter(code=code).exists():
            continue
        course = CoursePage.objects.filter(code=course_code, locale=spanish).first()
        if course is None:
            continue
        workshop = Workshop.objects.create(
            code=code,
            course=course,
            region=Region.objects.get(code=province),
            venue=venue,
            capacity=capacity,
            status=Workshop.Status.OPEN,
            registration_closes_at=_at(days, 8),
        )
        if trainer:
            workshop.trainers.add(trainer)
        for n in range(sessions):
            Session.objects.create(
                workshop=workshop,
                number=n + 1,
                starts_at=_at(days + n, 9),
                ends_at=_at(days + n, 13),
            )
        # Over-subscribe some workshops so the waitlist shows.
        for person in rng.sample(people, min(len(people), capacity + rng.randint(-4, 6))):
            register(
                workshop=workshop,
                person=person,
                source=Registration.Source.STAFF,
                registered_by=trainer,
                notify=False,  # demo people: no emails
            )
        if days < 0:
            for session in workshop.sessions.all():
                if session.starts_at > timezone.now():
                    continue
                for registration in workshop.registrations.filter(
                    status=Registration.Status.CONFIRMED
                ):
                    mark = rng.choices(
                        ["present", "late", "excused", "absent"], weights=[78, 9, 5, 8]
                    )[0]
                    attendance_record(
                        session=session,
                        person=registration.person,
                        status=mark,
                        method=rng.choice(
                            [AttendanceRecord.Method.ROSTER, AttendanceRecord.Method.QR]
                        ),
                        recorded_by=trainer,
                        now=session.starts_at + dt.timedelta(minutes=rng.randint(0, 40)),
                    )
        workshop.status = status
        workshop.save(update_fields=["status"])
        created += 1
    participant = Person.objects.filter(user__email="participant@demo.pe").first()
    upcoming = Workshop.objects.filter(code="PIU-2026-006").first()
    if participant and upcoming:
        register(
            workshop=upcoming,
            person=participant,
            source=Registration.Source.STAFF,
            registered_by=trainer,
            notify=False,
        )
    waiting = Registration.objects.filter(status=Registration.Status.WAITLISTED).count()
    return [
        f"Talleres: {Workshop.objects.count()} ({created} nuevos) en Lima, Cusco, Loreto, Piura y Arequipa; "
        f"{Registration.objects.exclude(status=Registration.Status.WAITLISTED).count()} inscripciones, "
        f"{waiting} en lista de espera, {AttendanceRecord.objects.count()} registros de asistencia."
    ]
