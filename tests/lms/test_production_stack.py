"""The production configuration as it runs: gunicorn with deploy/gunicorn.conf.py and
lms.settings.production, on PostgreSQL with Redis as broker and cache (docs/deploy.md)."""

import gzip
import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from certificates.services import certificate_issue, eligible_completions
from tests.certificates.factories import completed_workshop, default_templates

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
HOST = "lms.example.org"
THIRD_PARTY_STATIC = (
    *("wagtail*", "drf_spectacular_sidecar", "rest_framework", "django_otp", "otp_*"),
    *("admin", "modelcluster", "taggit"),
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": HOST,
        "LMS_DATA_DIR": str(tmp_path / "data"),
        **extra,
    }


def test_email_url_configures_smtp(tmp_path):
    env = _production_env(tmp_path, EMAIL_URL="smtp+tls://lms:s3cret@mail.example.org:587")
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_USE_TLS)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "mail.example.org",
        "587",
        "lms",
        "True",
    ]


@pytest.fixture
def gunicorn(tmp_path):
    """Start gunicorn on the test database; yields (port, process); its log is read at the end."""
    db = django_settings.DATABASES["default"]
    port = _free_port()
    env = _production_env(
        tmp_path,
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/14",
        CACHE_URL="redis://127.0.0.1:6379/14",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
        GUNICORN_THREADS="4",
    )
    # The image's build step, for our own apps' files (the pages opened here use no others;
    # .ci/run collects everything once).
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"]
        + [f"--ignore={pattern}" for pattern in THIRD_PARTY_STATIC],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    log = (tmp_path / "gunicorn.log").open("w+")
    process = subprocess.Popen(
        [str(GUNICORN), "--config", "deploy/gunicorn.conf.py", "lms.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail(f"gunicorn did not start:\n{log.read()}")
                time.sleep(0.2)
        yield port, process, log
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


def _get(port: int, path: str, **headers: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_gunicorn_serves_the_site_behind_a_tls_proxy_and_logs_json(gunicorn):
    default_templates()
    workshop = completed_workshop(code="PIU-2026-010", names=[("Ana", "Chávez Ramos")])
    (completion,) = eligible_completions(workshop)
    certificate = certificate_issue(completion=completion, render=False).certificate
    port, process, log = gunicorn

    # Probes: plain HTTP, the container's own address as Host.
    health = _get(port, "/healthz", Host=f"127.0.0.1:{port}")
    assert (health.status, health.body) == (200, b"ok\n")
    ready = _get(port, "/readyz", Host=f"127.0.0.1:{port}")
    assert ready.status == 200, ready.body
    checks = json.loads(ready.body)["checks"]
    assert {name: check["ok"] for name, check in checks.items()} == {
        "database": True,
        "broker": True,
        "storage": True,
    }
    assert "skipped" not in checks["broker"]  # jobs go to the Celery broker here

    # Plain HTTP through the proxy is sent to HTTPS.
    insecure = _get(port, "/robots.txt", Host=HOST)
    assert insecure.status == 301
    assert insecure.getheader("Location") == f"https://{HOST}/robots.txt"

    # Over HTTPS (the proxy says so): the public verification page, with the security headers.
    page = _get(
        port,
        f"/v/{certificate.identifier}?utm_source=qr",
        Host=HOST,
        **{"X-Forwarded-Proto": "https"},
    )
    assert page.status == 200, Path(log.name).read_text()[-3000:]
    html = page.body.decode()
    assert "Ana Chávez Ramos" in html
    assert page.getheader("Strict-Transport-Security").startswith("max-age=31536000")
    assert "frame-ancestors 'none'" in page.getheader("Content-Security-Policy")

    # Its style sheet: a hashed name, compressed, cached for good (whitenoise).
    stylesheet = re.search(r'href="(/static/lms/site\.[0-9a-f]{12}\.css)"', html).group(1)
    css = _get(
        port, stylesheet, Host=HOST, **{"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}
    )
    assert css.status == 200
    assert css.getheader("Content-Encoding") == "gzip"
    assert "immutable" in css.getheader("Cache-Control")
    assert gzip.decompress(css.body) == (ROOT / "lms/static/lms/site.css").read_bytes()

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0  # a graceful stop
    log.seek(0)
    lines = [line for line in log.read().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    assert {"time", "level", "logger", "message"} <= set(records[0])
    access = [r["message"] for r in records if r["logger"] == "gunicorn.access"]
    verify_lines = [line for line in access if f"/v/{certificate.identifier}" in line]
    assert len(verify_lines) == 1
    assert " 200 " in verify_lines[0]
    # The query string is not logged.
    assert "utm_source" not in "\n".join(lines)
