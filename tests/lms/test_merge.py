"""Merging two records of one person: everything moves to the record kept, with a log."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from lms.models import Consent, ConsentText, MergeLog, Person, SelfIdentification
from lms.services.merge import MergeConflict, person_merge
from lms.services.people import consent_record, self_identification_record
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def consent_for(person, purpose):
    text = ConsentText.objects.filter(purpose=purpose, language="es").first()
    return consent_record(person=person, text=text, method=Consent.Method.ONLINE)


@pytest.fixture
def kept():
    return PersonFactory(
        given_names="José",
        family_names="Ñañez Quispe",
        email="",
        phone="",
        birth_date=None,
        sex="X",
        institution=None,
    )


@pytest.fixture
def duplicate():
    return PersonFactory(
        document_type="4",
        document_number="AB123456",
        given_names="Jose",
        family_names="Nanez Quispe",
        email="jose@example.pe",
        phone="987654321",
        birth_date=dt.date(1980, 5, 17),
        sex="M",
    )


def test_merge_moves_consents_self_identification_and_logs(kept, duplicate, staff_user):
    consent = consent_for(duplicate, ConsentText.Purpose.ETHNICITY)
    self_identification_record(person=duplicate, ethnicity="quechua")
    earlier_log = MergeLog.objects.create(
        kept=duplicate, duplicate_snapshot={"full_name": "Older copy"}, reason="earlier merge"
    )
    duplicate_public_id = duplicate.public_id

    log = person_merge(
        kept=kept, duplicate=duplicate, actor=staff_user, reason="Same person, CE and DNI"
    )

    assert not Person.objects.filter(public_id=duplicate_public_id).exists()
    consent.refresh_from_db()
    assert consent.person == kept
    selfid = SelfIdentification.objects.get(person=kept)
    assert selfid.ethnicity == "quechua"
    assert selfid.ethnicity_consent == consent
    earlier_log.refresh_from_db()
    assert earlier_log.kept == kept
    assert set(kept.merge_logs.all()) == {earlier_log, log}

    assert log.actor == staff_user
    assert log.reason == "Same person, CE and DNI"
    assert log.kept == kept
    assert log.moved == {"lms.consent": 1, "lms.selfidentification": 1, "lms.mergelog": 1}
    assert log.duplicate_snapshot["document_number"] == "AB123456"
    assert log.duplicate_snapshot["full_name"] == "Jose Nanez Quispe"
    assert log.duplicate_snapshot["public_id"] == str(duplicate_public_id)


def test_merge_fills_blank_fields_from_the_duplicate_and_keeps_the_rest(kept, duplicate):
    kept_institution = kept.institution
    duplicate_institution = duplicate.institution

    log = person_merge(kept=kept, duplicate=duplicate, actor=None, reason="duplicate")

    kept.refresh_from_db()
    # Blank on the kept record: filled from the duplicate.
    assert kept.email == "jose@example.pe"
    assert kept.phone == "987654321"
    assert kept.birth_date == dt.date(1980, 5, 17)
    assert kept.sex == "M"  # "not reported" counts as blank
    assert kept.institution == (kept_institution or duplicate_institution)
    # Already filled on the kept record: the kept value wins.
    assert (kept.document_type, kept.document_number) != ("4", "AB123456")
    assert kept.given_names == "José"
    assert kept.family_names == "Ñañez Quispe"
    assert set(log.filled_fields) >= {"email", "phone", "birth_date", "sex", "institution"}


def test_merge_moves_the_duplicates_login(kept, duplicate):
    login = UserFactory()
    duplicate.user = login
    duplicate.save()

    person_merge(kept=kept, duplicate=duplicate, actor=None, reason="duplicate")

    kept.refresh_from_db()
    assert kept.user == login
    login.refresh_from_db()
    assert login.person == kept


def test_cannot_merge_a_record_into_itself(kept, staff_user):
    with pytest.raises(MergeConflict):
        person_merge(kept=kept, duplicate=kept, actor=staff_user, reason="oops")

    assert Person.objects.filter(pk=kept.pk).exists()
    assert MergeLog.objects.count() == 0


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_reason_is_required(kept, duplicate, staff_user, reason):
    with pytest.raises(ValidationError) as exc:
        person_merge(kept=kept, duplicate=duplicate, actor=staff_user, reason=reason)

    assert "reason" in exc.value.message_dict
    assert Person.objects.filter(pk=duplicate.pk).exists()
    assert MergeLog.objects.count() == 0


def test_both_with_a_login_is_a_conflict(kept, duplicate, staff_user):
    kept.user = UserFactory()
    kept.save()
    duplicate.user = UserFactory()
    duplicate.save()

    with pytest.raises(MergeConflict) as exc:
        person_merge(kept=kept, duplicate=duplicate, actor=staff_user, reason="duplicate")

    # Both accounts are named by email: the two usually carry the same person's name.
    assert kept.user.email in str(exc.value)
    assert duplicate.user.email in str(exc.value)
    assert Person.objects.filter(pk=duplicate.pk, user=duplicate.user).exists()
    assert MergeLog.objects.count() == 0


def test_both_with_self_identification_is_a_conflict_and_nothing_changes(
    kept, duplicate, staff_user
):
    consent_for(kept, ConsentText.Purpose.ETHNICITY)
    self_identification_record(person=kept, ethnicity="aimara")
    duplicate_consent = consent_for(duplicate, ConsentText.Purpose.ETHNICITY)
    self_identification_record(person=duplicate, ethnicity="quechua")

    with pytest.raises(MergeConflict):
        person_merge(kept=kept, duplicate=duplicate, actor=staff_user, reason="duplicate")

    duplicate.refresh_from_db()  # still there
    # The consents that may already have been moved before the conflict went back.
    duplicate_consent.refresh_from_db()
    assert duplicate_consent.person == duplicate
    assert SelfIdentification.objects.get(person=duplicate).ethnicity == "quechua"
    assert SelfIdentification.objects.get(person=kept).ethnicity == "aimara"
    kept.refresh_from_db()
    assert kept.email == ""
    assert MergeLog.objects.count() == 0


# --- POST /api/v1/participants/{public_id}/merge/ ------------------------------------------------


def merge_url(person) -> str:
    return f"/api/v1/participants/{person.public_id}/merge/"


def test_api_merge_by_staff(staff_api, staff_user, kept, duplicate):
    response = staff_api.post(
        merge_url(kept),
        {"duplicate": str(duplicate.public_id), "reason": "Registered twice"},
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == str(kept.public_id)
    assert body["email"] == "jose@example.pe"
    assert not Person.objects.filter(pk=duplicate.pk).exists()
    log = MergeLog.objects.get()
    assert (log.actor, log.reason) == (staff_user, "Registered twice")


def test_api_merge_into_itself_is_400(staff_api, kept):
    response = staff_api.post(
        merge_url(kept), {"duplicate": str(kept.public_id), "reason": "x"}, format="json"
    )

    assert response.status_code == 400
    assert Person.objects.filter(pk=kept.pk).exists()


def test_api_merge_needs_a_reason(staff_api, kept, duplicate):
    response = staff_api.post(
        merge_url(kept), {"duplicate": str(duplicate.public_id), "reason": ""}, format="json"
    )

    assert response.status_code == 400
    assert "reason" in response.json()
    assert Person.objects.filter(pk=duplicate.pk).exists()


def test_api_merge_forbidden_to_trainer(client_for, trainer_user, kept, duplicate):
    response = client_for(trainer_user).post(
        merge_url(kept), {"duplicate": str(duplicate.public_id), "reason": "x"}, format="json"
    )

    assert response.status_code == 403
    assert Person.objects.filter(pk=duplicate.pk).exists()
    assert MergeLog.objects.count() == 0
