"""Consents and self-identification through the API: consent first, staff only, erase on withdraw."""

import pytest

from lms.models import SelfIdentification
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _url(person, tail=""):
    return f"/api/v1/participants/{person.public_id}/{tail}"


def test_answers_are_refused_until_consent_is_recorded(staff_api):
    person = PersonFactory()
    refused = staff_api.put(
        _url(person, "self-identification/"), {"ethnicity": "quechua"}, format="json"
    )
    assert refused.status_code == 400
    assert "ethnicity" in refused.json()
    assert not SelfIdentification.objects.filter(person=person, ethnicity="quechua").exists()

    consent = staff_api.post(
        _url(person, "consents/"),
        {
            "purpose": "ethnicity",
            "version": "1",
            "language": "es",
            "method": "paper",
            "given_at": "2026-11-20T10:00:00-05:00",
        },
        format="json",
    )
    assert consent.status_code == 201, consent.json()
    assert consent.json()["text_version"] == "1"

    stored = staff_api.put(
        _url(person, "self-identification/"), {"ethnicity": "quechua"}, format="json"
    )
    assert stored.status_code == 200
    assert stored.json()["ethnicity"] == "quechua"

    # The ethnicity consent does not cover disability answers.
    disability = staff_api.put(
        _url(person, "self-identification/"), {"disability": {"seeing": "3"}}, format="json"
    )
    assert disability.status_code == 400


def test_withdrawing_through_the_api_erases_the_answers(staff_api):
    person = PersonFactory()
    consent = staff_api.post(
        _url(person, "consents/"),
        {
            "purpose": "disability",
            "version": "1",
            "language": "en",
            "method": "online",
            "given_at": "2026-11-20T10:00:00-05:00",
        },
        format="json",
    ).json()
    staff_api.put(
        _url(person, "self-identification/"), {"disability": {"walking": "4"}}, format="json"
    )
    assert SelfIdentification.objects.get(person=person).has_disability is True

    response = staff_api.post(_url(person, f"consents/{consent['id']}/withdraw/"))
    assert response.status_code == 200
    assert response.json()["withdrawn_at"] is not None
    assert SelfIdentification.objects.get(person=person).has_disability is None
    listing = staff_api.get(_url(person, "consents/")).json()
    assert [c["withdrawn_at"] is not None for c in listing] == [True]


def test_unknown_consent_text_version_is_a_field_error(staff_api):
    person = PersonFactory()
    response = staff_api.post(
        _url(person, "consents/"),
        {
            "purpose": "ethnicity",
            "version": "9",
            "language": "es",
            "method": "paper",
            "given_at": "2026-11-20T10:00:00-05:00",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "version" in response.json()


@pytest.mark.parametrize("role_fixture", ["trainer_user", "donor_user", "participant_user"])
def test_other_roles_cannot_reach_sensitive_endpoints(api_client, request, role_fixture):
    person = PersonFactory()
    api_client.force_authenticate(request.getfixturevalue(role_fixture))
    assert api_client.get(_url(person, "consents/")).status_code == 403
    assert (
        api_client.put(
            _url(person, "self-identification/"), {"ethnicity": "quechua"}, format="json"
        ).status_code
        == 403
    )
    assert not SelfIdentification.objects.exists()
