"""A participant signs up, enrols, studies lesson by lesson, stops, resumes, and finishes."""

import re

import pytest
from django.urls import reverse

from courses.models import Enrolment
from courses.selectors import enrolment_progress
from lms.models import Person, User
from tests.courses.factories import build_course

pytestmark = pytest.mark.django_db


def _sign_up(client, capture, **overrides):
    data = {
        "given_names": "José",
        "family_names": "Ñañez Quispe",
        "document_type": "1",
        "document_number": "10117410-2",
        "sex": "M",
        "email": "jose@example.pe",
        "password1": "una-clave-muy-larga-2026",
        "password2": "una-clave-muy-larga-2026",
        "privacy": "on",
        **overrides,
    }
    # The email leaves only once the account is committed.
    with capture(execute=True):
        return client.post(reverse("accounts:signup"), data)


def test_participant_journey(client, mailoutbox, django_capture_on_commit_callbacks):
    course, lessons = build_course()

    response = _sign_up(client, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    user = User.objects.get(email="jose@example.pe")
    assert not user.is_active
    assert user.person.family_names == "Ñañez Quispe"
    assert user.person.document_number == "10117410"

    # The emailed link activates the account and logs in.
    link = re.search(r"https?://\S+", mailoutbox[0].body).group(0)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.is_active

    # Lessons are closed until enrolment; the course page offers to enrol.
    assert client.get(lessons[0].url).status_code == 302
    response = client.post(reverse("learning:enrol", args=[course.pk]))
    assert response.status_code == 302 and response.url == lessons[0].url
    enrolment = Enrolment.objects.get(person=user.person, course=course)

    # Read and complete the first lesson: the button leads to the next one.
    assert "Lección 1.1" in client.get(lessons[0].url).content.decode()
    response = client.post(reverse("learning:complete", args=[lessons[0].pk]))
    assert response.url == lessons[1].url
    assert enrolment_progress(enrolment).done == 1

    # Stop, come back: "continue" goes to the first lesson not yet completed.
    client.logout()
    client.login(email="jose@example.pe", password="una-clave-muy-larga-2026")
    response = client.get(reverse("learning:resume", args=[course.pk]))
    assert response.url == lessons[1].url
    my_learning = client.get(reverse("learning:my_learning")).content.decode()
    assert "1 de 3 lecciones" in my_learning or "1 of 3 lessons" in my_learning

    for lesson in lessons[1:]:
        client.get(lesson.url)
        client.post(reverse("learning:complete", args=[lesson.pk]))
    enrolment.refresh_from_db()
    progress = enrolment_progress(enrolment)
    assert (progress.done, progress.total, progress.percent) == (3, 3, 100)
    assert enrolment.lessons_completed_at is not None
    assert "100" in client.get(course.url).content.decode()


def test_enrolling_twice_keeps_one_enrolment(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    course, _ = build_course()
    _sign_up(client, django_capture_on_commit_callbacks)
    user = User.objects.get(email="jose@example.pe")
    user.is_active = True
    user.save()
    client.force_login(user)
    client.post(reverse("learning:enrol", args=[course.pk]))
    client.post(reverse("learning:enrol", args=[course.pk]))
    assert Enrolment.objects.filter(person=user.person).count() == 1


def test_sign_up_refuses_a_document_already_registered(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    Person.objects.create(
        document_type="1", document_number="10117410", given_names="José", family_names="Ñañez"
    )
    response = _sign_up(client, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert not User.objects.filter(email="jose@example.pe").exists()
    assert mailoutbox == []
    assert "document_number" in response.context["form"].errors


def test_sign_up_checks_the_dni_check_character(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    response = _sign_up(client, django_capture_on_commit_callbacks, document_number="10117410-3")
    assert "document_number" in response.context["form"].errors
    assert not User.objects.exists()


def test_a_used_activation_link_does_not_work_twice(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    _sign_up(client, django_capture_on_commit_callbacks)
    link = re.search(r"https?://\S+", mailoutbox[0].body).group(0)
    client.get(link)
    client.logout()
    assert client.get(link).status_code == 400


def test_invited_person_sets_a_password_and_lands_in_my_learning(
    client, mailoutbox, staff_user, django_capture_on_commit_callbacks
):
    from lms.services.accounts import participant_invite

    person = Person.objects.create(
        document_type="1",
        document_number="20000001",
        given_names="Rosa",
        family_names="Mamani",
        email="rosa@example.pe",
    )
    with django_capture_on_commit_callbacks(execute=True):
        participant_invite(person=person, invited_by=staff_user, base_url="http://testserver/")
    link = re.search(r"https?://\S+", mailoutbox[0].body).group(0)
    form = client.get(link)
    assert form.status_code == 200
    response = client.post(
        link, {"password1": "otra-clave-larga-2026", "password2": "otra-clave-larga-2026"}
    )
    assert response.status_code == 302
    assert client.login(email="rosa@example.pe", password="otra-clave-larga-2026")


def test_sign_up_links_to_the_privacy_notice(client):
    page = client.get(reverse("accounts:signup")).content.decode()
    assert 'href="/es/privacidad/"' in page
    notice = client.get("/es/privacidad/").content.decode()
    assert "Ley N.° 29733" in notice and "ARCO" in notice
