"""Public verification: what a verifier sees for each state, in the page and the JSON, and what
the page never shows or keeps (personal data, the verifier's address)."""

import datetime as dt
import time

import pytest
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from assessments.models import Completion
from certificates.identifiers import ALPHABET, display_identifier, new_identifier
from certificates.models import Certificate, ReasonCategory
from certificates.services import (
    certificate_issue,
    certificate_reissue,
    certificate_revoke,
    certificate_suspend,
)
from certificates.verification import rate_limit_key, verification_lookup
from lms.privacy import ANONYMISED_HOLDER
from lms.services.privacy import person_anonymise
from tests.certificates.factories import completed_workshop, default_templates

pytestmark = pytest.mark.django_db

PRIVATE_NOTE = "Nota interna: denuncia 2026-117 presentada por Rosa Mamani"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def workshop():
    default_templates()
    return completed_workshop(code="CUS-2026-004", people=2)


def _issue(workshop, index=0) -> Certificate:
    completions = Completion.objects.filter(registration__workshop=workshop).order_by("pk")
    return certificate_issue(completion=completions[index]).certificate


@pytest.fixture
def certificate(workshop) -> Certificate:
    return _issue(workshop)


def es(msgid: str, **values) -> str:
    """The Spanish wording a verifier reads (through the catalog, as the page renders it)."""
    with translation.override("es"):
        text = gettext(msgid)
    return text % values if values else text


def es_date(day) -> str:
    with translation.override("es"):
        return date_format(day, "DATE_FORMAT")


def page(client, identifier: str, **extra):
    return client.get(f"/v/{identifier}", **extra)


def api(client, identifier: str, **extra):
    return client.get(f"/api/v1/verify/{identifier}", **extra)


def mistyped(identifier: str) -> str:
    """The identifier with its last check character changed: the check no longer matches."""
    last = identifier[-1]
    return identifier[:-1] + (ALPHABET[1] if last == ALPHABET[0] else ALPHABET[0])


def unknown_identifier() -> str:
    identifier = new_identifier()
    assert not Certificate.objects.filter(identifier=identifier).exists()
    return identifier


# --- The page, state by state (Spanish, the default) ----------------------------------------


def test_valid_certificate_page_shows_what_it_certifies(client, certificate):
    response = page(client, certificate.identifier)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="es">' in html
    assert es("Valid certificate") in html
    assert (
        es(
            "This certificate was issued by %(issuer)s and is valid.",
            issuer="Programa Nacional de Integridad",
        )
        in html
    )
    for shown in (
        certificate.holder_name,
        certificate.course_title,
        "CUS-2026-004",
        certificate.region_name,
        "Programa Nacional de Integridad",
        certificate.display_identifier,
        es_date(certificate.completed_on),
        es_date(timezone.localtime(certificate.issued_at).date()),
    ):
        assert shown and shown in html
    assert es("Awarded to") in html and es("Contact hours") in html


def test_expired_certificate_page_says_when_it_expired(client, certificate):
    ended = timezone.localdate() - dt.timedelta(days=3)
    Certificate.objects.filter(pk=certificate.pk).update(valid_until=ended)
    html = page(client, certificate.identifier).content.decode()
    assert es("Expired certificate") in html
    assert es_date(ended) in html
    assert es("Valid certificate") not in html


def test_suspended_certificate_page_gives_date_reason_and_issuer(client, certificate, staff_user):
    certificate_suspend(
        certificate, actor=staff_user, note=PRIVATE_NOTE, category=ReasonCategory.UNDER_REVIEW
    )
    html = page(client, certificate.identifier).content.decode()
    assert es("Suspended certificate") in html
    assert es_date(timezone.localdate()) in html
    assert es("Under review") in html
    assert (
        es("Contact the issuer, %(issuer)s, to ask about its current status.")
        % {"issuer": "Programa Nacional de Integridad"}
        in html
    )
    assert PRIVATE_NOTE not in html


def test_revoked_certificate_page_gives_date_and_reason_never_the_note(
    client, certificate, staff_user
):
    certificate_revoke(
        certificate, actor=staff_user, note=PRIVATE_NOTE, category=ReasonCategory.MISCONDUCT
    )
    html = page(client, certificate.identifier).content.decode()
    assert es("Revoked certificate") in html
    assert es("Misconduct or fraud") in html
    assert es_date(timezone.localdate()) in html
    assert PRIVATE_NOTE not in html and "denuncia" not in html


def test_superseded_certificate_page_links_to_the_new_one(client, certificate, staff_user):
    newer = certificate_reissue(certificate, actor=staff_user, note="Nombre corregido")
    html = page(client, certificate.identifier).content.decode()
    assert es("Replaced certificate") in html
    assert f'href="/v/{newer.identifier}"' in html
    assert es("Verify the new certificate") in html
    # The new one is valid and says nothing about the note that replaced the old one.
    newer_html = page(client, newer.identifier).content.decode()
    assert es("Valid certificate") in newer_html
    assert "Nombre corregido" not in newer_html


