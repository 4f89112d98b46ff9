"""Browser-facing hardening: the Content-Security-Policy and other security headers on the site,
the API docs and the admin; no inline script in our templates or Python-built HTML; and
`check --deploy` clean with the production settings."""

import ast
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from certificates import pdfsigning
from lms.security_headers import ContentSecurityPolicyMiddleware
from tests.attendance.factories import build_workshop

BASE_DIR = Path(settings.BASE_DIR)
OUR_APPS = ("lms", "courses", "attendance", "assessments", "certificates", "reports")


def policy(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_strict(directives: dict[str, list[str]]) -> None:
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]


def login_url() -> str:
    with translation.override("es"):
        return reverse("accounts:login")


# --- Headers -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [login_url(), "/v/", "/api/v1/docs/", "/api/v1/schema/"],
    ids=["site login", "certificate check", "API docs", "API schema"],
)
def test_site_and_api_pages_forbid_inline_script(client, url):
    response = client.get(url)

    assert response.status_code == 200
    assert_strict(policy(response))
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]


@pytest.mark.django_db
def test_redoc_may_only_add_a_search_worker(client):
    directives = policy(client.get("/api/v1/redoc/"))

    assert_strict(directives)
    assert directives["worker-src"] == ["'self'", "blob:"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/admin/login/", "/admin/password_reset/"])
def test_admin_sign_in_pages_keep_the_strict_policy(client, url):
    response = client.get(url)

    assert response.status_code == 200
    assert_strict(policy(response))


@pytest.mark.django_db
def test_signed_in_admin_gets_only_the_documented_exception(client, staff_user):
    client.force_login(staff_user)
    response = client.get("/admin/")

    assert response.status_code == 200
    directives = policy(response)
    # Wagtail's chooser widgets, InlinePanel and date pickers write inline scripts (see
    # docs/security.md): inline, yes; eval, never; and still nothing from elsewhere.
    assert directives["script-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["img-src"] == ["'self'", "data:", "blob:"]
    assert directives["frame-ancestors"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]


def test_a_wagtail_preview_may_be_framed_by_the_admin():
    middleware = ContentSecurityPolicyMiddleware(lambda request: HttpResponse("preview"))
    request = RequestFactory().get("/es/cursos/eti-101/")
    request.is_dummy = True  # what Wagtail's preview sets on the request it renders

    directives = policy(middleware(request))

    assert directives["frame-ancestors"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]


@pytest.mark.django_db
def test_only_the_qr_scanner_may_use_the_camera(client, trainer_user):
    workshop = build_workshop()
    workshop.trainers.add(trainer_user)
    client.force_login(trainer_user)

    scanner = client.get(reverse("attendance_scan", args=[workshop.sessions.first().pk]))
    roster = client.get(reverse("attendance_roster", args=[workshop.sessions.first().pk]))

    assert scanner.status_code == 200
    assert "camera=(self)" in scanner.headers["Permissions-Policy"]
    assert "microphone=()" in scanner.headers["Permissions-Policy"]
    assert "camera=()" in roster.headers["Permissions-Policy"]


@pytest.mark.django_db
def test_swagger_ui_loads_its_start_up_script_as_a_file(client):
    page = client.get("/api/v1/docs/").content.decode()
    script = client.get("/api/v1/docs/?script=")

    assert inline_script_problems(page) == []
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


# --- No inline script in our code ------------------------------------------------------------

_SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.I | re.S)
_DATA_SCRIPT = re.compile(r"""\btype\s*=\s*["']?application/(ld\+)?json""", re.I)
_HANDLER = re.compile(r"<[a-z][^<>]*?\s(?P<attr>on[a-z]+)\s*=", re.I | re.S)
_JS_URL = re.compile(r"""\b(href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.I)


def inline_script_problems(text: str) -> list[str]:
    """What a strict script-src would block: inline <script> bodies, on*= handlers and
    javascript: URLs. <script type="application/json"> (json_script) is data, not code."""
    problems = []
    for match in _SCRIPT.finditer(text):
        if _DATA_SCRIPT.search(match["attrs"]):
            continue
        if match["body"].strip():
            problems.append(f"inline <script>: {match['body'].strip()[:60]!r}")
    problems += [f"{m['attr']}= handler" for m in _HANDLER.finditer(text)]
    problems += [f"javascript: URL {m.group(0)!r}" for m in _JS_URL.finditer(text)]
    return problems


def test_the_checker_catches_what_the_policy_would_block():
    assert inline_script_problems("<script>alert(1)</script>")
    assert inline_script_problems('<button type="button" onclick="go()">')
    assert inline_script_problems('<body\n  onload="go()">')
    assert inline_script_problems('<a href="javascript:go()">')
    assert not inline_script_problems('<script src="/static/a.js" defer></script>')
    assert not inline_script_problems('<script type="application/json" id="d">{"a": 1}</script>')
    assert not inline_script_problems('<p>Depends on="the day"</p><div data-onclick="x">')


def _template_files():
    for app in OUR_APPS:
        yield from sorted((BASE_DIR / app / "templates").rglob("*.html"))


def _python_files():
    for app in OUR_APPS:
        for path in sorted((BASE_DIR / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _string_constants(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value


def test_our_templates_have_no_inline_script_or_handler():
    templates = list(_template_files())
    assert len(templates) > 20  # the walk does find our templates

    found = {
        str(path.relative_to(BASE_DIR)): problems
        for path in templates
        if (problems := inline_script_problems(path.read_text(encoding="utf-8")))
    }

    assert found == {}, "move these to a static .js file (data- attributes or json_script)"


def test_our_python_built_html_has_no_inline_script_or_handler():
    found = {}
    for path in _python_files():
        for text in _string_constants(path):
            if problems := inline_script_problems(text):
                found.setdefault(str(path.relative_to(BASE_DIR)), []).extend(problems)

    assert found == {}, "move these to a static .js file (data- attributes or json_script)"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [login_url(), "/v/", "/v/3SX5C36KY1QGM2ZQADJEG1S1VGYX", "/api/v1/redoc/", "/admin/login/"],
)
def test_rendered_pages_have_no_inline_script(client, url):
    response = client.get(url)

    assert response.status_code in (200, 404)  # an unknown certificate is a page too
    assert inline_script_problems(response.content.decode()) == []


# --- Deployment checks ---------------------------------------------------------------------------


def _deploy_check(tmp_path, **extra) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(48)[:64],
        "ALLOWED_HOSTS": "lms.example.org",
        "LMS_DATA_DIR": str(tmp_path),
        **extra,
    }
    for name in ("DEBUG", "DATABASE_URL", "LMS_PUBLIC_URL", "SECURE_SSL_REDIRECT"):
        env.pop(name, None)
    for name in (
        "CACHE_URL",
        "EMAIL_URL",
        "LMS_ISSUER_KEY",
        "LMS_ISSUER_KEY_DIR",
        "LMS_ISSUER_SIGNER",
        "LMS_PDF_SIGNING_DIR",
        "LMS_PDF_TSA_URL",
    ):
        if name not in extra:
            env.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_deploy_checks_pass_with_production_settings(tmp_path):
    # A production installation has an issuer key that signs QR codes and a key and certificates
    # that sign the PDFs, in the default folder under LMS_DATA_DIR (docs/verification.md).
    pem = Ed25519PrivateKey.generate().private_bytes(
        Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()
    )
    pdfsigning.generate(directory=tmp_path / "keys" / "pdf", issuer="Deploy check")
    # And, with several processes, a shared cache and a mail relay (docs/deploy.md).
    result = _deploy_check(
        tmp_path,
        LMS_ISSUER_KEY=pem.decode(),
        CACHE_URL="redis://127.0.0.1:6379/1",
        EMAIL_URL="smtp+tls://lms:secret@mail.example.org:587",
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNING" not in output.upper()
    assert "System check identified no issues" in output


def test_deploy_checks_warn_when_no_issuer_key_can_sign(tmp_path):
    result = _deploy_check(tmp_path)

    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "certificates.W001" in output and "issuer_keys generate" in output


def test_deploy_checks_warn_when_no_key_can_sign_the_pdfs(tmp_path):
    pem = Ed25519PrivateKey.generate().private_bytes(
        Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()
    )
    result = _deploy_check(tmp_path, LMS_ISSUER_KEY=pem.decode())

    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "certificates.W002" in output and "pdf_signing_keys generate" in output
    assert "certificates.W001" not in output
