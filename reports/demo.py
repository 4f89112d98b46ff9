"""Demo data for `seed_demo`: the program's indicator catalogue (codes and names in Spanish with
English names, baselines, targets per fiscal year and quarter for FY2026 and FY2027), two donor
subscriptions, and a closed FY2026 programme (twenty workshops across the program regions and
the four quarters, one across 30 September / 1 October 2025) so the donor reports have
something to show. Running it again adds nothing."""

import datetime as dt
import random
import zoneinfo
from decimal import Decimal

from django.db import transaction
from wagtail.models import Locale

from assessments.completion import refresh_registrations
from assessments.models import Kind
from assessments.scores import score_record
from attendance.models import AttendanceRecord, Registration, Session, Workshop
from courses.models import CoursePage
from lms.demo import register_demo
from lms.management.commands.seed_demo import create_people, generate_people, load_regions
from lms.models import Person, Position, Region, User
from reports.facts import refresh_workshop_reach
from reports.models import Indicator, IndicatorTarget, ReportSubscription

LIMA = zoneinfo.ZoneInfo("America/Lima")

# code, name (es), name (en), measure, level, unit, positions, min gender hours, breakdowns,
# baseline, {FY: (year target, (Q1, Q2, Q3, Q4))}
CATALOGUE = [
    (
        "ACT-1",
        "Personas alcanzadas por actividades de integridad",
        "People reached by integrity activities",
        "reached",
        "output",
        "people",
        [],
        None,
        ["sex", "institution", "region", "age_band"],
        Decimal(0),
        {2026: (450, (60, 120, 130, 140)), 2027: (900, (200, 220, 240, 240))},
    ),
    (
        "PER-AC-1.1",
        "Servidores públicos capacitados en ética e integridad",
        "Public servants trained in ethics and integrity",
        "trained",
        "output",
        "people",
        ["funcionario", "auditor", "procurador"],
        None,
        ["sex", "institution", "region"],
        Decimal(0),
        {2026: (160, (20, 40, 50, 50)), 2027: (320, (70, 80, 80, 90))},
    ),
    (
        "PER-AC-1.2",
        "Operadores de justicia capacitados en prevención y sanción de la corrupción",
        "Justice operators trained in preventing and punishing corruption",
        "trained",
        "output",
        "people",
        ["juez", "fiscal", "policia"],
        None,
        ["sex", "position", "region"],
        Decimal(0),
        {2026: (120, (15, 30, 35, 40)), 2027: (240, (50, 60, 60, 70))},
    ),
    (
        "PER-AC-1.3",
        "Periodistas e integrantes de sociedad civil capacitados en control ciudadano",
        "Journalists and civil-society members trained in citizen oversight",
        "trained",
        "output",
        "people",
        ["periodista", "sociedad-civil"],
        None,
        ["sex", "region"],
        Decimal(0),
        {2026: (40, (0, 10, 15, 15)), 2027: (80, (15, 20, 20, 25))},
    ),
    (
        "GNDR-8",
        "Personas capacitadas en igualdad de género (al menos 3 horas)",
        "People trained in gender equality (at least 3 hours)",
        "trained",
        "output",
        "people",
        [],
        Decimal(3),
        ["sex", "youth", "region"],
        Decimal(0),
        {2026: (60, (0, 20, 20, 20)), 2027: (150, (30, 40, 40, 40))},
    ),
    (
        "PER-AC-2.1",
        "Cursos completados (persona–curso)",
        "Courses completed (person–course)",
        "completions",
        "output",
        "completions",
        [],
        None,
        ["sex", "course", "modality"],
        Decimal(0),
        {2026: (380, (50, 100, 110, 120)), 2027: (700, (160, 170, 180, 190))},
    ),
    (
        "PER-AC-2.2",
        "Horas de capacitación completadas",
        "Training hours completed",
        "contact_hours",
        "process",
        "hours",
        [],
        None,
        ["sex", "course"],
        Decimal(0),
        {2026: (4000, (500, 1000, 1200, 1300)), 2027: (8000, (1800, 2000, 2100, 2100))},
    ),
    (
        "PER-AC-3.1",
        "Ganancia normalizada de conocimiento (Hake)",
        "Normalized knowledge gain (Hake)",
        "gain_hake",
        "outcome",
        "ratio",
        [],
        None,
        ["sex", "course"],
        Decimal("0.150"),
        {2026: (Decimal("0.30"), ()), 2027: (Decimal("0.35"), ())},
    ),
    (
        "PER-AC-3.2",
        "Porcentaje de participantes que mejoran su puntaje entre la prueba de entrada y la de salida",
        "Percentage of participants who improve between the pre-test and the post-test",
        "gain_improved",
        "outcome",
        "percent",
        [],
        None,
        ["sex", "region"],
        Decimal("55.0"),
        {2026: (Decimal(70), ()), 2027: (Decimal(75), ())},
    ),
]

