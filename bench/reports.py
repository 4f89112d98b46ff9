"""Benchmark the donor participation report at national scale (issue 7, item 7).

    .venv/bin/python bench/reports.py [--backend sqlite|postgres|both] [--runs 3]
                                      [--people 1000000] [--workshops 80000] [--regenerate]
                                      [--skip-naive] [--skip-duckdb] [--skip-report]

1. Generates, once per backend (a marker file / table remembers it), a database with the real
   schema (``migrate``): 1,000,000 people, 6 courses (one sensitisation-only, one with 4 h of
   gender-equality content), 80,000 workshops of 5 sessions each over FY2023–FY2026 in three
   modalities, 25 registrations per workshop (2,000,000), one attendance record per registration
   and session (10,000,000; ~85 % present or late), one completion per registration (completed
   when >= 4 of 5 sessions attended, on the local date of the last session), paper pre/post
   scores for ~40 % of the registrations. Rows go in with raw SQL in big batches (SQLite:
   executemany with journal and sync off; PostgreSQL: COPY), not through the ORM or its
   signals; secondary indexes are dropped during the load and rebuilt after it. Then the
   participation facts are built with ``reports.facts.facts_rebuild()`` (timed: the one-off
   cost; normal operation keeps facts incrementally) and a catalogue of indicators is created.

   SQLite: ``var/bench/reports.sqlite3`` (``--dir`` to change). PostgreSQL: database
   ``bench_reports`` on ``$BENCH_PG_URL`` (default postgres://postgres@127.0.0.1:5432/postgres
   as the admin connection), created here and dropped by ``--drop``.

2. Times, each path in a fresh subprocess (so its peak RSS is its own):
   - report: ``participation_report(fy=2026, by=["sex", "institution", "region"],
     audience="donor")`` over the whole catalogue: the first (cold) run and the best of
     ``--runs`` warm runs in the same process;
   - naive (SQLite only): ``pd.read_sql`` of every attendance row joined to its session, then
     the reached figures from it in pandas;
   - duckdb (SQLite only): DuckDB 1.5 over the same SQLite file (sqlite_scanner), computing the
     catalogue's figures from the raw tables (attendance, sessions, people, completions, scores):
     for every indicator the totals of each quarter, the fiscal year and the life of project,
     and the fiscal year's cube by sex × institution × region (the figures the report shows).
   DuckDB's totals and the report's are compared for every count indicator; a mismatch fails
   the run.

Timings on a shared machine are noisy: run it when nothing else is.
"""

import argparse
import contextlib
import io
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
FY = 2026
BY = ["sex", "institution", "region"]
SEED = 20261123
SESSIONS = 5
PER_WORKSHOP = 25
# FY2023..FY2026: 2022-10-01 .. 2026-09-30 (the last workshop starts 5 days before the end).
FIRST_DAY = "2022-10-01"
DAYS = 1461 - SESSIONS
LIMA_OFFSET_HOURS = 5  # America/Lima is UTC-5 all year (no DST since 1994)
STATUS_P = {"present": 0.78, "late": 0.07, "excused": 0.05, "absent": 0.10}
MODALITY_P = {"in_person": 0.6, "online": 0.3, "hybrid": 0.1}
COURSES = [
    # code, title, contact hours, gender-equality hours, sensitisation only, share of workshops
    ("ETI-101", "Ética pública", 12, 0, False, 0.30),
    ("CTL-201", "Control gubernamental", 16, 0, False, 0.15),
    ("GEN-110", "Igualdad de género e integridad", 12, 4, False, 0.15),
    ("JUS-301", "Investigación de delitos de corrupción", 20, 2, False, 0.15),
    ("DEN-120", "Denuncias y protección del denunciante", 8, 0, False, 0.10),
    ("SEN-001", "Charla de sensibilización", 2, 0, True, 0.15),
]
OFFICIALS = ["funcionario", "auditor", "procurador", "juez", "fiscal"]
JUSTICE = ["poder-judicial", "ministerio-publico", "jnj", "amag", "procuraduria-anticorrupcion"]
CATALOGUE = [
    # code, measure, extra filters
    ("BEN-REACH", "reached", {}),
    ("BEN-TRAINED", "trained", {}),
    ("BEN-OFFICIALS", "trained", {"positions": OFFICIALS}),
    ("BEN-JUSTICE", "trained", {"institutions": JUSTICE}),
    ("BEN-GNDR8", "trained", {"min_gender_hours": 3}),
    ("BEN-DONE", "completions", {}),
    ("BEN-HOURS", "contact_hours", {}),
    ("BEN-GAIN", "gain_hake", {}),
]


# --- Where the databases are -------------------------------------------------------------------


def sqlite_path(args) -> Path:
    return Path(args.dir) / "reports.sqlite3"


def pg_admin_url() -> str:
    return os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def pg_bench_url() -> str:
    parts = urlsplit(pg_admin_url())
    return urlunsplit(parts._replace(path="/bench_reports"))


def django_env(backend: str, args) -> dict:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "lms.settings.dev"
    env["DEBUG"] = "False"
    env["LMS_DATA_DIR"] = str(Path(args.dir))
    env["LMS_OTP_REQUIRED"] = "0"
    env["DATABASE_URL"] = (
        f"sqlite:///{sqlite_path(args)}" if backend == "sqlite" else pg_bench_url()
    )
    return env


