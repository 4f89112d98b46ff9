"""Backups of the database and the stored files, and their restore (``manage.py backup/restore``).

A backup is a folder of three files:

- ``database.dump`` (PostgreSQL: ``pg_dump --format=custom``) or ``database.sqlite3`` (SQLite: the
  online backup API, a consistent copy while the site runs);
- ``files.tar``: every object of the ``default`` (media) and ``private`` (certificate PDFs, import
  and export files) storages, whatever holds them: local folders or an S3 bucket;
- ``manifest.json``: when, from which engine and migrations, the SHA-256 of both files, the row
  count of every table of our apps, and the audit trail's head at the time of the dump.

The database is dumped before the files are read, so every file a row names is in the archive
(files written in between are extra, and harmless). Keys are never in a backup: the issuer key
and the PDF signing key are secrets, kept and backed up apart (docs/deploy.md).

A restore checks the manifest's checksums before touching anything, needs an empty database
(or ``force``), loads the dump in one transaction, puts the files back under their exact names,
and then checks what it restored: every table's row count against the manifest, and the audit
trail's hash chain up to the head recorded at backup time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.services.audit import Head, chain_head, verify_chain

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files.tar"
PG_DUMP = "database.dump"
SQLITE_DUMP = "database.sqlite3"
STORAGES = ("default", "private")
# Our apps: their tables are counted in the manifest and checked after a restore.
APPS = ("lms", "courses", "attendance", "assessments", "certificates", "reports")
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says what and where."""


@dataclass
class RestoreReport:
    folder: Path
    tables: int = 0
    rows: int = 0
    files: int = 0
    audit_events: int = 0
    audit_head: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# --- Helpers --------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(
            _("Backups support PostgreSQL and SQLite, not %(vendor)s.") % {"vendor": vendor}
        )
    return vendor


def _pg_env() -> dict[str, str]:
    """libpq's environment for pg_dump/pg_restore, from the Django connection's settings."""
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    for key, name in (("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"), ("HOST", "PGHOST")):
        if db.get(key):
            env[name] = str(db[key])
    if db.get("PORT"):
        env["PGPORT"] = str(db["PORT"])
    for option in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
        if db.get("OPTIONS", {}).get(option):
            env[f"PG{option.upper()}"] = str(db["OPTIONS"][option])
    return env


def _run(command: list[str], *, env: dict[str, str] | None = None) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            _("%(program)s is not installed (Debian: postgresql-client).") % {"program": command[0]}
        )
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(
            _("%(program)s failed: %(error)s")
            % {"program": command[0], "error": result.stderr.strip()[-2000:]}
        )


def table_counts() -> dict[str, int]:
    """Rows in every table of our apps (models that Django manages), by table name."""
    counts = {}
    with connection.cursor() as cursor:
        for app in APPS:
            for model in apps.get_app_config(app).get_models():
                if model._meta.managed and not model._meta.proxy:
                    table = model._meta.db_table
                    cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
                    counts[table] = cursor.fetchone()[0]
    return dict(sorted(counts.items()))


def _walk(storage, folder: str = ""):
    folders, files = storage.listdir(folder)
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for name in sorted(folders):
        yield from _walk(storage, f"{folder}/{name}" if folder else name)


def _storage_exists(alias: str) -> bool:
    storage = storages[alias]
    # A local storage nobody wrote to yet has no folder: nothing to back up.
    return not isinstance(storage, FileSystemStorage) or os.path.isdir(storage.location)


# --- Backup ---------------------------------------------------------------------------------


