"""Jobs through a real Celery worker process on Redis and PostgreSQL: a bulk certificate issue, a
report and a participant import; and a worker killed in the middle of a bulk issue, whose job a
new worker finishes with no certificate missing or doubled.

Each test starts ``celery -A lms worker`` (prefork, one process) on this pytest process's test
database and folders (tests/celery_worker_settings.py), with a Redis key prefix and queue of its
own: other processes on the machine may use the same Redis.
"""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.files.storage import storages
from django.db import transaction

from attendance.models import Workshop
from certificates.jobs import issue_workshop_start
from certificates.models import Certificate
from certificates.services import eligible_completions
from lms.celery import app as celery_app
from lms.models import Job, Person
from lms.services.imports import participants_import_start
from reports.jobs import report_export_start
from tests.certificates.factories import completed_workshop, default_templates

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REDIS_URL = os.environ.get("LMS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
# Short, so that the job of a killed worker is delivered again within the test.
VISIBILITY_TIMEOUT = int(os.environ.get("LMS_TEST_VISIBILITY_TIMEOUT", "3"))
# How long the new worker has to finish a killed job (it is ready when this starts counting).
REDELIVERY_WAIT = 60
ROOT = Path(__file__).resolve().parent.parent
CELERY = Path(sys.executable).with_name("celery")
# One queue and one key prefix per pytest process (each xdist worker is one).
RUN = f"lms-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
QUEUE = RUN
KEY_PREFIX = f"{RUN}:"
TRANSPORT_OPTIONS = {
    "visibility_timeout": VISIBILITY_TIMEOUT,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
    "global_keyprefix": KEY_PREFIX,
}


class Worker:
    """One ``celery worker`` process group, its output in a file."""

    def __init__(self, log: Path):
        self.log = log
        self.process: subprocess.Popen | None = None

    def environment(self) -> dict:
        database = dict(settings.DATABASES["default"])  # the test database (test_..._gwN)
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.celery_worker_settings",
            "LMS_TEST_WORKER_DATABASE": json.dumps(database, default=str),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "PRIVATE_ROOT": str(settings.PRIVATE_ROOT),
            "LMS_ISSUER_KEY_DIR": str(settings.LMS_ISSUER_KEY_DIR),
            "LMS_PDF_SIGNING_DIR": str(settings.LMS_PDF_SIGNING_DIR),
            "CELERY_BROKER_URL": REDIS_URL,
            "LMS_CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "LMS_CELERY_KEY_PREFIX": KEY_PREFIX,
            "LMS_CELERY_QUEUE": QUEUE,
            "PYTHONUNBUFFERED": "1",
        }

    def start(self, timeout: float = 60) -> None:
        offset = self.log.stat().st_size if self.log.exists() else 0
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [
                    str(CELERY),
                    "-A",
                    "lms",
                    "worker",
                    "--pool",
                    "prefork",
                    "--concurrency",
                    "1",
                    "--queues",
                    QUEUE,
                    "--hostname",
                    f"{RUN}-{uuid.uuid4().hex[:4]}@%h",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "--loglevel",
                    "INFO",
                ],
                cwd=ROOT,
                env=self.environment(),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a process group of its own: killed as a whole
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"The worker exited ({self.process.returncode}):\n{self.output()}")
            if b" ready." in self.log.read_bytes()[offset:]:
                return
            time.sleep(0.2)
        pytest.fail(f"The worker was not ready after {timeout} s:\n{self.output()}")

    def kill(self) -> None:
        """SIGKILL the whole group (main process and pool child): nothing can ack or requeue."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        # The test has seen its jobs finish: nothing is lost by not waiting for a warm shutdown.
        if self.process is not None and self.process.poll() is None:
            self.kill()

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-6000:] if self.log.exists() else ""


def _reset_celery_caches() -> None:
    # The app caches its connection pools and queue routing from its configuration.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    for cached in ("queues", "router"):
        celery_app.amqp.__dict__.pop(cached, None)


@pytest.fixture
def worker(settings, tmp_path):
    """A running worker; the test process sends its jobs to it (LMS_JOBS_BACKEND=celery)."""
    # Folders of the test's own (the worker is given the same): what it finds there is this
    # test's work only.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            **settings.STORAGES["private"],
            "OPTIONS": {"location": settings.PRIVATE_ROOT, "base_url": None},
        },
    }
    settings.LMS_JOBS_BACKEND = "celery"
    settings.CELERY_BROKER_URL = REDIS_URL
    conf = celery_app.conf
    names = ("broker_url", "broker_transport_options", "task_default_queue")
    saved = {name: conf[name] for name in names}
    conf.update(
        broker_url=REDIS_URL,
        broker_transport_options=TRANSPORT_OPTIONS,
        task_default_queue=QUEUE,
    )
    _reset_celery_caches()
    running = Worker(tmp_path / "worker.log")
    running.start()
    yield running
    running.stop()
    # Shown by pytest when the test failed.
    print(f"--- worker output ({running.log}) ---\n{running.output()}")
    conf.update(saved)
    _reset_celery_caches()
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{KEY_PREFIX}*"))
    if keys:
        client.delete(*keys)


def _wait(job: Job, timeout: float, why: str = "") -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            return job
        time.sleep(0.2)
    pytest.fail(
        f"Job {job.name} still {job.status} ({job.done}/{job.total}, attempt {job.attempts}) "
        f"after {timeout} s{why}"
    )


def _certificate_files() -> list[str]:
    storage = storages["private"]
    found = []
    try:
        folders, _files = storage.listdir("certificates")
    except FileNotFoundError:
        return found
    for folder in folders:
        found += [
            f"certificates/{folder}/{name}" for name in storage.listdir(f"certificates/{folder}")[1]
        ]
    return found


def _eligible_workshop(code: str, people: int) -> Workshop:
    """A closed workshop whose ``people`` participants all completed (committed: the worker
    reads it from the database)."""
    default_templates()
    with transaction.atomic():
        workshop = completed_workshop(code=code, people=people)
    assert eligible_completions(workshop).count() == people
    return workshop


def _assert_everyone_certified_once(workshop, eligible: int) -> None:
    certificates = list(Certificate.objects.filter(registration__workshop=workshop))
    assert len(certificates) == eligible
    assert len({c.registration_id for c in certificates}) == eligible  # one per registration
    storage = storages["private"]
    assert all(c.pdf and storage.exists(c.pdf) for c in certificates), "a PDF is missing"
    for certificate in certificates:
        with storage.open(certificate.pdf, "rb") as fh:
            assert fh.read(5) == b"%PDF-"
    # No stray copy (a "_AbCdEf1" twin from a second save) nor a file without its certificate.
    assert sorted(_certificate_files()) == sorted(c.pdf for c in certificates)


def test_a_bulk_issue_runs_on_the_worker(worker):
    workshop = _eligible_workshop("LIM-2026-101", 40)

    job = issue_workshop_start(workshop=workshop)

    assert job.backend == "celery"
    job = _wait(job, 90)
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result["eligible"] == 40
    assert job.result["issued"] == 40
    assert job.attempts == 1
    _assert_everyone_certified_once(workshop, 40)


def test_a_report_runs_on_the_worker(worker):
    job = report_export_start(fy=2026, quarter=2, fmt="pdf")

    job = _wait(job, 60)
    assert job.status == Job.Status.SUCCEEDED, job.error
    storage = storages["private"]
    assert job.result["file"].startswith(f"jobs/{job.pk}/")
    assert job.result["content_type"] == "application/pdf"
    with storage.open(job.result["file"], "rb") as fh:
        data = fh.read()
    assert data.startswith(b"%PDF-")
    assert len(data) == job.result["size"] > 1000


def test_an_import_runs_on_the_worker_and_a_bad_file_writes_nothing(worker):
    good = "numero_documento;nombres;apellidos;correo\n" + "".join(
        f"{41000000 + n};Rosa;Ñañez Quispe;r{n}@example.pe\n" for n in range(25)
    )
    bad = (
        "numero_documento;nombres;apellidos;correo\n"
        "42000001;Luis;Benites Rojas;l1@example.pe\n"
        "42000002;Ana;Alva;no-es-un-correo\n"
    )

    ok = _wait(participants_import_start(data=good.encode(), filename="jueces.csv"), 60)
    refused = _wait(participants_import_start(data=bad.encode(), filename="fiscales.csv"), 60)

    assert ok.status == Job.Status.SUCCEEDED, ok.error
    assert ok.result["created"] == 25
    assert Person.objects.filter(document_number__startswith="41").count() == 25
    assert refused.status == Job.Status.FAILED
    assert not Person.objects.filter(document_number__startswith="42").exists()
    [error] = refused.result["errors"]
    assert error["row"] == 3
    assert error["column"] == "correo"
    # Both uploads were read to the end and removed from the private storage.
    assert not storages["private"].listdir("imports")[1]


def test_a_killed_worker_s_bulk_issue_is_finished_by_a_new_worker(worker):
    # Enough that the PDFs take a few seconds: the kill lands in the middle of them.
    people = 120
    workshop = _eligible_workshop("LIM-2026-102", people)

    job = issue_workshop_start(workshop=workshop)
    # Wait until it is rendering PDFs: certificates issued, some PDFs stored, more to do.
    deadline = time.monotonic() + 60
    while True:
        job.refresh_from_db()
        rendered = Certificate.objects.filter(registration__workshop=workshop).exclude(pdf="")
        if job.status == Job.Status.RUNNING and 0 < job.done < job.total and rendered.exists():
            break
        assert not job.is_finished, "the job finished before it could be interrupted"
        assert time.monotonic() < deadline, f"no progress: {job.status} {job.done}/{job.total}"
        time.sleep(0.05)
    worker.kill()
    killed_at = job.done, job.total
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING
    assert job.attempts == 1
    assert rendered.count() < people

    worker.start()
    job = _wait(
        job,
        REDELIVERY_WAIT,
        f", killed at {killed_at[0]}/{killed_at[1]}: the broker did not deliver the job again "
        f"(visibility timeout {VISIBILITY_TIMEOUT} s)",
    )

    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.attempts >= 2
    assert job.result["eligible"] == people
    assert job.result["issued"] == 0  # all issued by the first run
    assert job.result["already_issued"] == people
    _assert_everyone_certified_once(workshop, people)