def django_setup():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(backend: str, path: str, args, *extra) -> dict:
    """Run one measured path in a fresh interpreter; its last output line is JSON."""
    cmd = [sys.executable, __file__, "--child", path, "--backend", backend, "--dir", args.dir]
    cmd += ["--runs", str(args.runs), *extra]
    begin = time.perf_counter()
    done = subprocess.run(
        cmd, env=django_env(backend, args), capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - begin
    if done.returncode:
        sys.stderr.write(done.stdout[-5000:] + done.stderr[-5000:])
        raise SystemExit(f"{path} on {backend} failed ({done.returncode})")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall"] = wall
    # The child's own high-water mark, as the parent sees it (both agree; the child reports it).
    result.setdefault("peak_mb", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    return result


# --- Generation --------------------------------------------------------------------------------


class Writer:
    """Bulk rows into one backend: executemany (SQLite) or COPY (PostgreSQL)."""

    def __init__(self, backend):
        from django.db import connection

        self.backend = backend
        connection.ensure_connection()
        self.raw = connection.connection
        self.ts_suffix = "" if backend == "sqlite" else "+00"
        if backend == "sqlite":
            self.raw.execute("PRAGMA journal_mode=OFF")
            self.raw.execute("PRAGMA synchronous=OFF")
            self.raw.execute("PRAGMA cache_size=-1000000")
        else:
            self.raw.autocommit = False
            with self.raw.cursor() as cursor:
                # No FK trigger per row during COPY (the data is generated consistent).
                cursor.execute("SET session_replication_role = replica")

    def write(self, table: str, columns: dict, n: int):
        import numpy as np

        names = list(columns)
        if self.backend == "sqlite":
            from itertools import repeat

            iters = []
            for value in columns.values():
                if isinstance(value, np.ndarray):
                    iters.append(value.tolist())
                elif isinstance(value, list):
                    iters.append(value)
                else:
                    iters.append(repeat(value, n))
            if not self.raw.in_transaction:
                self.raw.execute("BEGIN")
            sql = (
                f'INSERT INTO "{table}" ({", ".join(names)}) VALUES ({", ".join("?" * len(names))})'
            )
            self.raw.executemany(sql, zip(*iters, strict=False))
        else:
            import pandas as pd

            frame = pd.DataFrame(
                {
                    # Lists hold None: keep them as objects (ints stay ints, not floats).
                    k: (
                        v
                        if isinstance(v, np.ndarray) and v.dtype != object
                        else pd.Series(
                            list(v)
                            if not isinstance(v, str) and hasattr(v, "__len__")
                            else [v] * n,
                            dtype=object,
                        )
                    )
                    for k, v in columns.items()
                }
            )
            buffer = io.StringIO()
            frame.to_csv(buffer, sep="\t", header=False, index=False, na_rep="\\N")
            copy_sql = f'COPY "{table}" ({", ".join(names)}) FROM STDIN'
            with self.raw.cursor() as cursor, cursor.copy(copy_sql) as copy:
                copy.write(buffer.getvalue())

    def commit(self):
        self.raw.commit()


def _secondary_indexes(backend, tables):
    from django.db import connection

    with connection.cursor() as cursor:
        if backend == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                f"AND tbl_name IN ({', '.join('%s' for _ in tables)})",
                tables,
            )
        else:
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i "
                "JOIN pg_class c ON c.relname = i.indexname "
                "WHERE i.tablename = ANY(%s) "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)",
                [list(tables)],
            )
        return cursor.fetchall()


def make_courses():
    from tests.courses.factories import build_course

    ids = {}
    for code, title, hours, gender, sensitisation, _share in COURSES:
        page, _lessons = build_course(code=code, title=title)
        page.contact_hours = hours
        page.gender_equality_hours = gender
        page.sensitisation_only = sensitisation
        page.save_revision().publish()
        ids[code] = page.pk
    return ids


def make_catalogue():
    from lms.models import Institution, Position
    from reports.models import Indicator

    Indicator.objects.filter(code__startswith="BEN-").delete()
    for order, (code, measure, extra) in enumerate(CATALOGUE):
        unit = {"reached": "people", "trained": "people", "contact_hours": "hours"}.get(
            measure, "ratio" if measure.startswith("gain") else "completions"
        )
        indicator = Indicator.objects.create(
            code=code,
            name=f"Indicador {code}",
            name_en=f"Indicator {code}",
            definition="Benchmark",
            level="outcome" if measure.startswith("gain") else "output",
            unit=unit,
            measure=measure,
            min_gender_hours=extra.get("min_gender_hours"),
            disaggregations=["sex", "institution", "region"],
            sort_order=order,
        )
        if extra.get("positions"):
            indicator.positions.set(Position.objects.filter(code__in=extra["positions"]))
        if extra.get("institutions"):
            indicator.institutions.set(Institution.objects.filter(code__in=extra["institutions"]))
        indicator.save()  # ParentalManyToManyField: .set() is stored on save()


