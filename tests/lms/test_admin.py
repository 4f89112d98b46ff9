"""The registry as staff see it in the Wagtail admin."""

import csv
import io

import pytest
from django.urls import reverse

from lms.models import ConsentText, Job, MergeLog, Person, SelfIdentification
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_staff_list_search_and_filter_participants(staff_client):
    PersonFactory(given_names="José", family_names="Ñañez Quispe", document_number="10117410")
    PersonFactory(given_names="Ana", family_names="Torres", document_number="20000001")
    url = reverse("participants:index")

    page = staff_client.get(url).content.decode()
    assert "Ñañez Quispe" in page and "Torres" in page

    found = staff_client.get(url, {"q": "nanez"}).content.decode()
    assert "Ñañez Quispe" in found and "Torres" not in found

    by_document = staff_client.get(url, {"q": "10117410"}).content.decode()
    assert "Ñañez Quispe" in by_document and "Torres" not in by_document


def test_export_neutralises_formula_cells(staff_client):
    PersonFactory(phone="+51 987 654 321", document_number="10117410")
    response = staff_client.get(reverse("participants:index"), {"export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert any("'+51 987 654 321" in row for row in rows)


def test_trainer_cannot_open_the_registry(client, trainer_user):
    client.force_login(trainer_user)
    # Wagtail answers a refused admin page by sending the user back to the dashboard.
    for url in (reverse("participants:index"), reverse("lms_import_participants")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == reverse("wagtailadmin_home")


def test_import_screen_lists_row_errors_and_writes_nothing(staff_client):
    data = "numero_documento;nombres;apellidos;institucion\n10117410-3;José;Ñañez;Nada\n".encode()
    upload = io.BytesIO(data)
    upload.name = "personas.csv"
    response = staff_client.post(
        reverse("lms_import_participants"), {"file": upload, "dry_run": ""}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "10117410" in page  # the DNI check-character message names the number
    assert "Nada" in page
    assert Person.objects.count() == 0
    assert Job.objects.get().status == Job.Status.FAILED


def test_import_screen_imports_a_good_file(staff_client):
    data = "numero_documento;nombres;apellidos\n10117410-2;José;Ñañez Quispe\n".encode()
    upload = io.BytesIO(data)
    upload.name = "personas.csv"
    staff_client.post(reverse("lms_import_participants"), {"file": upload, "dry_run": ""})
    assert Person.objects.get().family_names == "Ñañez Quispe"
    job = Job.objects.get()
    assert job.status == Job.Status.SUCCEEDED and job.done == job.total
    assert staff_client.get(reverse("jobs:inspect", args=[job.pk])).status_code == 200


def test_merge_through_the_admin(staff_client, staff_user):
    kept = PersonFactory(document_number="10117410", email="")
    duplicate = PersonFactory(document_type="4", document_number="X1234", email="jose@example.pe")
    url = reverse("lms_merge_participant", args=[kept.public_id])
    compare = staff_client.get(url, {"duplicate": str(duplicate.public_id)}).content.decode()
    assert "X1234" in compare

    response = staff_client.post(
        url + f"?duplicate={duplicate.public_id}",
        {
            "duplicate": str(duplicate.public_id),
            "reason": "Mismo DNI en la ficha física",
            "confirm": "on",
        },
    )
    assert response.status_code == 302
    assert not Person.objects.filter(pk=duplicate.pk).exists()
    kept.refresh_from_db()
    assert kept.email == "jose@example.pe"
    log = MergeLog.objects.get()
    assert log.actor == staff_user and log.reason == "Mismo DNI en la ficha física"


def test_self_identification_screen_needs_consent_then_stores(staff_client):
    person = PersonFactory()
    url = reverse("lms_self_identification", args=[person.public_id])
    base = {"method": "paper", "given_at": "2026-11-20T10:00", "ethnicity": "quechua"}

    refused = staff_client.post(url, base)
    assert refused.status_code == 200
    assert not SelfIdentification.objects.filter(person=person, ethnicity="quechua").exists()

    text = ConsentText.objects.get(purpose="ethnicity", language="es")
    staff_client.post(url, {**base, "ethnicity_consent_text": text.pk})
    selfid = SelfIdentification.objects.get(person=person)
    assert selfid.ethnicity == "quechua"
    assert selfid.ethnicity_consent.method == "paper"


def test_deleting_a_person_removes_consents_and_answers(staff_client):
    """ARCO cancellation: the consent link must not block deleting the person."""
    person = PersonFactory()
    text = ConsentText.objects.get(purpose="ethnicity", language="es")
    staff_client.post(
        reverse("lms_self_identification", args=[person.public_id]),
        {
            "method": "paper",
            "given_at": "2026-11-20T10:00",
            "ethnicity": "aimara",
            "ethnicity_consent_text": text.pk,
        },
    )
    assert SelfIdentification.objects.filter(person=person).exists()
    person.delete()
    assert not SelfIdentification.objects.exists()


def test_dashboard_summarises_the_registry_for_staff_only(client, staff_user, trainer_user):
    PersonFactory(sex="F")
    PersonFactory(sex="M")
    client.force_login(staff_user)
    page = client.get(
        reverse("wagtailadmin_home"), headers={"accept-language": "es"}
    ).content.decode()
    assert "2 personas registradas" in page
    assert "1 mujeres, 1 hombres" in page

    client.force_login(trainer_user)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "personas registradas" not in page
