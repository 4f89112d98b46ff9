"""Workshops in the admin (Wagtail, /admin/): a trainer signs in, schedules a workshop of a course
(they are ticked among its trainers: trainers reach only the workshops they train) and its session;
people register; the trainer opens the session's roster and marks who came.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from attendance.models import AttendanceRecord, Session, Workshop
from attendance.services import register
from lms.models import Region
from tests.browser.helpers import PASSWORD
from tests.courses.factories import build_course
from tests.factories import PersonFactory, Role, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CODE = "CUS-2026-061"


@pytest.fixture
def people():
    course, _lessons = build_course(code="ETI-301", title="Integridad en las Contrataciones")
    trainer = UserFactory(
        email="capacitador@example.pe", first_name="Luis", last_name="Huamán", role=Role.TRAINER
    )
    participants = [
        PersonFactory(given_names=given, family_names=family)
        for given, family in (
            ("Ana", "Condori Mamani"),
            ("Pedro", "Flores Ccama"),
            ("Rosa", "Quispe Huanca"),
        )
    ]
    # Another workshop, of another trainer: not offered to this one.
    other = Workshop.objects.create(
        code="LIM-2026-062",
        course=course,
        region=Region.objects.get(code="15"),
        capacity=20,
        status=Workshop.Status.OPEN,
    )
    return course, trainer, participants, other


def admin_log_in(page, email):
    page.goto(reverse("wagtailadmin_login"))
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page.locator("#id_username")).to_have_count(0)


def test_a_trainer_creates_a_workshop_and_marks_the_roster(page, people, check):
    course, trainer, participants, other = people

    # The trainer schedules the workshop: their own name comes ticked among its trainers.
    admin_log_in(page, "capacitador@example.pe")
    page.goto(reverse("workshops:add"))
    check(page, "trainer-1-new-workshop")
    expect(page.get_by_label("Luis Huamán")).to_be_checked()
    page.get_by_label("Código").fill(CODE)
    page.get_by_label("Curso").select_option(label=course.title)
    page.get_by_label("Estado").select_option(value=Workshop.Status.OPEN)
    page.get_by_label("Región").select_option(value=str(Region.objects.get(code="0801").pk))
    page.get_by_label("Sede").fill("Auditorio de la Municipalidad del Cusco")
    page.get_by_label("Aforo").fill("25")
    page.get_by_role("button", name="Crear").click()
    expect(page.get_by_role("status")).to_contain_text(CODE)
    workshop = Workshop.objects.get(code=CODE)
    assert workshop.course_id == course.pk and list(workshop.trainers.all()) == [trainer]
    # The list shows their workshops only.
    expect(page.get_by_role("table")).to_contain_text(CODE)
    expect(page.get_by_role("table")).not_to_contain_text(other.code)
    check(page, "trainer-2-workshops")

    page.goto(reverse("workshop_sessions:add"))
    starts = timezone.localtime().replace(second=0, microsecond=0) + dt.timedelta(hours=1)
    form = page.get_by_role("main")
    workshops = form.get_by_label("Taller")
    expect(workshops.locator("option", has_text=other.code)).to_have_count(0)
    workshops.select_option(value=str(workshop.pk))
    form.get_by_label("Número").fill("1")
    # Wagtail's date-time inputs (with their pop-up calendars) by id.
    form.locator("#id_starts_at").fill(starts.strftime("%Y-%m-%d %H:%M"))
    form.locator("#id_ends_at").fill((starts + dt.timedelta(hours=3)).strftime("%Y-%m-%d %H:%M"))
    check(page)
    page.get_by_role("button", name="Crear").click()
    expect(page.get_by_role("status")).to_be_visible()
    session = Session.objects.get(workshop=workshop)
    assert session.starts_at == starts

    # Three people register on the site (the participant's journey shows how).
    for person in participants:
        register(workshop=workshop, person=person)

    # The day of the session: the trainer opens its roster and marks who came.
    page.goto(reverse("workshop_sessions:index"))
    check(page)
    page.get_by_role("link", name="Abrir lista").click()
    expect(page.get_by_role("table")).to_contain_text("Condori Mamani, Ana")
    check(page)
    marks = {
        "Condori Mamani, Ana": "Presente",
        "Flores Ccama, Pedro": "Tardanza",
        "Quispe Huanca, Rosa": "Ausente",
    }
    for name, mark in marks.items():
        page.get_by_role("radiogroup", name=name).get_by_label(mark).check()
    check(page, "trainer-3-roster")
    page.get_by_role("button", name="Guardar asistencia").click()
    expect(page.get_by_text("Asistencia guardada: 3 marca(s) registrada(s).")).to_be_visible()
    check(page, "trainer-4-roster-saved")

    saved = dict(
        AttendanceRecord.objects.filter(session=session).values_list(
            "person__family_names", "status_id"
        )
    )
    assert saved == {"Condori Mamani": "present", "Flores Ccama": "late", "Quispe Huanca": "absent"}
    # Opened again, the roster shows the marks.
    page.reload()
    for name, mark in marks.items():
        expect(page.get_by_role("radiogroup", name=name).get_by_label(mark)).to_be_checked()
