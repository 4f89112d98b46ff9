"""Load on loopback: gunicorn on PostgreSQL, a crowd checking in to one session, and the public
verification page's throughput next to a trivial view's, in the same run.

    .venv/bin/python bench/load.py [--participants 200] [--window 60] [--waves 4]
        [--double-tap 0.25] [--workers 2] [--threads 8] [--connections 64] [--duration 8]
        [--runs 5] [--pg postgres://postgres@127.0.0.1:5432/bench_load] [--keep]

It creates the PostgreSQL database named in --pg (dropped first if it exists), migrates it, seeds
the demo courses, one open workshop with one session running now and N confirmed participants,
each with a login. The logins are made as database sessions directly (SessionStore with the
authentication keys, what django.contrib.auth.login() stores), not through N password logins: the
password hasher (Argon2id) is not what is measured. Issuer and PDF signing keys are generated in
a temporary LMS_DATA_DIR (`issuer_keys generate`, `pdf_signing_keys generate`), and three
certificates are issued: one valid, one revoked, and one revoked during the run to check that the
verification page shows a revocation on the very next request.

Then gunicorn serves lms.settings.production on 127.0.0.1 (a free port) and:

  (1) check-in   the N participants open the session's QR check-in link (a GET, as the phone's
                 camera does; the token is the one the trainer's screen shows at that moment) in
                 --waves bursts spread over --window seconds, each burst all at once; a share of
                 them (--double-tap) send a second request at the same moment. Afterwards the
                 database must hold exactly one attendance record per participant and no other:
                 the exit status is 1 otherwise.
  (2) throughput wrk against a trivial view through all the middleware (/robots.txt), /healthz
                 (answered by the first middleware), the verification page /v/<identifier> and
                 its JSON /api/v1/verify/<identifier>, each --runs times in turn, same
                 connections and duration; medians reported with the ratios to the trivial view
                 (the target: the page at 70% or more) and to /healthz.

Requests carry X-Forwarded-Proto: https, as behind the TLS proxy production runs behind. wrk and
this script share the machine's cores with gunicorn and PostgreSQL: the figures are loopback
figures, load generator included. The database is dropped and gunicorn stopped at the end
(--keep keeps the database and the data folder, and prints where they are).
"""

import argparse
import contextlib
import datetime as dt
import http.client
import os
import platform
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PROTO = "https"  # what the TLS proxy in front would send as X-Forwarded-Proto
# The check-in page's heading in Spanish (Accept-Language: es): new, or already checked in.
CHECKED_IN = "Su asistencia quedó registrada"
ALREADY = "Usted ya había registrado su asistencia"
# The verification page's card says its state in its class (one per page).
VALID = 'class="verify-card verify-valid"'
REVOKED = 'class="verify-card verify-revoked"'

# --- Set-up -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def admin_connection(url: str):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname or None,
        port=parts.port or None,
        user=parts.username or None,
        password=parts.password or None,
        dbname="postgres",
        autocommit=True,
    )


def database_name(url: str) -> str:
    name = urlsplit(url).path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        sys.exit(f"--pg must name a database of lower-case letters, digits and _; got {name!r}")
    return name


CACHE_URL = "redis://127.0.0.1:6379/13"


def production_environment(data_dir: Path, url: str) -> dict[str, str]:
    """What gunicorn (and this process) run with: production settings, loopback host."""
    return {
        "DJANGO_SETTINGS_MODULE": "lms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "LMS_PUBLIC_URL": "https://verifica.integridad.example",
        "SECURE_SSL_REDIRECT": "0",
        "LMS_DATA_DIR": str(data_dir),
        "DATABASE_URL": url,
        "DEBUG": "False",
        # Several processes share one cache in production (lms.W001): limits, kept pages.
        "CACHE_URL": CACHE_URL,
    }


