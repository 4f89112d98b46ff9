"""Staff in the admin: enrol many people at once, invite a person, trainers author courses."""

import io
import re

import pytest
from django.urls import reverse

from courses.models import CoursePage, Enrolment
from lms.models import User
from tests.courses.factories import build_course
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_bulk_enrol_from_pasted_documents(staff_client):
    course, _ = build_course()
    a = PersonFactory(document_number="10117410")
    b = PersonFactory(document_number="20000001")
    response = staff_client.post(
        reverse("courses_bulk_enrol"), {"course": course.pk, "documents": "10117410-2\n20000001\n"}
    )
    assert response.status_code == 302
    assert set(Enrolment.objects.values_list("person_id", flat=True)) == {a.pk, b.pk}
    listing = staff_client.get(reverse("enrolments:index")).content.decode()
    assert a.family_names in listing


def test_bulk_enrol_file_with_an_unknown_document_enrols_nobody(staff_client):
    course, _ = build_course()
    PersonFactory(document_number="10117410")
    upload = io.BytesIO(b"numero_documento\n10117410\n99999999\n")
    upload.name = "lista.csv"
    response = staff_client.post(
        reverse("courses_bulk_enrol"), {"course": course.pk, "file": upload}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "99999999" not in page or "3" in page  # the row number is listed
    assert re.search(r"<td>3</td>", page)
    assert not Enrolment.objects.exists()


def test_invitation_from_the_admin_sends_a_set_password_link(
    staff_client, mailoutbox, django_capture_on_commit_callbacks
):
    person = PersonFactory(email="rosa@example.pe")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("lms_invite_participant", args=[person.public_id]))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user.email == "rosa@example.pe"
    assert "/invitacion/" in mailoutbox[0].body or "/invitation/" in mailoutbox[0].body


def test_trainer_can_draft_a_course_but_not_publish_it(client, trainer_user):
    course, _ = build_course()
    catalog = course.get_parent()
    client.force_login(trainer_user)
    add_url = reverse("wagtailadmin_pages:add", args=["courses", "coursepage", catalog.pk])
    assert client.get(add_url).status_code == 200
    perms = catalog.permissions_for_user(trainer_user)
    assert perms.can_add_subpage()
    assert not perms.can_publish_subpage()
    assert not User.objects.get(pk=trainer_user.pk).has_perm("courses.add_enrolment")
    assert CoursePage.objects.count() == 1
