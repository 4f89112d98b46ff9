"""Benchmark certificate issuance end to end: database rows, QR codes, PDFs and storage.

    .venv/bin/python bench/certificates.py [--people 1000] [--baseline 100] [--workers 0]

Uses a throwaway database like the other benchmarks (SQLite in a temporary folder, or with
DATABASE_URL=postgres://... a database created and dropped on that server). It seeds the demo,
then a closed workshop of N people who all completed, and measures in the same run:

  (0) baseline   a plain loop that renders each certificate with WeasyPrint from scratch
                 (new font configuration, stylesheets parsed again, every field in the HTML) and
                 writes it to storage; run on the first --baseline certificates.
  (a) bulk, 1    bulk_issue(): rows committed in batches, the design rendered once by WeasyPrint,
                 per-person fields stamped, PDFs stored; in this process only.
  (b) bulk, N    the same with the stamping spread over worker processes (--workers, 0 = one per
                 core); a fresh workshop of N people so nothing is reused from (a).
  (c) automatic  what closing a workshop hands over after the commit (certificates.automatic:
                 issue_completions() of its N decisions: checks, bulk issue, every holder emailed
                 with the PDF attached, to Django's in-memory mail backend); a fresh workshop.

Every PDF of (a) and (b) is checked afterwards (size, %PDF header, one per person) and one of
each is decoded (QR with zxing-cpp, text with pdftotext, the embedded Open Badges credential with
pdfdetach and its proof checked) so the speed is not bought with a broken file. Figures are
printed, not asserted. The baseline embeds no credential; (a) and (b) sign one per certificate.
"""

import argparse
import datetime as dt
import io
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The project root goes first: this file's name would otherwise hide the certificates app (also in
# the worker processes, which inherit sys.path).
sys.path[0:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent)]

from import_participants import throwaway_database  # noqa: E402 - after the path set-up

NAMES = [
    ("María José", "Ñúñez Huamán"),
    ("José Ángel", "Quispe Mamani"),
    ("Ana Lucía", "Fernández Ccori"),
    ("Jesús", "Peña Villanueva"),
    ("Rocío del Pilar", "Huayta Condorí"),
]


def build_workshop(code: str, people: int):
    """A closed workshop whose N registrations all have a completed decision (bulk inserts)."""
    from django.utils import timezone
    from wagtail.models import Locale

    from assessments.models import Completion
    from attendance.models import Registration, Session, Workshop
    from courses.models import CoursePage
    from lms.models import Person, Region

    course = CoursePage.objects.get(code="ETI-101", locale=Locale.get_default())
    workshop = Workshop.objects.create(
        code=code,
        course=course,
        region=Region.objects.get(code="1601"),
        capacity=people,
        status=Workshop.Status.CLOSED,
    )
    start = timezone.now() - dt.timedelta(days=10)
    for n in range(1, 4):
        begin = start + dt.timedelta(days=n - 1)
        Session.objects.create(
            workshop=workshop, number=n, starts_at=begin, ends_at=begin + dt.timedelta(hours=3)
        )
    persons = Person.objects.bulk_create(
        Person(
            document_type="0",  # "other": no DNI check digit needed for made-up numbers
            document_number=f"{code[-3:]}{n:05d}",
            given_names=NAMES[n % len(NAMES)][0],
            family_names=f"{NAMES[n % len(NAMES)][1]} {n}",
        )
        for n in range(people)
    )
    registrations = Registration.objects.bulk_create(
        Registration(workshop=workshop, person=p, status="confirmed", code=f"B{code[-3:]}{n:06d}")
        for n, p in enumerate(persons)
    )
    day = (start + dt.timedelta(days=2)).date()
    Completion.objects.bulk_create(
        Completion(
            person_id=r.person_id,
            course=course,
            registration=r,
            computed_status="completed",
            status="completed",
            completed_on=day,
        )
        for r in registrations
    )
    return workshop


