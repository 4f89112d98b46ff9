"""The audit trail: what is recorded, by whom, why, and that tampering is detected."""

import copy
import datetime as dt
import json
from decimal import Decimal
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.completion import completion_override
from assessments.models import Completion
from assessments.scores import score_record
from attendance.models import AttendanceRecord
from attendance.services import attendance_record, register
from certificates.models import Certificate
from certificates.services import (
    bulk_issue,
    certificate_issue,
    certificate_reinstate,
    certificate_reissue,
    certificate_revoke,
    certificate_suspend,
)
from lms.models import AuditEvent
from lms.roles import Role, assign_role
from lms.services.audit import (
    GENESIS,
    Head,
    audit_erase_reasons,
    audit_record,
    canonical,
    chain_head,
    event_hash,
    person_ref,
    verify_chain,
)
from lms.services.merge import person_merge
from tests.attendance.factories import build_workshop
from tests.certificates.factories import completed_workshop, default_templates
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def events(action=None):
    qs = AuditEvent.objects.order_by("seq")
    return list(qs.filter(action=action) if action else qs)


def test_an_attendance_mark_and_its_correction_are_recorded_with_who_and_why(staff_user):
    workshop = build_workshop(sessions=1)
    session = workshop.sessions.get()
    person = PersonFactory()
    register(workshop=workshop, person=person)
    attendance_record(
        session=session, person=person, status="absent", method="roster", recorded_by=staff_user
    )
    attendance_record(
        session=session,
        person=person,
        status="present",
        method="roster",
        recorded_by=staff_user,
        reason="Firmó la hoja en papel",
    )
    record = AttendanceRecord.objects.get(session=session, person=person)
    created, changed = events("attendance.create"), events("attendance.change")
    assert len(created) == 1 and len(changed) == 1
    assert created[0].object_type == "attendance.attendancerecord"
    assert created[0].object_id == str(record.pk)
    assert created[0].actor == f"user:{staff_user.pk}"
    assert created[0].subject == person_ref(person)
    assert created[0].before is None and created[0].after["status"] == "absent"
    # A change keeps only what changed, before and after, and the reason.
    assert changed[0].before["status"] == "absent" and changed[0].after["status"] == "present"
    assert "session" not in changed[0].after
    assert changed[0].reason == "Firmó la hoja en papel"
    assert verify_chain().ok


def test_an_unchanged_mark_adds_no_event(staff_user):
    workshop = build_workshop(sessions=1)
    session = workshop.sessions.get()
    person = PersonFactory()
    register(workshop=workshop, person=person)
    for _ in range(3):
        attendance_record(
            session=session, person=person, status="present", method="qr", recorded_by=staff_user
        )
    assert len(events("attendance.create")) == 1
    assert events("attendance.change") == []


def test_the_event_is_rolled_back_with_the_change(staff_user):
    workshop = build_workshop(sessions=1)
    session = workshop.sessions.get()
    person = PersonFactory()
    register(workshop=workshop, person=person)
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        attendance_record(
            session=session, person=person, status="present", method="qr", recorded_by=staff_user
        )
        raise RuntimeError("the request failed after the mark")
    assert AuditEvent.objects.count() == before
    assert not AttendanceRecord.objects.filter(session=session, person=person).exists()


def test_a_request_user_is_the_actor_when_no_service_names_one(client):
    """Self check-in: the participant's own login is the actor."""
    workshop = build_workshop(sessions=1)
    session = workshop.sessions.get()
    user = UserFactory(role=Role.PARTICIPANT)
    person = PersonFactory(user=user)
    register(workshop=workshop, person=person)
    from lms.services.audit import audit_context

    class Request:
        pass

    request = Request()
    request.user = user
    with audit_context(request=request):
        attendance_record(session=session, person=person, status="present", method="qr")
    assert events("attendance.create")[0].actor == f"user:{user.pk}"


def test_scores_and_completion_overrides_are_recorded(staff_user):
    workshop = build_workshop(sessions=1)
    person = PersonFactory()
    registration = register(workshop=workshop, person=person)
    score_record(
        registration=registration,
        kind="pre",
        score=Decimal("8.5"),
        max_score=Decimal("20"),
        method="grid",
        recorded_by=staff_user,
    )
    score_record(
        registration=registration,
        kind="pre",
        score=Decimal("18"),
        max_score=Decimal("20"),
        method="grid",
        recorded_by=staff_user,
    )
    (created,) = events("score.create")
    (raised,) = events("score.change")
    assert created.after["score"] == "8.50"
    assert raised.before["score"] == "8.50" and raised.after["score"] == "18.00"
    assert set(raised.after) == {"score", "recorded_at"}
    assert raised.actor == f"user:{staff_user.pk}"

    completion = Completion.objects.get(registration=registration)
    completion_override(
        completion=completion,
        status=Completion.Status.COMPLETED,
        reason="Asistió a la sesión de recuperación",
        decided_by=staff_user,
    )
    (override,) = events("completion.override.create")
    assert override.after["status"] == "completed"
    assert override.reason == "Asistió a la sesión de recuperación"
    assert override.subject == person_ref(person)


