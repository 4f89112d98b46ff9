"""Real threads against PostgreSQL: the last seat and the double scan."""

import threading

import pytest
from django.db import connections

from attendance.models import AttendanceRecord, Registration
from attendance.services import attendance_record, register
from tests.attendance.factories import build_workshop
from tests.factories import PersonFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _run_all(functions):
    barrier = threading.Barrier(len(functions))
    errors = []

    def wrap(func):
        try:
            barrier.wait()
            func()
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=wrap, args=(f,)) for f in functions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return errors


def test_fifty_people_for_the_last_seat_give_one_seat_and_49_waiting():
    workshop = build_workshop(capacity=1, sessions=1)
    people = [PersonFactory() for _ in range(50)]
    errors = _run_all([lambda p=p: register(workshop=workshop, person=p) for p in people])
    assert errors == []
    counts = {
        s: Registration.objects.filter(workshop=workshop, status=s).count()
        for s in ("confirmed", "waitlisted")
    }
    assert counts == {"confirmed": 1, "waitlisted": 49}


def test_hundred_check_ins_of_the_same_person_give_one_record():
    """100 check-ins from 50 threads started together (PostgreSQL's default 100 connections
    must also serve the other test worker), each thread scanning twice in a row."""
    workshop = build_workshop(sessions=1)
    session = workshop.sessions.get()
    person = PersonFactory()
    register(workshop=workshop, person=person)

    def scan_twice():
        for _ in range(2):
            attendance_record(session=session, person=person, status="present", method="qr")

    errors = _run_all([scan_twice for _ in range(50)])
    assert errors == []
    assert AttendanceRecord.objects.filter(session=session, person=person).count() == 1
