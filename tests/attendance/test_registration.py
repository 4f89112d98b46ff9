"""Capacity, waitlist order, approval, cancellation."""

import pytest

from attendance.models import Registration
from attendance.services import register, registration_cancel, registration_decide
from tests.attendance.factories import build_workshop
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_beyond_capacity_people_wait_and_are_promoted_in_order():
    workshop = build_workshop(capacity=2)
    people = [PersonFactory() for _ in range(5)]
    regs = [register(workshop=workshop, person=p) for p in people]
    assert [r.status for r in regs] == [
        "confirmed",
        "confirmed",
        "waitlisted",
        "waitlisted",
        "waitlisted",
    ]

    promoted = registration_cancel(registration=regs[0])
    assert [r.person for r in promoted] == [people[2]]
    registration_cancel(registration=regs[1])
    statuses = dict(Registration.objects.values_list("person_id", "status"))
    assert statuses[people[3].pk] == "confirmed" and statuses[people[4].pk] == "waitlisted"


def test_registering_twice_returns_the_same_registration():
    workshop = build_workshop()
    person = PersonFactory()
    assert (
        register(workshop=workshop, person=person).pk
        == register(workshop=workshop, person=person).pk
    )


def test_approval_holds_the_seat_and_rejection_frees_it():
    workshop = build_workshop(capacity=1, requires_approval=True)
    first, second = PersonFactory(), PersonFactory()
    pending = register(workshop=workshop, person=first)
    waiting = register(workshop=workshop, person=second)
    assert (pending.status, waiting.status) == ("pending", "waitlisted")
    registration_decide(registration=pending, approve=False)
    waiting.refresh_from_db()
    assert waiting.status == "pending"


def test_self_registration_needs_an_open_workshop():
    from django.core.exceptions import ValidationError

    workshop = build_workshop(status="draft")
    with pytest.raises(ValidationError):
        register(workshop=workshop, person=PersonFactory())
    assert not Registration.objects.exists()


def test_confirmation_and_promotion_emails_carry_a_calendar_invitation(
    mailoutbox, django_capture_on_commit_callbacks
):
    import icalendar

    workshop = build_workshop(capacity=1)
    first = PersonFactory(email="uno@example.pe")
    second = PersonFactory(email="dos@example.pe")
    with django_capture_on_commit_callbacks(execute=True):
        reg1 = register(workshop=workshop, person=first)
        register(workshop=workshop, person=second)
        registration_cancel(registration=reg1)
    recipients = [m.to[0] for m in mailoutbox]
    assert recipients == ["uno@example.pe", "dos@example.pe", "uno@example.pe", "dos@example.pe"]
    promoted = mailoutbox[-1]
    calendars = [a for a in promoted.attachments if isinstance(a, tuple) and "calendar" in a[2]]
    assert calendars
    content = calendars[0][1]
    calendar = icalendar.Calendar.from_ical(content)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert len(calendar.walk("VEVENT")) == 2


def test_reminders_go_once_to_confirmed_people_of_soon_workshops(
    mailoutbox, django_capture_on_commit_callbacks
):
    import datetime as dt

    from django.utils import timezone

    from attendance.services import reminders_send

    soon = build_workshop(code="PIU-1", capacity=1, starts=timezone.now() + dt.timedelta(hours=20))
    later = build_workshop(code="PIU-2", starts=timezone.now() + dt.timedelta(days=10))
    confirmed = PersonFactory(email="si@example.pe")
    waiting = PersonFactory(email="espera@example.pe")
    far = PersonFactory(email="luego@example.pe")
    register(workshop=soon, person=confirmed)
    register(workshop=soon, person=waiting)
    register(workshop=later, person=far)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send() == 1
        assert reminders_send() == 0
    assert [m.to for m in mailoutbox] == [["si@example.pe"]]
