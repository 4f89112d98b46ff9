"""A participant's privacy pages: consents shown, withdrawn and given again; the download of
everything held on them (and nobody else); requests to correct, erase or oppose, with emails."""

import csv
import datetime as dt
import io
import json
import re
import zipfile

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from lms.models import AuditEvent, Consent, ConsentText, DataRequest, Person, SelfIdentification
from lms.models.people import WG_DOMAINS
from lms.privacy import exported_rules
from lms.services.audit import person_ref
from lms.services.privacy import (
    business_days_after,
    data_request_submit,
    data_request_update,
    participant_self_identification_update,
)
from tests.factories import PersonFactory, UserFactory
from tests.lms.privacy_data import (
    EMAIL,
    FAMILY,
    GIVEN,
    OTHER_FAMILY,
    OTHER_GIVEN,
    build_participant,
)

pytestmark = pytest.mark.django_db

CONTACT = "privacidad@programa.pe"


@pytest.fixture
def rosa(client):
    built = build_participant()
    client.force_login(built.user)
    return built


def url(name, *args):
    return reverse(f"privacy:{name}", args=args)


# --- Consents --------------------------------------------------------------------------------


def test_consents_page_shows_each_purpose_with_version_time_and_how(client, rosa, english):
    response = client.get(url("consents"))

    assert response.status_code == 200
    page = response.content.decode()
    for purpose in ConsentText.Purpose:
        assert str(purpose.label) in page
    consent = rosa.person.consents.get(purpose="ethnicity")
    assert f"Version {consent.text.version} ({consent.text.language})" in page
    assert "Signed paper form" in page
    assert page.count("Withdraw my consent") == 2


def test_withdrawing_asks_first_then_records_the_time_and_erases_the_answers(client, rosa):
    consent = rosa.person.consents.get(purpose="ethnicity")

    confirm = client.get(url("consent_withdraw", consent.pk))
    assert confirm.status_code == 200
    consent.refresh_from_db()
    assert consent.withdrawn_at is None  # looking at the question changes nothing

    response = client.post(url("consent_withdraw", consent.pk))

    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None  # recorded, not deleted
    selfid = SelfIdentification.objects.get(person=rosa.person)
    assert selfid.ethnicity == ""
    assert selfid.wg_seeing == "3"  # the other purpose's answers stay
    event = AuditEvent.objects.get(action="consent.withdraw")
    assert event.subject == person_ref(rosa.person)
    assert event.actor == f"user:{rosa.user.pk}"


def test_giving_consent_again_records_a_new_online_consent(client, rosa):
    old = rosa.person.consents.get(purpose="disability")
    client.post(url("consent_withdraw", old.pk))
    assert not SelfIdentification.objects.get(person=rosa.person).wg_seeing

    page = client.get(url("consent_give", "disability"))
    assert page.status_code == 200
    refused = client.post(url("consent_give", "disability"), {})  # the box must be ticked
    assert refused.status_code == 200
    response = client.post(url("consent_give", "disability"), {"accept": "on"})

    assert response.status_code == 302
    active = rosa.person.consents.get(purpose="disability", withdrawn_at=None)
    assert active.method == Consent.Method.ONLINE
    assert active.recorded_by == rosa.user
    assert rosa.person.consents.filter(purpose="disability").count() == 2
    assert AuditEvent.objects.filter(action="consent.give", subject=person_ref(rosa.person))


