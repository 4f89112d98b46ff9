"""The attendance marks are the program's to configure: names, order, which are offered, and what
each counts as (e.g. whether "late" counts as attended). Every path that gives a mark follows."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.urls import reverse

from attendance.attendance_import import import_attendance
from attendance.models import AttendanceRecord, AttendanceStatus
from attendance.services import attendance_record, register, self_checkin
from tests.attendance.factories import build_workshop
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def online_mark():
    return AttendanceStatus.objects.create(
        code="remote",
        name="Conectado a distancia",
        name_en="Joined remotely",
        counts_as=AttendanceStatus.CountsAs.ATTENDED,
        sort_order=15,
    )


@pytest.fixture
def workshop(trainer_user):
    workshop = build_workshop()
    workshop.trainers.add(trainer_user)
    return workshop


def test_the_four_usual_marks_exist_in_order_with_their_meaning():
    marks = [(m.code, m.name, m.counts_as) for m in AttendanceStatus.objects.all()]
    assert marks == [
        ("present", "Presente", "attended"),
        ("late", "Tardanza", "attended"),
        ("excused", "Justificado", "excused"),
        ("absent", "Ausente", "absent"),
    ]


def test_present_and_absent_keep_their_meaning_in_the_database():
    present = AttendanceStatus.objects.get(code="present")
    present.counts_as = AttendanceStatus.CountsAs.ABSENT
    with pytest.raises(ValidationError, match="debe seguir ofrecida"):
        present.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        present.save()
    absent = AttendanceStatus.objects.get(code="absent")
    absent.active = False
    with pytest.raises(IntegrityError), transaction.atomic():
        absent.save()


def test_a_code_cannot_be_renamed_once_saved(online_mark):
    online_mark.code = "online"
    with pytest.raises(ValidationError) as exc:
        online_mark.full_clean()
    assert "code" in exc.value.message_dict


def test_a_mark_in_use_cannot_be_deleted_only_retired(workshop, online_mark):
    person = PersonFactory()
    register(workshop=workshop, person=person)
    session = workshop.sessions.first()
    attendance_record(session=session, person=person, status="remote", method="roster")
    with pytest.raises(ProtectedError):
        online_mark.delete()
    online_mark.active = False
    online_mark.save()
    with pytest.raises(ValidationError, match="Marca de asistencia desconocida"):
        attendance_record(session=session, person=PersonFactory(), status="remote", method="api")
    # The retired mark is still what the record says.
    assert AttendanceRecord.objects.get(person=person).status == online_mark


def test_roster_offers_the_configured_marks_and_keeps_a_retired_one_visible(
    client, trainer_user, workshop, online_mark
):
    people = [PersonFactory(family_names=name) for name in ("Alva", "Benites")]
    for person in people:
        register(workshop=workshop, person=person)
    session = workshop.sessions.first()
    url = reverse("attendance_roster", args=[session.pk])
    client.force_login(trainer_user)

    page = client.get(url).content.decode()
    assert "Conectado a distancia" in page
    assert f'name="status_{people[0].pk}" value="remote"' in page

    response = client.post(url, {f"status_{people[0].pk}": "remote"})
    assert response.status_code == 302
    assert AttendanceRecord.objects.get(person=people[0]).status_id == "remote"

    AttendanceStatus.objects.filter(code="excused").update(active=False)
    online_mark.active = False
    online_mark.save()
    page = client.get(url).content.decode()
    # Benites (no mark) is not offered the retired marks; Alva's row still shows hers.
    assert f'name="status_{people[1].pk}" value="remote"' not in page
    assert f'name="status_{people[1].pk}" value="excused"' not in page
    assert f'name="status_{people[0].pk}" value="remote"' in page
    assert "Conectado a distancia: <strong>1</strong>" in page


def test_import_understands_a_custom_mark_by_name_and_lists_offered_ones(workshop, online_mark):
    person = PersonFactory(document_number="10117410")
    register(workshop=workshop, person=person)
    good = "numero_documento;sesion;estado\n10117410;1;Conectado a distancia\n"
    result = import_attendance(workshop=workshop, data=good.encode(), filename="a.csv")
    assert result.ok, result.errors
    assert AttendanceRecord.objects.get(person=person, session__number=1).status_id == "remote"

    AttendanceStatus.objects.filter(code="late").update(active=False)
    bad = "numero_documento;sesion;estado\n10117410;2;tarde\n"
    result = import_attendance(workshop=workshop, data=bad.encode(), filename="a.csv")
    assert not result.ok
    [error] = result.errors
    assert (error.row, error.column) == (2, "estado")
    assert "Presente, Conectado a distancia, Justificado, Ausente" in error.message


def test_api_lists_the_marks_and_refuses_one_not_offered(
    client_for, staff_user, workshop, online_mark
):
    api = client_for(staff_user)
    listed = api.get("/api/v1/attendance-marks/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert [m["code"] for m in listed] == ["present", "remote", "late", "excused", "absent"]
    assert listed[1]["counts_as"] == "attended"

    person = PersonFactory()
    register(workshop=workshop, person=person)
    session = workshop.sessions.first()
    AttendanceStatus.objects.filter(code="late").update(active=False)
    body = {"marks": [{"participant": str(person.public_id), "status": "late"}]}
    response = api.put(f"/api/v1/sessions/{session.pk}/attendance/", body, format="json")
    assert response.status_code == 400
    assert "remote" in str(response.json())
    assert not AttendanceRecord.objects.exists()


def test_late_arrival_is_present_when_the_program_does_not_use_late(workshop):
    session = workshop.sessions.first()
    arrived = session.starts_at + dt.timedelta(minutes=40)
    first, second = PersonFactory(), PersonFactory()
    for person in (first, second):
        register(workshop=workshop, person=person)

    record, _already = self_checkin(session=session, person=first, user=None, now=arrived)
    assert record.status_id == "late"

    AttendanceStatus.objects.filter(code="late").update(active=False)
    record, _already = self_checkin(session=session, person=second, user=None, now=arrived)
    assert record.status_id == "present"


def test_marks_are_managed_by_program_admins_only(client, admin_role_user, staff_user):
    url = reverse("attendance_marks:add")
    client.force_login(staff_user)
    assert client.get(url).status_code in (302, 403)
    client.force_login(admin_role_user)
    response = client.post(
        url,
        {
            "code": "partial",
            "name": "Asistencia parcial",
            "name_en": "Partly present",
            "counts_as": "absent",
            "active": "on",
            "sort_order": "25",
        },
    )
    assert response.status_code == 302
    assert AttendanceStatus.objects.get(code="partial").counts_as == "absent"