DEFINITIONS = {
    "reached": (
        "Personas únicas con al menos una asistencia o actividad en línea en el periodo, "
        "contadas una vez por periodo.",
        "Unique people with at least one attendance or online activity in the period, counted "
        "once per period.",
    ),
    "trained": (
        "Personas únicas que completaron un curso (asistencia mínima y prueba de salida "
        "aprobada) en el periodo; una persona cuenta una vez por año fiscal.",
        "Unique people who completed a course (minimum attendance and post-test passed) in the "
        "period; a person counts once per fiscal year.",
    ),
    "completions": (
        "Pares persona–curso completados en el periodo.",
        "Person–course pairs completed in the period.",
    ),
    "contact_hours": (
        "Suma de las horas lectivas de los cursos completados en el periodo.",
        "Sum of the contact hours of the courses completed in the period.",
    ),
    "gain_hake": (
        "(media post % − media pre %) / (100 − media pre %), solo personas con ambas pruebas.",
        "(mean post % − mean pre %) / (100 − mean pre %), people with both tests only.",
    ),
    "gain_improved": (
        "Porcentaje de personas con ambas pruebas cuyo puntaje de salida supera al de entrada.",
        "Percentage of people with both tests whose post-test score beats their pre-test.",
    ),
}

SUBSCRIPTIONS = [
    ("MCC – Programa Umbral Anticorrupción", "itt-peru@mcc.example.org", "en", ["sex", "region"]),
    ("USAID/Perú – Integridad", "integridad-aor@usaid.example.gov", "es", ["sex", "institution"]),
]


@register_demo(order=60)
@transaction.atomic
def seed_catalogue(rng: random.Random) -> list[str]:
    positions = {p.code: p for p in Position.objects.all()}
    created = 0
    for order, row in enumerate(CATALOGUE, start=1):
        code, name, name_en, measure, level, unit, wanted, gender, dims, baseline, targets = row
        definition, definition_en = DEFINITIONS[measure]
        indicator, was_created = Indicator.objects.get_or_create(
            code=code,
            version=1,
            defaults={
                "name": name,
                "name_en": name_en,
                "definition": definition,
                "definition_en": definition_en,
                "measure": measure,
                "level": level,
                "unit": unit,
                "min_gender_hours": gender,
                "disaggregations": dims,
                "baseline": baseline,
                "baseline_note": "Línea de base del programa, septiembre de 2025",
                "sort_order": order,
            },
        )
        if not was_created:
            continue
        created += 1
        indicator.positions.set([positions[c] for c in wanted if c in positions])
        indicator.save()
        for fy, (year, quarters) in targets.items():
            IndicatorTarget.objects.create(indicator=indicator, fiscal_year=fy, value=year)
            for quarter, value in enumerate(quarters, start=1):
                IndicatorTarget.objects.create(
                    indicator=indicator, fiscal_year=fy, quarter=quarter, value=value
                )
    for name, email, language, by in SUBSCRIPTIONS:
        ReportSubscription.objects.get_or_create(
            email=email, defaults={"name": name, "language": language, "disaggregate_by": by}
        )
    return [
        f"Indicadores: {Indicator.objects.count()} en el catálogo ({created} nuevos), metas "
        f"FY2026 y FY2027; {ReportSubscription.objects.count()} suscripciones al reporte mensual."
    ]


# --- A closed FY2026 programme ----------------------------------------------------------------

