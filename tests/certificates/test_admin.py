"""Certificates in the admin: the listing (search, filters, trainers see their workshops'), the
detail page with its history, status changes that require a reason, a workshop's certificates
page (bulk issue as a job, one by one, staff override) and the ZIP of PDFs; designs with a
preview."""

import io
import re
import zipfile

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from attendance.models import Registration
from certificates.identifiers import display_identifier
from certificates.models import Certificate, CertificateEvent
from certificates.services import (
    certificate_issue,
    certificate_pdf_bytes,
    certificate_suspend,
    eligible_completions,
)
from lms.models import Job
from tests.certificates.factories import completed_workshop, default_templates
from tests.factories import PersonFactory, Role, UserFactory

pytestmark = pytest.mark.django_db

LIMA = [("Rosa", "Alva Quispe"), ("Luis", "Benites Rojas"), ("María José", "Ñúñez Huamán")]
CUSCO = [("Ana", "Condori Mamani")]


def issue_all(workshop) -> list[Certificate]:
    """Issued like the completion engine does, without rendering (PDFs come when needed)."""
    return [certificate_issue(completion=c).certificate for c in eligible_completions(workshop)]


@pytest.fixture
def lima(trainer_user):
    default_templates()
    workshop = completed_workshop(code="LIM-2026-021", names=LIMA)
    workshop.trainers.add(trainer_user)
    return workshop


@pytest.fixture
def cusco():
    return completed_workshop(code="CUS-2026-007", names=CUSCO)


