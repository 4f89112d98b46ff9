"""The REST API as a client sees it: schema and docs, token login, the participant registry."""

from html.parser import HTMLParser

import pytest
from rest_framework.test import APIClient

from lms.models import Institution, Person, Region
from lms.roles import Role
from tests.factories import PersonFactory, UserFactory, dni_with_check

pytestmark = pytest.mark.django_db

PARTICIPANTS = "/api/v1/participants/"
PASSWORD = "correct horse battery"  # set by UserFactory


# --- Schema and self-hosted docs ----------------------------------------------------------------


def test_schema_is_an_openapi_document_listing_participants(api_client):
    response = api_client.get("/api/v1/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/participants/" in schema["paths"]
    assert "/api/v1/participants/import/" in schema["paths"]
    # Only our API is documented, not Wagtail's internal admin endpoints.
    assert all(path.startswith("/api/v1/") for path in schema["paths"])


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.urls.append(attrs["href"])


@pytest.mark.parametrize("url", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_api_docs_load_nothing_from_outside(api_client, url):
    response = api_client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    for host in ("cdn", "unpkg", "jsdelivr", "googleapis"):
        assert host not in html
    parser = _Assets()
    parser.feed(html)
    assert parser.urls  # the page does load its scripts and styles...
    for asset in parser.urls:  # ...all from this server (Swagger UI's start-up script comes
        # from the docs view itself, so that the page has no inline script)
        assert asset.startswith(("/static/", "/api/v1/docs/?script")), asset
    own = [api_client.get(asset).content.decode() for asset in parser.urls if "?script" in asset]
    assert "/api/v1/schema/" in html + "".join(own)


# --- Token login and /me/ ---------------------------------------------------------------------------


def test_token_from_email_and_password_authenticates_later_requests(api_client):
    UserFactory(
        email="ana@programa.pe", first_name="Ana", last_name="Mamani", role=Role.PROGRAM_STAFF
    )

    response = api_client.post(
        "/api/v1/auth/token/",
        {"email": "ANA@programa.pe", "password": PASSWORD},
        format="json",
    )

    assert response.status_code == 200, response.content
    token = response.json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json() == {
        "email": "ana@programa.pe",
        "full_name": "Ana Mamani",
        "roles": ["Personal del programa"],
        "is_superuser": False,
    }
    assert client.get(PARTICIPANTS).status_code == 200


def test_wrong_password_gets_no_token(api_client, staff_user):
    response = api_client.post(
        "/api/v1/auth/token/", {"email": staff_user.email, "password": "wrong"}, format="json"
    )

    assert response.status_code == 400
    assert "token" not in response.json()


def test_bad_token_is_refused(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    assert api_client.get("/api/v1/me/").status_code == 401


def test_anonymous_cannot_see_me_or_participants(api_client):
    PersonFactory()

    assert api_client.get("/api/v1/me/").status_code in (401, 403)
    response = api_client.get(PARTICIPANTS)
    assert response.status_code in (401, 403)
    assert "results" not in response.json()


# --- Listing, searching, filtering ------------------------------------------------------------------


@pytest.fixture
def registry():
    loreto = Region.objects.get(code="16")
    lima_province = Region.objects.get(code="1501")
    return {
        "nanez": PersonFactory(given_names="José", family_names="Ñañez Quispe"),
        "nunez": PersonFactory(
            given_names="Rosa", family_names="Núñez Pérez", region=lima_province
        ),
        "loreto": PersonFactory(
            given_names="Ana",
            family_names="Flores",
            region=loreto,
            institution=Institution.objects.get(code="defensoria"),
        ),
    }


def names(response) -> set[str]:
    return {p["family_names"] for p in response.json()["results"]}


def test_staff_list_participants_by_public_id(staff_api, registry):
    response = staff_api.get(PARTICIPANTS)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    by_name = {p["family_names"]: p for p in body["results"]}
    nanez = by_name["Ñañez Quispe"]
    assert nanez["id"] == str(registry["nanez"].public_id)
    assert nanez["institution"] == "poder-judicial"
    assert nanez["region"] == "15"
    assert str(registry["nanez"].pk) not in {str(p["id"]) for p in body["results"]}


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("nanez", {"Ñañez Quispe"}),
        ("ÑAÑEZ", {"Ñañez Quispe"}),
        ("nunez", {"Núñez Pérez"}),
        ("rosa perez", {"Núñez Pérez"}),
        ("quispe jose", {"Ñañez Quispe"}),
        ("flores nanez", set()),
    ],
)
def test_search_ignores_accents_and_case(staff_api, registry, query, found):
    response = staff_api.get(PARTICIPANTS, {"q": query})

    assert response.status_code == 200
    assert names(response) == found


def test_search_by_document_number(staff_api, registry):
    number = registry["loreto"].document_number

    assert names(staff_api.get(PARTICIPANTS, {"q": number})) == {"Flores"}


def test_filter_by_institution_code(staff_api, registry):
    response = staff_api.get(PARTICIPANTS, {"institution": "poder-judicial"})

    assert names(response) == {"Ñañez Quispe", "Núñez Pérez"}
    assert names(staff_api.get(PARTICIPANTS, {"institution": "defensoria"})) == {"Flores"}


def test_filter_by_department_includes_its_provinces(staff_api, registry):
    assert names(staff_api.get(PARTICIPANTS, {"region": "15"})) == {"Ñañez Quispe", "Núñez Pérez"}
    assert names(staff_api.get(PARTICIPANTS, {"region": "1501"})) == {"Núñez Pérez"}
    assert names(staff_api.get(PARTICIPANTS, {"region": "16"})) == {"Flores"}


def test_participant_is_addressed_by_uuid_not_integer_id(staff_api, registry):
    person = registry["nanez"]

    assert staff_api.get(f"{PARTICIPANTS}{person.public_id}/").status_code == 200
    assert staff_api.get(f"{PARTICIPANTS}{person.pk}/").status_code == 404


# --- Creating and editing ---------------------------------------------------------------------------

NEW = {
    "document_type": "1",
    "document_number": "10117410-2",
    "given_names": "María Elena",
    "family_names": "Huamán Mamani",
    "sex": "F",
    "email": "Maria@Example.pe",
    "institution": "poder-judicial",
    "region": "1501",
}


def test_create_normalises_the_dni_and_keeps_the_name(staff_api):
    response = staff_api.post(PARTICIPANTS, NEW, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["document_number"] == "10117410"
    assert body["family_names"] == "Huamán Mamani"
    assert body["email"] == "maria@example.pe"
    person = Person.objects.get(public_id=body["id"])
    assert person.search_text == "maria elena huaman mamani 10117410"


def test_create_with_a_wrong_check_character_is_400(staff_api):
    response = staff_api.post(PARTICIPANTS, {**NEW, "document_number": "10117410-3"}, format="json")

    assert response.status_code == 400
    errors = response.json()["document_number"]
    assert any("2" in e and "G" in e for e in errors)
    assert Person.objects.count() == 0


def test_create_with_a_mojibake_name_is_400(staff_api):
    response = staff_api.post(PARTICIPANTS, {**NEW, "given_names": "MarÃ­a"}, format="json")

    assert response.status_code == 400
    assert "María" in response.json()["given_names"][0]


@pytest.mark.parametrize("number", ["10117410", "10117410-2", "10117410G"])
def test_create_with_a_document_already_registered_is_400_not_500(staff_api, number):
    PersonFactory(document_number="10117410")

    response = staff_api.post(PARTICIPANTS, {**NEW, "document_number": number}, format="json")

    assert response.status_code == 400
    assert Person.objects.count() == 1


def test_update_by_public_id(staff_api, registry):
    person = registry["loreto"]

    response = staff_api.patch(
        f"{PARTICIPANTS}{person.public_id}/", {"email": "ana@defensoria.gob.pe"}, format="json"
    )

    assert response.status_code == 200, response.content
    person.refresh_from_db()
    assert person.email == "ana@defensoria.gob.pe"


def test_update_cannot_take_another_persons_document(staff_api, registry):
    other = registry["nanez"]
    person = registry["loreto"]

    response = staff_api.patch(
        f"{PARTICIPANTS}{person.public_id}/",
        {"document_number": dni_with_check(other.document_number)},
        format="json",
    )

    assert response.status_code == 400
    person.refresh_from_db()
    assert person.document_number != other.document_number


# --- Who may use the registry -----------------------------------------------------------------------


@pytest.mark.parametrize("role_user", ["trainer_user", "donor_user", "participant_user"])
def test_other_roles_cannot_list_or_create_participants(role_user, request, client_for, registry):
    client = client_for(request.getfixturevalue(role_user))

    response = client.get(PARTICIPANTS)
    assert response.status_code == 403
    assert "Ñañez" not in response.content.decode()
    assert client.get(f"{PARTICIPANTS}{registry['nanez'].public_id}/").status_code == 403
    assert client.post(PARTICIPANTS, NEW, format="json").status_code == 403
    assert Person.objects.count() == 3


# --- Deleting a record that others still refer to -----------------------------------------------


@pytest.fixture
def admin_api(client_for, admin_role_user):
    return client_for(admin_role_user)


def test_deleting_a_participant_with_history_is_409_saying_what_refers_to_it(admin_api):
    from attendance.services import attendance_record, register
    from tests.attendance.factories import build_workshop

    person = PersonFactory()
    workshop = build_workshop(code="DEL-2026-001")
    register(workshop=workshop, person=person)
    for session in workshop.sessions.all():
        attendance_record(session=session, person=person, status="present", method="roster")
    url = f"{PARTICIPANTS}{person.public_id}/"

    response = admin_api.delete(url)  # Spanish by default
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "protected"
    assert "1 inscripción" in body["detail"] and "2 registros de asistencia" in body["detail"]
    counts = {r["model"]: r["count"] for r in body["references"]}
    assert counts["attendance.registration"] == 1
    assert counts["attendance.attendancerecord"] == 2

    response = admin_api.delete(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    detail = response.json()["detail"]
    assert detail.startswith("This participant cannot be deleted")
    assert "1 registration" in detail and "2 attendance records" in detail
    assert "anonymise" in detail
    assert Person.objects.filter(pk=person.pk).exists()


def test_deleting_an_institution_still_in_use_is_409(admin_api):
    institution = Institution.objects.get(code="defensoria")
    PersonFactory(institution=institution)
    PersonFactory(institution=institution)

    response = admin_api.delete("/api/v1/institutions/defensoria/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 409
    assert response.json()["detail"] == (
        "This institution cannot be deleted: it still has 2 participants."
    )
    assert Institution.objects.filter(code="defensoria").exists()


def test_deleting_unreferenced_records_still_works(admin_api):
    person = PersonFactory()
    assert admin_api.delete(f"{PARTICIPANTS}{person.public_id}/").status_code == 204
    assert not Person.objects.filter(pk=person.pk).exists()
    assert admin_api.delete("/api/v1/positions/juez/").status_code == 204


def test_every_delete_documents_its_409(api_client):
    schema = api_client.get("/api/v1/schema/", {"format": "json"}).json()
    deletes = [ops["delete"] for ops in schema["paths"].values() if "delete" in ops]
    assert len(deletes) >= 3  # participants, institutions, positions (and workshops)
    for operation in deletes:
        assert set(operation["responses"]) >= {"204", "409"}
