"""Bulk registration from a file: unknown people created from the row, capacity respected."""

import pytest
from django.core.management import CommandError, call_command

from attendance.models import Registration
from attendance.registration_import import registrations_import
from lms.models import Person
from tests.attendance.factories import build_workshop

pytestmark = pytest.mark.django_db

GOOD = (
    "tipo_documento;numero_documento;nombres;apellidos;institucion;cargo\n"
    "DNI;10117410-2;José;Ñañez Quispe;Poder Judicial;Juez\n"
    "DNI;20000001;Rosa;Mamani Ccori;Fiscalía;Fiscal\n"
    "DNI;20000002;Luis;Huamán Rojas;PNP;Policía\n"
).encode()


def test_unknown_people_are_created_and_the_last_one_waits():
    workshop = build_workshop(capacity=2)
    result = registrations_import(workshop=workshop, data=GOOD, filename="lista.csv")
    assert result.ok, result.errors
    assert (result.people_created, result.confirmed, result.waitlisted) == (3, 2, 1)
    assert Person.objects.get(document_number="10117410").family_names == "Ñañez Quispe"
    assert Registration.objects.filter(workshop=workshop, source="import").count() == 3


def test_a_bad_row_writes_no_person_and_no_registration(tmp_path):
    workshop = build_workshop()
    bad = GOOD + b"DNI;10117410-3;Ana;Torres;;\n"
    path = tmp_path / "lista.csv"
    path.write_bytes(bad)
    with pytest.raises(CommandError) as caught:
        call_command("import_registrations", workshop.code, str(path))
    assert caught.value.returncode == 1
    assert not Person.objects.exists() and not Registration.objects.exists()


def test_importing_twice_keeps_one_registration_each():
    workshop = build_workshop(capacity=10)
    registrations_import(workshop=workshop, data=GOOD, filename="lista.csv")
    registrations_import(workshop=workshop, data=GOOD, filename="lista.csv")
    assert Registration.objects.filter(workshop=workshop).count() == 3


def test_staff_upload_in_the_admin_registers_everyone(client, staff_user):
    import io

    from django.urls import reverse

    workshop = build_workshop(capacity=10)
    client.force_login(staff_user)
    assert client.get(reverse("attendance_registration_import")).status_code == 200
    upload = io.BytesIO(GOOD)
    upload.name = "lista.csv"
    response = client.post(
        reverse("attendance_registration_import"), {"workshop": workshop.pk, "file": upload}
    )
    assert response.status_code == 302
    assert Registration.objects.filter(workshop=workshop).count() == 3


def test_my_learning_offers_a_private_calendar_feed(client):
    import icalendar
    from django.urls import reverse

    from attendance.services import register
    from tests.factories import PersonFactory, UserFactory

    workshop = build_workshop()
    user = UserFactory()
    register(workshop=workshop, person=PersonFactory(user=user))
    client.force_login(user)
    page = client.get(reverse("learning:my_learning")).content.decode()
    feed = (
        page.split('href="http://testserver')[-1].split('"')[0]
        if "/feeds/people/" in page
        else None
    )
    assert feed and feed.startswith("/feeds/people/")
    client.logout()
    calendar = icalendar.Calendar.from_ical(client.get(feed).content)
    assert len(calendar.walk("VEVENT")) == 2
