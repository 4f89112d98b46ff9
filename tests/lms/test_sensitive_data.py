"""Sensitive self-identification (Ley 29733): stored only under consent, erased on withdrawal."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from lms.models import Consent, ConsentText, SelfIdentification, WGAnswer
from lms.models.people import WG_DOMAINS
from lms.services.people import consent_record, consent_withdraw, self_identification_record
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

NO_DIFFICULTY = dict.fromkeys(WG_DOMAINS, WGAnswer.NO_DIFFICULTY)


def give_consent(person, purpose):
    text = ConsentText.objects.filter(purpose=purpose, language="es").first()
    return consent_record(person=person, text=text, method=Consent.Method.PAPER)


@pytest.fixture
def person():
    return PersonFactory()


def stored(person) -> SelfIdentification | None:
    return SelfIdentification.objects.filter(person=person).first()


# --- The service -------------------------------------------------------------------------------


def test_ethnicity_without_consent_is_refused_and_not_stored(person):
    with pytest.raises(ValidationError) as exc:
        self_identification_record(person=person, ethnicity="quechua")

    assert "ethnicity" in exc.value.message_dict
    assert stored(person) is None


def test_disability_answers_without_consent_are_refused_and_not_stored(person):
    answers = {**NO_DIFFICULTY, "walking": WGAnswer.A_LOT}

    with pytest.raises(ValidationError) as exc:
        self_identification_record(person=person, disability_answers=answers)

    assert "disability" in exc.value.message_dict
    assert stored(person) is None


def test_with_consent_the_answers_are_stored_with_their_consent(person):
    ethnicity_consent = give_consent(person, ConsentText.Purpose.ETHNICITY)
    disability_consent = give_consent(person, ConsentText.Purpose.DISABILITY)

    self_identification_record(
        person=person,
        ethnicity="quechua",
        disability_answers={**NO_DIFFICULTY, "seeing": WGAnswer.SOME},
    )

    selfid = stored(person)
    assert selfid.ethnicity == "quechua"
    assert selfid.ethnicity_consent == ethnicity_consent
    assert selfid.wg_seeing == WGAnswer.SOME
    assert selfid.wg_walking == WGAnswer.NO_DIFFICULTY
    assert selfid.disability_consent == disability_consent


def test_consent_for_ethnicity_does_not_cover_disability(person):
    give_consent(person, ConsentText.Purpose.ETHNICITY)

    with pytest.raises(ValidationError) as exc:
        self_identification_record(
            person=person,
            ethnicity="aimara",
            disability_answers={"hearing": WGAnswer.CANNOT},
        )

    assert set(exc.value.message_dict) == {"disability"}
    assert stored(person) is None  # all or nothing: the ethnicity was not kept either


def test_consent_for_disability_does_not_cover_ethnicity(person):
    give_consent(person, ConsentText.Purpose.DISABILITY)

    with pytest.raises(ValidationError) as exc:
        self_identification_record(person=person, ethnicity="afro")

    assert set(exc.value.message_dict) == {"ethnicity"}


def test_unknown_washington_group_domain_is_refused(person):
    give_consent(person, ConsentText.Purpose.DISABILITY)

    with pytest.raises(ValidationError) as exc:
        self_identification_record(person=person, disability_answers={"flying": WGAnswer.CANNOT})

    assert "flying" in " ".join(exc.value.message_dict["disability"])


def test_another_persons_consent_does_not_count(person):
    give_consent(PersonFactory(), ConsentText.Purpose.ETHNICITY)

    with pytest.raises(ValidationError):
        self_identification_record(person=person, ethnicity="quechua")


def test_withdrawing_consent_erases_the_data_it_covered(person):
    ethnicity_consent = give_consent(person, ConsentText.Purpose.ETHNICITY)
    give_consent(person, ConsentText.Purpose.DISABILITY)
    self_identification_record(
        person=person, ethnicity="quechua", disability_answers={"walking": WGAnswer.A_LOT}
    )

    consent_withdraw(consent=ethnicity_consent)

    selfid = stored(person)
    assert selfid.ethnicity == ""
    assert selfid.ethnicity_consent is None
    # The other purpose's data and consent stay.
    assert selfid.wg_walking == WGAnswer.A_LOT
    ethnicity_consent.refresh_from_db()
    assert ethnicity_consent.withdrawn_at is not None
    # And without an active consent the answer cannot come back.
    with pytest.raises(ValidationError):
        self_identification_record(person=person, ethnicity="quechua")


def test_withdrawing_disability_consent_erases_every_answer(person):
    consent = give_consent(person, ConsentText.Purpose.DISABILITY)
    self_identification_record(
        person=person, disability_answers={**NO_DIFFICULTY, "hearing": WGAnswer.CANNOT}
    )

    consent_withdraw(consent=consent)

    selfid = stored(person)
    assert all(answer == "" for answer in selfid.disability_answers.values())
    assert selfid.disability_consent is None
    assert selfid.has_disability is None


# --- The database itself -------------------------------------------------------------------------


def test_database_refuses_ethnicity_without_consent(person):
    with pytest.raises(IntegrityError), transaction.atomic():
        SelfIdentification(person=person, ethnicity="quechua").save()

    assert stored(person) is None


def test_database_refuses_disability_answer_without_consent(person):
    with pytest.raises(IntegrityError), transaction.atomic():
        SelfIdentification(person=person, wg_seeing=WGAnswer.A_LOT).save()

    assert stored(person) is None


def test_database_accepts_an_empty_row_and_consented_answers(person):
    consent = give_consent(person, ConsentText.Purpose.ETHNICITY)

    SelfIdentification(person=person, ethnicity="mestizo", ethnicity_consent=consent).save()

    assert stored(person).ethnicity == "mestizo"


# --- Washington Group cut-off --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "disability"),
    [
        ({}, None),
        (NO_DIFFICULTY, False),
        ({**NO_DIFFICULTY, "seeing": WGAnswer.SOME, "hearing": WGAnswer.SOME}, False),
        ({**NO_DIFFICULTY, "walking": WGAnswer.A_LOT}, True),
        ({"communicating": WGAnswer.CANNOT}, True),
        ({"self_care": WGAnswer.SOME}, False),
    ],
)
def test_has_disability_is_any_domain_at_a_lot_or_cannot(answers, disability):
    selfid = SelfIdentification(**{f"wg_{d}": a for d, a in answers.items()})

    assert selfid.has_disability is disability


# --- Who sees it in the API ----------------------------------------------------------------------


@pytest.fixture
def person_with_answers(person):
    give_consent(person, ConsentText.Purpose.ETHNICITY)
    give_consent(person, ConsentText.Purpose.DISABILITY)
    self_identification_record(
        person=person, ethnicity="quechua", disability_answers={"walking": WGAnswer.CANNOT}
    )
    return person


def detail_url(person) -> str:
    return f"/api/v1/participants/{person.public_id}/"


def test_program_staff_see_self_identification(staff_api, person_with_answers):
    response = staff_api.get(detail_url(person_with_answers))

    assert response.status_code == 200
    selfid = response.json()["self_identification"]
    assert selfid["ethnicity"] == "quechua"
    assert selfid["wg_walking"] == WGAnswer.CANNOT
    assert selfid["has_disability"] is True


def test_view_person_alone_does_not_show_self_identification(client_for, person_with_answers):
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="view_person"))

    response = client_for(user).get(detail_url(person_with_answers))

    assert response.status_code == 200
    body = response.json()
    assert body["family_names"] == person_with_answers.family_names
    assert body["self_identification"] is None
    assert "quechua" not in response.content.decode()


def test_list_never_carries_self_identification(staff_api, person_with_answers):
    response = staff_api.get("/api/v1/participants/")

    assert response.status_code == 200
    assert "self_identification" not in response.json()["results"][0]
    assert "quechua" not in response.content.decode()


def test_withdrawing_a_superseded_consent_keeps_data_under_the_newer_one(db):
    person = PersonFactory()
    text = ConsentText.objects.get(purpose="ethnicity", language="es")
    old = consent_record(person=person, text=text, method="paper")
    self_identification_record(person=person, ethnicity="quechua")
    newer = consent_record(person=person, text=text, method="online")

    consent_withdraw(consent=old)
    selfid = SelfIdentification.objects.get(person=person)
    assert selfid.ethnicity == "quechua"
    assert selfid.ethnicity_consent == newer

    consent_withdraw(consent=newer)
    selfid.refresh_from_db()
    assert selfid.ethnicity == ""
