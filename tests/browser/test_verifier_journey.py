"""A verifier (an employer, a hiring committee) opens the public verification page of a valid and of
a revoked certificate, as printed under the QR code, and reads the status."""

import re

import pytest
from playwright.sync_api import expect

from certificates.models import ReasonCategory
from certificates.services import certificate_issue, certificate_revoke, eligible_completions
from tests.certificates.factories import completed_workshop, default_templates
from tests.factories import Role, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PRIVATE_NOTE = "Denuncia interna N.° 123: no publicar"


@pytest.fixture
def issued():
    default_templates()
    workshop = completed_workshop(
        code="LIM-2026-031", names=[("Rosa", "Alva Quispe"), ("Luis", "Benites Rojas")]
    )
    valid, revoked = (
        certificate_issue(completion=c, render=False).certificate
        for c in eligible_completions(workshop)
    )
    certificate_revoke(
        revoked,
        actor=UserFactory(role=Role.PROGRAM_STAFF),
        note=PRIVATE_NOTE,
        category=ReasonCategory.MISCONDUCT,
    )
    return valid, revoked


def test_a_verifier_sees_a_valid_and_a_revoked_certificate(page, issued, check):
    valid, revoked = issued

    page.goto(f"/v/{valid.display_identifier}")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Certificado válido")
    expect(page.locator(".verify-summary")).to_contain_text(
        "Este certificado fue emitido por Programa Nacional de Integridad y es válido."
    )
    expect(page.locator(".verify-holder")).to_have_text("Rosa Alva Quispe")
    expect(page.locator(".verify-code")).to_have_text(valid.display_identifier)
    check(page, "verifier-1-valid")

    # Typed as a person reads it off the paper: lower case, without the dashes.
    typed = re.sub(r"[^0-9A-Z]", "", revoked.display_identifier).lower()
    page.goto(f"/v/{typed}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Certificado revocado")
    expect(page.locator(".verify-summary")).to_contain_text("ya no es válido")
    expect(page.get_by_text("Conducta indebida o fraude")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Denuncia interna")
    check(page, "verifier-2-revoked")
