"""python manage.py seed_demo: deterministic, idempotent demo people and one login per role."""

import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from assessments.models import Attempt, Completion, WorkshopScore
from attendance.models import AttendanceCorrection, AttendanceRecord, Registration
from courses.models import Enrolment
from lms.models import Consent, Person, SelfIdentification, User
from lms.roles import Role, user_roles
from lms.validators import make_search_text

PASSWORD = "demo-lms-2026"
LOGINS = {
    "superuser@demo.pe": None,
    "admin@demo.pe": Role.PROGRAM_ADMIN,
    "staff@demo.pe": Role.PROGRAM_STAFF,
    "trainer@demo.pe": Role.TRAINER,
    "participant@demo.pe": Role.PARTICIPANT,
    "donor@demo.pe": Role.DONOR,
}


def seed(participants: int = 40, seed: int = 1, *, everything: bool = False) -> str:
    """The registry part of the demo; ``everything`` adds courses, workshops and tests (slow)."""
    out = StringIO()
    call_command(
        "seed_demo",
        participants=participants,
        seed=seed,
        registry_only=not everything,
        stdout=out,
    )
    return out.getvalue()


def people_snapshot() -> list[tuple[str, str, str]]:
    return sorted(Person.objects.values_list("document_number", "given_names", "family_names"))


def delete_people() -> None:
    # SelfIdentification protects its Consent rows, so Person.delete() alone is refused.
    # Records that keep their people (PROTECT) go first.
    Completion.objects.all().delete()
    WorkshopScore.objects.all().delete()
    Attempt.objects.all().delete()
    AttendanceCorrection.objects.all().delete()
    AttendanceRecord.objects.all().delete()
    Registration.objects.all().delete()
    Enrolment.objects.all().delete()
    SelfIdentification.objects.all().delete()
    Consent.objects.all().delete()
    Person.objects.all().delete()


def test_creates_people_and_logins(db):
    output = seed()

    assert Person.objects.count() == 40
    assert User.objects.count() == len(LOGINS)
    assert "40 creados, 0 omitidos" in output
    for email in LOGINS:
        assert email in output
    assert "http://127.0.0.1:8000/admin/" in output
    assert "http://127.0.0.1:8000/api/v1/docs/" in output


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (
            Person,
            User,
            Consent,
            SelfIdentification,
            Registration,
            AttendanceRecord,
            WorkshopScore,
            Attempt,
            Completion,
            Enrolment,
        )
    )


def test_second_run_adds_nothing(db):
    seed(everything=True)
    before = counts()
    output = seed(everything=True)

    assert counts() == before
    assert "0 creados, 40 omitidos" in output


def test_same_seed_gives_same_people(db):
    seed()
    first = people_snapshot()
    delete_people()
    seed()

    assert people_snapshot() == first


def test_other_seed_gives_other_people(db):
    seed(seed=1)
    first = people_snapshot()
    delete_people()
    seed(seed=2)

    assert people_snapshot() != first


def test_documents_names_and_search_text(db):
    seed()
    people = list(Person.objects.all())

    for person in people:
        if person.document_type == "1":
            assert re.fullmatch(r"\d{8}", person.document_number), person.document_number
        assert len(person.family_names.split()) >= 2, person.family_names
        assert person.search_text == make_search_text(
            person.given_names, person.family_names, person.document_number
        )
        assert person.institution_id and person.position_id and person.region_id
    assert any(not p.full_name.isascii() for p in people)
    emails = [p.email for p in people if p.email]
    assert all(e.isascii() for e in emails)
    assert len(emails) == len(set(emails))


def test_positions_match_institutions(db):
    seed(participants=200)
    allowed = {
        "juez": {"poder-judicial", "amag", "jnj"},
        "fiscal": {"ministerio-publico"},
        "policia": {"mininter-pnp"},
        "auditor": {"contraloria"},
        "procurador": {"procuraduria-anticorrupcion"},
        "periodista": {"medios"},
        "sociedad-civil": {"sociedad-civil"},
        "abogado": {"colegio-abogados"},
    }
    pairs = Person.objects.values_list("position__code", "institution__code")

    for position, institution in pairs:
        if position in allowed:
            assert institution in allowed[position], (position, institution)


@pytest.mark.parametrize(("email", "role"), LOGINS.items())
def test_demo_logins_authenticate_with_their_role(db, email, role):
    seed()
    user = authenticate(email=email, password=PASSWORD)

    assert user is not None
    assert user_roles(user) == ([role] if role else [])
    assert user.is_superuser == (role is None)
    assert user.is_staff == (role is None)
    assert user.first_name and user.last_name


def test_participant_login_has_a_person(db):
    seed()
    user = User.objects.get(email="participant@demo.pe")

    assert user.person.email == "participant@demo.pe"
    assert user.get_full_name() == user.person.full_name


def test_self_identification_only_with_consent(db):
    seed(participants=200)
    selfids = list(SelfIdentification.objects.select_related("ethnicity_consent"))

    assert selfids
    for selfid in selfids:
        assert selfid.ethnicity
        assert selfid.ethnicity_consent.person_id == selfid.person_id


def test_more_participants_extend_the_same_list(db):
    seed(participants=10)
    output = seed(participants=40)

    assert "30 creados, 10 omitidos" in output
    assert Person.objects.count() == 40


def test_demo_has_tests_scores_gain_and_decisions(db):
    from attendance.models import Workshop

    output = seed(participants=120, everything=True)
    past = Workshop.objects.get(code="LIM-2026-011")
    assert past.status == "completed"
    assert WorkshopScore.objects.filter(registration__workshop=past, kind="post").count() > 10
    assert "LIM-2026-011:" in output and "ganancia normalizada" in output
    decided = set(
        Completion.objects.filter(registration__workshop=past).values_list("status", flat=True)
    )
    assert decided <= {"completed", "not_completed"}  # a finished workshop leaves nothing open
    assert "completed" in decided
    assert Attempt.objects.filter(person__user__email="participant@demo.pe").exists()