def generate(backend: str, people: int, workshops: int) -> dict:
    """Fill the (migrated, empty) database; returns timings."""
    import numpy as np
    from django.db import connection

    from lms.models import Institution, Position, Region

    timings = {}
    rng = np.random.default_rng(SEED)
    begin = time.perf_counter()
    course_ids = make_courses()
    timings["courses (ORM)"] = time.perf_counter() - begin

    writer = Writer(backend)
    big = [
        "lms_person",
        "attendance_workshop",
        "attendance_session",
        "attendance_registration",
        "attendance_attendancerecord",
        "assessments_completion",
        "assessments_workshopscore",
    ]
    indexes = _secondary_indexes(backend, big)
    with connection.cursor() as cursor:
        for name, _sql in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    if backend == "sqlite":
        writer.commit()
    ts = writer.ts_suffix
    base = np.datetime64(f"{FIRST_DAY}T00:00:00", "s")
    stamp = f"2026-10-15 12:00:00{ts}"

    # People.
    t0 = time.perf_counter()
    institutions = np.array(sorted(Institution.objects.values_list("pk", flat=True)))
    positions = np.array(sorted(Position.objects.values_list("pk", flat=True)))
    regions = list(Region.objects.values_list("pk", "parent_id"))
    departments = np.array(sorted(pk for pk, parent in regions if parent is None))
    provinces = np.array(sorted(pk for pk, parent in regions if parent is not None))
    ids = np.arange(1, people + 1)
    sex = rng.choice(np.array(["F", "M", "X"]), size=people, p=[0.52, 0.46, 0.02])
    birth = (
        base
        - np.timedelta64(20 * 365, "D").astype("m8[s]")
        - rng.integers(0, 40 * 365, size=people).astype("m8[D]").astype("m8[s]")
    )
    birth_text = np.datetime_as_string(birth, unit="D")
    inst = rng.choice(institutions, size=people).astype(object)
    inst[rng.random(people) < 0.03] = None
    pos = rng.choice(positions, size=people).astype(object)
    pos[rng.random(people) < 0.05] = None
    region = np.where(
        rng.random(people) < 0.5,
        rng.choice(departments, size=people),
        rng.choice(provinces, size=people),
    ).astype(object)
    region[rng.random(people) < 0.02] = None
    chunk = 200_000
    for lo in range(0, people, chunk):
        part = ids[lo : lo + chunk]
        n = len(part)
        writer.write(
            "lms_person",
            {
                "id": part,
                "public_id": [f"{i:032x}" for i in part.tolist()],
                "document_type": "1",
                "document_number": [f"{10_000_000 + i:08d}" for i in part.tolist()],
                "given_names": "Participante",
                "family_names": [f"Bench {i}" for i in part.tolist()],
                "sex": sex[lo : lo + chunk],
                "birth_date": birth_text[lo : lo + chunk],
                "email": "",
                "phone": "",
                "search_text": "",
                "created_at": stamp,
                "updated_at": stamp,
                "institution_id": list(inst[lo : lo + chunk]),
                "user_id": None,
                "position_id": list(pos[lo : lo + chunk]),
                "region_id": list(region[lo : lo + chunk]),
                "age_band": "",
                "anonymised_at": None,
                "anonymised_basis": "",
            },
            n,
        )
    writer.commit()
    timings["people"] = time.perf_counter() - t0

    # Workshops, sessions, registrations, attendance, completions, scores: in chunks.
    t0 = time.perf_counter()
    codes = [c[0] for c in COURSES]
    shares = np.array([c[5] for c in COURSES])
    course_of = np.array([course_ids[c] for c in codes])[
        rng.choice(len(codes), size=workshops, p=shares / shares.sum())
    ]
    modality = rng.choice(np.array(list(MODALITY_P)), size=workshops, p=list(MODALITY_P.values()))
    w_region = rng.choice(departments, size=workshops)
    start_day = rng.integers(0, DAYS, size=workshops)
    # 09:00 in Lima (14:00 UTC) mostly; 20% in the evening at 19:00 (00:00 UTC the next day),
    # so some sessions are in another month (and fiscal year) in UTC than in Lima.
    local_hour = np.where(rng.random(workshops) < 0.2, 19, 9)
    # Two random orders of everyone: 25 consecutive people of one order never repeat.
    order = np.concatenate(
        [rng.permutation(ids) for _ in range(-(-workshops * PER_WORKSHOP // people))]
    )
    status_codes = np.array(list(STATUS_P))
    status_p = list(STATUS_P.values())
    chunk_w = 8_000
    counts = {"attendance": 0, "registrations": 0, "scores": 0}
    for wlo in range(0, workshops, chunk_w):
        whi = min(workshops, wlo + chunk_w)
        w_ids = np.arange(wlo + 1, whi + 1)
        nw = len(w_ids)
        writer.write(
            "attendance_workshop",
            {
                "id": w_ids,
                "code": [f"BW-{i:06d}" for i in w_ids.tolist()],
                "title": "Taller",
                "modality": modality[wlo:whi],
                "venue": "",
                "meeting_url": "",
                "capacity": 30,
                "registration_opens_at": None,
                "registration_closes_at": None,
                "requires_approval": False,
                "status": "closed",
                "created_at": stamp,
                "updated_at": stamp,
                "course_id": course_of[wlo:whi],
                "region_id": w_region[wlo:whi],
            },
            nw,
        )
        # Sessions: workshop w has ids (w-1)*5+1 .. w*5, on 5 consecutive days.
        s_w = np.repeat(w_ids, SESSIONS)
        s_num = np.tile(np.arange(1, SESSIONS + 1), nw)
        s_ids = (s_w - 1) * SESSIONS + s_num
        local = (
            base
            + (start_day[s_w - 1] + s_num - 1).astype("m8[D]").astype("m8[s]")
            + local_hour[s_w - 1].astype("m8[h]").astype("m8[s]")
        )
        starts = local + np.timedelta64(LIMA_OFFSET_HOURS, "h")
        starts_text = np.char.add(
            np.char.replace(np.datetime_as_string(starts, unit="s"), "T", " "), ts
        )
        ends_text = np.char.add(
            np.char.replace(
                np.datetime_as_string(starts + np.timedelta64(3, "h"), unit="s"), "T", " "
            ),
            ts,
        )
        writer.write(
            "attendance_session",
            {
                "id": s_ids,
                "number": s_num,
                "starts_at": starts_text,
                "ends_at": ends_text,
                "checkin_secret": "bench",
                "workshop_id": s_w,
            },
            len(s_ids),
        )
        # Registrations: 25 per workshop.
        r_w = np.repeat(w_ids, PER_WORKSHOP)
        r_ids = np.arange((wlo * PER_WORKSHOP) + 1, (whi * PER_WORKSHOP) + 1)
        r_person = order[r_ids - 1]
        nr = len(r_ids)
        writer.write(
            "attendance_registration",
            {
                "id": r_ids,
                "public_id": [f"{i:032x}" for i in r_ids.tolist()],
                "status": "confirmed",
                "source": "staff",
                "code": [f"R{i % PER_WORKSHOP:03d}" for i in r_ids.tolist()],
                "waitlisted_at": None,
                "needs_review": False,
                "created_at": stamp,
                "updated_at": stamp,
                "person_id": r_person,
                "registered_by_id": None,
                "workshop_id": r_w,
                "reminded_at": None,
            },
            nr,
        )
        # Attendance: every registration x session.
        a_reg = np.repeat(r_ids, SESSIONS)
        a_num = np.tile(np.arange(1, SESSIONS + 1), nr)
        a_session = (np.repeat(r_w, SESSIONS) - 1) * SESSIONS + a_num
        a_status = rng.choice(status_codes, size=len(a_reg), p=status_p)
        a_ids = (a_reg - 1) * SESSIONS + a_num
        session_text = starts_text[a_session - s_ids[0]]
        writer.write(
            "attendance_attendancerecord",
            {
                "id": a_ids,
                "method": "roster",
                "recorded_at": session_text,
                "person_id": np.repeat(r_person, SESSIONS),
                "recorded_by_id": None,
                "session_id": a_session,
                "status": a_status,
            },
            len(a_ids),
        )
        counts["attendance"] += len(a_ids)
        counts["registrations"] += nr
        # Completions: completed when >= 4 of 5 attended, on the last session's local date.
        attended = np.isin(a_status, ["present", "late"]).reshape(nr, SESSIONS).sum(axis=1)
        done = attended >= 4
        last_local = local[(r_w - wlo - 1) * SESSIONS + SESSIONS - 1]
        last_date = np.datetime_as_string(last_local, unit="D").astype(object)
        last_utc = np.char.add(
            np.char.replace(
                np.datetime_as_string(
                    last_local + np.timedelta64(LIMA_OFFSET_HOURS + 3, "h"), unit="s"
                ),
                "T",
                " ",
            ),
            ts,
        )
        status = np.where(done, "completed", "not_completed")
        completed_on = np.where(done, last_date, None)
        writer.write(
            "assessments_completion",
            {
                "id": r_ids,
                "computed_status": status,
                "status": status,
                "reasons": "[]",
                "attendance_percent": attended * 20,
                "post_percent": None,
                "lessons_done": None,
                "lessons_total": None,
                "completed_on": list(completed_on),
                "computed_at": last_utc,
                "course_id": course_of[r_w - 1],
                "enrolment_id": None,
                "person_id": r_person,
                "registration_id": r_ids,
            },
            nr,
        )
        # Paper pre/post scores (out of 20) for ~40% of registrations; 15% of them no post.
        scored = r_ids[rng.random(nr) < 0.40]
        pre = rng.integers(4, 21, size=len(scored))
        with_post = rng.random(len(scored)) < 0.85
        post = np.minimum(20, pre + rng.integers(-2, 9, size=len(scored)))
        post = np.maximum(post, 0)
        post_ids = scored[with_post]
        score_ids = np.concatenate([scored * 2 - 1, post_ids * 2])
        writer.write(
            "assessments_workshopscore",
            {
                "id": score_ids,
                "kind": ["pre"] * len(scored) + ["post"] * len(post_ids),
                "score": np.concatenate([pre, post[with_post]]),
                "max_score": 20,
                "method": "grid",
                "recorded_at": stamp,
                "recorded_by_id": None,
                "registration_id": np.concatenate([scored, post_ids]),
            },
            len(score_ids),
        )
        counts["scores"] += len(score_ids)
        writer.commit()
        print(
            f"  workshops {whi:,}/{workshops:,}: {counts['attendance']:,} attendance records "
            f"({time.perf_counter() - t0:.0f} s)",
            flush=True,
        )
    timings["workshops, sessions, registrations, attendance, completions, scores"] = (
        time.perf_counter() - t0
    )
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        for _name, sql in indexes:
            cursor.execute(sql)
        if backend == "postgres":
            for table in big:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f'(SELECT max(id) FROM "{table}"))'
                )
            cursor.execute("SET session_replication_role = DEFAULT")
    writer.commit()
    if backend == "postgres":
        writer.raw.autocommit = True
        with writer.raw.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    timings["indexes rebuilt" + (", VACUUM ANALYZE" if backend == "postgres" else "")] = (
        time.perf_counter() - t0
    )
    if backend == "sqlite":
        # Back to the settings' journal for the rest of the life of this connection.
        connection.close()
    make_catalogue()
    return {"timings": timings, "counts": counts}


def child_generate(args):
    django_setup()
    from django.core.management import call_command

    out = {"timings": {}}
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    out["timings"]["migrate"] = time.perf_counter() - t0
    made = generate(args.backend, args.people, args.workshops)
    out["timings"].update(made["timings"])
    out["counts"] = made["counts"]
    out["peak_mb"] = peak_rss_mb()
    print(json.dumps(out))


def child_migrate(args):
    django_setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    before = set(MigrationRecorder(connection).applied_migrations())
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    seconds = time.perf_counter() - t0
    applied = sorted(set(MigrationRecorder(connection).applied_migrations()) - before)
    if applied and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # a new index's statistics (outside a transaction)
    out = {"applied": [f"{app}.{name}" for app, name in applied], "seconds": seconds}
    print(json.dumps(out))


def child_facts(args):
    django_setup()
    from reports.facts import facts_rebuild

    t0 = time.perf_counter()
    counts = facts_rebuild()
    out = {"seconds": time.perf_counter() - t0, "counts": counts, "peak_mb": peak_rss_mb()}
    print(json.dumps(out))


def child_signals(args):
    """What keeping facts costs a write: 1,000 AttendanceRecord saves through the ORM (status
    flipped between present and absent), with every receiver connected, without the reports
    receiver, and with neither it nor the completion engine's; rolled back."""
    django_setup()
    from django.db import transaction
    from django.db.models.signals import post_save

    from assessments import signals as completion_signals
    from attendance.models import AttendanceRecord
    from reports import signals as report_signals

    records = list(AttendanceRecord.objects.order_by("-pk")[:1000])
    out = {}

    def flip():
        t0 = time.perf_counter()
        with transaction.atomic():
            for record in records:
                record.status_id = "absent" if record.status_id != "absent" else "present"
                record.save()
            transaction.set_rollback(True)
        for record in records:
            record.status_id = "absent" if record.status_id != "absent" else "present"
        return (time.perf_counter() - t0) / len(records) * 1000

    flip()  # warm
    out["all receivers"] = flip()
    post_save.disconnect(report_signals.attendance_changed, sender=AttendanceRecord)
    out["without the reports receiver"] = flip()
    receivers = [
        r
        for r in vars(completion_signals).values()
        if callable(r) and getattr(r, "__module__", "") == completion_signals.__name__
    ]
    for receiver in receivers:
        post_save.disconnect(receiver, sender=AttendanceRecord)
    out["without reports and completion receivers"] = flip()
    print(json.dumps({"ms_per_save": out, "peak_mb": peak_rss_mb()}))


# --- The report --------------------------------------------------------------------------------


def totals_of(report: dict) -> dict:
    return {i["code"]: {p["key"]: p["actual"] for p in i["periods"]} for i in report["indicators"]}


def child_report(args):
    django_setup()
    from reports.models import Indicator
    from reports.services import participation_report

    chosen = Indicator.objects.filter(active=True, code__startswith="BEN-").order_by("sort_order")
    times = []
    report = None
    for _run in range(1 + args.runs):
        t0 = time.perf_counter()
        report = participation_report(fy=FY, by=BY, audience="donor", indicators=chosen)
        data = report.as_dict()
        times.append(time.perf_counter() - t0)
    staff = participation_report(fy=FY, by=BY, audience="staff", indicators=chosen).as_dict()
    cells = sum(len(b["rows"]) for i in data["indicators"] for b in i["breakdowns"])
    print(
        json.dumps(
            {
                "cold": times[0],
                "warm": min(times[1:]) if len(times) > 1 else None,
                "runs": times,
                "peak_mb": peak_rss_mb(),
                "totals": totals_of(staff),
                "donor_totals": totals_of(data),
                "cells": cells,
                "cube": cube_of(staff, "BEN-REACH"),
            }
        )
    )


def cube_of(report: dict, code: str) -> dict:
    """{"sex|institution|region": n} of the crossed table (None = total), staff figures."""
    indicator = next(i for i in report["indicators"] if i["code"] == code)
    table = next(b for b in indicator["breakdowns"] if b["dimensions"] == BY)
    return {
        "|".join(str(row["keys"][d]) for d in BY): row["value"]
        for row in table["rows"]
        if row["value"] is not None
    }


# --- The references (SQLite file) --------------------------------------------------------------


def child_naive(args):
    """pd.read_sql of every attendance row joined to its session, then reached from it."""
    import sqlite3

    import pandas as pd

    path = sqlite_path(args)
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    t0 = time.perf_counter()
    frame = pd.read_sql(
        "SELECT a.person_id, s.starts_at, a.status FROM attendance_attendancerecord a "
        "JOIN attendance_session s ON s.id = a.session_id",
        con,
    )
    load = time.perf_counter() - t0
    load_peak = peak_rss_mb()
    t1 = time.perf_counter()
    frame = frame.loc[frame["status"].isin(["present", "late"])]
    local = pd.to_datetime(frame["starts_at"]) - pd.Timedelta(hours=LIMA_OFFSET_HOURS)
    month = (local.dt.year * 12 + local.dt.month - 1).to_numpy()
    person = frame["person_id"].to_numpy()
    first = (FY - 1) * 12 + 9  # October of the previous calendar year
    reached = {}
    for q in range(4):
        mask = (month >= first + 3 * q) & (month < first + 3 * q + 3)
        reached[f"FY{FY}Q{q + 1}"] = int(pd.unique(person[mask]).size)
    mask = (month >= first) & (month < first + 12)
    reached[f"FY{FY}"] = int(pd.unique(person[mask]).size)
    reached["LOP"] = int(pd.unique(person[month < first + 12]).size)
    compute = time.perf_counter() - t1
    print(
        json.dumps(
            {
                "rows": len(frame),
                "load": load,
                "load_peak_mb": load_peak,
                "compute": compute,
                "peak_mb": peak_rss_mb(),
                "reached": reached,
            }
        )
    )


DUCKDB_LOCAL_MONTH = (
    f"(year(x - INTERVAL {LIMA_OFFSET_HOURS} HOUR) * 12 "
    f"+ month(x - INTERVAL {LIMA_OFFSET_HOURS} HOUR) - 1)"
)
DUCKDB_STAGE = {
    # People with the attributes the tables show (region: the department).
    "pe": (
        "SELECT p.id AS person, p.sex, COALESCE(p.institution_id, 0) AS institution, "
        "COALESCE(r.parent_id, p.region_id, 0) AS region, p.position_id, p.institution_id "
        "FROM s.lms_person p LEFT JOIN s.lms_region r ON r.id = p.region_id"
    ),
    "co": (
        "SELECT page_ptr_id AS course, sensitisation_only, CAST(contact_hours AS DOUBLE) AS hours, "
        "CAST(gender_equality_hours AS DOUBLE) AS gender_hours FROM s.courses_coursepage"
    ),
    # Distinct (person, local month, course) of attendance that counts as attended.
    "attended": (
        "SELECT DISTINCT a.person_id AS person, "
        + DUCKDB_LOCAL_MONTH.replace("x", "ss.starts_at")
        + " AS month, w.course_id AS course FROM s.attendance_attendancerecord a "
        "JOIN s.attendance_attendancestatus st ON st.code = a.status "
        "AND st.counts_as = 'attended' "
        "JOIN s.attendance_session ss ON ss.id = a.session_id "
        "JOIN s.attendance_workshop w ON w.id = ss.workshop_id"
    ),
    # Every final decision, in its month (completion date, else the workshop's last session),
    # with its paper pre/post percentages.
    "decided": (
        "SELECT c.person_id AS person, c.course_id AS course, "
        "c.status = 'completed' AS done, COALESCE("
        "year(c.completed_on) * 12 + month(c.completed_on) - 1, "
        + DUCKDB_LOCAL_MONTH.replace("x", "l.last")
        + ") AS month, sc.pre, sc.post "
        "FROM s.assessments_completion c "
        "JOIN s.attendance_registration rg ON rg.id = c.registration_id "
        "JOIN (SELECT workshop_id, max(starts_at) AS last FROM s.attendance_session "
        "GROUP BY workshop_id) l ON l.workshop_id = rg.workshop_id "
        "LEFT JOIN (SELECT registration_id, "
        "max(round(CAST(score AS DOUBLE) * 100 / CAST(max_score AS DOUBLE), 2)) "
        "FILTER (kind = 'pre') AS pre, "
        "max(round(CAST(score AS DOUBLE) * 100 / CAST(max_score AS DOUBLE), 2)) "
        "FILTER (kind = 'post') AS post FROM s.assessments_workshopscore "
        "GROUP BY registration_id) sc ON sc.registration_id = c.registration_id "
        "WHERE c.status IN ('completed', 'not_completed')"
    ),
}


def duckdb_sql(indicator, first, end, quarters) -> str:
    """One DuckDB query for one catalogue indicator over the staged tables (DUCKDB_STAGE): the
    totals of the quarters, the year and the life of project, and the year's sex × institution
    × region cube (GROUPING SETS), people de-duplicated per cell."""
    _code, measure, extra = indicator
    units = "SELECT * FROM attended" if measure == "reached" else "SELECT * FROM decided"
    where = []
    if measure in ("trained", "completions", "contact_hours"):
        where.append("u.done")
    if measure == "trained":
        where.append("NOT co.sensitisation_only")
    if extra.get("min_gender_hours") is not None:
        where.append(f"co.gender_hours >= {float(extra['min_gender_hours'])}")
    if extra.get("positions"):
        codes = ", ".join(f"'{c}'" for c in extra["positions"])
        where.append(f"pe.position_id IN (SELECT id FROM s.lms_position WHERE code IN ({codes}))")
    if extra.get("institutions"):
        codes = ", ".join(f"'{c}'" for c in extra["institutions"])
        where.append(
            f"pe.institution_id IN (SELECT id FROM s.lms_institution WHERE code IN ({codes}))"
        )
    if measure.startswith("gain"):
        where.append("u.pre IS NOT NULL AND u.post IS NOT NULL")
    where.append(f"u.month < {end}")
    periods = [(f"Q{i + 1}", q_first, q_first + 3) for i, q_first in enumerate(quarters)]
    periods += [("FY", first, end), ("LOP", 0, end)]
    period_table = " UNION ALL ".join(
        f"SELECT '{key}' AS period, {lo} AS lo, {hi} AS hi" for key, lo, hi in periods
    )
    base = (
        f"WITH u AS ({units}), "
        f"sel AS (SELECT u.*, pe.sex, pe.institution, pe.region FROM u "
        f"JOIN pe ON pe.person = u.person JOIN co ON co.course = u.course "
        f"WHERE {' AND '.join(where)}), "
        f"per AS ({period_table}), "
        f"x AS (SELECT per.period, sel.* FROM sel JOIN per ON sel.month >= per.lo "
        f"AND sel.month < per.hi) "
    )
    if measure in ("reached", "trained"):
        value = "count(DISTINCT person) AS value"
        x = "x"
    elif measure in ("completions", "contact_hours"):
        x = (
            "(SELECT DISTINCT period, person, course, sex, institution, region, co.hours "
            "FROM x JOIN co USING (course))"
        )
        value = "count(*) AS value" if measure == "completions" else "sum(hours) AS value"
    else:
        x = (
            "(SELECT period, person, course, sex, institution, region, "
            "arg_max(pre, month) AS pre, arg_max(post, month) AS post FROM x "
            "GROUP BY ALL)"
        )
        value = (
            "(avg(post) - avg(pre)) / (100 - avg(pre)) AS value"
            if measure == "gain_hake"
            else "count(*) AS value"
        )
    return (
        base + f"SELECT period, sex, institution, region, {value}, "
        "grouping(sex, institution, region) AS g "
        f"FROM {x} AS y GROUP BY GROUPING SETS ((period), "
        "(period, sex, institution, region), (period, sex, institution), (period, sex, region), "
        "(period, institution, region), (period, sex), (period, institution), (period, region)) "
        "HAVING period = 'FY' OR grouping(sex, institution, region) = 7"
    )


def child_duckdb(args):
    import duckdb
    from duckdb_extensions import import_extension

    import_extension("sqlite_scanner")
    t0 = time.perf_counter()
    con = duckdb.connect()
    con.execute("LOAD sqlite_scanner")
    con.execute(f"ATTACH '{sqlite_path(args)}' AS s (TYPE sqlite, READ_ONLY)")
    first = (FY - 1) * 12 + 9
    quarters = [first + 3 * q for q in range(4)]
    totals, per_query, cube = {}, {}, {}
    # The raw rows are read from the SQLite file once, into DuckDB's own columnar tables; every
    # indicator is then computed from those (scanning the file once per indicator is slower).
    for name, sql in DUCKDB_STAGE.items():
        q0 = time.perf_counter()
        con.execute(f"CREATE TEMP TABLE {name} AS {sql}")
        per_query[f"read {name}"] = time.perf_counter() - q0
    for indicator in CATALOGUE:
        q0 = time.perf_counter()
        rows = con.execute(duckdb_sql(indicator, first, first + 12, quarters)).fetchall()
        per_query[indicator[0]] = time.perf_counter() - q0
        keyed = {"FY": f"FY{FY}", "LOP": "LOP"}
        found = {}
        for period, sex, inst, region, value, g in rows:
            if g == 7:
                key = keyed.get(period, f"FY{FY}{period}")
                found[key] = value
            if indicator[0] == "BEN-REACH" and period == "FY":
                parts = [
                    str(v) if not (g >> (2 - i)) & 1 else "None"
                    for i, v in enumerate((sex, inst, region))
                ]
                cube["|".join(parts)] = value
        totals[indicator[0]] = found
    print(
        json.dumps(
            {
                "seconds": time.perf_counter() - t0,
                "per_query": per_query,
                "peak_mb": peak_rss_mb(),
                "totals": totals,
                "cube": cube,
            },
            default=float,
        )
    )


# --- Orchestration -----------------------------------------------------------------------------


def exists(backend, args) -> bool:
    if backend == "sqlite":
        return (Path(args.dir) / "reports.generated").exists()
    import psycopg

    with psycopg.connect(pg_admin_url(), autocommit=True) as admin:
        found = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = 'bench_reports'"
        ).fetchone()
    if not found:
        return False
    with psycopg.connect(pg_bench_url()) as con:
        return bool(
            con.execute(
                "SELECT 1 FROM information_schema.tables WHERE table_name = 'bench_generated'"
            ).fetchone()
        )


def fresh(backend, args):
    if backend == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_path(args)}{suffix}").unlink(missing_ok=True)
        (Path(args.dir) / "reports.generated").unlink(missing_ok=True)
        Path(args.dir).mkdir(parents=True, exist_ok=True)
    else:
        import psycopg

        with psycopg.connect(pg_admin_url(), autocommit=True) as admin:
            admin.execute("DROP DATABASE IF EXISTS bench_reports WITH (FORCE)")
            admin.execute("CREATE DATABASE bench_reports")