def index_url(**params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("issued_certificates:index") + (f"?{query}" if query else "")


def inspect_url(certificate) -> str:
    return reverse("issued_certificates:inspect", args=[certificate.pk])


def action_url(certificate, action) -> str:
    return reverse("certificates_action", args=[certificate.pk, action])


def sheet_url(workshop) -> str:
    return reverse("certificates_workshop", args=[workshop.pk])


def denied(response) -> bool:
    """Refused: Wagtail sends the user back to the dashboard (302), or 403, or "not found"."""
    return response.status_code in (302, 403, 404)


# --- Listing and detail -----------------------------------------------------------------------


def test_staff_list_every_certificate_and_find_one_by_identifier_or_name(
    client, staff_user, lima, cusco
):
    alva, benites, nunez = issue_all(lima)
    (condori,) = issue_all(cusco)
    client.force_login(staff_user)

    page = client.get(index_url()).content.decode()
    for certificate in (alva, benites, nunez, condori):
        assert certificate.display_identifier in page
    assert "Ñúñez Huamán" in page and "CUS-2026-007" in page

    # Typed as printed, in lower case, with spaces instead of dashes: still found.
    typed = display_identifier(benites.identifier).lower().replace("-", " ")
    page = client.get(index_url(q=typed)).content.decode()
    assert benites.display_identifier in page and alva.display_identifier not in page
    # A piece of it, as someone reads it off the paper.
    page = client.get(index_url(q=alva.display_identifier[5:14])).content.decode()
    assert alva.display_identifier in page and benites.display_identifier not in page
    page = client.get(index_url(q="condori")).content.decode()
    assert condori.display_identifier in page and alva.display_identifier not in page


def test_staff_filter_by_status_and_workshop_code(client, staff_user, lima, cusco):
    alva, benites, _nunez = issue_all(lima)
    (condori,) = issue_all(cusco)
    certificate_suspend(benites, actor=staff_user, note="Revisando la asistencia")
    client.force_login(staff_user)

    page = client.get(index_url(status="suspended")).content.decode()
    assert benites.display_identifier in page and alva.display_identifier not in page
    page = client.get(index_url(workshop="cus-2026-007")).content.decode()
    assert condori.display_identifier in page and alva.display_identifier not in page


def test_a_trainer_sees_only_the_certificates_of_their_workshops(client, trainer_user, lima, cusco):
    mine = issue_all(lima)
    (theirs,) = issue_all(cusco)
    client.force_login(trainer_user)

    page = client.get(index_url()).content.decode()
    assert all(c.display_identifier in page for c in mine)
    assert theirs.display_identifier not in page
    assert client.get(inspect_url(mine[0])).status_code == 200
    assert denied(client.get(inspect_url(theirs)))
    assert denied(client.get(reverse("certificates_admin_pdf", args=[theirs.pk])))
    assert denied(client.get(sheet_url(cusco)))
    assert client.get(sheet_url(lima)).status_code == 200
    # Trainers never change a status, not even in their own workshop.
    response = client.post(action_url(mine[0], "revoke"), {"category": "other", "reason": "x"})
    assert denied(response)
    assert Certificate.objects.get(pk=mine[0].pk).status == "valid"


def test_detail_shows_what_it_says_its_history_and_the_actions(client, staff_user, lima):
    alva, *_ = issue_all(lima)
    certificate_suspend(alva, actor=staff_user, note="Denuncia recibida el 3 de marzo")
    client.force_login(staff_user)

    page = client.get(inspect_url(alva)).content.decode()
    assert alva.display_identifier in page
    assert "Rosa Alva Quispe" in page and "LIM-2026-021" in page
    assert "Denuncia recibida el 3 de marzo" in page  # the event's reason
    assert staff_user.get_full_name() in page  # who did it
    assert reverse("certificates_admin_pdf", args=[alva.pk]) in page
    # Suspended: it can be reinstated, revoked or re-issued, not suspended again.
    for action in ("reinstate", "revoke", "reissue"):
        assert action_url(alva, action) in page
    assert action_url(alva, "suspend") not in page
    # Never an edit or a delete.
    assert reverse("issued_certificates:delete", args=[alva.pk]) not in page
    assert client.get(reverse("issued_certificates:delete", args=[alva.pk])).status_code in (
        302,
        403,
    )


def test_staff_download_the_pdf_from_the_admin(client, staff_user, lima):
    alva, *_ = issue_all(lima)
    client.force_login(staff_user)

    response = client.get(reverse("certificates_admin_pdf", args=[alva.pk]))

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == (
        f'attachment; filename="LIM-2026-021_Alva-Quispe-Rosa_{alva.identifier[:4]}.pdf"'
    )
    assert "no-store" in response["Cache-Control"]


# --- Status changes ---------------------------------------------------------------------------


def test_suspend_requires_a_reason_and_records_who_and_why(client, staff_user, lima):
    alva, *_ = issue_all(lima)
    client.force_login(staff_user)

    response = client.post(action_url(alva, "suspend"), {"category": "under_review", "reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    alva.refresh_from_db()
    assert alva.status == "valid" and alva.events.count() == 1

    response = client.post(
        action_url(alva, "suspend"),
        {"category": "under_review", "reason": "Asistencia en revisión"},
    )
    assert response.status_code == 302 and response["Location"] == inspect_url(alva)
    alva.refresh_from_db()
    assert alva.status == "suspended" and alva.status_category == "under_review"
    event = alva.events.last()
    assert (event.action, event.actor, event.note, event.category) == (
        "suspended",
        staff_user,
        "Asistencia en revisión",
        "under_review",
    )


def test_revoke_requires_a_category_and_a_reason(client, staff_user, lima):
    alva, *_ = issue_all(lima)
    client.force_login(staff_user)

    response = client.post(action_url(alva, "revoke"), {"reason": "Suplantación"})
    assert response.status_code == 200 and response.context["form"].errors["category"]
    assert Certificate.objects.get(pk=alva.pk).status == "valid"

    response = client.post(
        action_url(alva, "revoke"), {"category": "misconduct", "reason": "Suplantación"}
    )
    assert response.status_code == 302
    alva.refresh_from_db()
    assert alva.status == "revoked" and alva.status_note == "Suplantación"
    assert alva.events.filter(action="revoked", actor=staff_user, category="misconduct").exists()
    # Revoked is final: suspending it again is refused with the service's message.
    response = client.post(action_url(alva, "suspend"), {"category": "other", "reason": "x"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()


def test_reinstate_a_suspended_certificate_with_a_reason(client, staff_user, lima):
    alva, *_ = issue_all(lima)
    certificate_suspend(alva, actor=staff_user, note="En revisión")
    client.force_login(staff_user)

    response = client.post(action_url(alva, "reinstate"), {"reason": ""})
    assert response.status_code == 200
    assert Certificate.objects.get(pk=alva.pk).status == "suspended"

    response = client.post(action_url(alva, "reinstate"), {"reason": "Revisión sin hallazgos"})
    assert response.status_code == 302
    alva.refresh_from_db()
    assert alva.status == "valid" and alva.status_category == ""
    assert alva.events.last().action == "reinstated"


def test_reissue_makes_a_new_certificate_and_marks_the_old_one_replaced(client, staff_user, lima):
    alva, *_ = issue_all(lima)
    client.force_login(staff_user)

    response = client.post(action_url(alva, "reissue"), {"reason": "Nombre corregido"})

    alva.refresh_from_db()
    new = alva.replaced_by
    assert response.status_code == 302 and response["Location"] == inspect_url(new)
    assert alva.status == "superseded" and new.status == "valid"
    assert new.issued_by == staff_user and new.issue_reason == "Nombre corregido"
    page = client.get(inspect_url(alva)).content.decode()
    assert inspect_url(new) in page  # the old one points to the new one
    assert action_url(alva, "reissue") not in page  # replaced once, not twice


# --- A workshop's certificates ----------------------------------------------------------------


def test_the_workshop_menu_links_to_its_certificates(client, trainer_user, lima):
    client.force_login(trainer_user)
    page = client.get(reverse("workshops:index")).content.decode()
    assert sheet_url(lima) in page


def test_a_trainer_issues_to_everyone_completed_as_a_job(client, trainer_user, lima):
    client.force_login(trainer_user)
    page = client.get(sheet_url(lima)).content.decode()
    assert "Alva Quispe" in page and 'name="issue_all"' in page

    response = client.post(sheet_url(lima), {"issue_all": "1", "language": "es"})

    job = Job.objects.get(name="certificates.issue_workshop")
    assert response.status_code == 302
    assert response["Location"] == f"{sheet_url(lima)}?job={job.pk}"
    assert job.status == "succeeded" and job.created_by == trainer_user
    assert job.result["issued"] == 3 and job.result["pdfs_rendered"] == 3
    live = Certificate.objects.filter(registration__workshop=lima, status="valid")
    assert live.count() == 3 and all(c.pdf for c in live)
    page = client.get(response["Location"]).content.decode()
    assert "<progress" in page
    for certificate in live:
        assert certificate.display_identifier in page

    # Again: nobody gets a second certificate.
    client.post(sheet_url(lima), {"issue_all": "1", "language": "es"})
    assert Certificate.objects.filter(registration__workshop=lima).count() == 3
    assert Job.objects.order_by("-created_at").first().result["already_issued"] == 3


def test_someone_else_cannot_follow_a_trainers_job_by_its_address(client, trainer_user, lima):
    client.force_login(trainer_user)
    client.post(sheet_url(lima), {"issue_all": "1"})
    job = Job.objects.get()
    other = UserFactory(role=Role.TRAINER)
    lima.trainers.add(other)
    client.force_login(other)
    page = client.get(f"{sheet_url(lima)}?job={job.pk}").content.decode()
    assert "<progress" not in page
    assert client.get(f"{sheet_url(lima)}?job=not-a-uuid").status_code == 200


def test_issue_one_and_only_staff_issue_without_completion_with_a_reason(
    client, trainer_user, staff_user, lima
):
    alva_registration = lima.registrations.get(person__family_names="Alva Quispe")
    walk_in = Registration.objects.create(
        workshop=lima, person=PersonFactory(family_names="Zegarra Paz"), status="confirmed"
    )

    client.force_login(trainer_user)
    assert client.post(sheet_url(lima), {"registration": alva_registration.pk}).status_code == 302
    assert Certificate.objects.filter(registration=alva_registration).count() == 1
    # Not completed: a trainer may not issue it, reason or not.
    response = client.post(sheet_url(lima), {"registration": walk_in.pk, "reason": "Asistió"})
    assert response.status_code == 302
    assert not Certificate.objects.filter(registration=walk_in).exists()
    assert [m.level_tag for m in get_messages(response.wsgi_request)][-1] == "error"
    assert 'name="reason"' not in client.get(sheet_url(lima)).content.decode()

    client.force_login(staff_user)
    assert 'name="reason"' in client.get(sheet_url(lima)).content.decode()
    client.post(sheet_url(lima), {"registration": walk_in.pk, "reason": ""})
    assert not Certificate.objects.filter(registration=walk_in).exists()
    client.post(
        sheet_url(lima),
        {"registration": walk_in.pk, "reason": "Asistió; la lista se extravió"},
    )
    certificate = Certificate.objects.get(registration=walk_in)
    assert certificate.issued_by == staff_user
    assert certificate.issue_reason == "Asistió; la lista se extravió"
    assert certificate.events.get().actor == staff_user


def test_zip_holds_one_pdf_per_live_certificate_rendering_missing_ones(client, staff_user, lima):
    alva, benites, nunez = issue_all(lima)
    certificate_pdf_bytes(alva)  # one stored already; the others are rendered for the ZIP
    certificate_suspend(benites, actor=staff_user, note="En revisión")  # still live
    client.force_login(staff_user)
    response = client.post(action_url(nunez, "revoke"), {"category": "identity", "reason": "x"})
    assert response.status_code == 302

    response = client.get(reverse("certificates_workshop_zip", args=[lima.pk]))

    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = sorted(archive.namelist())
    assert names == [
        f"LIM-2026-021_Alva-Quispe-Rosa_{alva.identifier[:4]}.pdf",
        f"LIM-2026-021_Benites-Rojas-Luis_{benites.identifier[:4]}.pdf",
    ]
    for name in names:
        assert archive.read(name).startswith(b"%PDF")
    assert all(re.fullmatch(r"[A-Za-z0-9_.-]+", name) for name in names)


# --- Designs ----------------------------------------------------------------------------------


def test_staff_edit_designs_and_preview_them_trainers_do_not(client, staff_user, trainer_user):
    design = default_templates()["es"]
    preview = reverse("certificates_template_preview", args=[design.pk])
    edit = reverse("wagtailsnippets_certificates_certificatetemplate:edit", args=[design.pk])

    client.force_login(staff_user)
    assert preview in client.get(edit).content.decode()
    assert (
        preview
        in client.get(
            reverse("wagtailsnippets_certificates_certificatetemplate:list")
        ).content.decode()
    )
    response = client.get(preview)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("inline")

    client.force_login(trainer_user)
    assert denied(client.get(edit))
    assert denied(client.get(preview))


def test_events_record_every_change_in_order(client, staff_user, lima):
    alva, *_ = issue_all(lima)
    client.force_login(staff_user)
    client.post(action_url(alva, "suspend"), {"category": "under_review", "reason": "Uno"})
    client.post(action_url(alva, "revoke"), {"category": "misconduct", "reason": "Dos"})
    assert list(alva.events.values_list("action", "note")) == [
        (CertificateEvent.Action.ISSUED, ""),
        (CertificateEvent.Action.SUSPENDED, "Uno"),
        (CertificateEvent.Action.REVOKED, "Dos"),
    ]
