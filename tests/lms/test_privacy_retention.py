"""apply_retention removes what is past its retention period, counts it first with --dry-run,
and finds nothing more when run again."""

import datetime as dt
import os
import uuid

import pytest
from axes.models import AccessAttempt
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.utils import timezone

from lms.models import Consent, ConsentText, Job, Person, SelfIdentification, User
from lms.roles import Role, assign_role
from lms.services.people import consent_record, consent_withdraw, self_identification_record
from lms.services.privacy import retention_apply
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()
LONG_AGO = NOW - dt.timedelta(days=400)


def _signup(email, joined):
    user = User.objects.create_user(email=email, password="una frase larga", is_active=False)
    assign_role(user, Role.PARTICIPANT)
    User.objects.filter(pk=user.pk).update(date_joined=joined)
    return PersonFactory(user=user, email=email)


def _invitation(email, joined):
    user = User.objects.create_user(email=email, password=None)
    assign_role(user, Role.PARTICIPANT)
    User.objects.filter(pk=user.pk).update(date_joined=joined)
    return PersonFactory(user=user, email=email)


def _failure(when, username):
    attempt = AccessAttempt.objects.create(
        username=username,
        ip_address="10.0.0.9",
        user_agent="x",
        http_accept="*/*",
        path_info="/es/cuenta/entrar/",
        get_data="",
        post_data="",
        failures_since_start=1,
    )
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=when)


def _upload(name, when):
    storage = storages["private"]
    path = storage.save(f"imports/{name}", ContentFile(b"dni,nombres\n10000001,Rosa\n"))
    os.utime(storage.path(path), (when.timestamp(), when.timestamp()))
    return path


def _job_file(job_id, when):
    storage = storages["private"]
    path = storage.save(f"jobs/{job_id}/reporte-FY2026-staff.csv", ContentFile(b"section\n"))
    os.utime(storage.path(path), (when.timestamp(), when.timestamp()))
    return path


def _job(finished_at):
    return Job.objects.create(
        name="lms.import_participants",
        label="Import: lista-jueces.xlsx",
        params={"path": "imports/x.xlsx", "filename": "lista-jueces.xlsx"},
        status=Job.Status.FAILED,
        result={"errors": [{"row": 3, "message": "DNI 10000001 de Rosa Mamani"}]},
        error="1 problem(s)",
        finished_at=finished_at,
    )


@pytest.fixture
def world(settings, tmp_path):
    # A private storage of the test's own: what other tests left there is not counted.
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": tmp_path}},
    }
    settings.LMS_RETENTION_ANONYMISE_INACTIVE_YEARS = 3
    old_signup = _signup("old-signup@example.pe", LONG_AGO)
    new_signup = _signup("new-signup@example.pe", NOW)
    old_invite = _invitation("old-invite@example.pe", LONG_AGO)
    _failure(LONG_AGO, "someone@example.pe")
    _failure(NOW, "someone-else@example.pe")
    old_file = _upload("old.csv", LONG_AGO)
    new_file = _upload("new.csv", NOW)
    old_job = _job(LONG_AGO)
    new_job = _job(NOW)
    # Files jobs wrote (report exports): they go with their job's data; so do those of a job
    # whose row was deleted, however new.
    old_job_file = _job_file(old_job.pk, LONG_AGO)
    new_job_file = _job_file(new_job.pk, LONG_AGO)  # the job is recent: its file stays
    orphan_file = _job_file(uuid.uuid4(), NOW)
    # Answers whose consent was withdrawn behind the service's back (e.g. an old bulk edit).
    leftover = PersonFactory()
    text = ConsentText.objects.filter(purpose="ethnicity").first()
    consent = consent_record(person=leftover, text=text, method=Consent.Method.PAPER)
    self_identification_record(person=leftover, ethnicity="aimara")
    Consent.objects.filter(pk=consent.pk).update(withdrawn_at=timezone.now())
    # Someone last seen years ago, and someone active.
    dormant = PersonFactory()
    Person.objects.filter(pk=dormant.pk).update(
        created_at=NOW - dt.timedelta(days=5 * 365), updated_at=NOW - dt.timedelta(days=5 * 365)
    )
    active = PersonFactory()
    Person.objects.filter(pk=active.pk).update(created_at=NOW - dt.timedelta(days=5 * 365))
    yield locals()
    for path in (old_file, new_file, old_job_file, new_job_file, orphan_file):
        storages["private"].delete(path)


