"""Benchmark the participant import engine against saving the same rows one by one.

    .venv/bin/python bench/import_participants.py [--rows 10000] [--seed 1] [--repeat 1]

Never touches the developer's database: with no DATABASE_URL in the environment it migrates a
fresh SQLite file in a temporary folder; with DATABASE_URL=postgres://... it creates a throwaway
database (lms_bench_<pid>) on that server and drops it at the end. Both go away afterwards.

Cases, all on the same generated CSV (';' delimiter, UTF-8, Spanish headers):

  (a) baseline  csv.DictReader, then per row: look up institution/position/region by name,
                Person(...).full_clean(), .save(); one transaction. What a simple importer does.
  (b) create    import_participants() on an empty registry (the Person table is reset after a).
  (c) unchanged the same file again: every row matches what is stored.
  (d) update    every row with a new email address.
  (e) dry run   the file of (b) as a dry run against the registry after (d): every row is a
                would-be update, rolled back.

With --repeat R the five cases run R times (each pass from an empty registry) and the best time
of each is shown, which steadies the figures on a busy machine. Figures are printed, not
asserted: a PASS/MISS line compares (b) with the issue's target, 10,000 rows in under 5 s. The
run exits non-zero only when an import reports errors, the baseline and the engine store
different rows, or the dry run writes something, because the timings would then mean nothing.
"""

import argparse
import csv
import datetime as dt
import gc
import hashlib
import io
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
TARGET_ROWS = 10_000
TARGET_SECONDS = 5.0

HEADERS = [
    "tipo_documento",
    "numero_documento",
    "nombres",
    "apellidos",
    "sexo",
    "fecha_nacimiento",
    "correo",
    "telefono",
    "institucion",
    "cargo",
    "departamento",
]
GIVEN_NAMES = [
    "José",
    "María",
    "Ángel",
    "Rubén",
    "Inés",
    "Sofía",
    "Raúl",
    "Jesús",
    "Nélida",
    "Zoila",
    "Wilfredo",
    "Yesenia",
    "Ítalo",
    "Edith",
    "Máximo",
    "Killa",
    "Túpac",
    "Ñusta",
    "Rocío",
    "Héctor",
    "Lucía",
    "Óscar",
    "Begoña",
    "Julián",
]
FAMILY_NAMES = [
    "Quispe",
    "Mamani",
    "Huamán",
    "Flores",
    "Rodríguez",
    "Núñez",
    "Chávez",
    "Gutiérrez",
    "Pérez",
    "Sánchez",
    "Ramírez",
    "Vásquez",
    "Ccori",
    "Yupanqui",
    "Condori",
    "Ñahui",
    "Peña",
    "De la Cruz",
    "D'Ángelo",
    "Salas-Ríos",
    "Castañeda",
    "Cárdenas",
]
DOC_TYPES = ["DNI", "DNI", "DNI", "1", "dni"]
SEXES = ["F", "M", "X", "Femenino", "Masculino", "f", "m"]
DOMAINS = ["gob.pe", "pj.gob.pe", "mpfn.gob.pe", "contraloria.gob.pe", "gmail.com", "pucp.edu.pe"]


# --- Environment: a database of our own ------------------------------------------------------


@contextmanager
def throwaway_database():
    """Point Django at a fresh database; yield a description; remove it afterwards."""
    tmp = Path(tempfile.mkdtemp(prefix="lms-bench-"))
    os.environ["LMS_DATA_DIR"] = str(tmp)
    os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings.dev"
    os.environ["DEBUG"] = "False"  # no query log: measure what production runs
    url = os.environ.get("DATABASE_URL", "")
    admin = None
    bench_db = ""
    try:
        if url.startswith(("postgres://", "postgresql://", "pgsql://")):
            import psycopg

            parts = urlsplit(url)
            bench_db = f"lms_bench_{os.getpid()}"
            admin = psycopg.connect(
                host=parts.hostname or None,
                port=parts.port or None,
                user=parts.username or None,
                password=parts.password or None,
                dbname="postgres",
                autocommit=True,
            )
            admin.execute(f'DROP DATABASE IF EXISTS "{bench_db}"')
            admin.execute(f'CREATE DATABASE "{bench_db}"')
            os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{bench_db}"))
            where = f"PostgreSQL database {bench_db} on {parts.hostname}:{parts.port or 5432}"
        elif url:
            sys.exit(f"DATABASE_URL must be a postgres:// URL or unset (SQLite); got {url!r}")
        else:
            # Explicit, so a DATABASE_URL in a .env file can never send us to a real database.
            os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
            where = f"SQLite file {tmp / 'bench.sqlite3'}"
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        yield where
    finally:
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        if admin is not None:
            admin.execute(f'DROP DATABASE IF EXISTS "{bench_db}" WITH (FORCE)')
            admin.close()
        shutil.rmtree(tmp, ignore_errors=True)


# --- Data ------------------------------------------------------------------------------------


def ascii_slug(text: str) -> str:
    from lms.validators import fold

    return "".join(c for c in fold(text) if c.isalnum())


