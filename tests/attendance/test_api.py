"""Workshop API: planning workshops with sessions, registering people, taking attendance."""

import datetime as dt

import pytest
from django.utils import timezone

from attendance.models import AttendanceCorrection, AttendanceRecord, Registration, Workshop
from attendance.services import register
from lms.roles import Role
from tests.attendance.factories import build_workshop
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

WORKSHOPS = "/api/v1/workshops/"


def attendance_url(session) -> str:
    return f"/api/v1/sessions/{session.pk}/attendance/"


def new_workshop_payload(**overrides) -> dict:
    build_workshop(code="TPL-2026-001")  # brings the course C-TPL-2026-001 and region 1501
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=7)
    payload = {
        "code": "CUS-2026-003",
        "course": "C-TPL-2026-001",
        "region": "1501",
        "capacity": 25,
        "status": "open",
        "venue": "Sala de audiencias, Cusco",
        "sessions": [
            {
                "number": 1,
                "starts_at": start.isoformat(),
                "ends_at": (start + dt.timedelta(hours=3)).isoformat(),
            },
            {
                "number": 2,
                "starts_at": (start + dt.timedelta(days=1)).isoformat(),
                "ends_at": (start + dt.timedelta(days=1, hours=3)).isoformat(),
            },
        ],
    }
    payload.update(overrides)
    return payload


def test_staff_list_and_detail_show_sessions_and_counts(staff_api):
    workshop = build_workshop(capacity=1)
    register(workshop=workshop, person=PersonFactory())
    register(workshop=workshop, person=PersonFactory())

    listing = staff_api.get(WORKSHOPS)
    assert listing.status_code == 200
    assert [w["code"] for w in listing.json()["results"]] == ["LIM-2026-014"]

    detail = staff_api.get(f"{WORKSHOPS}LIM-2026-014/").json()
    assert detail["course"] == "C-LIM-2026-014"
    assert detail["region"] == "1501"
    assert detail["status"] == "open"
    assert detail["capacity"] == 1
    assert detail["counts"] == {"confirmed": 1, "waitlisted": 1}
    assert [s["number"] for s in detail["sessions"]] == [1, 2]
    assert {"starts_at", "ends_at"} <= detail["sessions"][0].keys()


def test_staff_create_with_nested_sessions(staff_api):
    response = staff_api.post(WORKSHOPS, new_workshop_payload(), format="json")
    assert response.status_code == 201, response.json()
    workshop = Workshop.objects.get(code="CUS-2026-003")
    assert workshop.sessions.count() == 2
    assert response.json()["counts"] == {"confirmed": 0, "waitlisted": 0}