def test_someone_elses_consent_cannot_be_withdrawn(client, rosa):
    theirs = Consent.objects.create(
        person=rosa.other,
        text=ConsentText.objects.filter(purpose="ethnicity").first(),
        purpose="ethnicity",
        method="paper",
        given_at=timezone.now(),
    )

    assert client.post(url("consent_withdraw", theirs.pk)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.withdrawn_at is None


# --- Self-identification ----------------------------------------------------------------------


def _checked(page: str, name: str, value: str) -> bool:
    return (
        re.search(rf'<input type="radio" name="{name}" value="{value}"[^>]*checked', page)
        is not None
    )


def test_the_participant_sees_and_updates_their_own_answers(client, rosa, english):
    page = client.get(url("self_identification")).content.decode()
    assert "By your customs and ancestors, do you feel or consider yourself" in page
    assert "Difficulty seeing, even if wearing glasses" in page
    assert _checked(page, "ethnicity", "quechua")
    assert _checked(page, "wg_seeing", "3")
    assert "Washington Group" in page  # the purpose headings come from the consents

    answers = {f"wg_{d}": "1" for d in WG_DOMAINS}
    response = client.post(url("self_identification"), {"ethnicity": "aimara", **answers})

    assert response.status_code == 302
    selfid = SelfIdentification.objects.get(person=rosa.person)
    assert selfid.ethnicity == "aimara"
    assert selfid.disability_answers == dict.fromkeys(WG_DOMAINS, "1")
    event = AuditEvent.objects.get(action="self_identification.update")
    assert event.subject == person_ref(rosa.person)
    assert event.after == {"purposes": ["disability", "ethnicity"]}  # which, never the answers
    assert "aimara" not in json.dumps([event.before, event.after])

    client.post(url("self_identification"), {"ethnicity": "", **answers})  # answer removed
    assert SelfIdentification.objects.get(person=rosa.person).ethnicity == ""


def test_without_a_standing_consent_nothing_is_asked_shown_or_stored(client, rosa, english):
    consent = rosa.person.consents.get(purpose="ethnicity")
    client.post(url("consent_withdraw", consent.pk))  # erases the ethnicity answer

    response = client.get(url("self_identification"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="ethnicity"' not in page
    assert "You have not given your consent for this purpose" in page
    assert url("consent_give", "ethnicity") in page
    assert 'name="wg_seeing"' in page  # the other purpose is still consented

    answers = {f"wg_{d}": "2" for d in WG_DOMAINS}
    client.post(url("self_identification"), {"ethnicity": "quechua", **answers})

    selfid = SelfIdentification.objects.get(person=rosa.person)
    assert selfid.ethnicity == ""
    assert selfid.ethnicity_consent is None
    assert selfid.wg_seeing == "2"

    with pytest.raises(ValidationError):
        participant_self_identification_update(
            person=rosa.person, user=rosa.user, ethnicity="quechua"
        )
    assert SelfIdentification.objects.get(person=rosa.person).ethnicity == ""

    disability = rosa.person.consents.get(purpose="disability")
    client.post(url("consent_withdraw", disability.pk))
    page = client.get(url("self_identification")).content.decode()
    assert 'name="wg_seeing"' not in page and "Save my answers" not in page
    assert SelfIdentification.objects.get(person=rosa.person).disability_answers == dict.fromkeys(
        WG_DOMAINS, ""
    )


def test_the_privacy_notice_links_to_the_participants_own_pages(client):
    page = client.get(reverse("privacy")).content.decode()
    for name in ("overview", "consents", "self_identification", "download", "requests"):
        assert f'href="{url(name)}"' in page, name


# --- Download --------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client):
    for name in (
        "overview",
        "consents",
        "self_identification",
        "download_json",
        "download_csv",
        "requests",
    ):
        response = client.get(url(name))
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_json_holds_every_area_with_the_persons_data_and_nothing_of_others(client, rosa):
    response = client.get(url("download_json"))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    text = response.content.decode()
    data = json.loads(text)
    assert set(data["areas"]) == {rule.area for rule in exported_rules()}
    for value in (GIVEN, FAMILY, EMAIL, rosa.document_number, "Quechua"):
        assert value in text
    areas = data["areas"]
    assert areas["profile"]["records"][0]["given_names"] == GIVEN
    assert len(areas["registrations"]["records"]) == 1
    assert len(areas["attendance"]["records"]) == 2
    assert areas["workshop_scores"]["records"][0]["score"] == "12.00"
    assert areas["certificates"]["records"][0]["identifier"] == rosa.certificate.identifier
    assert areas["certificates"]["records"][0]["pdf"] is True
    assert len(areas["attempts"]["records"]) == 1
    assert len(areas["enrolments"]["records"]) == 1
    assert len(areas["lesson_progress"]["records"]) == 1
    assert len(areas["consents"]["records"]) == 2
    actions = {event["action"] for event in areas["audit_events"]["records"]}
    assert {"registration.create", "attendance.create", "certificate.create"} <= actions
    # Nobody else's data, and no staff identity beyond "program staff".
    other = Person.objects.get(pk=rosa.other.pk)
    for value in (OTHER_GIVEN, OTHER_FAMILY, other.document_number, rosa.staff.email):
        assert value not in text
    assert f"user:{rosa.staff.pk}" not in text
    # Staff notes may name other people: they stay out.
    assert "Juan Pérez" not in text
    assert AuditEvent.objects.filter(action="person.export", subject=person_ref(rosa.person))


def test_another_participant_downloads_only_their_own(client, rosa):
    other = Person.objects.get(pk=rosa.other.pk)
    client.force_login(other.user)

    text = client.get(url("download_json")).content.decode()

    assert OTHER_GIVEN in text
    for value in (GIVEN, FAMILY, EMAIL, rosa.document_number, "Quechua"):
        assert value not in text


def test_csv_zip_has_one_spreadsheet_per_area(client, rosa, english):
    response = client.get(url("download_csv"))

    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {f"{rule.area}.csv" for rule in exported_rules()} == names
    raw = archive.read("profile.csv")
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0]["given_names"] == GIVEN
    assert rows[0]["phone"] == "'+51 987 654 321"  # a leading + would start a formula
    scores = list(csv.DictReader(io.StringIO(archive.read("workshop_scores.csv").decode())))
    assert scores[0]["recorded_by"].endswith("program staff")


def test_a_login_without_a_record_is_told_so(client):
    client.force_login(UserFactory())
    assert client.get(url("download_json")).status_code == 404


# --- Requests --------------------------------------------------------------------------------


def test_business_days_skip_weekends_and_holidays(settings):
    friday = dt.date(2026, 3, 6)
    assert business_days_after(friday, 1) == dt.date(2026, 3, 9)
    assert business_days_after(friday, 10) == dt.date(2026, 3, 20)
    settings.LMS_PRIVACY_HOLIDAYS = ["2026-03-09"]
    assert business_days_after(friday, 1) == dt.date(2026, 3, 10)


def test_a_rectification_request_has_its_deadline_and_emails_both_sides(
    client, rosa, settings, django_capture_on_commit_callbacks
):
    settings.LMS_PRIVACY_CONTACT_EMAIL = CONTACT
    mail.outbox.clear()
    data = {
        "kind": "rectification",
        "field": "given_names",
        "correct_value": "Rosa Elvina",
        "details": "",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("request_new"), data)

    assert response.status_code == 302
    made = DataRequest.objects.filter(person=rosa.person, kind="rectification").latest("pk")
    assert made.status == DataRequest.Status.RECEIVED
    assert made.due_on == business_days_after(timezone.localdate(made.received_at), 10)
    assert made.correct_value == "Rosa Elvina"
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([EMAIL, CONTACT])
    staff_mail = next(m for m in mail.outbox if m.to == [CONTACT])
    assert "Rosa" not in staff_mail.body  # the contact is told to open the admin
    listing = client.get(url("requests")).content.decode()
    assert listing.count(str(made.get_kind_display())) == 2  # this one and the fixture's


def test_a_rectification_must_name_the_field_and_the_value(client, rosa):
    response = client.post(url("request_new"), {"kind": "rectification", "correct_value": ""})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not DataRequest.objects.filter(person=rosa.person, kind="rectification").exclude(
        field="family_names"
    )


def test_staff_move_a_request_on_and_the_participant_is_told_each_time(
    client, rosa, staff_user, settings, django_capture_on_commit_callbacks
):
    settings.LMS_PRIVACY_CONTACT_EMAIL = CONTACT
    request = DataRequest.objects.get(person=rosa.person)
    client.force_login(staff_user)
    process = reverse("lms_data_request_process", args=[request.pk])

    assert client.get(reverse("data_requests:index")).status_code == 200
    assert client.get(process).status_code == 200
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(process, {"status": "in_progress"})
    request.refresh_from_db()
    assert request.status == "in_progress"
    assert {a for m in mail.outbox for a in m.to} == {EMAIL, CONTACT}

    refused = client.post(process, {"status": "refused", "response": ""})
    assert refused.status_code == 200  # a refusal needs its reason
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(process, {"status": "refused", "response": "El DNI coincide con RENIEC."})
    request.refresh_from_db()
    assert request.status == "refused"
    assert request.closed_at is not None
    assert request.handled_by == staff_user
    to_person = next(m for m in mail.outbox if m.to == [EMAIL])
    assert "El DNI coincide con RENIEC." in to_person.body
    assert AuditEvent.objects.filter(action="privacy.request.status").count() == 2


def test_a_trainer_cannot_see_the_requests(client, rosa, trainer_user):
    client.force_login(trainer_user)
    request = DataRequest.objects.get(person=rosa.person)

    for address in (
        reverse("data_requests:index"),
        reverse("lms_data_request_process", args=[request.pk]),
    ):
        response = client.get(address)
        # The admin turns "permission denied" into a redirect to its dashboard.
        assert response.status_code == 403 or response["Location"] == "/admin/"


def test_completing_a_cancellation_anonymises_and_says_goodbye_to_the_old_address(
    rosa, django_capture_on_commit_callbacks, english
):
    request = data_request_submit(
        person=rosa.person, kind=DataRequest.Kind.CANCELLATION, details="Borren mis datos"
    )
    data_request_update(request=request, status="in_progress", actor=rosa.staff)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        data_request_update(request=request, status="done", actor=rosa.staff)

    person = Person.objects.get(pk=rosa.person.pk)
    assert person.anonymised_at is not None
    assert person.email == ""
    assert [m.to for m in mail.outbox] == [[EMAIL]]
    assert "erased" in mail.outbox[0].body
    request.refresh_from_db()
    assert request.status == "done"
    assert request.details == ""  # the request's own free text went with the rest


def test_an_opposition_needs_its_reasons(english):
    person = PersonFactory()
    with pytest.raises(Exception, match="oppose"):
        data_request_submit(person=person, kind=DataRequest.Kind.OPPOSITION, details=" ")


def test_staff_record_a_request_received_on_paper(client, rosa, staff_user):
    client.force_login(staff_user)
    address = reverse("lms_data_request_record", args=[rosa.person.public_id])
    assert address in client.get(reverse("participants:index")).content.decode()

    response = client.post(address, {"kind": "opposition", "details": "Carta del 2 de marzo"})

    assert response.status_code == 302
    made = DataRequest.objects.get(person=rosa.person, kind="opposition")
    assert made.channel == DataRequest.Channel.STAFF
    assert made.status == DataRequest.Status.RECEIVED