def mark(backend, args, info: dict):
    text = json.dumps(info)
    if backend == "sqlite":
        (Path(args.dir) / "reports.generated").write_text(text)
    else:
        import psycopg

        with psycopg.connect(pg_bench_url()) as con:
            con.execute("CREATE TABLE bench_generated (info text)")
            con.execute("INSERT INTO bench_generated VALUES (%s)", [text])


def read_mark(backend, args) -> dict:
    if backend == "sqlite":
        return json.loads((Path(args.dir) / "reports.generated").read_text())
    import psycopg

    with psycopg.connect(pg_bench_url()) as con:
        return json.loads(con.execute("SELECT info FROM bench_generated").fetchone()[0])


def prepare(backend, args) -> dict:
    if exists(backend, args) and not args.regenerate:
        info = read_mark(backend, args)
        print(f"{backend}: reusing the generated database (generated {info['at']})")
        # Migrations added since (an index, say) are applied, so the run measures today's code.
        migrated = run_child(backend, "migrate", args)
        if migrated["applied"]:
            print(f"  migrated: {', '.join(migrated['applied'])} ({migrated['seconds']:.1f} s)")
        return info
    print(f"{backend}: generating {args.people:,} people, {args.workshops:,} workshops ...")
    fresh(backend, args)
    gen = run_child(backend, "generate", args, "--people", str(args.people), "--workshops",
                    str(args.workshops))  # fmt: skip
    for step, seconds in gen["timings"].items():
        print(f"  {step:<70} {seconds:8.1f} s")
    print(f"  generation peak RSS {gen['peak_mb']:.0f} MB")
    facts = run_child(backend, "facts", args)
    print(
        f"  facts_rebuild(): {facts['seconds']:.1f} s for {facts['counts']['reach']:,} reach "
        f"and {facts['counts']['outcome']:,} outcome facts (peak RSS {facts['peak_mb']:.0f} MB)"
    )
    info = {
        "at": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
        "generation": gen["timings"],
        "counts": gen["counts"],
        "facts_seconds": facts["seconds"],
        "facts": facts["counts"],
        "facts_peak_mb": facts["peak_mb"],
        "people": args.people,
        "workshops": args.workshops,
    }
    mark(backend, args, info)
    return info