def test_staff_update_replaces_sessions_by_number(staff_api):
    staff_api.post(WORKSHOPS, new_workshop_payload(), format="json")
    detail = staff_api.get(f"{WORKSHOPS}CUS-2026-003/").json()
    first = detail["sessions"][0]
    response = staff_api.patch(
        f"{WORKSHOPS}CUS-2026-003/",
        {"capacity": 30, "sessions": [{k: first[k] for k in ("number", "starts_at", "ends_at")}]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["capacity"] == 30
    assert [s["id"] for s in response.json()["sessions"]] == [first["id"]]


def test_session_ending_before_it_starts_is_a_field_error(staff_api):
    payload = new_workshop_payload()
    session = payload["sessions"][0]
    session["starts_at"], session["ends_at"] = session["ends_at"], session["starts_at"]
    response = staff_api.post(WORKSHOPS, payload, format="json")
    assert response.status_code == 400
    # Nested errors are keyed by the session's position in the list.
    assert list(response.json()["sessions"]["0"]) == ["ends_at"]
    assert not Workshop.objects.filter(code="CUS-2026-003").exists()


def test_trainer_sees_and_changes_only_own_workshops(client_for, trainer_user):
    mine = build_workshop(code="LIM-2026-001")
    mine.trainers.add(trainer_user)
    build_workshop(code="ARE-2026-002")
    api = client_for(trainer_user)

    assert [w["code"] for w in api.get(WORKSHOPS).json()["results"]] == ["LIM-2026-001"]
    assert api.get(f"{WORKSHOPS}ARE-2026-002/").status_code == 404
    assert (
        api.patch(f"{WORKSHOPS}ARE-2026-002/", {"capacity": 99}, format="json").status_code == 404
    )
    response = api.patch(f"{WORKSHOPS}LIM-2026-001/", {"capacity": 99}, format="json")
    assert response.status_code == 200, response.json()
    assert Workshop.objects.get(code="LIM-2026-001").capacity == 99
    assert Workshop.objects.get(code="ARE-2026-002").capacity != 99


def test_a_trainer_who_creates_a_workshop_trains_it(client_for, trainer_user):
    api = client_for(trainer_user)
    response = api.post(WORKSHOPS, new_workshop_payload(), format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["trainers"] == [trainer_user.email]
    assert list(Workshop.objects.get(code="CUS-2026-003").trainers.all()) == [trainer_user]
    assert api.get(f"{WORKSHOPS}CUS-2026-003/").status_code == 200


def test_a_trainer_cannot_take_themselves_off_a_workshop(client_for, trainer_user):
    colleague = UserFactory(role=Role.TRAINER)
    api = client_for(trainer_user)
    payload = new_workshop_payload()
    refused = api.post(WORKSHOPS, {**payload, "trainers": [colleague.email]}, format="json")
    assert refused.status_code == 400
    assert list(refused.json()) == ["trainers"]
    assert not Workshop.objects.filter(code="CUS-2026-003").exists()

    both = [trainer_user.email, colleague.email]
    created = api.post(WORKSHOPS, {**payload, "trainers": both}, format="json")
    assert created.status_code == 201, created.json()
    refused = api.patch(f"{WORKSHOPS}CUS-2026-003/", {"trainers": [colleague.email]}, format="json")
    assert refused.status_code == 400
    assert list(refused.json()) == ["trainers"]
    assert set(Workshop.objects.get(code="CUS-2026-003").trainers.all()) == {
        trainer_user,
        colleague,
    }


def test_staff_may_hand_a_workshop_over(staff_api, trainer_user):
    response = staff_api.post(
        WORKSHOPS, new_workshop_payload(trainers=[trainer_user.email]), format="json"
    )
    assert response.status_code == 201, response.json()
    assert list(Workshop.objects.get(code="CUS-2026-003").trainers.all()) == [trainer_user]


def test_participants_and_anonymous_are_kept_out(
    api_client, client_for, participant_user, donor_user
):
    build_workshop()
    assert api_client.get(WORKSHOPS).status_code == 401
    assert client_for(participant_user).get(WORKSHOPS).status_code == 403
    assert client_for(donor_user).get(WORKSHOPS).status_code == 403
    assert (
        client_for(participant_user).get(f"{WORKSHOPS}LIM-2026-014/registrations/").status_code
        == 403
    )


def test_registration_via_api_waitlists_beyond_capacity(staff_api, staff_user):
    build_workshop(capacity=1)
    first, second = PersonFactory(), PersonFactory()
    url = f"{WORKSHOPS}LIM-2026-014/registrations/"

    one = staff_api.post(url, {"participant": str(first.public_id)}, format="json")
    two = staff_api.post(url, {"participant": str(second.public_id)}, format="json")
    assert (one.status_code, one.json()["status"]) == (201, "confirmed")
    assert (two.status_code, two.json()["status"]) == (201, "waitlisted")
    registration = Registration.objects.get(person=first)
    assert registration.source == "staff" and registration.registered_by == staff_user

    listing = staff_api.get(url).json()
    assert [(r["participant"], r["status"]) for r in listing] == [
        (str(first.public_id), "confirmed"),
        (str(second.public_id), "waitlisted"),
    ]


def test_registration_of_unknown_participant_is_refused(staff_api):
    build_workshop()
    response = staff_api.post(
        f"{WORKSHOPS}LIM-2026-014/registrations/",
        {"participant": "00000000-0000-0000-0000-000000000000"},
        format="json",
    )
    assert response.status_code == 400 and "participant" in response.json()


def test_trainer_registers_and_lists_only_in_own_workshop(client_for, trainer_user):
    mine = build_workshop(code="LIM-2026-001")
    mine.trainers.add(trainer_user)
    build_workshop(code="ARE-2026-002")
    api = client_for(trainer_user)
    person = PersonFactory()
    body = {"participant": str(person.public_id)}
    assert (
        api.post(f"{WORKSHOPS}LIM-2026-001/registrations/", body, format="json").status_code == 201
    )
    assert api.get(f"{WORKSHOPS}ARE-2026-002/registrations/").status_code == 404


@pytest.fixture
def class_of_two(db):
    workshop = build_workshop(capacity=5)
    people = [PersonFactory(), PersonFactory()]
    for person in people:
        register(workshop=workshop, person=person)
    return workshop, workshop.sessions.get(number=1), people


def marks_body(people, *statuses, reason=None) -> dict:
    body = {
        "marks": [
            {"participant": str(p.public_id), "status": s}
            for p, s in zip(people, statuses, strict=True)
        ]
    }
    if reason is not None:
        body["reason"] = reason
    return body


def test_attendance_put_is_idempotent(staff_api, class_of_two):
    _workshop, session, people = class_of_two
    body = marks_body(people, "present", "late")

    first = staff_api.put(attendance_url(session), body, format="json")
    assert first.status_code == 200, first.json()
    statuses = {m["participant"]: m["status"] for m in first.json()["marks"]}
    assert statuses == {str(people[0].public_id): "present", str(people[1].public_id): "late"}

    second = staff_api.put(attendance_url(session), body, format="json")
    assert second.json() == first.json()
    assert AttendanceRecord.objects.filter(session=session).count() == 2
    assert set(AttendanceRecord.objects.values_list("method", flat=True)) == {"api"}
    assert not AttendanceCorrection.objects.exists()


def test_attendance_get_lists_the_roster_with_marks(staff_api, class_of_two):
    _workshop, session, people = class_of_two
    staff_api.put(attendance_url(session), marks_body(people[:1], "present"), format="json")
    roster = staff_api.get(attendance_url(session)).json()
    statuses = {m["participant"]: m["status"] for m in roster["marks"]}
    assert statuses == {str(people[0].public_id): "present", str(people[1].public_id): ""}
    assert roster["locked"] is False


def test_unknown_or_unconfirmed_participants_write_nothing(staff_api, class_of_two):
    _workshop, session, people = class_of_two
    stranger = PersonFactory()
    ghost = "00000000-0000-0000-0000-000000000000"
    body = marks_body(people, "present", "present")
    body["marks"] += [
        {"participant": str(stranger.public_id), "status": "present"},
        {"participant": ghost, "status": "absent"},
    ]
    response = staff_api.put(attendance_url(session), body, format="json")
    assert response.status_code == 400
    errors = " ".join(response.json()["marks"])
    assert ghost in errors and str(stranger.public_id) in errors
    assert str(people[0].public_id) not in errors
    assert not AttendanceRecord.objects.exists()


def test_trainer_takes_attendance_only_in_own_workshop(client_for, trainer_user, class_of_two):
    _workshop, session, people = class_of_two
    api = client_for(trainer_user)
    assert (
        api.put(
            attendance_url(session), marks_body(people, "present", "absent"), format="json"
        ).status_code
        == 404
    )
    assert api.get(attendance_url(session)).status_code == 404
    session.workshop.trainers.add(trainer_user)
    assert (
        api.put(
            attendance_url(session), marks_body(people, "present", "absent"), format="json"
        ).status_code
        == 200
    )


def test_participant_cannot_read_attendance(client_for, participant_user, class_of_two):
    _workshop, session, _people = class_of_two
    assert client_for(participant_user).get(attendance_url(session)).status_code == 403


def test_closed_workshop_only_staff_with_a_reason_may_correct(
    client_for, staff_api, trainer_user, class_of_two
):
    workshop, session, people = class_of_two
    staff_api.put(attendance_url(session), marks_body(people, "absent", "present"), format="json")
    workshop.trainers.add(trainer_user)
    Workshop.objects.filter(pk=workshop.pk).update(status=Workshop.Status.CLOSED)
    before = AttendanceCorrection.objects.count()
    url = attendance_url(session)

    by_trainer = client_for(trainer_user).put(
        url,
        marks_body(people[:1], "present", reason="Llegó tarde"),
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert by_trainer.status_code == 403
    assert "program staff" in by_trainer.json()["detail"]

    no_reason = staff_api.put(url, marks_body(people[:1], "present"), format="json")
    assert no_reason.status_code == 403
    assert AttendanceRecord.objects.get(person=people[0]).status_id == "absent"

    corrected = staff_api.put(
        url, marks_body(people[:1], "present", reason="Firmó la hoja de asistencia"), format="json"
    )
    assert corrected.status_code == 200
    assert {m["participant"]: m["status"] for m in corrected.json()["marks"]}[
        str(people[0].public_id)
    ] == "present"
    assert AttendanceCorrection.objects.count() == before + 1
    correction = AttendanceCorrection.objects.order_by("-pk").first()
    assert (correction.old_status, correction.new_status) == ("absent", "present")
    assert correction.reason == "Firmó la hoja de asistencia"


def test_a_trainer_cannot_reopen_a_closed_workshop_nor_change_its_sessions(
    client_for, trainer_user, staff_api
):
    workshop = build_workshop(code="LIM-2026-001")
    workshop.trainers.add(trainer_user)
    workshop.status = Workshop.Status.CLOSED
    workshop.save()
    api = client_for(trainer_user)
    url = f"{WORKSHOPS}LIM-2026-001/"

    reopened = api.patch(url, {"status": "open"}, format="json")
    sessions = api.patch(url, {"sessions": []}, format="json")

    assert (reopened.status_code, list(reopened.json())) == (400, ["status"])
    assert (sessions.status_code, list(sessions.json())) == (400, ["sessions"])
    workshop.refresh_from_db()
    assert workshop.status == Workshop.Status.CLOSED and workshop.sessions.count() == 2
    assert api.patch(url, {"venue": "Sala 3"}, format="json").status_code == 200
    assert staff_api.patch(url, {"status": "open"}, format="json").status_code == 200
