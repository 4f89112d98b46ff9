"""Courses through the API: the public catalogue, my enrolments, staff enrolment."""

import pytest

from courses.models import Enrolment
from courses.services import lesson_complete
from tests.courses.factories import build_course
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_published_courses_with_lessons_are_public(api_client):
    _course, _lessons = build_course()
    build_course(code="BOR-1", title="Borrador", publish=False)
    data = api_client.get("/api/v1/courses/").json()
    codes = [c["code"] for c in data["results"]]
    assert codes == ["ETI-101"]
    detail = api_client.get("/api/v1/courses/ETI-101/").json()
    assert [len(m["lessons"]) for m in detail["modules"]] == [2, 1]
    assert detail["modules"][0]["lessons"][0]["title"] == "Lección 1.1"
    assert detail["min_attendance_percent"] == 80 and detail["language"] == "es"


def test_my_enrolments_show_progress_and_self_enrolment_works(api_client):
    _course, lessons = build_course()
    person = PersonFactory()
    user = UserFactory()
    person.user = user
    person.save()
    api_client.force_authenticate(user)

    created = api_client.post("/api/v1/me/enrolments/", {"course": "ETI-101"}, format="json")
    assert created.status_code == 201
    enrolment = Enrolment.objects.get(person=person)
    lesson_complete(enrolment=enrolment, lesson=lessons[0])

    mine = api_client.get("/api/v1/me/enrolments/").json()
    assert [(e["course"], e["lessons_done"], e["lessons_total"], e["percent"]) for e in mine] == [
        ("ETI-101", 1, 3, 33)
    ]
    assert mine[0]["resume_url"] == lessons[1].url


def test_unknown_course_code_is_a_field_error(api_client):
    user = UserFactory()
    PersonFactory(user=user)
    api_client.force_authenticate(user)
    response = api_client.post("/api/v1/me/enrolments/", {"course": "NOPE"}, format="json")
    assert response.status_code == 400 and "course" in response.json()


def test_staff_enrol_people_in_bulk_and_twice_is_harmless(staff_api):
    build_course()
    people = [PersonFactory() for _ in range(3)]
    payload = {"course": "ETI-101", "participants": [str(p.public_id) for p in people]}
    assert staff_api.post("/api/v1/enrolments/", payload, format="json").status_code == 200
    assert staff_api.post("/api/v1/enrolments/", payload, format="json").status_code == 200
    assert Enrolment.objects.filter(course__code="ETI-101").count() == 3
    listed = staff_api.get("/api/v1/enrolments/", {"course__code": "ETI-101"}).json()
    assert listed["count"] == 3


def test_bulk_enrolment_refuses_unknown_people_and_writes_nothing(staff_api):
    build_course()
    person = PersonFactory()
    payload = {
        "course": "ETI-101",
        "participants": [str(person.public_id), "00000000-0000-4000-8000-000000000000"],
    }
    response = staff_api.post("/api/v1/enrolments/", payload, format="json")
    assert response.status_code == 400
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize("role_fixture", ["trainer_user", "participant_user", "donor_user"])
def test_only_staff_enrol_others(api_client, request, role_fixture):
    build_course()
    person = PersonFactory()
    api_client.force_authenticate(request.getfixturevalue(role_fixture))
    payload = {"course": "ETI-101", "participants": [str(person.public_id)]}
    assert api_client.post("/api/v1/enrolments/", payload, format="json").status_code == 403
    assert not Enrolment.objects.exists()