EXPECTED = {
    "unconfirmed_signups": 1,
    "expired_invitations": 1,
    "failed_logins": 1,
    "import_files": 1,
    "job_files": 2,
    "job_data": 1,
    "unconsented_sensitive_answers": 1,
    # Only the dormant record: the others were created today (date_joined is not activity).
    "inactive_persons_anonymised": 1,
}


def test_dry_run_counts_without_touching_anything(world):
    result = retention_apply(dry_run=True)

    assert result.counts == EXPECTED
    assert User.objects.filter(email="old-signup@example.pe").exists()
    assert AccessAttempt.objects.count() == 2
    assert storages["private"].exists(world["old_file"])
    assert storages["private"].exists(world["old_job_file"])
    assert storages["private"].exists(world["orphan_file"])
    world["old_job"].refresh_from_db()
    assert world["old_job"].params
    assert SelfIdentification.objects.get(person=world["leftover"]).ethnicity == "aimara"
    assert Person.objects.get(pk=world["dormant"].pk).anonymised_at is None


def test_real_run_removes_exactly_what_is_past_its_period_and_then_nothing(world):
    result = retention_apply()

    assert result.counts == EXPECTED
    # Sign-up never confirmed: login and record gone; the recent one stays.
    assert not User.objects.filter(email="old-signup@example.pe").exists()
    assert not Person.objects.filter(pk=world["old_signup"].pk).exists()
    assert User.objects.filter(email="new-signup@example.pe").exists()
    # Invitation never accepted: the login goes, the registry record stays (staff re-invite).
    assert not User.objects.filter(email="old-invite@example.pe").exists()
    assert Person.objects.get(pk=world["old_invite"].pk).user is None
    assert AccessAttempt.objects.count() == 1
    assert not storages["private"].exists(world["old_file"])
    assert storages["private"].exists(world["new_file"])
    assert not storages["private"].exists(world["old_job_file"])
    assert not storages["private"].exists(world["orphan_file"])
    assert storages["private"].exists(world["new_job_file"])
    # No empty folder is left behind for the removed job.
    assert str(world["old_job"].pk) not in storages["private"].listdir("jobs")[0]
    old_job, new_job = world["old_job"], world["new_job"]
    old_job.refresh_from_db()
    new_job.refresh_from_db()
    assert (old_job.params, old_job.result, old_job.error, old_job.label) == ({}, None, "", "")
    assert old_job.status == Job.Status.FAILED  # the run itself is still on record
    assert new_job.params
    assert not SelfIdentification.objects.filter(person=world["leftover"]).exists()
    assert Person.objects.get(pk=world["dormant"].pk).anonymised_basis == "retention"
    assert Person.objects.get(pk=world["active"].pk).anonymised_at is None

    assert retention_apply().counts == dict.fromkeys(EXPECTED, 0)


def test_withdrawn_answers_are_already_gone_so_the_sweep_finds_nothing():
    person = PersonFactory()
    text = ConsentText.objects.filter(purpose="ethnicity").first()
    consent = consent_record(person=person, text=text, method=Consent.Method.PAPER)
    self_identification_record(person=person, ethnicity="aimara")
    consent_withdraw(consent=consent)

    assert retention_apply(dry_run=True).counts["unconsented_sensitive_answers"] == 1  # empty row
    retention_apply()
    assert not SelfIdentification.objects.filter(person=person).exists()


def test_inactive_anonymisation_is_off_by_default(world, settings):
    settings.LMS_RETENTION_ANONYMISE_INACTIVE_YEARS = 0

    assert retention_apply(dry_run=True).counts["inactive_persons_anonymised"] == 0


def test_a_staff_login_is_never_removed_as_an_old_invitation(settings):
    staff = UserFactory(role=Role.PROGRAM_STAFF, email="staff@example.pe")
    User.objects.filter(pk=staff.pk).update(
        password="!unusable", last_login=None, date_joined=LONG_AGO
    )

    retention_apply()

    assert User.objects.filter(pk=staff.pk).exists()


def test_command_prints_counts(world, capsys):
    call_command("apply_retention", "--dry-run")
    out = capsys.readouterr().out
    assert "unconfirmed_signups: 1" in out
    assert User.objects.filter(email="old-signup@example.pe").exists()

    call_command("apply_retention")
    assert "failed_logins: 1" in capsys.readouterr().out
    call_command("apply_retention")
    assert "failed_logins: 0" in capsys.readouterr().out
