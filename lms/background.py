"""One small job API that hides where heavy work runs: in this process, or on Celery workers.

    @register("lms.import_participants")
    def import_participants_job(ctx: JobContext, *, path: str) -> dict: ...

    job = enqueue("lms.import_participants", params={"path": p}, user=request.user)

Each app registers its jobs in its own ``jobs.py`` (imported at start-up by LmsConfig.ready and by
the Celery worker). A job reports progress with ``ctx.progress(done, total)``; the Job row keeps
it so the admin, the API and the command line can show it. Job functions must be safe to run again
after a crash: Celery re-delivers a job whose worker died (acks_late).

A job that writes in one transaction calls ``ctx.result_written(result)`` inside it: re-delivered
after that commit, the job finishes with that result instead of running again. Uploaded files a
job reads are named in ``register(..., input_files=("path",))``: they are removed once the job
has finished (and again if a re-delivered message finds it finished), never while it may still
need them. A job that writes a file (``ctx.save_file``) puts it in the private storage under
``jobs/<job id>/``; retention removes it with the job's data (lms.services.privacy).
"""

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone

from lms.models import Job

logger = logging.getLogger(__name__)

ProgressListener = Callable[[int, int], None]
JobFunction = Callable[..., dict | None]

_REGISTRY: dict[str, JobFunction] = {}
# Job name -> the params that name an uploaded file in the private storage (removed at the end).
_INPUT_FILES: dict[str, tuple[str, ...]] = {}

# The row is written at most this often; listeners in the same process hear every step.
PROGRESS_WRITE_INTERVAL = 0.5
# Files written by jobs, in the private storage (never served): jobs/<job id>/<file name>.
JOB_FILES_FOLDER = "jobs"


def job_files_folder(job_id) -> str:
    return f"{JOB_FILES_FOLDER}/{job_id}"


class JobFailed(Exception):
    """Raised by a job that ends in an expected failure; ``result`` is kept on the Job row."""

    def __init__(self, message: str, *, result: dict | None = None):
        super().__init__(message)
        self.result = result


def register(
    name: str, *, input_files: tuple[str, ...] = ()
) -> Callable[[JobFunction], JobFunction]:
    def decorator(func: JobFunction) -> JobFunction:
        _REGISTRY[name] = func
        _INPUT_FILES[name] = tuple(input_files)
        return func

    return decorator


def registered_jobs() -> list[str]:
    return sorted(_REGISTRY)


@dataclass
class JobContext:
    job: Job
    listeners: list[ProgressListener] = field(default_factory=list)
    _last_write: float = 0.0

    def progress(self, done: int, total: int | None = None) -> None:
        total = self.job.total if total is None else total
        done = min(done, total)
        self.job.done, self.job.total = done, total
        for listener in self.listeners:
            listener(done, total)
        now = time.monotonic()
        if done == total or now - self._last_write >= PROGRESS_WRITE_INTERVAL:
            self._last_write = now
            Job.objects.filter(pk=self.job.pk).update(done=done, total=total)

    def result_written(self, result: dict) -> None:
        """Keep the result in the transaction that writes the job's effects. If the worker dies
        after that transaction commits, the re-delivered job finishes with this result: the
        work is not done twice, and the counts stay those of the run that did it."""
        self.job.result = result
        Job.objects.filter(pk=self.job.pk).update(result=result)

    def save_file(self, filename: str, data: bytes, *, content_type: str) -> dict:
        """Store the job's output in the private storage; a second run replaces it. Returns
        what the job's result says about the file."""
        storage = storages["private"]
        path = f"{job_files_folder(self.job.pk)}/{filename}"
        if storage.exists(path):
            storage.delete(path)
        stored = storage.save(path, ContentFile(data))
        return {
            "file": stored,
            "filename": filename,
            "content_type": content_type,
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        }


def backend_name() -> str:
    return settings.LMS_JOBS_BACKEND


def enqueue(
    name: str,
    *,
    params: dict[str, Any] | None = None,
    user=None,
    label: str = "",
    on_progress: ProgressListener | None = None,
) -> Job:
    """Create the Job row and run it now (inline) or hand it to a worker once committed."""
    if name not in _REGISTRY:
        raise KeyError(f"Unknown job {name!r}; registered: {', '.join(registered_jobs())}")
    backend = backend_name()
    job = Job.objects.create(
        name=name,
        label=label,
        params=params or {},
        created_by=user if getattr(user, "is_authenticated", False) else None,
        backend=backend,
    )
    if backend == "celery":
        # The worker must find the row: send only after the surrounding transaction commits.
        transaction.on_commit(lambda: run_job_task.delay(str(job.pk)))
    else:
        run(job, listeners=[on_progress] if on_progress else [])
    return job


def run(job: Job | str, *, listeners: list[ProgressListener] | None = None) -> Job:
    """Execute a job where we stand; used inline and by the Celery task."""
    if not isinstance(job, Job):
        job = Job.objects.get(pk=job)
    if job.status == Job.Status.SUCCEEDED or (job.is_finished and _INPUT_FILES.get(job.name)):
        # A re-delivered message for work already done (or for a job whose input is gone).
        _remove_inputs(job)
        return job
    if job.status == Job.Status.RUNNING and job.result is not None:
        # The worker died after the job's write committed (see JobContext.result_written).
        _finish(job, Job.Status.SUCCEEDED, result=job.result, done=job.total or 1)
        _remove_inputs(job)
        return job
    func = _REGISTRY[job.name]
    job.status = Job.Status.RUNNING
    job.started_at = timezone.now()
    job.attempts += 1
    job.error = ""
    job.save(update_fields=["status", "started_at", "attempts", "error"])
    ctx = JobContext(job=job, listeners=list(listeners or []))
    try:
        result = func(ctx, **job.params)
    except JobFailed as exc:
        _finish(job, Job.Status.FAILED, result=exc.result, error=str(exc))
    except Exception as exc:
        logger.exception("Job %s (%s) crashed", job.pk, job.name)
        _finish(job, Job.Status.FAILED, error=f"{type(exc).__name__}: {exc}")
    else:
        if job.total == 0:
            job.total = job.done = 1
        _finish(job, Job.Status.SUCCEEDED, result=result, done=job.total)
    _remove_inputs(job)
    return job


def _remove_inputs(job: Job) -> None:
    """Remove the uploads a finished job read: they held personal data."""
    storage = storages["private"]
    for param in _INPUT_FILES.get(job.name, ()):
        if path := job.params.get(param):
            storage.delete(path)


def _finish(job: Job, status: str, *, result=None, error: str = "", done: int | None = None):
    job.status = status
    job.result = result
    job.error = error
    job.finished_at = timezone.now()
    fields = ["status", "result", "error", "finished_at", "done", "total"]
    if done is not None:
        job.done = done
    job.save(update_fields=fields)


def wait(
    job: Job,
    *,
    on_progress: ProgressListener | None = None,
    poll_seconds: float = 0.5,
    timeout: float | None = None,
) -> Job:
    """Follow a job run elsewhere until it finishes (the CLI's progress bar on Celery)."""
    started = time.monotonic()
    while True:
        job.refresh_from_db()
        if on_progress and job.total:
            on_progress(job.done, job.total)
        if job.is_finished:
            return job
        if timeout is not None and time.monotonic() - started > timeout:
            raise TimeoutError(f"Job {job.pk} still {job.status} after {timeout} s")
        time.sleep(poll_seconds)


@shared_task(name="lms.run_job", acks_late=True, reject_on_worker_lost=True)
def run_job_task(job_id: str) -> str:
    return run(job_id).status
