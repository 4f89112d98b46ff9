"""Writes on the participant registry: people, consents and sensitive self-identification."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.models import Consent, ConsentText, Person, SelfIdentification
from lms.models.people import WG_DOMAINS


@transaction.atomic
def person_create(**fields) -> Person:
    person = Person(**fields)
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def person_update(*, person: Person, **fields) -> Person:
    for name, value in fields.items():
        setattr(person, name, value)
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def consent_record(
    *,
    person: Person,
    text: ConsentText,
    method: str,
    given_at: dt.datetime | None = None,
    recorded_by=None,
) -> Consent:
    consent = Consent(
        person=person,
        text=text,
        purpose=text.purpose,
        method=method,
        given_at=given_at or timezone.now(),
        recorded_by=recorded_by,
    )
    consent.full_clean()
    consent.save()
    return consent


def _active_consent(person: Person, purpose: str) -> Consent | None:
    return (
        person.consents.filter(purpose=purpose, withdrawn_at__isnull=True)
        .order_by("-given_at")
        .first()
    )


@transaction.atomic
def self_identification_record(
    *,
    person: Person,
    ethnicity: str | None = None,
    disability_answers: dict[str, str] | None = None,
) -> SelfIdentification:
    """Store sensitive answers only under an active consent for that very purpose."""
    selfid, _created = SelfIdentification.objects.select_for_update().get_or_create(person=person)
    errors = {}
    if ethnicity is not None:
        consent = _active_consent(person, ConsentText.Purpose.ETHNICITY)
        if ethnicity and consent is None:
            errors["ethnicity"] = _(
                "Ethnic self-identification can only be stored with the person's recorded consent."
            )
        selfid.ethnicity = ethnicity
        selfid.ethnicity_consent = consent if ethnicity else None
    if disability_answers is not None:
        unknown = set(disability_answers) - set(WG_DOMAINS)
        if unknown:
            errors["disability"] = _("Unknown Washington Group domains: %(names)s") % {
                "names": ", ".join(sorted(unknown))
            }
        consent = _active_consent(person, ConsentText.Purpose.DISABILITY)
        if any(disability_answers.values()) and consent is None:
            errors["disability"] = _(
                "Disability answers can only be stored with the person's recorded consent."
            )
        for domain in WG_DOMAINS:
            if domain in disability_answers:
                setattr(selfid, f"wg_{domain}", disability_answers[domain] or "")
        selfid.disability_consent = consent if any(selfid.disability_answers.values()) else None
    if errors:
        raise ValidationError(errors)
    selfid.full_clean()
    selfid.save()
    return selfid


@transaction.atomic
def consent_withdraw(*, consent: Consent, when: dt.datetime | None = None) -> Consent:
    """Withdrawal erases the data that the consent covered, in the same transaction.

    If the person has another active consent for the same purpose (re-consented to a newer
    text), the data stays and is covered by that one instead.
    """
    consent.withdrawn_at = when or timezone.now()
    consent.full_clean()
    consent.save(update_fields=["withdrawn_at"])
    selfid = SelfIdentification.objects.select_for_update().filter(person=consent.person_id).first()
    remaining = _active_consent(consent.person, consent.purpose)
    if selfid is not None and remaining is not None:
        setattr(selfid, f"{consent.purpose}_consent", remaining)
        selfid.save()
    elif selfid is not None:
        if consent.purpose == ConsentText.Purpose.ETHNICITY:
            selfid.ethnicity = ""
            selfid.ethnicity_consent = None
        else:
            for domain in WG_DOMAINS:
                setattr(selfid, f"wg_{domain}", "")
            selfid.disability_consent = None
        selfid.save()
    return consent
