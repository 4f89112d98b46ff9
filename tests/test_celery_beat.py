"""The Celery beat schedule: every entry names a task the workers know, at a time in Lima, and
each task does its work when run (here eagerly, in this process, on the test database)."""

import datetime as dt
import os

import pytest
from celery.schedules import crontab
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

from lms.celery import app as celery_app
from lms.services.audit import chain_head_text
from tests.courses.factories import build_course

pytestmark = pytest.mark.django_db

SCHEDULED = {
    "lms.apply_retention",
    "lms.email_audit_head",
    "reports.send_donor_reports",
    "courses.publish_scheduled",
}


@pytest.fixture(autouse=True)
def _tasks_loaded():
    # What a worker does at start: import every app's tasks.py.
    celery_app.loader.import_default_modules()


def _run(name: str, **kwargs):
    result = celery_app.tasks[name].apply(kwargs=kwargs)
    assert result.successful(), result.traceback
    return result.get()


def test_every_scheduled_task_is_a_registered_task_at_lima_time(settings):
    schedule = celery_app.conf.beat_schedule

    assert schedule == settings.CELERY_BEAT_SCHEDULE
    assert {entry["task"] for entry in schedule.values()} == SCHEDULED
    assert set(celery_app.tasks) >= SCHEDULED
    assert celery_app.conf.timezone == "America/Lima"
    assert all(isinstance(entry["schedule"], crontab) for entry in schedule.values())


def test_retention_task_removes_an_old_upload(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": tmp_path}},
    }
    storage = storages["private"]
    path = storage.save("imports/old.csv", ContentFile(b"dni\n10000001\n"))
    old = (timezone.now() - dt.timedelta(days=30)).timestamp()
    os.utime(storage.path(path), (old, old))

    counts = _run("lms.apply_retention")

    assert counts["import_files"] == 1
    assert not storage.exists(path)


def test_audit_head_task_emails_the_recipients(settings):
    settings.LMS_AUDIT_HEAD_RECIPIENTS = ["veeduria@example.pe", "mcc-monitor@example.org"]

    result = _run("lms.email_audit_head")

    assert result == {"head": chain_head_text(), "sent": 2}
    [message] = mail.outbox
    assert message.to == ["veeduria@example.pe", "mcc-monitor@example.org"]
    assert f"verify_audit --head {chain_head_text()}" in message.body


def test_audit_head_task_without_recipients_sends_nothing_and_says_so(settings, caplog):
    settings.LMS_AUDIT_HEAD_RECIPIENTS = []

    assert _run("lms.email_audit_head") == {"head": "", "sent": 0}
    assert mail.outbox == []
    assert "LMS_AUDIT_HEAD_RECIPIENTS is empty" in caplog.text


def test_donor_reports_task_runs_for_the_previous_month():
    result = _run("reports.send_donor_reports", month="2026-03")

    assert result == {"month": "2026-03", "sent": 0, "skipped": 0, "failed": []}


def test_publish_scheduled_task_publishes_a_page_whose_time_has_come():
    course, _lessons = build_course(code="ETI-301", publish=False)
    course.save_revision(approved_go_live_at=timezone.now() - dt.timedelta(minutes=1))
    course.refresh_from_db()
    assert not course.live

    _run("courses.publish_scheduled")

    course.refresh_from_db()
    assert course.live
