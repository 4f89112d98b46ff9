"""Health probes for load balancers and orchestrators: ``/healthz`` and ``/readyz``.

``/healthz`` answers "the process is up": it touches nothing, so a slow database never gets a
healthy web process restarted. ``/readyz`` answers "this process can serve": the database, the
broker (when jobs go to Celery) and the file storages are reached, each within a short timeout;
any failure is a 503 so the balancer stops sending traffic here until it passes again.

Both are answered by ``HealthCheckMiddleware``, first in ``MIDDLEWARE``: probes come over plain
HTTP with the container's own address as Host, which the host check, the HTTPS redirect, the
language redirect and the session machinery would all refuse or slow down. The answers name the
checks and how long each took, never an error's text (it could carry a host name or a
password); the full error goes to the log.
"""

import logging
import os
import time
from collections.abc import Callable

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connections
from django.http import HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
# Seconds a broker check may take before it counts as down.
BROKER_TIMEOUT = 2.0
# The storages a web process writes to: uploads and media (default), imports and exports
# (private). Static files are read-only and served by whitenoise from the image.
CHECKED_STORAGES = ("default", "private")


def _database() -> None:
    for alias in connections:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()


def _broker() -> str | None:
    """Connect to the Celery broker; ``None`` when jobs run in the web process (no broker)."""
    if settings.LMS_JOBS_BACKEND != "celery":
        return "inline"
    from lms.celery import app

    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, interval_start=0.2, timeout=BROKER_TIMEOUT)
    return None


def _storage() -> None:
    for alias in CHECKED_STORAGES:
        storage = storages[alias]
        if isinstance(storage, FileSystemStorage):
            # The folder may not exist before the first upload: its nearest existing parent
            # must then be a writable folder, as the first save will create the rest.
            location = os.path.abspath(storage.location)
            while not os.path.exists(location):
                location = os.path.dirname(location)
            if not (os.path.isdir(location) and os.access(location, os.W_OK)):
                raise PermissionError(f"{alias} storage folder cannot be written")
        elif hasattr(storage, "bucket_name"):
            # S3-compatible: the bucket must exist and these credentials must reach it.
            storage.connection.meta.client.head_bucket(Bucket=storage.bucket_name)
        else:
            storage.exists(".readyz")


CHECKS: dict[str, Callable[[], str | None]] = {
    "database": _database,
    "broker": _broker,
    "storage": _storage,
}


def readiness() -> tuple[bool, dict[str, dict]]:
    """Run every check; ``(all passed, {name: {"ok": bool, "ms": float, ...}})``."""
    results: dict[str, dict] = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            skipped = check()
        except Exception as error:
            logger.warning("Readiness check %s failed", name, exc_info=True)
            results[name] = {"ok": False, "error": type(error).__name__}
        else:
            results[name] = {"ok": True}
            if skipped:
                results[name]["skipped"] = skipped
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return all(result["ok"] for result in results.values()), results


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    """Answers the two probes before any other middleware runs (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD"):
            if request.path == HEALTH_PATH:
                return _no_store(HttpResponse("ok\n", content_type="text/plain"))
            if request.path == READY_PATH:
                ready, checks = readiness()
                status = "ok" if ready else "unavailable"
                return _no_store(
                    JsonResponse({"status": status, "checks": checks}, status=200 if ready else 503)
                )
        return self.get_response(request)
