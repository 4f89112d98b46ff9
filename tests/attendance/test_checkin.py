"""Self check-in by phone: logged in, or logging in first and continuing straight into it."""

import pytest
from django.urls import reverse

from attendance.models import AttendanceRecord
from attendance.services import register
from attendance.tokens import make_checkin_token
from tests.attendance.factories import build_workshop
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    workshop = build_workshop()
    session = workshop.sessions.get(number=1)
    user = UserFactory(email="ana@example.pe")
    person = PersonFactory(user=user)
    register(workshop=workshop, person=person)
    return session, user, person


def _url(session):
    return reverse("attendance:checkin", args=[session.pk, make_checkin_token(session)])


def test_logged_in_participant_checks_in_once(client, setting):
    session, user, person = setting
    client.force_login(user)
    first = client.get(_url(session))
    assert first.status_code == 200
    again = client.get(_url(session))
    assert again.status_code == 200
    record = AttendanceRecord.objects.get(session=session, person=person)
    assert record.method == "qr" and record.status_id == "present"
    assert AttendanceRecord.objects.count() == 1


def test_not_logged_in_logs_in_and_lands_checked_in(client, setting):
    session, _user, person = setting
    response = client.get(_url(session))
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url
    login = client.post(
        response.url, {"username": "ana@example.pe", "password": "correct horse battery"}
    )
    assert login.status_code == 302
    assert login.url == reverse("attendance:checkin_continue")
    done = client.get(login.url)
    assert done.status_code == 200
    assert AttendanceRecord.objects.filter(session=session, person=person).exists()


def test_unregistered_person_is_refused(client, setting):
    session, _user, _person = setting
    stranger = UserFactory(email="x@example.pe")
    PersonFactory(user=stranger)
    client.force_login(stranger)
    response = client.get(_url(session))
    assert response.status_code == 403
    assert AttendanceRecord.objects.count() == 1 - 1


def test_refused_code_says_why(client, setting):
    session, user, _person = setting
    client.force_login(user)
    response = client.get(
        reverse("attendance:checkin", args=[session.pk, f"{session.pk}.2:forged"])
    )
    assert response.status_code == 400
    assert "no es válido" in response.content.decode() or "not valid" in response.content.decode()
    assert not AttendanceRecord.objects.exists()


def test_trainer_screen_shows_a_qr_and_who_is_missing(client, setting, trainer_user):
    session, _user, person = setting
    session.workshop.trainers.add(trainer_user)
    client.force_login(trainer_user)
    page = client.get(reverse("attendance:checkin_screen", args=[session.pk])).content.decode()
    assert "<svg" in page and person.family_names in page
    other = UserFactory(email="otro@example.pe")
    client.force_login(other)
    assert client.get(reverse("attendance:checkin_screen", args=[session.pk])).status_code == 403