# code, course, province (INEI), venue, session dates, participants
HISTORY = [
    ("H26-CUS-01", "ETI-101", "0801", "Corte Superior de Justicia del Cusco",
     [(2025, 9, 30), (2025, 10, 1)], 24),
    ("H26-LIM-01", "ETI-101", "1501", "Contraloría General, Escuela Nacional de Control",
     [(2025, 10, 21), (2025, 10, 22), (2025, 10, 23)], 28),
    ("H26-PIU-01", "SEN-001", "2001", "Municipalidad Provincial de Piura", [(2025, 11, 14)], 30),
    ("H26-ARE-01", "CTL-201", "0401", "Gobierno Regional de Arequipa",
     [(2025, 11, 25), (2025, 11, 26), (2025, 11, 27)], 22),
    ("H26-LAL-01", "ETI-101", "1301", "Ministerio Público, Distrito Fiscal de La Libertad",
     [(2025, 12, 9), (2025, 12, 10)], 25),
    ("H26-LIM-02", "PER-110", "1501", "Consejo de la Prensa Peruana", [(2026, 1, 15)], 18),
    ("H26-CAJ-01", "ETI-101", "0601", "Gobierno Regional de Cajamarca",
     [(2026, 1, 27), (2026, 1, 28)], 24),
    ("H26-LOR-01", "GEN-120", "1601", "Defensoría del Pueblo, Iquitos", [(2026, 2, 12)], 20),
    ("H26-ANC-01", "CTL-201", "0201", "Contraloría, Gerencia Regional de Control de Áncash",
     [(2026, 2, 24), (2026, 2, 25), (2026, 2, 26)], 20),
    ("H26-CUS-02", "GEN-120", "0801", "Universidad Nacional San Antonio Abad del Cusco",
     [(2026, 3, 10)], 22),
    ("H26-UCA-01", "ETI-101", "2501", "Corte Superior de Justicia de Ucayali",
     [(2026, 3, 24), (2026, 3, 25)], 20),
    ("H26-LIM-03", "ETI-101", "1501", "Academia de la Magistratura (AMAG)",
     [(2026, 4, 14), (2026, 4, 15), (2026, 4, 16)], 30),
    ("H26-MDD-01", "PER-110", "1701", "Colegio de Periodistas de Madre de Dios",
     [(2026, 4, 28)], 16),
    ("H26-MOQ-01", "CTL-201", "1801", "Municipalidad Provincial de Mariscal Nieto",
     [(2026, 5, 12), (2026, 5, 13), (2026, 5, 14)], 18),
    ("H26-APU-01", "GEN-120", "0301", "Gobierno Regional de Apurímac", [(2026, 5, 26)], 20),
    ("H26-PIU-02", "ETI-101", "2001", "Universidad Nacional de Piura",
     [(2026, 6, 9), (2026, 6, 10)], 26),
    ("H26-ARE-02", "ETI-101", "0401", "Colegio de Abogados de Arequipa",
     [(2026, 7, 14), (2026, 7, 15)], 24),
    ("H26-LIM-04", "GEN-120", "1501", "Secretaría de Integridad Pública (PCM)",
     [(2026, 8, 4)], 26),
    ("H26-CUS-03", "CTL-201", "0801", "Procuraduría Anticorrupción, sede Cusco",
     [(2026, 8, 18), (2026, 8, 19), (2026, 8, 20)], 20),
    ("H26-LAL-02", "ETI-101", "1301", "Policía Nacional, Región Policial La Libertad",
     [(2026, 9, 15), (2026, 9, 16)], 26),
]  # fmt: skip
AUDIENCES = {
    "CTL-201": {"funcionario", "auditor", "procurador"},
    "PER-110": {"periodista", "sociedad-civil"},
}
SCORED = {"ETI-101", "CTL-201", "GEN-120"}
NEW_PEOPLE = 160
MARKS = (["present", "late", "absent", "excused"], [86, 6, 6, 2])


def _session_times(day: tuple[int, int, int]) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime(*day, 9, 0, tzinfo=LIMA)
    return start, start + dt.timedelta(hours=4)


def _department(person: Person) -> str:
    return person.region.code[:2] if person.region_id else ""


def _pick_people(rng, pool, course_code, department, count) -> list[Person]:
    wanted = AUDIENCES.get(course_code)
    eligible = [p for p in pool if wanted is None or (p.position and p.position.code in wanted)]
    local = [p for p in eligible if _department(p) == department]
    chosen = rng.sample(local, min(len(local), int(count * 0.7)))
    taken = {p.pk for p in chosen}
    others = [p for p in eligible if p.pk not in taken]
    chosen += rng.sample(others, min(len(others), count - len(chosen)))
    return chosen