def generate_rows(n: int, seed: int) -> list[dict[str, str]]:
    """N deterministic, valid rows; code-list values spelt as the stored label, code or English."""
    from lms.models import Institution, Position, Region

    rng = random.Random(seed)
    institutions = [
        [v for v in values if v]
        for values in Institution.objects.order_by("code").values_list(
            "name", "code", "name_en", "short_name"
        )
    ]
    positions = [
        list(values)
        for values in Position.objects.order_by("code").values_list("name", "code", "name_en")
    ]
    departments = Region.objects.filter(level=Region.Level.DEPARTMENT).order_by("code")
    regions = [value for d in departments for value in (d.name, d.code)]
    regions += list(
        Region.objects.filter(level=Region.Level.PROVINCE).values_list("code", flat=True)
    )
    first_birth = dt.date(1950, 1, 1).toordinal()
    last_birth = dt.date(2006, 12, 31).toordinal()

    rows = []
    for i, number in enumerate(rng.sample(range(1, 100_000_000), n)):
        given = rng.choice(GIVEN_NAMES)
        if rng.random() < 0.4:
            given += " " + rng.choice(GIVEN_NAMES)
        family = f"{rng.choice(FAMILY_NAMES)} {rng.choice(FAMILY_NAMES)}"
        birth = dt.date.fromordinal(rng.randint(first_birth, last_birth))
        phone = rng.choice(
            [
                f"+51 9{rng.randint(0, 99):02d} {rng.randint(0, 999):03d} {rng.randint(0, 999):03d}",
                f"9{rng.randint(0, 99_999_999):08d}",
                f"(01) {rng.randint(200, 799)}-{rng.randint(0, 9999):04d}",
                "",
            ]
        )
        rows.append(
            {
                "tipo_documento": rng.choice(DOC_TYPES),
                "numero_documento": f"{number:08d}",  # leading zeros kept, as text
                "nombres": given,
                "apellidos": family,
                "sexo": rng.choice(SEXES),
                "fecha_nacimiento": (
                    birth.isoformat() if rng.random() < 0.5 else birth.strftime("%d/%m/%Y")
                ),
                "correo": (
                    f"{ascii_slug(given.split()[0])}.{ascii_slug(family.split()[0])}{i}"
                    f"@{rng.choice(DOMAINS)}"
                ),
                "telefono": phone,
                "institucion": rng.choice(rng.choice(institutions)),
                "cargo": rng.choice(rng.choice(positions)),
                "departamento": rng.choice(regions),
            }
        )
    return rows


def to_csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=HEADERS, delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def with_new_emails(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    return [{**row, "correo": row["correo"].replace("@", ".2026@")} for row in rows]


# --- (a) The baseline: one row at a time through the ORM --------------------------------------

NAIVE_DOC_TYPES = {"DNI": "1", "1": "1"}
NAIVE_SEXES = {"F": "F", "FEMENINO": "F", "M": "M", "MASCULINO": "M", "X": "X"}


def naive_date(value: str) -> dt.date | None:
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    raise ValueError(value)


def baseline_import(data: bytes) -> int:
    from django.db import transaction
    from django.db.models import Q

    from lms.models import Institution, Person, Position, Region

    def institution(raw):
        if not raw:
            return None
        return Institution.objects.filter(
            Q(name=raw) | Q(code=raw) | Q(name_en=raw) | Q(short_name=raw)
        ).first()

    def position(raw):
        if not raw:
            return None
        return Position.objects.filter(Q(name=raw) | Q(code=raw) | Q(name_en=raw)).first()

    def region(raw):
        if not raw:
            return None
        if raw.isdigit():
            return Region.objects.filter(code=raw).first()
        return Region.objects.filter(level=Region.Level.DEPARTMENT, name=raw).first()

    count = 0
    reader = csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=";")
    with transaction.atomic():
        for row in reader:
            person = Person(
                document_type=NAIVE_DOC_TYPES[row["tipo_documento"].strip().upper()],
                document_number=row["numero_documento"],
                given_names=row["nombres"],
                family_names=row["apellidos"],
                sex=NAIVE_SEXES[row["sexo"].strip().upper()],
                birth_date=naive_date(row["fecha_nacimiento"]),
                email=row["correo"],
                phone=row["telefono"],
                institution=institution(row["institucion"]),
                position=position(row["cargo"]),
                region=region(row["departamento"]),
            )
            person.full_clean()
            person.save()
            count += 1
    return count


# --- Measuring -------------------------------------------------------------------------------

SNAPSHOT_FIELDS = (
    "document_type",
    "document_number",
    "given_names",
    "family_names",
    "sex",
    "birth_date",
    "email",
    "phone",
    "institution_id",
    "position_id",
    "region_id",
    "search_text",
)


def fingerprint() -> str:
    """A digest of the stored people (a digest, not a copy: the engine is timed with a lean heap)."""
    from lms.models import Person

    digest = hashlib.sha256()
    people = Person.objects.order_by("document_type", "document_number")
    for row in people.values_list(*SNAPSHOT_FIELDS).iterator(chunk_size=2000):
        digest.update(repr(row).encode())
    return digest.hexdigest()