def test_every_certificate_state_change_is_recorded(staff_user):
    default_templates()
    workshop = completed_workshop(people=1)
    completion = Completion.objects.get(registration__workshop=workshop)
    certificate = certificate_issue(completion=completion, render=False).certificate
    certificate_suspend(certificate, actor=staff_user, note="Denuncia recibida")
    certificate_reinstate(certificate, actor=staff_user, note="Denuncia archivada")
    certificate_revoke(certificate, actor=staff_user, note="Suplantación", category="identity")
    actions = [
        (e.action, (e.before or {}).get("status"), (e.after or {}).get("status"), e.reason)
        for e in events()
        if e.object_type == "certificates.certificate"
    ]
    assert actions == [
        ("certificate.create", None, "valid", ""),
        ("certificate.change", "valid", "suspended", "Denuncia recibida"),
        ("certificate.change", "suspended", "valid", "Denuncia archivada"),
        ("certificate.change", "valid", "revoked", "Suplantación"),
    ]
    assert all(e.actor == f"user:{staff_user.pk}" for e in events("certificate.change"))
    # Nothing personal in the event: the identifier, not the name.
    issued = events("certificate.create")[0]
    assert issued.after["identifier"] == certificate.identifier
    assert certificate.holder_name not in canonical(issued).decode()


def test_reissue_records_the_old_one_superseded_and_the_new_one_issued(staff_user):
    default_templates()
    workshop = completed_workshop(people=1)
    completion = Completion.objects.get(registration__workshop=workshop)
    old = certificate_issue(completion=completion, render=False).certificate
    new = certificate_reissue(old, actor=staff_user, note="Nombre corregido")
    superseded = [e for e in events("certificate.change") if e.object_id == str(old.pk)]
    assert superseded[0].after == {"status": "superseded"}
    issued = [e for e in events("certificate.create") if e.object_id == str(new.pk)]
    assert issued[0].after["replaces"] == old.pk
    assert issued[0].reason == "Nombre corregido"


def test_bulk_issue_records_one_event_per_certificate_inserted(django_capture_on_commit_callbacks):
    default_templates()
    workshop = completed_workshop(people=4)
    bulk_issue(workshop, workers=1)
    bulk_issue(workshop, workers=1)  # the second run inserts nothing, so records nothing
    issued = events("certificate.create")
    assert len(issued) == 4
    assert {e.object_id for e in issued} == {
        str(pk) for pk in Certificate.objects.values_list("pk", flat=True)
    }
    assert verify_chain().ok


def test_a_merge_is_recorded_without_the_removed_persons_data(staff_user):
    kept = PersonFactory(given_names="Rosa", family_names="Quispe Mamani")
    duplicate = PersonFactory(given_names="Rosa", family_names="Quispe Mamani")
    duplicate_id = duplicate.pk
    person_merge(kept=kept, duplicate=duplicate, actor=staff_user, reason="Mismo DNI en papel")
    (merge,) = events("person.merge")
    assert merge.subject == person_ref(kept)
    assert merge.before == {"duplicate": f"person:{duplicate_id}"}
    assert merge.reason == "Mismo DNI en papel"
    assert duplicate.document_number not in canonical(merge).decode()


def test_role_changes_are_recorded_from_either_side(admin_role_user):
    from django.contrib.auth.models import Group

    user = UserFactory()
    assign_role(user, Role.TRAINER)
    staff_group = Group.objects.get(name=Role.PROGRAM_STAFF)
    staff_group.user_set.add(user)
    user.groups.remove(staff_group)
    changes = [(e.before["roles"], e.after["roles"]) for e in events("user.roles")]
    trainer, staff = str(Role.TRAINER), str(Role.PROGRAM_STAFF)
    assert changes[-3:] == [
        ([], [trainer]),
        ([trainer], sorted([trainer, staff])),
        (sorted([trainer, staff]), [trainer]),
    ]
    user.is_superuser = True
    user.save()
    assert events("user.change")[-1].after == {"is_superuser": True}


# --- The chain ---------------------------------------------------------------------------------


def _some_events(n=5):
    for i in range(n):
        audit_record(
            "test.event",
            object_type="lms.person",
            object_id=str(i),
            subject=f"person:{i}",
            before={"status": "absent"},
            after={"status": "present", "minutes": i, "score": Decimal("7.25")},
            reason="Motivo con tilde y ñ" if i % 2 else "",
            actor="system",
        )
    return events()


