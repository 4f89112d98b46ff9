"""Participants find open workshops, register (or join the waitlist), and see them in My learning."""

import pytest
from django.urls import reverse

from attendance.models import Registration
from tests.attendance.factories import build_workshop
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def participant(client):
    user = UserFactory(email="ana@example.pe")
    person = PersonFactory(user=user)
    client.force_login(user)
    return person


def test_register_from_the_workshop_page_and_see_it_in_my_learning(client, participant):
    workshop = build_workshop(capacity=5)
    assert workshop.code in client.get(reverse("attendance:workshops")).content.decode()
    page = reverse("attendance:workshop", args=[workshop.code])
    response = client.post(page)
    assert response.status_code == 302
    registration = Registration.objects.get(person=participant)
    assert registration.status == "confirmed"
    mine = client.get(reverse("learning:my_learning")).content.decode()
    assert workshop.code in mine and registration.code in mine


def test_a_full_workshop_offers_the_waitlist(client, participant):
    workshop = build_workshop(capacity=1)
    from attendance.services import register

    register(workshop=workshop, person=PersonFactory())
    page = client.get(reverse("attendance:workshop", args=[workshop.code])).content.decode()
    assert "lista de espera" in page.lower()
    client.post(reverse("attendance:workshop", args=[workshop.code]))
    assert Registration.objects.get(person=participant).status == "waitlisted"


def test_cancelling_frees_the_seat_for_the_next_in_line(client, participant):
    workshop = build_workshop(capacity=1)
    client.post(reverse("attendance:workshop", args=[workshop.code]))
    from attendance.services import register

    waiting = register(workshop=workshop, person=PersonFactory())
    client.post(reverse("attendance:workshop", args=[workshop.code]), {"cancel": "1"})
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_anonymous_visitors_are_asked_to_log_in(client):
    workshop = build_workshop()
    response = client.post(reverse("attendance:workshop", args=[workshop.code]))
    assert response.status_code == 302 and reverse("accounts:login") in response.url
    assert not Registration.objects.exists()
