"""The certificates API: who lists and reads which certificate, the PDF, issuing (idempotent; staff
override with a reason), status changes with a reason, and a workshop's bulk issue as a job."""

import pytest
from django.urls import reverse

from attendance.models import Registration
from certificates.identifiers import display_identifier
from certificates.models import Certificate
from certificates.services import certificate_issue, eligible_completions
from tests.certificates.factories import completed_workshop, default_templates
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/certificates/"


def detail(certificate, suffix="") -> str:
    return f"{LIST}{certificate.identifier}/{suffix}"


@pytest.fixture
def lima(trainer_user):
    default_templates()
    workshop = completed_workshop(
        code="LIM-2026-021", names=[("Rosa", "Alva Quispe"), ("Luis", "Benites Rojas")]
    )
    workshop.trainers.add(trainer_user)
    return workshop


@pytest.fixture
def cusco():
    return completed_workshop(code="CUS-2026-007", names=[("Ana", "Condori Mamani")])


def issue_all(workshop) -> list[Certificate]:
    return [certificate_issue(completion=c).certificate for c in eligible_completions(workshop)]


@pytest.fixture
def holder(participant_user, lima):
    """Rosa Alva, whose login is participant_user, and her certificate."""
    alva, _benites = issue_all(lima)
    alva.person.user = participant_user
    alva.person.save()
    return alva


# --- Reading ----------------------------------------------------------------------------------


def test_list_staff_all_trainers_their_workshops_participants_their_own(
    client_for, staff_user, trainer_user, participant_user, donor_user, holder, lima, cusco
):
    (condori,) = issue_all(cusco)

    def identifiers(user, query=""):
        response = client_for(user).get(LIST + query)
        assert response.status_code == 200
        return {row["identifier"] for row in response.json()["results"]}

    everyone = set(Certificate.objects.values_list("identifier", flat=True))
    assert identifiers(staff_user) == everyone and len(everyone) == 3
    assert identifiers(trainer_user) == everyone - {condori.identifier}
    assert identifiers(participant_user) == {holder.identifier}
    assert identifiers(donor_user) == set()
    assert identifiers(staff_user, "?workshop=CUS-2026-007") == {condori.identifier}
    assert identifiers(staff_user, "?status=revoked") == set()
    assert client_for(staff_user).get(LIST).json()["results"][0]["events"][0]["action"] == "issued"


def test_anonymous_gets_nothing(api_client, holder):
    assert api_client.get(LIST).status_code in (401, 403)
    assert api_client.get(detail(holder, "pdf/")).status_code in (401, 403)


def test_detail_by_identifier_as_printed_or_404(
    client_for, staff_user, trainer_user, participant_user, holder, cusco
):
    (condori,) = issue_all(cusco)
    typed = display_identifier(holder.identifier).lower()

    response = client_for(staff_user).get(f"{LIST}{typed}/")
    assert response.status_code == 200
    data = response.json()
    assert data["identifier"] == holder.identifier and data["state"] == "valid"
    assert data["holder_name"] == "Rosa Alva Quispe" and data["workshop"] == "LIM-2026-021"
    assert data["verification_url"] == f"https://lms.test/v/{holder.identifier}"
    assert data["registration"] == str(holder.registration.public_id)

    assert client_for(participant_user).get(detail(holder)).status_code == 200
    assert client_for(participant_user).get(detail(condori)).status_code == 404
    assert client_for(trainer_user).get(detail(condori)).status_code == 404
    assert client_for(staff_user).get(f"{LIST}NOT-AN-IDENTIFIER/").status_code == 404


def test_pdf_for_staff_the_workshops_trainer_and_the_holder_only(
    client_for, staff_user, trainer_user, participant_user, holder, lima, cusco
):
    (condori,) = issue_all(cusco)
    benites = Certificate.objects.get(registration__workshop=lima, holder_name__contains="Luis")

    for user, certificate in (
        (staff_user, condori),
        (trainer_user, benites),
        (participant_user, holder),
    ):
        response = client_for(user).get(detail(certificate, "pdf/"))
        assert response.status_code == 200, user
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert "no-store" in response["Cache-Control"]
    assert client_for(participant_user).get(detail(benites, "pdf/")).status_code == 404
    assert client_for(trainer_user).get(detail(condori, "pdf/")).status_code == 404


# --- Issuing ----------------------------------------------------------------------------------


def test_issue_is_idempotent_201_then_200(client_for, staff_user, lima):
    registration = lima.registrations.get(person__family_names="Alva Quispe")
    api = client_for(staff_user)

    first = api.post(LIST, {"registration": str(registration.public_id)}, format="json")
    again = api.post(LIST, {"registration": str(registration.public_id)}, format="json")

    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["identifier"] == again.json()["identifier"]
    assert Certificate.objects.filter(registration=registration).count() == 1


