"""Fixtures shared by the certificate tests."""

import pytest

from certificates.services import certificate_issue, eligible_completions
from tests.certificates.factories import completed_workshop, default_templates


@pytest.fixture
def keydir(settings, tmp_path):
    """Issuer keys of the test's own, created in a temporary folder when first needed."""
    settings.LMS_ISSUER_KEY_DIR = tmp_path / "keys"
    settings.LMS_ISSUER_KEY = ""
    settings.LMS_ISSUER_SIGNER = ""
    settings.LMS_ISSUER_KEY_AUTOCREATE = True
    return settings.LMS_ISSUER_KEY_DIR


@pytest.fixture
def certificates(participant_user):
    """Rosa Alva's (her login is participant_user) and Luis Benites' certificates, issued
    without their PDFs (rendered when first asked for)."""
    default_templates()
    workshop = completed_workshop(
        code="LIM-2026-021", names=[("Rosa", "Alva Quispe"), ("Luis", "Benites Rojas")]
    )
    alva, benites = (
        certificate_issue(completion=c, render=False).certificate
        for c in eligible_completions(workshop)
    )
    alva.person.user = participant_user
    alva.person.email = "Rosa.Alva@Contraloria.gob.pe"
    alva.person.save()
    return alva, benites
