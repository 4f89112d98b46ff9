"""issue_certificates (the bulk job from the command line; safe to run again, also after a crash)
and revoke_certificate (with its reason, by whom)."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from certificates import services
from certificates.identifiers import display_identifier, new_identifier
from certificates.models import Certificate
from certificates.services import certificate_issue, eligible_completions
from tests.certificates.factories import completed_workshop, default_templates

pytestmark = pytest.mark.django_db

NAMES = [("Rosa", "Alva Quispe"), ("Luis", "Benites Rojas"), ("María José", "Ñúñez Huamán")]


@pytest.fixture
def lima():
    default_templates()
    return completed_workshop(code="LIM-2026-021", names=NAMES)


def issue(*args) -> str:
    out = StringIO()
    call_command("issue_certificates", *args, "--no-progress", stdout=out, stderr=StringIO())
    return out.getvalue()


def live(workshop):
    return Certificate.objects.filter(
        registration__workshop=workshop, status__in=["valid", "suspended"]
    )


def assert_everyone_has_one_certificate_with_its_pdf(workshop):
    completed = {c.registration_id for c in eligible_completions(workshop)}
    certificates = list(live(workshop))
    assert sorted(c.registration_id for c in certificates) == sorted(completed)  # no duplicates
    assert Certificate.objects.filter(registration__workshop=workshop).count() == len(completed)
    storage = services._storage()
    for certificate in certificates:
        assert certificate.pdf and certificate.pdf_sha256
        assert storage.exists(certificate.pdf)


# --- issue_certificates -----------------------------------------------------------------------


def test_issue_twice_issues_once_and_says_so(lima, english):
    # Two of the three have an email address: each is sent their certificate, once.
    for registration in lima.registrations.order_by("pk")[:2]:
        registration.person.email = f"persona{registration.pk}@example.pe"
        registration.person.save()

    first = issue("LIM-2026-021")
    assert (
        "3 completed; 3 issued, 0 already issued, 0 skipped; 3 PDFs rendered; 2 holders emailed."
        in first
    )
    assert_everyone_has_one_certificate_with_its_pdf(lima)
    assert len(mail.outbox) == 2
    assert all(m.attachments[0][2] == "application/pdf" for m in mail.outbox)

    second = issue("lim-2026-021", "--language", "es", "--workers", "1")
    assert (
        "3 completed; 0 issued, 3 already issued, 0 skipped; 0 PDFs rendered; 0 holders emailed."
        in second
    )
    assert_everyone_has_one_certificate_with_its_pdf(lima)
    assert len(mail.outbox) == 2


def test_issue_in_english(lima):
    issue("LIM-2026-021", "--language", "en")
    assert set(live(lima).values_list("language", flat=True)) == {"en"}


def test_an_unknown_workshop_code_is_a_clear_error(db, english):
    with pytest.raises(CommandError, match="No workshop has the code XYZ-0000-000"):
        issue("XYZ-0000-000")


def test_a_crash_while_rendering_then_a_second_run_completes_without_duplicates(
    lima, monkeypatch, english
):
    real_store = services.certificate_pdf_store
    stored = []

    def store_then_crash(certificate, data):
        if len(stored) == 1:
            raise OSError("No space left on device")
        real_store(certificate, data)
        stored.append(certificate.pk)

    monkeypatch.setattr(services, "certificate_pdf_store", store_then_crash)
    with pytest.raises(CommandError, match="No space left on device"):
        issue("LIM-2026-021")
    assert live(lima).count() == 3  # the rows were committed before rendering
    assert live(lima).exclude(pdf="").count() == 1

    monkeypatch.setattr(services, "certificate_pdf_store", real_store)
    out = issue("LIM-2026-021")

    assert "0 issued, 3 already issued, 0 skipped; 2 PDFs rendered;" in out
    assert_everyone_has_one_certificate_with_its_pdf(lima)


def test_a_crash_while_issuing_keeps_the_committed_batches_and_a_rerun_finishes(
    lima, monkeypatch, english
):
    real_batch = services._issue_batch
    batches = []

    def batch_then_crash(completions, **kwargs):
        if len(batches) == 1:
            raise ConnectionError("database went away")
        batches.append(len(completions))
        return real_batch(completions, **kwargs)

    monkeypatch.setattr(services, "BATCH", 1)  # one person per committed batch
    monkeypatch.setattr(services, "_issue_batch", batch_then_crash)
    with pytest.raises(CommandError, match="database went away"):
        issue("LIM-2026-021")
    assert live(lima).count() == 1  # the first batch was committed, the second never was

    monkeypatch.setattr(services, "_issue_batch", real_batch)
    out = issue("LIM-2026-021")

    assert "2 issued, 1 already issued, 0 skipped; 3 PDFs rendered;" in out
    assert_everyone_has_one_certificate_with_its_pdf(lima)


# --- revoke_certificate -----------------------------------------------------------------------


@pytest.fixture
def certificate(lima):
    return certificate_issue(completion=eligible_completions(lima).first()).certificate


def revoke(*args) -> str:
    out = StringIO()
    call_command("revoke_certificate", *args, stdout=out)
    return out.getvalue()


def test_revoke_with_a_reason_by_a_staff_member(certificate, staff_user, english):
    typed = display_identifier(certificate.identifier).lower()

    out = revoke(
        typed,
        "--reason",
        "Suplantación de identidad",
        "--category",
        "identity",
        "--by",
        staff_user.email.upper(),
    )

    assert f"Certificate {certificate.display_identifier} revoked." in out
    certificate.refresh_from_db()
    assert certificate.status == "revoked" and certificate.status_category == "identity"
    event = certificate.events.last()
    assert (event.action, event.note, event.actor) == (
        "revoked",
        "Suplantación de identidad",
        staff_user,
    )


def test_revoke_without_a_reason_is_refused(certificate, english):
    with pytest.raises(CommandError, match="Give the reason"):
        revoke(certificate.identifier)
    with pytest.raises(CommandError, match="Give the reason"):
        revoke(certificate.identifier, "--reason", "   ")
    certificate.refresh_from_db()
    assert certificate.status == "valid" and certificate.events.count() == 1


def test_suspend_instead_of_revoking(certificate, english):
    out = revoke(certificate.identifier, "--suspend", "--reason", "Denuncia en revisión")
    assert "suspended" in out
    certificate.refresh_from_db()
    assert certificate.status == "suspended" and certificate.status_category == "under_review"
    assert certificate.events.last().actor is None


def test_clear_errors_for_bad_input(certificate, participant_user, english):
    with pytest.raises(CommandError, match="not a certificate identifier"):
        revoke("K7QM-3X9D", "--reason", "x")
    wrong_check = certificate.identifier[:-2] + (
        "00" if certificate.identifier[-2:] != "00" else "11"
    )
    with pytest.raises(CommandError, match="not a certificate identifier"):
        revoke(wrong_check, "--reason", "x")
    unknown = new_identifier()
    with pytest.raises(CommandError, match="No certificate has the identifier"):
        revoke(unknown, "--reason", "x")
    with pytest.raises(CommandError, match="Unknown reason category"):
        revoke(certificate.identifier, "--reason", "x", "--category", "whim")
    with pytest.raises(CommandError, match="No user has the email"):
        revoke(certificate.identifier, "--reason", "x", "--by", "nadie@example.pe")
    with pytest.raises(CommandError, match="may not change certificates"):
        revoke(certificate.identifier, "--reason", "x", "--by", participant_user.email)
    certificate.refresh_from_db()
    assert certificate.status == "valid"
