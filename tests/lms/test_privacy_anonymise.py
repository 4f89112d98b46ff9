"""Anonymising a person: every registered personal field erased, the coarse attributes kept,
counts still pointing at the record, the trail written and still valid, the certificate's public
page without a name; from the admin (with confirmation) and from the command line."""

import datetime as dt
import json

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import models
from django.urls import reverse
from django.utils import timezone

from assessments.models import Completion
from attendance.models import AttendanceRecord
from lms.models import AuditEvent, Consent, Person, Region, SelfIdentification, User
from lms.privacy import (
    ANONYMISED_HOLDER,
    ERASED_TEXT,
    EXTERNAL,
    REGISTRY,
    Erase,
    Kind,
    age_band,
    app_models,
)
from lms.roles import Role, assign_role
from lms.services.audit import person_ref, verify_chain
from lms.services.privacy import person_anonymise
from tests.lms.privacy_data import build_participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def rosa():
    return build_participant()


def anonymise(built, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return person_anonymise(
            built.person, actor=kwargs.pop("actor", built.staff), reason="Solicitud 17", **kwargs
        )


def _text_of(obj: models.Model) -> str:
    values = []
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        if isinstance(value, dict | list):
            value = json.dumps(value, ensure_ascii=False)
        values.append(str(value))
    return " ".join(values)


def everything_stored() -> str:
    """Every row of every model of our apps and of the external models, as one text."""
    models_ = app_models() + [apps.get_model(rule.label) for rule in EXTERNAL]
    return "\n".join(_text_of(obj) for model in models_ for obj in model._default_manager.all())


def snapshot(person) -> dict:
    """The current value of every participant field the registry erases, per row."""
    values = {}
    for rule in REGISTRY.values():
        if not (rule.person or rule.rows):
            continue
        for obj in rule.rows_of(person):
            for name, field_rule in rule.fields.items():
                if field_rule.kind == Kind.PARTICIPANT and field_rule.erase != Erase.KEEP:
                    field = obj._meta.get_field(name)
                    value = (
                        sorted(getattr(obj, name).values_list("pk", flat=True))
                        if field.many_to_many
                        else getattr(obj, field.attname)
                    )
                    values[(rule.label, obj.pk, name)] = value
    return values


def test_no_trace_of_the_person_or_of_people_named_about_them_remains(
    rosa, django_capture_on_commit_callbacks
):
    before = everything_stored()
    for needle in rosa.needles:
        assert needle in before, needle  # the fixture does put it somewhere

    anonymise(rosa, django_capture_on_commit_callbacks)

    after = everything_stored()
    for needle in rosa.needles:
        assert needle not in after, needle
    # The classmate is untouched.
    other = Person.objects.get(pk=rosa.other.pk)
    assert other.anonymised_at is None
    assert other.full_name in after


def test_every_registered_field_is_erased_as_its_rule_says(
    rosa, django_capture_on_commit_callbacks
):
    before = snapshot(rosa.person)
    assert before  # the fixture reaches many erasable fields

    anonymise(rosa, django_capture_on_commit_callbacks)

    after = snapshot(rosa.person)
    for key, old in before.items():
        label, _pk, name = key
        rule = REGISTRY[label].fields[name]
        if rule.erase == Erase.DELETE:
            assert key not in after, key
            continue
        new = after[key]
        if rule.erase == Erase.CLEAR:
            assert new in ("", None, [], {}), key
        elif rule.erase == Erase.PLACEHOLDER:
            assert new in ("", ERASED_TEXT), key
        elif old not in ("", None, [], {}) and rule.erase in (Erase.RENEW, Erase.FILE):
            assert new != old, key


def test_coarse_attributes_stay_for_donor_counts(rosa, django_capture_on_commit_callbacks):
    person = rosa.person
    birth, sex, province = person.birth_date, person.sex, person.region
    counts = (
        AttendanceRecord.objects.filter(person=person).count(),
        Completion.objects.filter(person=person, status="completed").count(),
    )

    anonymise(rosa, django_capture_on_commit_callbacks)

    person.refresh_from_db()
    assert person.full_name == f"Persona anonimizada #{person.pk}"
    assert person.birth_date is None
    assert person.age_band == age_band(birth, timezone.localdate())
    assert person.age_band
    assert person.sex == sex
    assert person.institution.code == "poder-judicial"
    assert person.position.code == "juez"
    assert person.region == (province.parent or province)
    assert person.anonymised_basis == "request"
    assert (
        AttendanceRecord.objects.filter(person=person).count(),
        Completion.objects.filter(person=person, status="completed").count(),
    ) == counts
    assert not SelfIdentification.objects.filter(person=person).exists()
    assert all(c.withdrawn_at for c in Consent.objects.filter(person=person))


def test_the_login_is_closed_and_cannot_be_used(client, rosa, django_capture_on_commit_callbacks):
    anonymise(rosa, django_capture_on_commit_callbacks)

    user = User.objects.get(pk=rosa.user.pk)
    assert not user.is_active
    assert not user.has_usable_password()
    assert user.email.endswith("@anonimizado.invalid")
    assert (user.first_name, user.last_name) == ("", "")
    assert not user.groups.exists()
    assert not client.login(username=user.email, password="correct horse battery")


def test_the_certificate_pdf_is_deleted_and_the_name_replaced(
    rosa, django_capture_on_commit_callbacks
):
    path = rosa.certificate.pdf
    assert storages["private"].exists(path)

    anonymise(rosa, django_capture_on_commit_callbacks)

    rosa.certificate.refresh_from_db()
    assert not storages["private"].exists(path)
    assert rosa.certificate.pdf == ""
    assert rosa.certificate.holder_name == ANONYMISED_HOLDER
    assert rosa.certificate.identifier  # still the same certificate


def test_the_public_page_of_the_certificate_shows_no_name(
    client, rosa, django_capture_on_commit_callbacks
):
    address = f"/v/{rosa.certificate.identifier}?lang=en"
    assert rosa.person.given_names in client.get(address).content.decode()

    anonymise(rosa, django_capture_on_commit_callbacks)

    page = client.get(address).content.decode()
    assert "Rosa" not in page and "Mamani" not in page
    assert ANONYMISED_HOLDER not in page
    assert "personal data was removed at their request" in page


def test_the_trail_records_it_without_personal_data_and_still_verifies(
    rosa, django_capture_on_commit_callbacks
):
    subject = person_ref(rosa.person)
    assert AuditEvent.objects.filter(subject=subject).exclude(reason="").exists()

    anonymise(rosa, django_capture_on_commit_callbacks)

    event = AuditEvent.objects.get(action="person.anonymise")
    assert event.subject == subject
    assert event.actor == f"user:{rosa.staff.pk}"
    assert event.reason == "Solicitud 17"
    assert event.after["anonymised"] is True
    text = json.dumps([event.before, event.after], ensure_ascii=False)
    for needle in rosa.needles:
        assert needle not in text
    earlier = AuditEvent.objects.filter(subject=subject).exclude(pk=event.pk)
    assert not earlier.exclude(reason="").exists()  # their reasons were erased
    assert verify_chain().ok


def test_anonymising_twice_changes_nothing_more(rosa, django_capture_on_commit_callbacks):
    anonymise(rosa, django_capture_on_commit_callbacks)
    stored = everything_stored()

    again = anonymise(rosa, django_capture_on_commit_callbacks)

    assert again.already
    assert everything_stored() == stored
    assert AuditEvent.objects.filter(action="person.anonymise").count() == 1


def test_staff_logins_and_ones_own_record_are_refused(rosa, english):
    rosa.user.groups.clear()
    assign_role(rosa.user, Role.TRAINER)
    with pytest.raises(ValidationError, match="staff roles"):
        person_anonymise(rosa.person, actor=rosa.staff, reason="x")
    with pytest.raises(ValidationError, match="own record"):
        person_anonymise(rosa.person, actor=rosa.user, reason="x")
    with pytest.raises(ValidationError):
        person_anonymise(rosa.other, actor=rosa.staff, reason="  ")
    assert Person.objects.filter(anonymised_at__isnull=False).count() == 0


def test_admin_asks_for_a_reason_and_a_confirmation(client, rosa, admin_role_user, staff_user):
    address = reverse("lms_anonymise_participant", args=[rosa.person.public_id])
    client.force_login(staff_user)
    refused = client.get(address)
    assert refused.status_code == 403 or refused["Location"] == "/admin/"

    client.force_login(admin_role_user)
    page = client.get(address)
    assert page.status_code == 200
    assert client.post(address, {"reason": "Solicitud 17"}).status_code == 200  # no confirmation
    assert Person.objects.get(pk=rosa.person.pk).anonymised_at is None

    response = client.post(address, {"reason": "Solicitud 17", "confirm": "on"})

    assert response.status_code == 302
    assert Person.objects.get(pk=rosa.person.pk).anonymised_at is not None
    listing = client.get(reverse("participants:index")).content.decode()
    assert "Persona anonimizada" in listing


def test_the_participants_list_offers_anonymising_only_to_administrators(
    client, rosa, admin_role_user, staff_user
):
    address = reverse("lms_anonymise_participant", args=[rosa.person.public_id])
    client.force_login(staff_user)
    assert address not in client.get(reverse("participants:index")).content.decode()
    client.force_login(admin_role_user)
    assert address in client.get(reverse("participants:index")).content.decode()


def test_command_line(rosa, capsys):
    call_command("anonymise_person", str(rosa.person.pk), reason="Carta del 2026-03-02")

    person = Person.objects.get(pk=rosa.person.pk)
    assert person.anonymised_at is not None
    assert "lms.Person: 1" in capsys.readouterr().out
    event = AuditEvent.objects.get(action="person.anonymise")
    assert event.actor == "system"
    call_command("anonymise_person", str(person.public_id), reason="again")
    assert AuditEvent.objects.filter(action="person.anonymise").count() == 1


def test_age_bands():
    today = dt.date(2026, 6, 1)
    assert age_band(None, today) == ""
    assert age_band(dt.date(2012, 1, 1), today) == "0-14"
    assert age_band(dt.date(2008, 6, 1), today) == "15-19"
    assert age_band(dt.date(1996, 6, 2), today) == "25-29"
    assert age_band(dt.date(1996, 6, 1), today) == "30-34"
    assert age_band(dt.date(1950, 1, 1), today) == "70+"


def test_region_is_coarsened_to_the_department(rosa, django_capture_on_commit_callbacks):
    province = Region.objects.filter(level="province").first()
    Person.objects.filter(pk=rosa.person.pk).update(region=province)

    anonymise(rosa, django_capture_on_commit_callbacks)

    assert Person.objects.get(pk=rosa.person.pk).region_id == province.parent_id