def backup_create(destination: Path) -> Path:
    """Write a new backup folder under ``destination`` and return it."""
    engine = _engine()
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    folder = Path(destination) / f"lms-backup-{stamp}"
    if folder.exists():
        raise BackupError(_("%(folder)s already exists.") % {"folder": folder})
    partial = Path(tempfile.mkdtemp(prefix=".partial-", dir=destination))
    try:
        head = chain_head()
        counts = table_counts()
        if engine == "postgresql":
            dump = partial / PG_DUMP
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    "--file",
                    str(dump),
                ],
                env=_pg_env(),
            )
        else:
            dump = partial / SQLITE_DUMP
            connection.ensure_connection()
            target = sqlite3.connect(dump)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        files = 0
        with tarfile.open(partial / FILES, "w") as archive:
            for alias in STORAGES:
                if not _storage_exists(alias):
                    continue
                storage = storages[alias]
                for name in _walk(storage):
                    info = tarfile.TarInfo(f"{alias}/{name}")
                    info.size = storage.size(name)
                    info.mtime = int(dt.datetime.now(tz=dt.UTC).timestamp())
                    with storage.open(name, "rb") as fh:
                        archive.addfile(info, fh)
                    files += 1
        manifest = {
            "format": FORMAT,
            "created": timezone.now().isoformat(),
            "engine": engine,
            "migrations": sorted(
                f"{app}.{name}"
                for app, name in MigrationRecorder(connection).migration_qs.values_list(
                    "app", "name"
                )
            ),
            "database": {"file": dump.name, "sha256": _sha256(dump)},
            "files": {"file": FILES, "sha256": _sha256(partial / FILES), "count": files},
            "tables": counts,
            "audit_head": str(head) if head else None,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        partial.rename(folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return folder


# --- Restore --------------------------------------------------------------------------------


def backup_read(folder: Path) -> dict:
    """The manifest, once every file it names matches its checksum."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BackupError(
            _("%(folder)s has no manifest.json: not a backup.") % {"folder": folder}
        ) from exc
    except ValueError as exc:
        raise BackupError(_("manifest.json cannot be read: %(error)s") % {"error": exc}) from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(
            _("Unknown backup format %(format)s.") % {"format": manifest.get("format")}
        )
    for part in ("database", "files"):
        path = folder / manifest[part]["file"]
        if not path.is_file():
            raise BackupError(_("%(file)s is missing from the backup.") % {"file": path.name})
        if _sha256(path) != manifest[part]["sha256"]:
            raise BackupError(
                _(
                    "%(file)s does not match its checksum in manifest.json: the backup is damaged or was altered."
                )
                % {"file": path.name}
            )
    return manifest


def _database_empty() -> bool:
    return not connection.introspection.table_names()


def _restore_database(folder: Path, manifest: dict, *, force: bool) -> None:
    dump = folder / manifest["database"]["file"]
    if manifest["engine"] == "postgresql":
        command = [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
        ]
        if force:
            command += ["--clean", "--if-exists"]
        connection.close()
        _run([*command, "--dbname", connection.settings_dict["NAME"], str(dump)], env=_pg_env())
    else:
        connection.close()
        source = sqlite3.connect(dump)
        try:
            target = sqlite3.connect(connection.settings_dict["NAME"])
            try:
                source.backup(target)  # page by page, in one transaction on the target
            finally:
                target.close()
        finally:
            source.close()


def _restore_files(folder: Path, manifest: dict) -> int:
    restored = 0
    with tarfile.open(folder / manifest["files"]["file"], "r") as archive:
        for member in archive:
            if not member.isfile():
                continue
            alias, _sep, name = member.name.partition("/")
            if alias not in STORAGES or not name or name.startswith("/") or ".." in name.split("/"):
                raise BackupError(
                    _("files.tar holds an unexpected entry: %(name)s") % {"name": member.name}
                )
            storage = storages[alias]
            if storage.exists(name):
                storage.delete(name)
            saved = storage.save(name, File(archive.extractfile(member), name=name))
            if saved != name:
                raise BackupError(
                    _("%(name)s was stored as %(saved)s.") % {"name": member.name, "saved": saved}
                )
            restored += 1
    return restored


def backup_restore(folder: Path, *, force: bool = False) -> RestoreReport:
    """Restore a backup into this site's database and storages, then check the result."""
    folder = Path(folder)
    manifest = backup_read(folder)
    engine = _engine()
    if manifest["engine"] != engine:
        raise BackupError(
            _("This backup is of a %(backup)s database; this site runs on %(site)s.")
            % {"backup": manifest["engine"], "site": engine}
        )
    known = {f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations}
    unknown = sorted(set(manifest["migrations"]) - known)
    if unknown:
        raise BackupError(
            _(
                "The backup comes from a newer version of the application (migrations %(names)s): restore it with that version."
            )
            % {"names": ", ".join(unknown[:5])}
        )
    if not force and not _database_empty():
        raise BackupError(
            _(
                "The database %(name)s is not empty. Restore into a new, empty database, or pass --force to replace everything in it."
            )
            % {"name": connection.settings_dict["NAME"]}
        )
    _restore_database(folder, manifest, force=force)
    report = RestoreReport(folder=folder, files=_restore_files(folder, manifest))

    counts = table_counts()
    report.tables, report.rows = len(counts), sum(counts.values())
    for table, expected in manifest["tables"].items():
        found = counts.get(table)
        if found != expected:
            report.problems.append(
                _("%(table)s: %(found)s rows, the backup has %(expected)s.")
                % {"table": table, "found": found, "expected": expected}
            )
    heads = [Head.parse(manifest["audit_head"])] if manifest["audit_head"] else []
    verification = verify_chain(heads=heads)
    report.audit_events = verification.checked
    report.audit_head = str(verification.head or "")
    if not verification.ok:
        report.problems.append(
            _("Audit trail broken at event #%(seq)s: %(problem)s")
            % {"seq": verification.broken_seq, "problem": verification.problem}
        )
    return report