def fmt(seconds):
    return "—" if seconds is None else f"{seconds:.2f} s"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--dir", default=str(ROOT / "var" / "bench"))
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--workshops", type=int, default=80_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument("--skip-duckdb", action="store_true")
    parser.add_argument("--skip-report", action="store_true")
    parser.add_argument(
        "--signals", action="store_true", help="also time 1,000 attendance saves (facts cost)"
    )
    parser.add_argument("--drop", action="store_true", help="drop the PostgreSQL bench database")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        {
            "generate": child_generate,
            "facts": child_facts,
            "migrate": child_migrate,
            "report": child_report,
            "naive": child_naive,
            "duckdb": child_duckdb,
            "signals": child_signals,
        }[args.child](args)
        return 0
    if args.drop:
        import psycopg

        with psycopg.connect(pg_admin_url(), autocommit=True) as admin:
            admin.execute("DROP DATABASE IF EXISTS bench_reports WITH (FORCE)")
        return 0
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    print(
        f"Machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    rows, failures, results = [], [], {}
    for backend in backends:
        prepare(backend, args)
        if not args.skip_report:
            report = run_child(backend, "report", args)
            results[backend] = report
            rows.append(("report (facts)", backend, report["cold"], report["warm"],
                         report["peak_mb"]))  # fmt: skip
            print(f"  report: cold {fmt(report['cold'])}, runs "
                  + ", ".join(f"{t:.2f}" for t in report["runs"])
                  + f" s, peak {report['peak_mb']:.0f} MB, {report['cells']:,} cells")  # fmt: skip
        if backend == "sqlite" and not args.skip_naive:
            naive = run_child(backend, "naive", args)
            results["naive"] = naive
            rows.append(("naive pd.read_sql load", "sqlite", naive["load"], None,
                         naive["load_peak_mb"]))  # fmt: skip
            rows.append(("naive load + reached", "sqlite", naive["load"] + naive["compute"],
                         None, naive["peak_mb"]))  # fmt: skip
        if backend == "sqlite" and not args.skip_duckdb:
            duck = run_child(backend, "duckdb", args)
            results["duckdb"] = duck
            rows.append(("DuckDB over raw rows", "sqlite", duck["seconds"], None,
                         duck["peak_mb"]))  # fmt: skip
            print("  DuckDB per indicator: " + ", ".join(
                f"{k} {v:.2f} s" for k, v in duck["per_query"].items()))  # fmt: skip
        if backend == "sqlite" and args.signals:
            cost = run_child(backend, "signals", args)
            print("  AttendanceRecord.save(), ms per save: " + ", ".join(
                f"{k} {v:.2f}" for k, v in cost["ms_per_save"].items()))  # fmt: skip
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    saved = Path(args.dir) / f"reports-results-{'-'.join(backends)}-{stamp}.json"
    saved.write_text(json.dumps(results, default=float))
    print(f"\nAll figures: {saved}")
    print()
    print(f"{'path':<28} {'backend':<9} {'cold':>10} {'warm best':>10} {'peak RSS':>10}")
    for path, backend, cold, warm, peak in rows:
        print(f"{path:<28} {backend:<9} {fmt(cold):>10} {fmt(warm):>10} {peak:>7.0f} MB")

    # Figures must agree before the timings mean anything.
    if "duckdb" in results:
        for backend in ("sqlite", "postgres"):
            if backend not in results:
                continue
            mine, theirs = results[backend]["totals"], results["duckdb"]["totals"]
            print(f"\nTotals, report ({backend}) vs DuckDB:")
            for code, measure, _extra in CATALOGUE:
                for key in sorted(set(mine[code]) | set(theirs[code])):
                    a, b = mine[code].get(key), theirs[code].get(key)
                    if measure == "gain_hake":
                        same = a is None or b is None or abs(a - b) < 0.0015
                    elif measure == "contact_hours":
                        same = a is not None and b is not None and abs(a - b) < 0.5
                    else:
                        same = a == b
                    flag = "" if same else "   <-- MISMATCH"
                    if not same:
                        failures.append(f"{backend} {code} {key}: {a} != {b}")
                    print(f"  {code:<14} {key:<10} report {a!s:>12}  duckdb {b!s:>12}{flag}")
            cube_a, cube_b = results[backend]["cube"], results["duckdb"]["cube"]
            diff = [k for k in set(cube_a) | set(cube_b) if cube_a.get(k) != cube_b.get(k)]
            print(f"  BEN-REACH FY{FY} cube sex x institution x region: {len(cube_a):,} cells, "
                  f"{len(diff)} differ")  # fmt: skip
            if diff:
                failures.append(f"{backend} BEN-REACH cube: {len(diff)} cells differ")
    if "naive" in results and "sqlite" in results:
        mine = results["sqlite"]["totals"]["BEN-REACH"]
        naive_reached = results["naive"]["reached"]
        if any(mine.get(k) != v for k, v in naive_reached.items()):
            failures.append(f"naive reached {naive_reached} != report {mine}")
        print(f"\nReached, naive pandas path: {naive_reached}")
    if "duckdb" in results:
        duck = results["duckdb"]["seconds"]
        print("\nTargets:")
        for backend in ("sqlite", "postgres"):
            if backend in results:
                warm = results[backend]["warm"]
                print(f"  {backend}: report / DuckDB = {warm / duck:.2f} (target <= 3)")
                if "naive" in results:
                    print(f"  {backend}: naive load / report = "
                          f"{results['naive']['load'] / warm:.1f} (target >= 5)")  # fmt: skip
                print(f"  {backend}: peak RSS {results[backend]['peak_mb']:.0f} MB "
                      "(target < 1536 MB)")  # fmt: skip
    if failures:
        print("\nFIGURES DIFFER:\n  " + "\n  ".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
