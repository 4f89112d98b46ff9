"""Calendar subscription feeds: public per workshop, private (signed link) per participant."""

import pytest
from django.core import signing
from django.urls import reverse
from icalendar import Calendar

from attendance.feeds import person_feed_url
from attendance.services import register
from tests.attendance.factories import build_workshop
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def events(response) -> list:
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


def test_workshop_feed_lists_every_session(client):
    build_workshop(code="LIM-2026-014", sessions=3, title="Ética en la compra")
    response = client.get(reverse("attendance_feeds:workshop", kwargs={"code": "LIM-2026-014"}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    evs = events(response)
    assert len(evs) == 3
    assert str(evs[0]["SUMMARY"]) == "LIM-2026-014 – Ética en la compra (sesión 1)"


@pytest.mark.parametrize("status", ["draft", "cancelled"])
def test_unpublished_workshops_have_no_feed(client, status):
    build_workshop(code="LIM-2026-099", status=status)
    url = reverse("attendance_feeds:workshop", kwargs={"code": "LIM-2026-099"})
    assert client.get(url).status_code == 404


def test_feeds_live_outside_the_language_prefix():
    assert (
        reverse("attendance_feeds:workshop", kwargs={"code": "X-1"}) == "/feeds/workshops/X-1.ics"
    )


def test_personal_feed_lists_only_confirmed_workshops(client):
    person = PersonFactory()
    confirmed = build_workshop(code="LIM-2026-001", sessions=2)
    full = build_workshop(code="ARE-2026-002", sessions=1, capacity=1)
    register(workshop=full, person=PersonFactory())
    register(workshop=confirmed, person=person)
    register(workshop=full, person=person)  # waitlisted: not in the calendar

    url = person_feed_url(person)
    assert str(person.public_id) not in url.split(":")[-1]  # the signature is part of the link
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    summaries = [str(e["SUMMARY"]) for e in events(response)]
    assert len(summaries) == 2
    assert all(s.startswith("LIM-2026-001") for s in summaries)


def test_bad_or_foreign_tokens_are_not_found(client):
    person = PersonFactory()
    forged = f"{person.public_id}:not-a-signature"
    other_salt = signing.Signer(salt="something-else").sign(str(person.public_id))
    for token in (forged, other_salt, "garbage"):
        url = reverse("attendance_feeds:person", kwargs={"token": token})
        assert client.get(url).status_code == 404
