"""The page a QR code opens is kept rendered, and forgotten the moment anything it shows changes."""

import pytest
from django.core.cache import cache

from assessments.models import Completion
from certificates.models import Certificate
from certificates.services import certificate_issue, certificate_revoke, certificate_suspend
from certificates.verification import verification_counts_flush
from lms.services.privacy import person_anonymise
from tests.certificates.factories import completed_workshop, default_templates

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def certificate() -> Certificate:
    default_templates()
    workshop = completed_workshop(code="AYA-2026-012", names=[("Elena", "Quispe Huamán")])
    completion = Completion.objects.get(registration__workshop=workshop)
    return certificate_issue(completion=completion).certificate


def test_the_second_scan_is_answered_without_the_database(
    client, certificate, settings, django_assert_num_queries
):
    settings.LMS_VERIFY_COUNT_SECONDS = 3600  # counts stay in the process until written
    first = client.get(f"/v/{certificate.identifier}")
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = client.get(f"/v/{certificate.identifier}")
    assert second.status_code == 200
    assert second.content == first.content
    assert "Elena Quispe Huamán" in second.content.decode()
    # The same private headers as a rendered answer.
    assert second["Cache-Control"] == "no-store"
    assert second["X-Robots-Tag"] == "noindex, nofollow"
    assert second["Content-Language"] == "es"

    certificate.refresh_from_db()
    assert certificate.verification_count == 0
    verification_counts_flush()
    certificate.refresh_from_db()
    assert certificate.verification_count == 2
    assert certificate.last_verified_at is not None


def test_a_revocation_shows_on_the_very_next_scan(client, certificate, staff_user):
    assert "verify-valid" in client.get(f"/v/{certificate.identifier}").content.decode()
    assert "verify-valid" in client.get(f"/v/{certificate.identifier}").content.decode()

    certificate_revoke(certificate, actor=staff_user, note="Asistencia falsificada")

    after = client.get(f"/v/{certificate.identifier}").content.decode()
    assert "verify-revoked" in after
    assert "verify-valid" not in after


def test_each_address_and_language_is_kept_apart_and_all_are_forgotten(
    client, certificate, staff_user
):
    addresses = [
        (f"/v/{certificate.identifier}", {}),
        (f"/V/{certificate.identifier}", {}),
        (f"/v/{certificate.identifier}?lang=en", {}),
        (f"/v/{certificate.identifier}", {"HTTP_ACCEPT_LANGUAGE": "en"}),
    ]
    english = {False: "Válido", True: "Valid"}
    for url, headers in addresses:
        for _ in range(2):  # rendered, then kept
            body = client.get(url, **headers).content.decode()
            in_english = "lang=en" in url or headers
            assert english[bool(in_english)] in body

    certificate_suspend(certificate, actor=staff_user, note="Revisión de asistencia")

    for url, headers in addresses:
        assert "verify-suspended" in client.get(url, **headers).content.decode()


def test_an_erased_holder_disappears_from_the_kept_page(client, certificate, staff_user):
    for _ in range(2):
        kept = client.get(f"/v/{certificate.identifier}?lang=en").content.decode()
        assert "Elena Quispe Huamán" in kept

    person_anonymise(certificate.person, actor=staff_user, reason="Solicitud de cancelación")

    after = client.get(f"/v/{certificate.identifier}?lang=en").content.decode()
    assert "Elena Quispe Huamán" not in after
    assert "personal data was removed at their request" in after


def test_addresses_with_other_parameters_are_rendered_each_time(
    client, certificate, django_assert_max_num_queries
):
    client.get(f"/v/{certificate.identifier}?utm_source=qr")
    with django_assert_max_num_queries(10) as queries:
        response = client.get(f"/v/{certificate.identifier}?utm_source=qr")
    assert len(queries) > 0  # looked up again: the language links carry the parameter
    assert "utm_source=qr" in response.content.decode()


def test_a_refused_address_is_refused_even_for_a_kept_page(client, certificate, settings):
    settings.LMS_VERIFY_FAILURES_ALLOWED = 2
    assert client.get(f"/v/{certificate.identifier}").status_code == 200  # now kept
    for _ in range(2):
        assert client.get("/v/0000-0000-0000-0000-0000-0000-0000").status_code in (400, 404)
    assert client.get(f"/v/{certificate.identifier}").status_code == 429
