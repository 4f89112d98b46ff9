"""A participant's certificates: listed in My learning with their state and verification link, and
the PDF download, for the holder (and staff) only; anyone else is told "not found"."""

import pytest
from django.urls import reverse
from django.utils import translation

from certificates.identifiers import display_identifier
from certificates.models import Certificate
from certificates.services import (
    certificate_reissue,
    certificate_revoke,
)
from tests.factories import PersonFactory, Role, UserFactory

pytestmark = pytest.mark.django_db


def download_url(certificate) -> str:
    return reverse("certificates:download", args=[certificate.identifier])


def test_the_holder_downloads_their_pdf(client, participant_user, certificates):
    alva, _benites = certificates
    client.force_login(participant_user)

    response = client.get(download_url(alva))

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="LIM-2026-021_Alva-Quispe-Rosa_{alva.identifier[:4]}.pdf"'
    )
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    # As printed, with dashes and in lower case, works too.
    typed = display_identifier(alva.identifier).lower()
    assert client.get(reverse("certificates:download", args=[typed])).status_code == 200


def test_another_participant_gets_not_found(client, certificates):
    _alva, benites = certificates
    other = UserFactory(role=Role.PARTICIPANT)
    PersonFactory(user=other)
    client.force_login(other)

    assert client.get(download_url(benites)).status_code == 404
    assert client.get(reverse("certificates:download", args=["nonsense"])).status_code == 404


def test_anonymous_is_sent_to_log_in(client, certificates):
    alva, _benites = certificates
    response = client.get(download_url(alva))
    assert response.status_code == 302
    assert (
        "next=" in response["Location"] and download_url(alva).split("/")[1] in response["Location"]
    )


def test_staff_download_anyones(client, staff_user, certificates):
    _alva, benites = certificates
    client.force_login(staff_user)
    response = client.get(download_url(benites))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_a_revoked_certificate_is_not_offered_to_its_holder(
    client, participant_user, staff_user, certificates
):
    alva, _benites = certificates
    certificate_revoke(alva, actor=staff_user, note="Fraude", category="misconduct")
    client.force_login(participant_user)
    assert client.get(download_url(alva)).status_code == 404


def test_my_learning_lists_my_certificates_with_state_and_links(
    client, participant_user, staff_user, certificates
):
    alva, benites = certificates
    client.force_login(participant_user)

    page = client.get(reverse("learning:my_learning")).content.decode()

    assert alva.display_identifier in page
    assert alva.course_title in page
    assert download_url(alva) in page
    assert f"https://lms.test/v/{alva.identifier}" in page
    assert benites.display_identifier not in page

    # Re-issued: the new one is listed, the replaced one is not.
    new = certificate_reissue(alva, actor=staff_user, note="Nombre corregido")
    page = client.get(reverse("learning:my_learning")).content.decode()
    assert new.display_identifier in page and alva.display_identifier not in page

    # Revoked: listed with its state, without a download.
    certificate_revoke(new, actor=staff_user, note="Fraude", category="misconduct")
    page = client.get(reverse("learning:my_learning")).content.decode()
    assert new.display_identifier in page
    assert download_url(new) not in page
    with translation.override("es"):  # the page is /es/…
        assert str(Certificate.State.REVOKED.label) in page
