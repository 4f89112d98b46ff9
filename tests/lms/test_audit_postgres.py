"""The audit trail on PostgreSQL: concurrent appends stay one line, the database refuses edits."""

import os
from itertools import pairwise

import pytest
from django.db import DatabaseError, connection, transaction

from attendance.models import AttendanceRecord
from attendance.services import attendance_record, register
from lms.models import AuditEvent
from lms.services.audit import GENESIS, audit_record, verify_chain
from tests.attendance.factories import build_workshop
from tests.attendance.test_concurrency import _run_all
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.postgres


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fifty_concurrent_audited_changes_give_one_linear_chain():
    workshop = build_workshop(sessions=1, capacity=60)
    session = workshop.sessions.get()
    staff = UserFactory()
    people = [PersonFactory() for _ in range(50)]
    for person in people:
        register(workshop=workshop, person=person)
    before = AuditEvent.objects.count()

    def mark(person):
        attendance_record(
            session=session, person=person, status="present", method="roster", recorded_by=staff
        )

    errors = _run_all([lambda p=p: mark(p) for p in people])
    assert errors == []
    assert AttendanceRecord.objects.filter(session=session).count() == 50
    chain = list(AuditEvent.objects.order_by("seq"))
    assert len(chain) == before + 50
    assert [e.seq for e in chain] == list(range(1, len(chain) + 1))
    assert chain[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in pairwise(chain))
    marks = [e for e in chain if e.action == "attendance.create"]
    assert {e.subject for e in marks} == {f"person:{p.pk}" for p in people}
    result = verify_chain()
    assert result.ok and result.checked == len(chain)


def _refused(sql, params=None):
    """Run ``sql`` in a savepoint; return the database's error message (None if it ran)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as exc:
        return str(exc)
    return None


@pytest.mark.django_db
def test_the_database_refuses_to_update_delete_or_truncate_events():
    event = audit_record("test.event", object_type="lms.person", object_id="1", reason="Motivo")
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        # The test suite's own connection may empty tables between tests; this one may not.
        cursor.execute("SET LOCAL lms.audit_allow_truncate = off")
    assert "append-only" in _refused(f"UPDATE {table} SET action = 'x' WHERE seq = %s", [event.seq])
    assert "append-only" in _refused(
        f"UPDATE {table} SET reason = 'Otro' WHERE seq = %s", [event.seq]
    )
    assert "append-only" in _refused(f"DELETE FROM {table} WHERE seq = %s", [event.seq])
    assert "append-only" in _refused(f"TRUNCATE {table}")
    # Erasing a reason (and its salt) is the one change allowed: it leaves the chain valid.
    assert (
        _refused(f"UPDATE {table} SET reason = '', reason_salt = '' WHERE seq = %s", [event.seq])
        is None
    )
    assert AuditEvent.objects.get(seq=event.seq).redacted
    assert verify_chain().ok


@pytest.mark.django_db
def test_the_applications_role_cannot_change_events_or_switch_the_guard_off():
    """A role granted everything on every table, as an application role often is, and no more."""
    event = audit_record("test.event", object_type="lms.person", object_id="1")
    table = AuditEvent._meta.db_table
    role = f"lms_app_probe_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
        cursor.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}")
        cursor.execute(f"SET LOCAL ROLE {role}")
        cursor.execute("SET LOCAL lms.audit_allow_truncate = on")  # asking is not enough
    assert "append-only" in _refused(f"UPDATE {table} SET action = 'x' WHERE seq = %s", [event.seq])
    assert "append-only" in _refused(f"DELETE FROM {table}")
    assert "append-only" in _refused(f"TRUNCATE {table}")
    assert "owner" in _refused(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
    assert "permission denied" in _refused("SET session_replication_role = replica")
    # It can still append.
    audit_record("test.event", object_type="lms.person", object_id="2")
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
    assert AuditEvent.objects.count() == 2 and verify_chain().ok


@pytest.mark.django_db
def test_an_edit_made_around_the_guard_is_caught_by_verify_audit(capsys):
    """A database superuser can switch triggers off; the chain still shows the edit."""
    from django.core.management import call_command

    for i in range(4):
        audit_record("test.event", object_type="lms.person", object_id=str(i), after={"n": i})
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(f"""UPDATE {table} SET after = '{{"n": 7}}' WHERE seq = 2""")
        cursor.execute("SET LOCAL session_replication_role = origin")
    with pytest.raises(SystemExit):
        call_command("verify_audit")
    assert "BROKEN at event #2" in capsys.readouterr().err