def test_unknown_identifier_page_says_what_it_means_and_what_to_check(client, certificate):
    identifier = unknown_identifier()
    response = page(client, identifier)
    assert response.status_code == 404
    html = response.content.decode()
    assert es("Certificate not found") in html
    assert display_identifier(identifier) in html
    assert es("The identifier is well-formed, so it is probably not a typing error.") in html
    assert es("What to check") in html
    assert certificate.holder_name not in html


def test_mistyped_identifier_page_says_it_is_a_typo(client, certificate):
    response = page(client, mistyped(certificate.identifier))
    html = response.content.decode()
    assert response.status_code == 400
    assert es("The identifier has a typo") in html
    assert es("Its check characters do not match, so at least one character is wrong.") in html
    assert es("Certificate not found") not in html
    assert certificate.holder_name not in html


def test_identifier_of_the_wrong_length_says_how_long_it_should_be(client, workshop):
    html = client.get("/v/", {"id": "K7QM-3X9D"}).content.decode()
    assert es("The identifier has a typo") in html
    assert "28" in html and "8." in html


def test_page_in_english(client, certificate):
    response = page(client, certificate.identifier, data={"lang": "en"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert response.headers["Content-Language"] == "en"
    assert "Valid certificate" in html
    assert "This certificate was issued by Programa Nacional de Integridad and is valid." in html
    assert "Awarded to" in html
    # The switch back to Spanish keeps the certificate.
    assert f'href="/v/{certificate.identifier}?lang=es"' in html


def test_browser_language_is_followed_and_the_switch_keeps_the_identifier(client, certificate):
    html = page(client, certificate.identifier, headers={"accept-language": "en"}).content.decode()
    assert "Valid certificate" in html
    spanish = page(client, certificate.identifier).content.decode()
    assert f'href="/v/{certificate.identifier}?lang=en"' in spanish


# --- What the page and the JSON never show, and how they are served ---------------------------


def test_no_personal_data_beyond_what_the_certificate_prints(client, workshop, staff_user):
    registration = workshop.registrations.order_by("pk").first()
    person = registration.person
    person.email = "maria.quispe.privado@example.org"
    person.birth_date = dt.date(1987, 3, 14)
    person.save()
    certificate = certificate_issue(completion=registration.completion).certificate
    certificate_suspend(
        certificate, actor=staff_user, note=PRIVATE_NOTE, category=ReasonCategory.IDENTITY
    )
    answers = [
        page(client, certificate.identifier).content.decode(),
        page(client, certificate.identifier, data={"lang": "en"}).content.decode(),
        api(client, certificate.identifier).content.decode(),
    ]
    for text in answers:
        assert certificate.holder_name in text
        for private in (
            person.email,
            person.document_number,
            "1987-03-14",
            "14/03/1987",
            es_date(person.birth_date),
            str(person.public_id),
            PRIVATE_NOTE,
        ):
            assert private not in text


def test_pages_and_json_are_not_indexed_cached_or_referred(client, certificate):
    responses = [
        client.get("/v/"),
        page(client, certificate.identifier),
        page(client, unknown_identifier()),
        api(client, certificate.identifier),
    ]
    for response in responses:
        assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Referrer-Policy"] == "no-referrer"
    for response in responses[:3]:
        assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


# --- The form and the canonical address ---------------------------------------------------------


def test_form_tolerates_case_spaces_and_dashes(client, certificate):
    form = client.get("/v/")
    assert form.status_code == 200
    assert 'name="id"' in form.content.decode()
    typed = " " + certificate.display_identifier.lower().replace("-", " - ") + " "
    response = client.get("/v/", {"id": typed})
    assert response.status_code == 302
    assert response.url == f"/v/{certificate.identifier}"


def test_form_keeps_the_chosen_language(client, certificate):
    response = client.get("/v/", {"id": certificate.display_identifier, "lang": "en"})
    assert response.url == f"/v/{certificate.identifier}?lang=en"


def test_non_canonical_path_redirects_to_the_canonical_address(client, certificate):
    response = page(client, certificate.display_identifier.lower())
    assert response.status_code == 301
    assert response.url == f"/v/{certificate.identifier}"
    # A mistyped one is not redirected anywhere: it is answered where it is.
    assert page(client, mistyped(certificate.display_identifier)).status_code == 400


def test_malformed_and_unknown_are_told_apart(client, certificate):
    assert verification_lookup(mistyped(certificate.identifier)).state == "malformed"
    assert verification_lookup(unknown_identifier()).state == "unknown"
    assert verification_lookup(certificate.display_identifier.lower()).state == "valid"
    malformed = api(client, mistyped(certificate.identifier))
    unknown = api(client, unknown_identifier())
    assert (malformed.status_code, malformed.json()["state"]) == (400, "malformed")
    assert (unknown.status_code, unknown.json()["state"]) == (404, "unknown")


# --- JSON ---------------------------------------------------------------------------------------


def test_json_for_a_valid_certificate(client, certificate):
    response = api(client, certificate.display_identifier.lower())
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {
        "identifier",
        "display_identifier",
        "state",
        "state_label",
        "holder_name",
        "holder_anonymised",
        "holder_anonymised_basis",
        "course",
        "contact_hours",
        "started_on",
        "completed_on",
        "workshop",
        "region",
        "issuer",
        "issued_at",
        "valid_until",
        "status_changed_at",
        "reason_category",
        "replaced_by",
        "verification_url",
    }
    assert data["identifier"] == certificate.identifier
    assert data["display_identifier"] == certificate.display_identifier
    assert data["state"] == "valid"
    assert data["state_label"] == es("Valid")
    assert data["holder_name"] == certificate.holder_name
    assert data["holder_anonymised"] is False
    assert data["holder_anonymised_basis"] is None
    assert data["course"] == certificate.course_title
    assert data["contact_hours"] == float(certificate.contact_hours)
    assert data["completed_on"] == certificate.completed_on.isoformat()
    assert data["workshop"] == "CUS-2026-004"
    assert data["issuer"] == "Programa Nacional de Integridad"
    assert data["reason_category"] is None
    assert data["replaced_by"] is None
    assert data["verification_url"] == f"https://lms.test/v/{certificate.identifier}"


def test_json_labels_follow_the_language(client, certificate):
    assert api(client, certificate.identifier, data={"lang": "en"}).json()["state_label"] == "Valid"


def test_json_for_an_expired_certificate(client, certificate):
    ended = timezone.localdate() - dt.timedelta(days=1)
    Certificate.objects.filter(pk=certificate.pk).update(valid_until=ended)
    data = api(client, certificate.identifier).json()
    assert (data["state"], data["valid_until"]) == ("expired", ended.isoformat())
    assert data["state_label"] == es("Expired")


def test_json_for_suspended_and_revoked_certificates(client, workshop, staff_user):
    suspended, revoked = _issue(workshop, 0), _issue(workshop, 1)
    certificate_suspend(suspended, actor=staff_user, note=PRIVATE_NOTE)
    certificate_revoke(
        revoked, actor=staff_user, note=PRIVATE_NOTE, category=ReasonCategory.ISSUED_IN_ERROR
    )
    first = api(client, suspended.identifier)
    second = api(client, revoked.identifier)
    assert first.json()["state"] == "suspended"
    assert first.json()["reason_category"] == {"code": "under_review", "label": es("Under review")}
    assert first.json()["status_changed_at"]
    assert second.json()["state"] == "revoked"
    assert second.json()["reason_category"]["code"] == "issued_in_error"
    for response in (first, second):
        assert PRIVATE_NOTE not in response.content.decode()


def test_json_for_a_superseded_certificate(client, certificate, staff_user):
    newer = certificate_reissue(certificate, actor=staff_user, note="Nombre corregido")
    data = api(client, certificate.identifier).json()
    assert data["state"] == "superseded"
    assert data["replaced_by"] == f"https://lms.test/v/{newer.identifier}"
    assert data["reason_category"] is None
    assert api(client, newer.identifier).json()["replaced_by"] is None


def test_json_for_unknown_and_malformed_identifiers(client, workshop):
    unknown = api(client, unknown_identifier())
    assert unknown.status_code == 404
    assert unknown.json()["state"] == "unknown"
    malformed = api(client, "not-an-identifier")
    assert malformed.status_code == 400
    assert malformed.json()["state"] == "malformed"
    assert malformed.json()["detail"]


def test_json_needs_no_login_and_ignores_a_bad_token(client, certificate):
    response = api(client, certificate.identifier, headers={"authorization": "Token nonsense"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("basis", "says"),
    [
        ("request", "personal data was removed at their request"),
        ("retention", "removed at the end of its retention period"),
    ],
)
def test_an_anonymised_holder_is_flagged_in_the_json_and_explained_on_the_page(
    client, certificate, staff_user, django_capture_on_commit_callbacks, basis, says
):
    name = certificate.holder_name
    with django_capture_on_commit_callbacks(execute=True):
        person_anonymise(certificate.person, actor=staff_user, reason="Solicitud 17", basis=basis)

    data = api(client, certificate.identifier).json()
    assert data["state"] == "valid"
    assert data["holder_anonymised"] is True
    assert data["holder_anonymised_basis"] == basis
    assert data["holder_name"] == ANONYMISED_HOLDER  # a placeholder, never the erased name

    html = page(client, certificate.identifier, data={"lang": "en"}).content.decode()
    assert says in html
    assert name not in html and ANONYMISED_HOLDER not in html


# --- Rate limit ---------------------------------------------------------------------------------


def test_failed_look_ups_are_limited_per_address(client, certificate, settings):
    settings.LMS_VERIFY_FAILURES_ALLOWED = 3
    settings.LMS_VERIFY_WINDOW_SECONDS = 600
    assert page(client, unknown_identifier()).status_code == 404
    assert api(client, mistyped(certificate.identifier)).status_code == 400
    assert client.get("/v/", {"id": "ABC"}).status_code == 400

    refused_page = page(client, certificate.identifier)  # even a known identifier
    assert refused_page.status_code == 429
    assert 0 < int(refused_page.headers["Retry-After"]) <= 600
    assert es("Too many attempts") in refused_page.content.decode()
    assert certificate.holder_name not in refused_page.content.decode()
    refused_json = api(client, certificate.identifier)
    assert refused_json.status_code == 429
    assert refused_json.json()["state"] == "refused"
    assert int(refused_json.headers["Retry-After"]) > 0
    assert client.get("/v/", {"id": certificate.identifier}).status_code == 429

    other = page(client, certificate.identifier, REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 200

    certificate.refresh_from_db()
    assert certificate.verification_count == 1  # only the other address's look-up


def test_successful_look_ups_do_not_count_towards_the_limit(client, certificate, settings):
    settings.LMS_VERIFY_FAILURES_ALLOWED = 2
    for _ in range(4):
        assert api(client, certificate.identifier).status_code == 200
    assert api(client, unknown_identifier()).status_code == 404


def test_the_cache_holds_an_hmac_of_the_address_never_the_address(client, workshop, settings):
    settings.LMS_VERIFY_FAILURES_ALLOWED = 5
    address = "203.0.113.45"
    api(client, unknown_identifier(), REMOTE_ADDR=address)
    stored = cache._cache  # the test cache is LocMem: its keys and pickled values are at hand
    assert stored, "the failure was counted"
    assert cache.make_key(rate_limit_key(address)) in stored
    for key, value in stored.items():
        assert address not in key
        assert address.encode() not in value


def test_behind_a_proxy_the_address_comes_from_x_forwarded_for(client, certificate, settings):
    settings.LMS_TRUSTED_PROXIES = 1
    settings.LMS_VERIFY_FAILURES_ALLOWED = 1
    first = {"HTTP_X_FORWARDED_FOR": "192.0.2.10, 203.0.113.9", "REMOTE_ADDR": "10.0.0.1"}
    second = {"HTTP_X_FORWARDED_FOR": "203.0.113.10", "REMOTE_ADDR": "10.0.0.1"}
    assert api(client, unknown_identifier(), **first).status_code == 404
    assert api(client, certificate.identifier, **first).status_code == 429
    assert api(client, certificate.identifier, **second).status_code == 200


# --- Equal time and counting ----------------------------------------------------------------------


def test_known_and_unknown_look_ups_take_the_same_minimum_time(client, certificate, settings):
    settings.LMS_VERIFY_MIN_SECONDS = 0.3
    started = time.monotonic()
    known = page(client, certificate.identifier)
    known_seconds = time.monotonic() - started
    started = time.monotonic()
    unknown = page(client, unknown_identifier())
    unknown_seconds = time.monotonic() - started
    assert (known.status_code, unknown.status_code) == (200, 404)
    assert known_seconds >= 0.3
    assert unknown_seconds >= 0.3


def test_each_verification_is_counted_and_failures_are_not(client, certificate):
    assert certificate.verification_count == 0
    page(client, certificate.identifier)
    api(client, certificate.identifier)
    page(client, unknown_identifier())
    api(client, mistyped(certificate.identifier))
    page(client, certificate.display_identifier)  # a redirect, not a verification
    certificate.refresh_from_db()
    assert certificate.verification_count == 2
    assert certificate.last_verified_at is not None
    assert timezone.now() - certificate.last_verified_at < dt.timedelta(minutes=1)


def test_known_and_unknown_identifiers_cost_one_query_each(certificate, django_assert_num_queries):
    unknown = unknown_identifier()
    with django_assert_num_queries(1):
        assert verification_lookup(certificate.identifier).found
    with django_assert_num_queries(1):
        assert not verification_lookup(unknown).found
    with django_assert_num_queries(0):
        assert verification_lookup(mistyped(certificate.identifier)).state == "malformed"
