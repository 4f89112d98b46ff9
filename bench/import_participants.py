"""Benchmark the participant import engine against saving the same rows one by one.

    .venv/bin/python bench/import_participants.py [--rows 10000] [--seed 1]

Never touches the developer's database: with no DATABASE_URL in the environment it migrates a
fresh SQLite file in a temporary folder; with DATABASE_URL=postgres://... it creates a throwaway
database (lms_bench_<pid>) on that server and drops it at the end. Both go away afterwards.

Cases, all on the same generated CSV (';' delimiter, UTF-8, Spanish headers):

  (a) baseline  csv.DictReader, then per row: look up institution/position/region by name,
                Person(...).full_clean(), .save(); one transaction. What a simple importer does.
  (b) create    import_participants() on an empty registry (the Person table is reset after a).
  (c) unchanged the same file again: every row matches what is stored.
  (d) update    every row with a new email address.
  (e) dry run   the file of (b) as a dry run against the registry after (d): 10,000 would-be
                updates, rolled back.

Figures are printed, not asserted; a PASS/MISS line compares (b) with the issue's target of
10,000 rows in under 5 s. The run fails (exit 1) only if an import reports errors or the
baseline and the engine disagree on what they stored, because the timings would then be void.
"""

import argparse
import csv
import datetime as dt
import gc
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


def snapshot() -> dict[tuple, tuple]:
    from lms.models import Person

    return {
        row[:2]: row
        for row in Person.objects.order_by().values_list(*SNAPSHOT_FIELDS).iterator(chunk_size=2000)
    }


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


def run(n: int, seed: int, where: str) -> int:
    import django
    from django.core.management import call_command

    from lms.models import Person

    print(f"Preparing {where} …", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    rows = generate_rows(n, seed)
    data = to_csv(rows)
    changed = to_csv(with_new_emails(rows))

    print(f"Database:  {describe_database()}")
    print(
        f"Python:    {platform.python_version()}   Django: {django.get_version()}   "
        f"CPUs: {os.cpu_count()} ({cpu_model()})"
    )
    print(f"Rows:      {n:,} (seed {seed}, {len(data) / 1024:,.0f} KiB of CSV)\n", flush=True)

    results: list[tuple[str, float]] = []

    count, seconds = timed(baseline_import, data)
    assert count == n
    results.append(("(a) baseline: full_clean() + save() per row", seconds))
    stored_by_baseline = snapshot()
    Person.objects.all().delete()

    seconds = engine(data, expect={"created": n, "updated": 0, "unchanged": 0})
    results.append(("(b) engine: create", seconds))
    differ = sum(1 for key, row in snapshot().items() if stored_by_baseline.get(key) != row)
    seconds = engine(data, expect={"created": 0, "updated": 0, "unchanged": n})
    results.append(("(c) engine: re-import, unchanged", seconds))
    seconds = engine(changed, expect={"created": 0, "updated": n, "unchanged": 0})
    results.append(("(d) engine: update every row", seconds))
    before = snapshot()
    seconds = engine(data, dry_run=True, expect={"created": 0, "updated": n, "unchanged": 0})
    results.append(("(e) engine: dry run (updates, rolled back)", seconds))
    rolled_back = snapshot() == before

    width = max(len(case) for case, _ in results)
    print(f"{'case':<{width}}  {'rows':>7}  {'seconds':>8}  {'rows/s':>8}")
    print(f"{'-' * width}  {'-' * 7}  {'-' * 8}  {'-' * 8}")
    for case, seconds in results:
        print(f"{case:<{width}}  {n:>7,}  {seconds:>8.2f}  {n / seconds:>8,.0f}")
    baseline_s, create_s = results[0][1], results[1][1]
    print(f"\nSpeed-up of (b) over (a): {baseline_s / create_s:.1f}x")

    budget = TARGET_SECONDS * n / TARGET_ROWS
    verdict = "PASS" if create_s < budget else "MISS"
    print(
        f"{verdict}: (b) took {create_s:.2f} s for {n:,} rows; target {budget:.2f} s "
        f"({TARGET_ROWS:,} rows in under {TARGET_SECONDS:.0f} s)"
    )
    print(f"Baseline and engine stored identical rows: {'yes' if not differ else 'NO'}")
    print(f"Dry run left the registry untouched: {'yes' if rolled_back else 'NO'}")
    if differ:
        print(f"{differ:,} rows differ between (a) and (b)", file=sys.stderr)
    return 0 if not differ and rolled_back else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=TARGET_ROWS, help="rows to generate")
    parser.add_argument("--seed", type=int, default=1, help="random seed for the rows")
    args = parser.parse_args()
    if args.rows < 1:
        parser.error("--rows must be at least 1")
    with throwaway_database() as where:
        return run(args.rows, args.seed, where)


if __name__ == "__main__":
    sys.exit(main())