@register_demo(order=61)
@transaction.atomic
def seed_fy2026_programme(rng: random.Random) -> list[str]:
    """Twenty closed workshops of FY2026 with attendance and paper pre/post-test scores.
    Completions and participation facts follow through the services and their signals (the
    demo runs inside bulk_work(), so both are computed once at the end)."""
    if Workshop.objects.filter(code__startswith="H26-").exists():
        return ["Programa FY2026: ya presente."]
    spanish = Locale.get_default()
    courses = {
        c.code: c
        for c in CoursePage.objects.filter(locale=spanish, code__in={h[1] for h in HISTORY})
    }
    if not courses:
        return []
    people_rng = random.Random(rng.randrange(2**32))  # noqa: S311  (demo data)
    new, _skipped = create_people(generate_people(people_rng, NEW_PEOPLE, load_regions()))
    pool = list(Person.objects.select_related("position", "region").order_by("pk"))
    trainer = User.objects.filter(email="trainer@demo.pe").first()
    regions = {r.code: r for r in Region.objects.filter(code__in={h[2] for h in HISTORY})}
    registrations = 0
    for code, course_code, province, venue, days, count in HISTORY:
        course = courses.get(course_code)
        if course is None or province not in regions:
            continue
        workshop = Workshop.objects.create(
            code=code,
            course=course,
            region=regions[province],
            venue=venue,
            capacity=count + 5,
            status=Workshop.Status.OPEN,
        )
        if trainer:
            workshop.trainers.add(trainer)
        sessions = []
        for number, day in enumerate(days, start=1):
            starts, ends = _session_times(day)
            sessions.append(
                Session.objects.create(
                    workshop=workshop, number=number, starts_at=starts, ends_at=ends
                )
            )
        people = _pick_people(rng, pool, course_code, province[:2], count)
        # Registered by staff on paper: no registration emails for a past workshop.
        rows = Registration.objects.bulk_create(
            [
                Registration(
                    workshop=workshop,
                    person=person,
                    status=Registration.Status.CONFIRMED,
                    source=Registration.Source.STAFF,
                    registered_by=trainer,
                )
                for person in people
            ]
        )
        registrations += len(rows)
        marks = []
        for registration in rows:
            steady = rng.random() < 0.85
            for session in sessions:
                mark = rng.choices(*MARKS)[0] if steady else rng.choice(["present", "absent"])
                marks.append(
                    AttendanceRecord(
                        session=session,
                        person=registration.person,
                        status_id=mark,
                        method=AttendanceRecord.Method.ROSTER,
                        recorded_by=trainer,
                        recorded_at=session.starts_at + dt.timedelta(minutes=rng.randint(0, 30)),
                    )
                )
        # Paper rosters typed in at once (bulk, so no signal): the reach facts are refreshed
        # for the workshop below, as the signals would have done one by one.
        AttendanceRecord.objects.bulk_create(marks)
        refresh_workshop_reach(workshop.pk)
        for registration in rows:
            if course_code in SCORED:
                pre = Decimal(str(round(min(max(rng.gauss(10.5, 3), 0), 20) * 2) / 2))
                post = Decimal(
                    str(round(min(max(float(pre) + rng.gauss(3.5, 3.0), 0), 20) * 2) / 2)
                )
                score_record(
                    registration=registration, kind=Kind.PRE, score=pre,
                    max_score=Decimal(20), method="grid", recorded_by=trainer,
                    now=sessions[0].starts_at,
                )  # fmt: skip
                if rng.random() < 0.93:  # a few leave before the post-test
                    score_record(
                        registration=registration, kind=Kind.POST, score=post,
                        max_score=Decimal(20), method="grid", recorded_by=trainer,
                        now=sessions[-1].ends_at,
                    )  # fmt: skip
        workshop.status = Workshop.Status.CLOSED
        workshop.save(update_fields=["status"])
        refresh_registrations(rows)
    people_count = (
        Registration.objects.filter(workshop__code__startswith="H26-")
        .values("person")
        .distinct()
        .count()
    )
    return [
        f"Programa FY2026: {len(HISTORY)} talleres cerrados en 12 regiones (uno del 30 de "
        f"septiembre al 1 de octubre de 2025), {registrations} inscripciones de {people_count} "
        f"personas ({len(new)} nuevas), con asistencia y pruebas de entrada y salida."
    ]