def test_the_chain_links_each_event_to_the_previous_one():
    chain = _some_events()
    assert chain[0].seq == 1 and chain[0].prev_hash == GENESIS
    for previous, event in pairwise(chain):
        assert event.seq == previous.seq + 1 and event.prev_hash == previous.hash
    for event in chain:
        # The stored event gives back exactly the bytes that were hashed.
        assert event_hash(event) == event.hash
        assert json.loads(canonical(event))["seq"] == event.seq
    result = verify_chain()
    assert result.ok and result.checked == 5 and result.head == chain_head()


FIELDS = [
    "seq",
    "at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "subject",
    "before",
    "after",
    "reason",
    "reason_salt",
    "reason_digest",
    "prev_hash",
    "hash",
]


def _altered(value, choice: int):
    """A different value of the same kind."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1 + choice % 3
    if isinstance(value, dt.datetime):
        return value + dt.timedelta(microseconds=1 + choice)
    if isinstance(value, dict):
        changed = copy.deepcopy(value)
        key = sorted(changed)[choice % len(changed)] if changed else "x"
        changed[key] = f"{changed.get(key)}-x"
        return changed
    if value is None:
        return {"status": "present"}
    text = str(value)
    if len(text) == 64 and all(c in "0123456789abcdef" for c in text):
        return ("0" if text[choice % 64] != "0" else "1").join(
            (text[: choice % 64], text[choice % 64 + 1 :])
        )
    return text + "x" if choice % 2 or not text else text[:-1]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(index=st.integers(0, 4), field=st.sampled_from(FIELDS), choice=st.integers(0, 1000))
def test_changing_any_single_field_of_any_event_is_detected(index, field, choice):
    chain = [copy.copy(e) for e in events()] or [copy.copy(e) for e in _some_events()]
    event = chain[index]
    setattr(event, field, _altered(getattr(event, field), choice))
    if field == "reason" and not event.reason and not event.reason_salt:
        return  # erasing a reason without its salt is covered below
    result = verify_chain(chain)
    assert not result.ok
    assert result.broken_seq in {chain[index].seq, index + 1, index + 2}


def _tamper():
    """Act as someone with the database's superuser: on PostgreSQL, switch the guard off (for
    this test's transaction). What follows is what verify_audit must still catch."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")


def test_verify_audit_names_the_first_broken_event(capsys):
    _some_events()
    _tamper()
    call_command("verify_audit")
    assert "OK: 5 events" in capsys.readouterr().out
    AuditEvent.objects.filter(seq=3).update(after={"status": "present", "minutes": 99})
    with pytest.raises(SystemExit) as exit_:
        call_command("verify_audit")
    assert exit_.value.code == 1
    assert "BROKEN at event #3" in capsys.readouterr().err


def test_an_edited_event_rehashed_is_named_by_its_successor():
    chain = _some_events()
    _tamper()
    AuditEvent.objects.filter(seq=2).update(after={"status": "absent"})
    forged = AuditEvent.objects.get(seq=2)
    AuditEvent.objects.filter(seq=2).update(hash=event_hash(forged))
    result = verify_chain()
    assert not result.ok and result.broken_seq == 2
    assert "re-hashed" in result.problem
    assert chain[1].hash != event_hash(forged)


def test_a_deleted_event_is_detected():
    _some_events()
    _tamper()
    AuditEvent.objects.filter(seq=3).delete()
    result = verify_chain()
    assert not result.ok and result.broken_seq == 4 and "#3 is missing" in result.problem


def test_removing_the_newest_events_is_detected_against_the_published_head(capsys):
    _some_events()
    call_command("audit_head")
    published = capsys.readouterr().out.strip()
    assert published == str(chain_head())
    _tamper()
    AuditEvent.objects.filter(seq__gte=4).delete()
    # The shortened chain is consistent in itself...
    assert verify_chain().ok
    # ...but the head published earlier is gone.
    with pytest.raises(SystemExit):
        call_command("verify_audit", head=[published])
    assert "#5 is no longer in the chain" in capsys.readouterr().err
    result = verify_chain(heads=[Head.parse(published)])
    assert not result.ok and result.broken_seq == 5


def test_erasing_a_persons_reasons_keeps_the_chain_valid():
    _some_events()
    erased = audit_erase_reasons(subject="person:1")
    assert erased == 1
    event = AuditEvent.objects.get(object_id="1")
    assert event.reason == "" and event.redacted
    result = verify_chain()
    assert result.ok and result.redacted == 1


def test_the_head_is_emailed(mailoutbox, settings, capsys):
    settings.LMS_AUDIT_HEAD_RECIPIENTS = ["auditoria@example.pe"]
    _some_events(2)
    call_command("audit_head", email=True)
    (mail,) = mailoutbox
    assert mail.to == ["auditoria@example.pe"]
    assert str(chain_head()) in mail.body
    assert "verify_audit --head" in mail.body
