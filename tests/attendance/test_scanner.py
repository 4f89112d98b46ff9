"""Trainer tools at the door: personal QR scanning, typed codes, badges and walk-ins."""

import subprocess

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from attendance.badges import badge_pdf
from attendance.models import AttendanceRecord, Registration
from attendance.services import register
from lms.models import Person
from tests.attendance.factories import build_workshop
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def translated(label) -> str:
    """A label as the admin shows it: in the site's language (Spanish first)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(label())


def scan(client, session, code, **extra):
    return client.post(reverse("attendance_scan_mark", args=[session.pk]), {"code": code}, **extra)


@pytest.fixture
def trainer_client(client, trainer_user):
    client.force_login(trainer_user)
    return client


@pytest.fixture
def workshop(trainer_user):
    workshop = build_workshop()
    workshop.trainers.add(trainer_user)
    return workshop


def test_scanning_a_confirmed_code_marks_present_once(trainer_client, workshop, english):
    session = workshop.sessions.first()
    registration = register(workshop=workshop, person=PersonFactory())

    first = scan(trainer_client, session, registration.code.lower(), **JSON).json()
    assert first["ok"] is True and first["already"] is False
    assert first["name"] == registration.person.full_name
    record = AttendanceRecord.objects.get(session=session)
    assert record.status_id == AttendanceRecord.Status.PRESENT
    assert first["status"] == translated(lambda: record.status.label) == "Presente"
    assert record.method == AttendanceRecord.Method.PERSONAL_QR
    assert record.person == registration.person

    again = scan(trainer_client, session, registration.code, **JSON).json()
    assert again["ok"] is True and again["already"] is True
    assert AttendanceRecord.objects.filter(session=session).count() == 1


def test_unknown_and_other_workshop_codes_are_refused(trainer_client, workshop, english):
    session = workshop.sessions.first()
    other = build_workshop(code="CUS-2026-020")
    stranger = register(workshop=other, person=PersonFactory())

    unknown = scan(trainer_client, session, "ZZZZ9999", **JSON).json()
    assert unknown["ok"] is False and "ZZZZ9999 desconocido" in unknown["message"]
    elsewhere = scan(trainer_client, session, stranger.code, **JSON).json()
    assert elsewhere["ok"] is False and "pertenece a otro taller" in elsewhere["message"]
    assert not AttendanceRecord.objects.exists()


def test_a_waitlisted_person_is_not_marked(trainer_client, trainer_user, english):
    workshop = build_workshop(capacity=1)
    workshop.trainers.add(trainer_user)
    register(workshop=workshop, person=PersonFactory())
    waiting = register(workshop=workshop, person=PersonFactory())
    assert waiting.status == Registration.Status.WAITLISTED
    result = scan(trainer_client, workshop.sessions.first(), waiting.code, **JSON).json()
    assert result["ok"] is False and "no está confirmado" in result["message"]


def test_a_locked_workshop_refuses_scans(trainer_client, workshop, english):
    registration = register(workshop=workshop, person=PersonFactory())
    workshop.status = workshop.Status.CLOSED
    workshop.save()
    result = scan(trainer_client, workshop.sessions.first(), registration.code, **JSON).json()
    assert result["ok"] is False and "cerrado" in result["message"]
    assert not AttendanceRecord.objects.exists()


def test_a_trainer_of_another_workshop_is_refused(client, trainer_user):
    workshop = build_workshop()  # trainer_user does not train it
    session = workshop.sessions.first()
    registration = register(workshop=workshop, person=PersonFactory())
    client.force_login(trainer_user)
    assert client.get(reverse("attendance_scan", args=[session.pk])).status_code in (302, 403)
    assert scan(client, session, registration.code, **JSON).status_code in (302, 403)
    assert client.get(reverse("attendance_walk_in", args=[session.pk])).status_code in (302, 403)
    badge = client.get(reverse("attendance_badge", args=[registration.pk]))
    assert badge.status_code in (302, 403)
    assert not AttendanceRecord.objects.exists()


def test_staff_may_scan_any_workshop(client, staff_user):
    workshop = build_workshop()
    registration = register(workshop=workshop, person=PersonFactory())
    client.force_login(staff_user)
    result = scan(client, workshop.sessions.first(), registration.code, **JSON).json()
    assert result["ok"] is True


def test_scanner_page_offers_the_camera_script_and_a_plain_form(trainer_client, workshop):
    session = workshop.sessions.first()
    page = trainer_client.get(reverse("attendance_scan", args=[session.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "attendance/scanner.js" in html
    assert 'aria-live="polite"' in html
    assert f'action="{reverse("attendance_scan_mark", args=[session.pk])}"' in html
    assert 'name="code"' in html


def test_typed_code_without_javascript_redirects_with_a_message(trainer_client, workshop, english):
    session = workshop.sessions.first()
    registration = register(workshop=workshop, person=PersonFactory())
    page_url = reverse("attendance_scan", args=[session.pk])

    response = scan(trainer_client, session, f" {registration.code} ", HTTP_ACCEPT="text/html")
    assert response.status_code == 302 and response.url == page_url
    assert AttendanceRecord.objects.filter(session=session, person=registration.person).exists()
    shown = trainer_client.get(page_url).content.decode()
    assert registration.person.family_names in shown and "Presente" in shown

    scan(trainer_client, session, "NOPE0000")
    assert "Código NOPE0000 desconocido" in trainer_client.get(page_url).content.decode()


def pdf_text(pdf: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return done.stdout.decode("utf-8")


def test_badge_pdf_shows_the_code_and_the_name_with_accents(trainer_client, workshop):
    person = PersonFactory(given_names="José María", family_names="Ñañez Quispe")
    registration = register(workshop=workshop, person=person)

    pdf = badge_pdf(registration)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert registration.code in text
    assert "José María" in text and "Ñañez Quispe" in text
    assert workshop.code in text

    response = trainer_client.get(reverse("attendance_badge", args=[registration.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert registration.code in pdf_text(response.content)


def walk_in(client, session, **fields):
    data = {
        "given_names": "Ángela",
        "family_names": "Huamán Pérez",
        "document_type": "1",
        "document_number": "44556677",
        "email": "",
        **fields,
    }
    return client.post(reverse("attendance_walk_in", args=[session.pk]), data)


def test_walk_in_is_created_confirmed_even_when_full_and_present(
    trainer_client, trainer_user, english
):
    workshop = build_workshop(capacity=1)
    workshop.trainers.add(trainer_user)
    session = workshop.sessions.first()
    register(workshop=workshop, person=PersonFactory())  # takes the only seat

    response = walk_in(trainer_client, session)
    assert response.status_code == 302
    assert response.url == reverse("attendance_roster", args=[session.pk])

    person = Person.objects.get(document_number="44556677")
    assert person.given_names == "Ángela"
    registration = Registration.objects.get(workshop=workshop, person=person)
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.waitlisted_at is None
    assert registration.source == Registration.Source.WALK_IN
    assert registration.registered_by == trainer_user
    assert registration.needs_review is True
    record = AttendanceRecord.objects.get(session=session, person=person)
    assert record.status_id == AttendanceRecord.Status.PRESENT
    assert record.method == AttendanceRecord.Method.ROSTER

    roster = trainer_client.get(response.url).content.decode()
    assert "Huamán Pérez" in roster and "walk-in" in roster


def test_walk_in_reuses_a_known_person_and_validates_the_document(
    trainer_client, workshop, english
):
    session = workshop.sessions.first()
    known = PersonFactory()
    response = walk_in(trainer_client, session, document_number=known.document_number)
    assert response.status_code == 302
    assert Person.objects.filter(document_number=known.document_number).count() == 1
    assert Registration.objects.get(workshop=workshop, person=known).status == "confirmed"

    bad = walk_in(trainer_client, session, document_number="1234")
    assert bad.status_code == 200
    assert "document_number" in bad.context["form"].errors
    assert not Person.objects.filter(document_number="1234").exists()
