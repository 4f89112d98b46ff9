"""Backup and restore as an operator runs them: `manage.py backup`, then `manage.py restore` in
another process, on another database and other folders, as after losing the machine.

The restore runs with the production settings, the way docs/deploy.md tells operators to."""

import hashlib
import json
import os
import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from certificates.services import certificate_issue, certificate_revoke, eligible_completions
from lms.models import Person
from lms.services.backup import MANIFEST
from tests.certificates.factories import completed_workshop, default_templates

ROOT = Path(__file__).resolve().parents[2]
TRANSACTIONAL = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def site_data(settings, tmp_path, staff_user):
    """Two certificates with their signed PDFs (one revoked: audit events), in this test's own
    storage folders."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }
    default_templates()
    workshop = completed_workshop(
        code="CUS-2026-004", names=[("Rosa", "Alva Quispe"), ("Luis", "Benites Rojas")]
    )
    issued = [certificate_issue(completion=c).certificate for c in eligible_completions(workshop)]
    certificate_revoke(issued[1], actor=staff_user, note="Asistencia mal registrada")
    return issued


@pytest.fixture
def scratch_database():
    """A new, empty PostgreSQL database beside the test database: ``(name, url)``; dropped after."""
    db = django_settings.DATABASES["default"]
    target = f"{db['NAME']}_restore"
    admin = psycopg.connect(
        host=db["HOST"],
        port=db["PORT"] or 5432,
        user=db["USER"],
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'DROP DATABASE IF EXISTS "{target}"')
    admin.execute(f'CREATE DATABASE "{target}"')
    try:
        yield target, f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{target}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        admin.close()


def _production_env(tmp_path: Path, database_url: str) -> dict[str, str]:
    data = tmp_path / "restored"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "lms.example.org",
        "DATABASE_URL": database_url,
        "LMS_DATA_DIR": str(data),
        "LOG_FORMAT": "text",
    }


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _backup(tmp_path: Path) -> Path:
    out = tmp_path / "backups"
    out.mkdir()
    call_command("backup", str(out))
    (folder,) = out.iterdir()
    return folder


def _check_restored_files(tmp_path: Path, pdfs: dict[str, str]) -> None:
    private = tmp_path / "restored" / "private"
    for name, digest in pdfs.items():
        assert hashlib.sha256((private / name).read_bytes()).hexdigest() == digest


@TRANSACTIONAL
@pytest.mark.postgres
def test_a_postgresql_backup_restores_into_a_new_database_and_checks_itself(
    site_data, tmp_path, scratch_database
):
    folder = _backup(tmp_path)
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["engine"] == "postgresql"
    assert manifest["tables"]["certificates_certificate"] == 2
    assert manifest["files"]["count"] == 2
    assert manifest["audit_head"]

    target, url = scratch_database
    env = _production_env(tmp_path, url)

    restored = _manage(env, "restore", str(folder))
    assert restored.returncode == 0, restored.stderr
    assert manifest["audit_head"] in restored.stdout  # the chain's head, as recorded

    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT identifier, status, pdf, pdf_sha256 FROM certificates_certificate "
            "ORDER BY identifier"
        ).fetchall()
        people = conn.execute("SELECT COUNT(*) FROM lms_person").fetchone()[0]
    assert people == Person.objects.count()
    assert sorted(status for _id, status, _pdf, _sha in rows) == ["revoked", "valid"]
    _check_restored_files(tmp_path, {pdf: sha for _id, _status, pdf, sha in rows})
    # The restored audit trail verifies on its own.
    audit = _manage(env, "verify_audit", "--head", manifest["audit_head"])
    assert audit.returncode == 0, audit.stderr

    # Restoring over it again is refused: the database is no longer empty...
    again = _manage(env, "restore", str(folder))
    assert again.returncode != 0
    assert target in again.stderr  # "the database … is not empty"
    # ...unless asked to replace it, which gives the same result.
    forced = _manage(env, "restore", str(folder), "--force")
    assert forced.returncode == 0, forced.stderr


@TRANSACTIONAL
@pytest.mark.postgres
def test_a_damaged_backup_is_refused_before_anything_is_written(
    site_data, tmp_path, scratch_database
):
    folder = _backup(tmp_path)
    dump = folder / "database.dump"
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0x01
    dump.write_bytes(bytes(data))

    _target, url = scratch_database
    result = _manage(_production_env(tmp_path, url), "restore", str(folder))
    assert result.returncode != 0
    assert "database.dump" in result.stderr  # "… does not match its checksum"
    with psycopg.connect(url) as conn:
        tables = conn.execute(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()[0]
    assert tables == 0
    assert not (tmp_path / "restored" / "private").exists()


@TRANSACTIONAL
@pytest.mark.sqlite
def test_a_sqlite_backup_restores_into_a_new_file(site_data, tmp_path):
    folder = _backup(tmp_path)
    target = tmp_path / "restored.sqlite3"
    env = _production_env(tmp_path, f"sqlite:///{target}")

    restored = _manage(env, "restore", str(folder))
    assert restored.returncode == 0, restored.stderr
    with sqlite3.connect(target) as conn:
        rows = conn.execute("SELECT pdf, pdf_sha256 FROM certificates_certificate").fetchall()
    assert len(rows) == 2
    _check_restored_files(tmp_path, dict(rows))

    # A backup of the other engine is refused with a reason.
    manifest = json.loads((folder / MANIFEST).read_text())
    manifest["engine"] = "postgresql"
    (folder / MANIFEST).write_text(json.dumps(manifest))
    other = _manage(
        _production_env(tmp_path, f"sqlite:///{tmp_path / 'other.sqlite3'}"), "restore", str(folder)
    )
    assert other.returncode != 0
    assert "postgresql" in other.stderr  # "this backup is of a postgresql database…"