def test_issue_to_someone_not_completed_needs_staff_and_a_reason(
    client_for, staff_user, trainer_user, participant_user, lima, english
):
    walk_in = Registration.objects.create(
        workshop=lima, person=PersonFactory(family_names="Zegarra Paz"), status="confirmed"
    )
    body = {"registration": str(walk_in.public_id)}

    assert client_for(participant_user).post(LIST, body, format="json").status_code == 403
    response = client_for(trainer_user).post(LIST, {**body, "reason": "Asistió"}, format="json")
    assert response.status_code == 403
    response = client_for(staff_user).post(LIST, body, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    response = client_for(staff_user).post(
        LIST, {**body, "reason": "La lista de asistencia se extravió"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["issue_reason"] == "La lista de asistencia se extravió"
    assert Certificate.objects.get(registration=walk_in).issued_by == staff_user


def test_issue_request_errors_name_the_field(client_for, staff_user, trainer_user, lima, cusco):
    other = cusco.registrations.get()
    api = client_for(staff_user)

    assert "registration" in api.post(LIST, {}, format="json").json()
    response = api.post(LIST, {"registration": "not-a-uuid"}, format="json")
    assert response.status_code == 400 and "registration" in response.json()
    # A trainer cannot reach another workshop's registration: it is not found for them.
    response = client_for(trainer_user).post(
        LIST, {"registration": str(other.public_id)}, format="json"
    )
    assert response.status_code == 400 and "registration" in response.json()
    assert not Certificate.objects.filter(registration=other).exists()


def test_a_trainer_issues_to_a_completed_person_of_their_workshop(client_for, trainer_user, lima):
    registration = lima.registrations.get(person__family_names="Benites Rojas")
    response = client_for(trainer_user).post(
        LIST, {"registration": str(registration.public_id)}, format="json"
    )
    assert response.status_code == 201
    assert Certificate.objects.get(registration=registration).issued_by is None


# --- Status changes ---------------------------------------------------------------------------


def test_suspend_reinstate_revoke_and_reissue(client_for, staff_user, lima, english):
    alva, _benites = issue_all(lima)
    api = client_for(staff_user)

    response = api.post(detail(alva, "suspend/"), {"reason": "En revisión"}, format="json")
    assert response.status_code == 400 and "category" in response.json()
    response = api.post(detail(alva, "suspend/"), {"category": "under_review"}, format="json")
    assert response.status_code == 400 and "reason" in response.json()

    response = api.post(
        detail(alva, "suspend/"),
        {"category": "under_review", "reason": "Denuncia recibida"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["state"] == "suspended"
    assert response.json()["events"][-1]["note"] == "Denuncia recibida"

    response = api.post(detail(alva, "reinstate/"), {"reason": "Sin hallazgos"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "valid"

    response = api.post(
        detail(alva, "revoke/"), {"category": "misconduct", "reason": "Fraude"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "revoked"
    response = api.post(detail(alva, "reinstate/"), {"reason": "¿?"}, format="json")
    assert response.status_code == 400  # a revoked certificate stays revoked

    response = api.post(detail(alva, "reissue/"), {"reason": "Nueva evaluación"}, format="json")
    assert response.status_code == 200
    new = response.json()
    assert new["identifier"] != alva.identifier and new["replaces"] == alva.identifier
    assert new["state"] == "valid"


def test_only_staff_change_a_status(client_for, trainer_user, participant_user, holder, cusco):
    (condori,) = issue_all(cusco)
    body = {"category": "other", "reason": "x"}

    assert client_for(trainer_user).post(detail(holder, "revoke/"), body).status_code == 403
    assert client_for(trainer_user).post(detail(condori, "revoke/"), body).status_code == 404
    assert client_for(participant_user).post(detail(holder, "revoke/"), body).status_code == 403
    assert client_for(participant_user).post(detail(condori, "revoke/"), body).status_code == 404
    assert Certificate.objects.filter(status="valid").count() == 3


# --- Bulk issue -------------------------------------------------------------------------------


def test_workshop_bulk_issue_starts_a_job_to_follow(
    client_for, trainer_user, participant_user, lima, cusco
):
    api = client_for(trainer_user)

    response = api.post(f"/api/v1/workshops/{lima.code}/certificates/issue/", {}, format="json")

    assert response.status_code == 202
    job = response.json()["job"]
    assert response.json()["status_url"].endswith(reverse("job-detail", args=[job["id"]]))
    status = api.get(response.json()["status_url"]).json()
    assert status["status"] == "succeeded" and status["result"]["issued"] == 2
    assert Certificate.objects.filter(registration__workshop=lima, status="valid").count() == 2

    url = f"/api/v1/workshops/{cusco.code}/certificates/issue/"
    assert api.post(url, {}, format="json").status_code == 404
    assert client_for(participant_user).post(url, {}, format="json").status_code == 403