def check(workshop, people: int) -> str:
    """Every live certificate has a stored PDF; decode one: the QR is its URL with a signed payload
    that verifies, the name is there, the embedded Open Badges credential's proof holds."""
    import zxingcpp
    from django.core.files.storage import storages
    from PIL import Image

    from certificates import keys as issuer_keys
    from certificates.dataintegrity import proof_check
    from certificates.models import Certificate
    from certificates.signed_qr import qr_address, verify_qr

    certificates = list(Certificate.objects.filter(registration__workshop=workshop))
    assert len(certificates) == people, f"{len(certificates)} certificates for {people} people"
    storage = storages["private"]
    for certificate in certificates:
        assert certificate.pdf, certificate.identifier
        with storage.open(certificate.pdf, "rb") as fh:
            assert fh.read(5) == b"%PDF-"
    sample = certificates[len(certificates) // 2]
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "c.pdf"
        with storage.open(sample.pdf, "rb") as fh:
            pdf.write_bytes(fh.read())
        subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", pdf, Path(tmp) / "c"])
        codes = [b.text for b in zxingcpp.read_barcodes(Image.open(Path(tmp) / "c.png"))]
        text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout
        listing = subprocess.run(["pdfdetach", "-list", pdf], capture_output=True, text=True)
        credential = None
        if "credential.json" in listing.stdout:
            subprocess.run(["pdfdetach", "-save", "1", "-o", Path(tmp) / "c.json", pdf], check=True)
            credential = json.loads((Path(tmp) / "c.json").read_bytes())
    if credential is not None:
        key = issuer_keys.signing_key().public_key_bytes
        assert credential["id"].endswith(sample.identifier), credential["id"]
        proof_check(credential, key)
    assert len(codes) == 1 and codes[0].split("#")[0] == qr_address(sample.identifier), codes
    signed = verify_qr(codes[0])
    assert signed.valid and signed.claims["identifier"] == sample.identifier, signed.problem
    assert sample.holder_name in text, sample.holder_name
    size = sum(storage.size(c.pdf) for c in certificates) / len(certificates)
    return f"{len(certificates)} PDFs checked, {size / 1024:.0f} KiB each on average"


def run(people: int, baseline: int, workers: int, where: str) -> int:
    from django.conf import settings
    from django.core import mail
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages
    from django.core.management import call_command

    from assessments.models import Completion
    from certificates.automatic import issue_completions
    from certificates.demo import templates_ensure
    from certificates.models import Certificate
    from certificates.rendering import render_full, worker_count
    from certificates.services import bulk_issue, certificate_issue, eligible_completions
    from lms.models import Person

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("migrate", verbosity=0)
    call_command("seed_demo", participants=120, stdout=io.StringIO())
    templates_ensure()
    size = worker_count(workers or None)

    # (0) baseline: WeasyPrint from scratch for each certificate.
    base_workshop = build_workshop("BEN-2026-000", baseline)
    storage = storages["private"]
    begin = time.perf_counter()
    for completion in eligible_completions(base_workshop):
        certificate = certificate_issue(completion=completion, render=False).certificate
        data = render_full(certificate, fresh=True)
        storage.save(f"bench/{certificate.identifier}.pdf", ContentFile(data))
        Certificate.objects.filter(pk=certificate.pk).update(pdf=f"bench/{certificate.identifier}")
    zero = time.perf_counter() - begin

    results = {}
    for label, code, count in (("a", "BEN-2026-001", 1), ("b", "BEN-2026-002", size)):
        workshop = build_workshop(code, people)
        begin = time.perf_counter()
        outcome = bulk_issue(workshop, workers=count)
        results[label] = (time.perf_counter() - begin, outcome, check(workshop, people))

    workshop = build_workshop("BEN-2026-003", people)
    Person.objects.filter(registrations__workshop=workshop).update(email="bench@example.pe")
    ids = list(
        Completion.objects.filter(registration__workshop=workshop).values_list("pk", flat=True)
    )
    settings.LMS_CERTIFICATE_WORKERS = size
    begin = time.perf_counter()
    automatic_outcome = issue_completions(ids)
    c = time.perf_counter() - begin
    c_check = check(workshop, people)

    a, b = results["a"][0], results["b"][0]
    print(f"Certificate issuance benchmark on {where}")
    print(
        f"Python {platform.python_version()}, {platform.machine()}, "
        f"{len(os.sched_getaffinity(0))} cores available"
    )
    print(f"{'case':<46}{'certs':>7}{'seconds':>9}{'certs/s':>9}")
    print(
        f"{'(0) baseline: WeasyPrint from scratch, 1 proc':<46}{baseline:>7}{zero:>9.2f}"
        f"{baseline / zero:>9.1f}"
    )
    print(
        f"{'(a) bulk issue, design once + stamping, 1 proc':<46}{people:>7}{a:>9.2f}"
        f"{people / a:>9.1f}"
    )
    print(
        f"{f'(b) bulk issue, {size} stamping processes':<46}{people:>7}{b:>9.2f}{people / b:>9.1f}"
    )
    print(
        f"{f'(c) automatic at close, {size} processes, emailed':<46}{people:>7}{c:>9.2f}"
        f"{people / c:>9.1f}"
    )
    print(
        f"(a) is {(people / a) / (baseline / zero):.1f}x the baseline; "
        f"(b) is {(people / b) / (baseline / zero):.1f}x; (c) is {b / c:.2f}x (b)"
    )
    print(f"(c) {c_check}; {automatic_outcome}; {len(mail.outbox)} emails")
    for label in "ab":
        print(
            f"({label}) {results[label][2]}; {results[label][1].as_dict()['pdfs_rendered']} rendered"
        )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--baseline", type=int, default=100)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument(
        "--without-credential",
        action="store_true",
        help="embed no Open Badges credential in the PDFs (to measure what signing one costs)",
    )
    args = parser.parse_args()
    with throwaway_database() as where:
        if args.without_credential:
            from certificates import rendering

            rendering.certificate_credentials = lambda certificates: [None] * len(certificates)
            rendering.certificate_credential = lambda certificate: None
        return run(args.people, args.baseline, args.workers, where)


if __name__ == "__main__":
    sys.exit(main())
