"""What the API fuzzing found in the registry API: NUL characters that PostgreSQL refuses (a 500
there, found by tests/test_api_fuzz.py), and schema entries that did not match the responses."""

import pytest

from lms.models import ConsentText
from lms.services.people import consent_record
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

PARTICIPANTS = "/api/v1/participants/"


@pytest.mark.parametrize(
    "path",
    ["/api/v1/institutions/poder%00/", "/api/v1/positions/juez%00/", "/api/v1/regions/1%005/"],
)
def test_a_nul_character_in_a_code_is_not_found(staff_api, path):
    assert staff_api.get(path).status_code == 404


def test_a_nul_character_in_the_participant_search_is_a_field_error(staff_api):
    response = staff_api.get(PARTICIPANTS, {"q": "Ñañez\x00"})

    assert response.status_code == 400
    assert "q" in response.json()


@pytest.mark.parametrize("field", ["institution", "position", "region"])
def test_a_nul_character_in_a_related_code_is_a_field_error(staff_api, field):
    person = PersonFactory()

    response = staff_api.patch(
        f"{PARTICIPANTS}{person.public_id}/", {field: "15\x00"}, format="json"
    )

    assert response.status_code == 400
    assert field in response.json()


def test_merging_a_duplicate_named_with_a_nul_character_is_a_field_error(staff_api):
    person = PersonFactory()

    response = staff_api.post(
        f"{PARTICIPANTS}{person.public_id}/merge/",
        {"duplicate": "x\x00", "reason": "Registro duplicado"},
        format="json",
    )

    assert response.status_code == 400
    assert "duplicate" in response.json()


def test_out_of_range_ids_are_not_found(staff_api):
    person = PersonFactory()
    huge = "99999999999999999999"

    assert staff_api.get(f"{PARTICIPANTS}{huge}/").status_code == 404
    withdraw = f"{PARTICIPANTS}{person.public_id}/consents/{huge}/withdraw/"
    assert staff_api.post(withdraw).status_code == 404


def test_schema_matches_what_the_registry_endpoints_send(staff_api):
    schema = staff_api.get("/api/v1/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    person = PersonFactory()
    text = ConsentText.objects.filter(purpose="ethnicity", language="es").first()
    consent_record(person=person, text=text, method="paper")

    # A department has no parent region.
    assert staff_api.get("/api/v1/regions/15/").json()["parent"] is None
    assert components["Region"]["properties"]["parent"]["nullable"] is True
    # A job has no backend until a worker picks it up.
    assert {"$ref": "#/components/schemas/BlankEnum"} in components["Job"]["properties"]["backend"][
        "oneOf"
    ]
    # A person's consents are one plain list, not a page.
    consents = staff_api.get(f"{PARTICIPANTS}{person.public_id}/consents/").json()
    assert isinstance(consents, list) and len(consents) == 1
    documented = schema["paths"]["/api/v1/participants/{public_id}/consents/"]["get"]
    assert documented["responses"]["200"]["content"]["application/json"]["schema"]["type"] == (
        "array"
    )
    # An upload refused before it is read answers with field errors, and says so.
    refused = staff_api.post(f"{PARTICIPANTS}import/", {}, format="multipart")
    assert refused.status_code == 400 and "file" in refused.json()
    rejected = schema["paths"]["/api/v1/participants/import/"]["post"]["responses"]["400"]
    assert rejected["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ImportRejected"
    }
    assert {"$ref": "#/components/schemas/ImportRequestError"} in components["ImportRejected"][
        "oneOf"
    ]