def seed(participants: int) -> dict:
    """Demo courses, the check-in workshop with its logins, and three certificates."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.utils import timezone
    from wagtail.models import Locale

    from assessments.models import Completion
    from attendance.models import Registration, Session, Workshop
    from certificates.demo import templates_ensure
    from certificates.models import ReasonCategory
    from certificates.services import certificate_issue, certificate_revoke
    from courses.demo import seed_courses
    from courses.models import CoursePage
    from lms.models import Person, Region, User

    # Production serves static files by whitenoise from the collected, hashed copies; collected
    # here without the compressed copies (the same manifest, minutes less on a busy machine: no
    # static file is requested).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("issuer_keys", "generate", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("pdf_signing_keys", "generate", stdout=open(os.devnull, "w"))  # noqa: SIM115
    settings.LMS_ALLOW_DEMO_DATA = True  # this process only: gunicorn runs without it
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The logins and the registry, then the demo courses only (workshops are made below).
    call_command("seed_demo", participants=0, registry_only=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    seed_courses(random.Random(1))
    templates_ensure()
    course = CoursePage.objects.get(code="ETI-101", locale=Locale.get_default())
    region = Region.objects.get(code="1601")
    now = timezone.now()

    workshop = Workshop.objects.create(
        code="LOAD-2026-001",
        course=course,
        region=region,
        capacity=participants,
        status=Workshop.Status.OPEN,
    )
    session = Session.objects.create(
        workshop=workshop,
        number=1,
        starts_at=now - dt.timedelta(minutes=5),
        ends_at=now + dt.timedelta(hours=3),
    )
    users = User.objects.bulk_create(
        User(email=f"carga{n:04d}@integridad.example", password=make_password(None))
        for n in range(participants)
    )
    persons = Person.objects.bulk_create(
        Person(
            document_type="0",
            document_number=f"LOAD{n:06d}",
            given_names="Participante",
            family_names=f"Carga {n}",
            user=user,
        )
        for n, user in enumerate(users)
    )
    Registration.objects.bulk_create(
        Registration(workshop=workshop, person=p, status="confirmed", code=f"LOAD{n:06d}")
        for n, p in enumerate(persons)
    )
    backend = settings.AUTHENTICATION_BACKENDS[-1]
    cookies = {}
    for user, person in zip(users, persons, strict=True):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = backend
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        cookies[person.pk] = store.session_key

    # Certificates to verify: a closed workshop of three people who completed.
    closed = Workshop.objects.create(
        code="LOAD-2026-002",
        course=course,
        region=region,
        capacity=3,
        status=Workshop.Status.CLOSED,
    )
    started = now - dt.timedelta(days=10)
    Session.objects.create(
        workshop=closed, number=1, starts_at=started, ends_at=started + dt.timedelta(hours=3)
    )
    holders = Person.objects.bulk_create(
        Person(
            document_type="0",
            document_number=f"CERT{n:04d}",
            given_names="María José",
            family_names=f"Ñúñez Huamán {n}",
        )
        for n in range(3)
    )
    registrations = Registration.objects.bulk_create(
        Registration(workshop=closed, person=p, status="confirmed", code=f"LOADC{n:05d}")
        for n, p in enumerate(holders)
    )
    completions = Completion.objects.bulk_create(
        Completion(
            person_id=r.person_id,
            course=course,
            registration=r,
            computed_status="completed",
            status="completed",
            completed_on=started.date(),
        )
        for r in registrations
    )
    valid, revoked, live = (
        certificate_issue(completion=c, render=False).certificate for c in completions
    )
    staff = User.objects.filter(is_superuser=True).first()
    certificate_revoke(revoked, actor=staff, note="Emitido por error (carga)")
    return {
        "session": session,
        "cookies": cookies,
        "valid": valid.identifier,
        "revoked": revoked.identifier,
        "live": live,
        "staff": staff,
        "revoke": lambda certificate: certificate_revoke(
            certificate,
            actor=staff,
            note="Revocado durante la prueba de carga",
            category=ReasonCategory.ISSUED_IN_ERROR,
        ),
    }


@contextlib.contextmanager
def gunicorn(env: dict[str, str], args) -> str:
    port = free_port()
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "lms.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--worker-class",
        args.worker_class,
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
        "--worker-connections",
        str(max(1000, args.connections * 2)),
        "--backlog",
        "2048",
        "--log-level",
        "warning",
    ]
    log = open(Path(env["LMS_DATA_DIR"]) / "gunicorn.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                log.flush()
                sys.exit(
                    "gunicorn exited:\n"
                    + (Path(env["LMS_DATA_DIR"]) / "gunicorn.log").read_text()[-3000:]
                )
            with contextlib.suppress(OSError):
                status, _body = get(port, "/healthz")
                if status == 200:
                    break
            if time.monotonic() > deadline:
                sys.exit("gunicorn did not answer /healthz within 60 s")
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def get(port: int, path: str, cookie: str = "", timeout: float = 60) -> tuple[int, str]:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    headers = {"X-Forwarded-Proto": PROTO, "Accept-Language": "es"}
    if cookie:
        headers["Cookie"] = f"sessionid={cookie}"
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


# --- (1) Check-in -------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def checkin_crowd(port: int, data: dict, args) -> tuple[bool, list[str]]:
    from django.urls import reverse
    from django.utils import translation

    from attendance.models import AttendanceRecord
    from attendance.tokens import make_checkin_token

    session = data["session"]
    people = list(data["cookies"].items())
    doubles = (
        {p for p, _ in people[:: max(1, round(1 / args.double_tap))]} if args.double_tap else set()
    )
    # Contiguous groups, so the double taps (every k-th person) are spread over the bursts.
    size = -(-len(people) // args.waves)
    waves = [people[i * size : (i + 1) * size] for i in range(args.waves)]
    gap = args.window / args.waves
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def visit(person_id: int, cookie: str, barrier: threading.Barrier) -> None:
        barrier.wait()
        # The token the trainer's screen shows now (it rotates every 20 s).
        with translation.override("es"):
            path = reverse("attendance:checkin", args=[session.pk, make_checkin_token(session)])
        begin = time.perf_counter()
        try:
            status, body = get(port, path, cookie)
        except OSError as exc:
            status, body = 0, repr(exc)
        elapsed = time.perf_counter() - begin
        ok = status == 200 and (CHECKED_IN in body or ALREADY in body)
        with lock:
            latencies.append(elapsed)
            if not ok:
                errors.append(f"person {person_id}: HTTP {status} {body[:200]!r}")

    bursts: list[int] = []
    begin = time.monotonic()
    for number, wave in enumerate(waves):
        start = begin + number * gap
        time.sleep(max(0.0, start - time.monotonic()))
        visits = [(p, c) for p, c in wave] + [(p, c) for p, c in wave if p in doubles]
        bursts.append(len(visits))
        barrier = threading.Barrier(len(visits))
        threads = [threading.Thread(target=visit, args=(p, c, barrier)) for p, c in visits]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    duration = time.monotonic() - begin

    rows = list(
        AttendanceRecord.objects.filter(session=session).values_list("person_id", flat=True)
    )
    expected = set(data["cookies"])
    counts: dict[int, int] = {}
    for person_id in rows:
        counts[person_id] = counts.get(person_id, 0) + 1
    missing = expected - set(counts)
    duplicated = [p for p, n in counts.items() if n > 1]
    extra = set(counts) - expected
    correct = not (missing or duplicated or extra)
    lines = [
        f"(1) check-in: {len(expected)} participants, {len(latencies)} requests "
        f"({len(doubles)} double taps) in {args.waves} bursts over {duration:.1f} s, "
        f"of {', '.join(str(n) for n in bursts)} requests at once",
        f"    latency p50 {percentile(latencies, 0.5) * 1000:.0f} ms, "
        f"p95 {percentile(latencies, 0.95) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms; "
        f"errors {len(errors)}",
        f"    database: {len(rows)} attendance records for {len(counts)} people; missing "
        f"{len(missing)}, duplicated {len(duplicated)}, not registered {len(extra)}: "
        + ("exactly once each" if correct else "WRONG"),
    ]
    lines += [f"    {e}" for e in errors[:5]]
    return correct and not errors, lines


# --- (2) Throughput ------------------------------------------------------------------------------


def wrk(port: int, path: str, args) -> dict:
    command = [
        "wrk",
        f"-t{args.wrk_threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--timeout",
        "10s",
        "--latency",
        "-H",
        f"X-Forwarded-Proto: {PROTO}",
        "-H",
        "Accept-Language: es",
        f"http://{HOST}:{port}{path}",
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)

    def latency(label):
        match = re.search(rf"\s{label}\s+([\d.]+)(us|ms|s)\b", out)
        value, unit = float(match.group(1)), match.group(2)
        return value * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return {
        "rate": rate,
        "requests": total,
        "bad": int(bad.group(1)) if bad else 0,
        "socket_errors": sum(int(n) for n in errors.groups()) if errors else 0,
        "p50": latency("50%"),
        "p99": latency("99%"),
    }


def check_pages(port: int, data: dict) -> list[str]:
    """The page says what it must, and a revocation shows on the very next request."""
    problems = []
    checks = [
        (f"/v/{data['valid']}", 200, VALID),
        (f"/v/{data['revoked']}", 200, REVOKED),
        (f"/api/v1/verify/{data['valid']}", 200, '"state":"valid"'),
    ]
    live = data["live"]
    checks.append((f"/v/{live.identifier}", 200, VALID))
    for path, status, text in checks:
        got, body = get(port, path)
        if got != status or text not in body:
            problems.append(f"{path}: HTTP {got}, {text!r} {'missing' if text not in body else ''}")
    data["revoke"](live)
    for path, text in (
        (f"/v/{live.identifier}", REVOKED),
        (f"/api/v1/verify/{live.identifier}", '"state":"revoked"'),
    ):
        got, body = get(port, path)
        if got != 200 or text not in body:
            problems.append(f"{path} right after revoking: HTTP {got}, {text!r} missing")
    return problems


def throughput(port: int, data: dict, args) -> list[str]:
    targets = [
        ("/healthz (the first middleware answers)", "/healthz"),
        ("trivial view /robots.txt", "/robots.txt"),
        ("verification page /v/<id>", f"/v/{data['valid']}"),
        ("verification JSON /api/v1/verify/<id>", f"/api/v1/verify/{data['valid']}"),
    ]
    results: dict[str, list[dict]] = {label: [] for label, _ in targets}
    for _run in range(args.runs):
        for label, path in targets:
            results[label].append(wrk(port, path, args))
    health = statistics.median(r["rate"] for r in results[targets[0][0]])
    base = statistics.median(r["rate"] for r in results[targets[1][0]])
    lines = [
        f"(2) throughput: wrk -t{args.wrk_threads} -c{args.connections} -d{args.duration}s, "
        f"{args.runs} runs each in turn, medians; ratios to the trivial view and to /healthz",
        f"    {'endpoint':<40}{'req/s':>9}{'÷trivial':>9}{'÷healthz':>9}{'p50 ms':>9}"
        f"{'p99 ms':>9}{'errors':>8}  runs (req/s)",
    ]
    for label, _path in targets:
        runs = results[label]
        rate = statistics.median(r["rate"] for r in runs)
        lines.append(
            f"    {label:<40}{rate:>9.0f}{rate / base:>9.0%}{rate / health:>9.0%}"
            f"{statistics.median(r['p50'] for r in runs):>9.1f}"
            f"{statistics.median(r['p99'] for r in runs):>9.1f}"
            f"{sum(r['bad'] + r['socket_errors'] for r in runs):>8}"
            "  " + ", ".join(f"{r['rate']:.0f}" for r in runs)
        )
    # Each round measures the trivial view and the page one after the other: their ratio within
    # a round is spared the drift between rounds (other machines' load on the same host).
    rounds = [
        page["rate"] / trivial["rate"]
        for trivial, page in zip(results[targets[1][0]], results[targets[2][0]], strict=True)
    ]
    ratio = statistics.median(rounds)
    verdict = "met" if ratio >= 0.7 else "NOT met"
    lines.append(
        f"    verification page / trivial view, round by round: "
        f"{', '.join(f'{r:.0%}' for r in rounds)}; median {ratio:.0%} (target >= 70%: {verdict})"
    )
    return lines


# --- Main ----------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--window", type=float, default=60, help="seconds the arrivals span")
    parser.add_argument("--waves", type=int, default=4, help="bursts of simultaneous arrivals")
    parser.add_argument(
        "--double-tap", type=float, default=0.25, help="share of participants who tap twice"
    )
    parser.add_argument("--worker-class", default="gthread")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--connections", type=int, default=64, help="wrk connections")
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--duration", type=int, default=8, help="seconds per wrk run")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/bench_load")
    parser.add_argument(
        "--floor",
        type=float,
        default=None,
        help="LMS_VERIFY_MIN_SECONDS for gunicorn (default: the setting's, 0: no floor); "
        "to measure what a floor costs",
    )
    parser.add_argument("--skip-checkin", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the database and data folder")
    args = parser.parse_args()

    name = database_name(args.pg)
    data_dir = Path(tempfile.mkdtemp(prefix="lms-load-"))
    env = production_environment(data_dir, args.pg)
    if args.floor is not None:
        env["LMS_VERIFY_MIN_SECONDS"] = str(args.floor)
    os.environ.update(env)
    admin = admin_connection(args.pg)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{name}"')
    ok = True
    try:
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.cache import cache

        cache.clear()  # no page kept from an earlier run
        begin = time.perf_counter()
        data = seed(args.participants)
        from django.conf import settings

        print(f"Load on loopback: gunicorn + PostgreSQL database {name}")
        print(
            f"Python {platform.python_version()}, {platform.machine()}, "
            f"{len(os.sched_getaffinity(0))} cores shared by gunicorn, PostgreSQL, wrk and this "
            f"script; load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
        )
        print(
            f"gunicorn --worker-class {args.worker_class} --workers {args.workers} "
            f"--threads {args.threads}; lms.settings.production; verification floor "
            f"{settings.LMS_VERIFY_MIN_SECONDS} s; seeded in "
            f"{time.perf_counter() - begin:.1f} s"
        )
        from django.db import connections

        connections.close_all()
        with gunicorn(env, args) as port:
            if not args.skip_checkin:
                correct, lines = checkin_crowd(port, data, args)
                ok &= correct
                print("\n".join(lines))
            problems = check_pages(port, data)
            if problems:
                ok = False
                print("verification pages: WRONG\n    " + "\n    ".join(problems))
            else:
                print(
                    "verification pages: valid and revoked answered right; a revocation shows "
                    "on the very next request"
                )
            print("\n".join(throughput(port, data, args)))
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        from django.db import connections

        connections.close_all()
        if args.keep:
            print(f"kept: database {name}, data folder {data_dir}")
        else:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            shutil.rmtree(data_dir, ignore_errors=True)
        admin.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