def timed(fn, *args, **kwargs):
    gc.collect()
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return value, time.perf_counter() - start


def engine(data: bytes, *, dry_run: bool = False, expect: dict[str, int]):
    from lms.services.participant_import import import_participants

    result, seconds = timed(import_participants, data=data, filename="bench.csv", dry_run=dry_run)
    got = {k: getattr(result, k) for k in expect}
    if result.errors or got != expect:
        for error in result.errors[:10]:
            print(f"  {error}", file=sys.stderr)
        sys.exit(f"The engine did not import the file as expected: {got} != {expect}")
    return seconds


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def describe_database() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        version = connection.cursor().connection.info.server_version
        return f"postgresql {version // 10000}.{version % 10000}"
    if connection.vendor == "sqlite":
        import sqlite3

        return f"sqlite {sqlite3.sqlite_version}"
    return connection.vendor


CASES = (
    "(a) baseline: full_clean() + save() per row",
    "(b) engine: create",
    "(c) engine: re-import, unchanged",
    "(d) engine: update every row",
    "(e) engine: dry run (updates, rolled back)",
)


def run_cases(n: int, data: bytes, changed: bytes) -> tuple[list[float], list[str]]:
    """One pass over (a)-(e) from an empty registry: seconds per case, and any problems."""
    from lms.models import Person

    problems = []
    Person.objects.all().delete()
    count, baseline_s = timed(baseline_import, data)
    if count != n:
        problems.append(f"the baseline saved {count:,} rows, not {n:,}")
    by_baseline = fingerprint()
    Person.objects.all().delete()  # (b) starts from an empty registry

    seconds = [baseline_s, engine(data, expect={"created": n, "updated": 0, "unchanged": 0})]
    if fingerprint() != by_baseline:
        problems.append("the baseline and the engine stored different rows")
    seconds.append(engine(data, expect={"created": 0, "updated": 0, "unchanged": n}))
    seconds.append(engine(changed, expect={"created": 0, "updated": n, "unchanged": 0}))
    before = fingerprint()
    seconds.append(engine(data, dry_run=True, expect={"created": 0, "updated": n, "unchanged": 0}))
    if fingerprint() != before:
        problems.append("the dry run changed the registry")
    return seconds, problems


def run(n: int, seed: int, repeat: int, where: str) -> int:
    import django
    from django.core.management import call_command

    print(f"Preparing {where} …", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    rows = generate_rows(n, seed)
    data = to_csv(rows)
    changed = to_csv(with_new_emails(rows))
    del rows  # the bench keeps bytes only, so the engine runs with the heap a worker would have

    print(f"Database:  {describe_database()}")
    print(
        f"Python:    {platform.python_version()}   Django: {django.get_version()}   "
        f"CPUs: {os.cpu_count()} ({cpu_model()})"
    )
    print(f"Rows:      {n:,} (seed {seed}, {len(data) / 1024:,.0f} KiB of CSV)", flush=True)

    runs: list[list[float]] = []
    problems: list[str] = []
    for i in range(repeat):
        if repeat > 1:
            print(f"Pass {i + 1} of {repeat} …", flush=True)
        seconds, found = run_cases(n, data, changed)
        runs.append(seconds)
        problems += found
    best = [min(column) for column in zip(*runs, strict=True)]

    width = max(len(case) for case in CASES)
    if repeat > 1:
        print(f"\nBest of {repeat} passes per case:")
    print(f"\n{'case':<{width}}  {'rows':>7}  {'seconds':>8}  {'rows/s':>8}")
    print(f"{'-' * width}  {'-' * 7}  {'-' * 8}  {'-' * 8}")
    for case, seconds in zip(CASES, best, strict=True):
        print(f"{case:<{width}}  {n:>7,}  {seconds:>8.2f}  {n / seconds:>8,.0f}")
    baseline_s, create_s = best[0], best[1]
    print(f"\nSpeed-up of (b) over (a): {baseline_s / create_s:.1f}x")

    budget = TARGET_SECONDS * n / TARGET_ROWS
    verdict = "PASS" if create_s < budget else "MISS"
    print(
        f"{verdict}: (b) took {create_s:.2f} s for {n:,} rows; target {budget:.2f} s "
        f"({TARGET_ROWS:,} rows in under {TARGET_SECONDS:.0f} s)"
    )
    print(
        "Checks (row counts, baseline and engine store the same rows, dry run writes nothing): "
        + ("FAILED" if problems else "ok")
    )
    for problem in dict.fromkeys(problems):
        print(f"PROBLEM: {problem}", file=sys.stderr)
    return 1 if problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=TARGET_ROWS, help="rows to generate")
    parser.add_argument("--seed", type=int, default=1, help="random seed for the rows")
    parser.add_argument(
        "--repeat", type=int, default=1, help="passes over all cases; the best time is shown"
    )
    args = parser.parse_args()
    if args.rows < 1 or args.repeat < 1:
        parser.error("--rows and --repeat must be at least 1")
    with throwaway_database() as where:
        return run(args.rows, args.seed, args.repeat, where)


if __name__ == "__main__":
    sys.exit(main())
