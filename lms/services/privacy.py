"""Writes under Law 29733: a participant's consents and requests, anonymisation, retention.

Anonymisation and the retention sweep follow the registry in ``lms.privacy``: every field it
marks as a participant's personal data is erased as its rule says, and what donor counts need
stays in coarse form (sex, department, institution, position, age band). Attendance, scores and
completions stay too: they are counts once they point at an anonymised record.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import uuid
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import ProtectedError, Q
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lms.background import JOB_FILES_FOLDER, job_files_folder
from lms.models import (
    AnonymisationBasis,
    Consent,
    ConsentText,
    DataRequest,
    Job,
    Person,
    SelfIdentification,
    User,
)
from lms.models.people import WG_DOMAINS
from lms.privacy import (
    ERASED_TEXT,
    EXTERNAL,
    REGISTRY,
    Erase,
    EraseContext,
    Kind,
    ModelRule,
)
from lms.roles import Role
from lms.services.audit import audit_context, audit_erase_reasons, audit_record, person_ref
from lms.services.people import consent_record, consent_withdraw, self_identification_record

log = logging.getLogger(__name__)

# Sent once a person's data is erased, inside the transaction: other apps forget what they keep
# derived from it (certificates: the cached verification pages). Arguments: person.
person_anonymised = Signal()


# --- Consents, by the participant ------------------------------------------------------------


@transaction.atomic
def participant_consent_give(*, person: Person, text: ConsentText, user) -> Consent:
    """The participant accepts ``text`` online (the newest text of its purpose)."""
    if person.consents.filter(text=text, withdrawn_at__isnull=True).exists():
        raise ValidationError(_("You have already accepted this text."))
    consent = consent_record(
        person=person, text=text, method=Consent.Method.ONLINE, recorded_by=user
    )
    audit_record(
        "consent.give",
        obj=consent,
        subject=person_ref(person),
        after={"purpose": text.purpose, "text_version": text.version, "method": consent.method},
        actor=user,
    )
    return consent


@transaction.atomic
def participant_consent_withdraw(*, consent: Consent, user) -> Consent:
    """Withdrawal is recorded (the time), never deleted; the answers it covered are erased
    (lms.services.people.consent_withdraw) unless another standing consent covers them."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_at is not None:
        raise ValidationError(_("This consent was already withdrawn."))
    consent_withdraw(consent=consent)
    audit_record(
        "consent.withdraw",
        obj=consent,
        subject=person_ref(consent.person_id),
        before={"purpose": consent.purpose, "withdrawn": False},
        after={"purpose": consent.purpose, "withdrawn": True},
        actor=user,
    )
    return consent


@transaction.atomic
def participant_self_identification_update(
    *,
    person: Person,
    user,
    ethnicity: str | None = None,
    disability_answers: dict[str, str] | None = None,
) -> SelfIdentification | None:
    """The participant's own answers (None: that purpose is left as it is). Stored only under
    the participant's standing consent for the purpose (lms.services.people refuses otherwise);
    the trail notes which purposes were updated, never the answers."""
    purposes = [
        purpose
        for purpose, answers in (
            (ConsentText.Purpose.ETHNICITY, ethnicity),
            (ConsentText.Purpose.DISABILITY, disability_answers),
        )
        if answers is not None
    ]
    if not purposes:
        return None
    # Lock the consents: a withdrawal running at the same time waits, then erases these answers.
    consented = set(
        Consent.objects.select_for_update()
        .filter(person=person, purpose__in=purposes, withdrawn_at__isnull=True)
        .values_list("purpose", flat=True)
    )
    missing = [p for p in purposes if p not in consented]
    if missing:
        raise ValidationError(
            {
                p: _("You have not given your consent for this purpose: nothing was stored.")
                for p in missing
            }
        )
    selfid = self_identification_record(
        person=person, ethnicity=ethnicity, disability_answers=disability_answers
    )
    audit_record(
        "self_identification.update",
        obj=selfid,
        subject=person_ref(person),
        after={"purposes": sorted(purposes)},
        actor=user,
    )
    return selfid


def person_export_record(*, person: Person, user, fmt: str) -> None:
    """The trail notes that the person downloaded their data (and in which format)."""
    audit_record(
        "person.export", obj=person, subject=person_ref(person), after={"format": fmt}, actor=user
    )


# --- Requests (rectification, cancellation, opposition) ---------------------------------------


def business_days_after(start: dt.date, days: int) -> dt.date:
    """The ``days``-th business day after ``start`` (weekends and LMS_PRIVACY_HOLIDAYS skipped)."""
    holidays = {dt.date.fromisoformat(day) for day in settings.LMS_PRIVACY_HOLIDAYS}
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            days -= 1
    return day


def data_request_due_on(*, kind: str, received_at: dt.datetime) -> dt.date:
    return business_days_after(
        timezone.localtime(received_at).date(), settings.LMS_ARCO_DEADLINE_DAYS[kind]
    )


def _person_address(person: Person) -> str:
    if person.email:
        return person.email
    return person.user.email if person.user_id and person.user.is_active else ""


def _notify(request: DataRequest, *, address: str, event: str) -> None:
    """Email the participant (in the request's language) and the privacy contact, after commit."""
    with translation.override(request.language):
        context = {
            "request": request,
            "event": event,
            "url": settings.LMS_PUBLIC_URL.rstrip("/") + reverse("privacy:requests"),
        }
        subject = render_to_string("privacy/email/request_subject.txt", context).strip()
        body = render_to_string("privacy/email/request_body.txt", context)
    with translation.override(settings.LANGUAGE_CODE):
        staff_subject = render_to_string("privacy/email/contact_subject.txt", context).strip()
        staff_body = render_to_string("privacy/email/contact_body.txt", context)

    def send():
        if address:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
        if settings.LMS_PRIVACY_CONTACT_EMAIL:
            send_mail(
                staff_subject,
                staff_body,
                settings.DEFAULT_FROM_EMAIL,
                [settings.LMS_PRIVACY_CONTACT_EMAIL],
            )

    transaction.on_commit(send)


def _request_facts(request: DataRequest) -> dict:
    # Only what is not personal: the kind, the status, the field's name, the deadline.
    return {
        "kind": request.kind,
        "status": request.status,
        "field": request.field,
        "due_on": request.due_on,
    }


@transaction.atomic
def data_request_submit(
    *,
    person: Person,
    kind: str,
    field: str = "",
    correct_value: str = "",
    details: str = "",
    channel: str = DataRequest.Channel.ONLINE,
    actor=None,
    language: str | None = None,
) -> DataRequest:
    """Record a request; the deadline counts from the day after it arrives."""
    if person.anonymised_at is not None:
        raise ValidationError(_("This record has been anonymised."))
    errors = {}
    if kind == DataRequest.Kind.RECTIFICATION and not correct_value.strip():
        errors["correct_value"] = _("Say what the correct value is.")
    if kind == DataRequest.Kind.OPPOSITION and not details.strip():
        errors["details"] = _("Say which use of your data you oppose, and why.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    request = DataRequest(
        person=person,
        kind=kind,
        field=field if kind == DataRequest.Kind.RECTIFICATION else "",
        correct_value=correct_value.strip(),
        details=details.strip(),
        channel=channel,
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
        received_at=now,
        due_on=data_request_due_on(kind=kind, received_at=now),
    )
    request.full_clean()
    request.save()
    audit_record(
        "privacy.request",
        obj=request,
        subject=person_ref(person),
        after=_request_facts(request),
        actor=actor,
    )
    _notify(request, address=_person_address(person), event="received")
    return request


_TRANSITIONS = {
    DataRequest.Status.RECEIVED: {
        DataRequest.Status.IN_PROGRESS,
        DataRequest.Status.DONE,
        DataRequest.Status.REFUSED,
    },
    DataRequest.Status.IN_PROGRESS: {DataRequest.Status.DONE, DataRequest.Status.REFUSED},
}


@transaction.atomic
def data_request_update(
    *, request: DataRequest, status: str, actor, response: str = ""
) -> DataRequest:
    """Move a request on. Completing a cancellation anonymises the person (it cannot be undone);
    refusing needs the reason, which the participant reads."""
    request = (
        DataRequest.objects.select_for_update(of=("self",))
        .select_related("person")
        .get(pk=request.pk)
    )
    if status not in _TRANSITIONS.get(request.status, set()):
        raise ValidationError(
            _("A request that is “%(old)s” cannot become “%(new)s”.")
            % {
                "old": request.get_status_display(),
                "new": DataRequest.Status(status).label
                if status in DataRequest.Status.values
                else status,
            }
        )
    response = response.strip()
    if status == DataRequest.Status.REFUSED and not response:
        raise ValidationError({"response": _("Give the reason for refusing the request.")})
    # Captured before a cancellation erases the address.
    address = _person_address(request.person)
    before = _request_facts(request)
    if status == DataRequest.Status.DONE and request.kind == DataRequest.Kind.CANCELLATION:
        person_anonymise(
            request.person,
            actor=actor,
            reason=_("Cancellation request %(id)s") % {"id": request.public_id},
        )
        request.refresh_from_db()
    request.status = status
    if response:
        request.response = response
    request.handled_by = actor if getattr(actor, "pk", None) else None
    if status in (DataRequest.Status.DONE, DataRequest.Status.REFUSED):
        request.closed_at = timezone.now()
    request.full_clean()
    request.save()
    audit_record(
        "privacy.request.status",
        obj=request,
        subject=person_ref(request.person_id),
        before=before,
        after=_request_facts(request),
        actor=actor,
    )
    _notify(request, address=address, event=status)
    return request


# --- Anonymisation ---------------------------------------------------------------------------


@dataclass
class Anonymisation:
    person: Person
    already: bool = False
    rows: dict[str, int] = field(default_factory=dict)


def _staff_login(user: User | None) -> bool:
    if user is None:
        return False
    roles = set(user.groups.values_list("name", flat=True)) - {Role.PARTICIPANT.value}
    return bool(user.is_staff or user.is_superuser or roles)


def anonymisation_refusal(person: Person, *, actor=None) -> str:
    """Why ``person`` may not be anonymised now ("" when they may)."""
    user = person.user
    if actor is not None and user is not None and getattr(actor, "pk", None) == user.pk:
        return _("You cannot anonymise your own record.")
    if _staff_login(user):
        # Their login is the author of attendance, scores and certificates others rely on.
        return _(
            "This person's login has staff roles or admin access. Remove them (and hand over "
            "their work) before anonymising the record."
        )
    return ""


def _cleared(model_field: models.Field):
    if model_field.null:
        return None
    if model_field.has_default():
        return model_field.get_default()
    return ""


def _erase_rows(rule: ModelRule, person: Person, ctx: EraseContext, files: list) -> int:
    rows = rule.rows_of(person)
    if rule.deletes_rows:
        count = rows.count()
        rows.delete()
        return count
    erasing = {
        name: field_rule
        for name, field_rule in rule.fields.items()
        if field_rule.kind == Kind.PARTICIPANT and field_rule.erase != Erase.KEEP
    }
    if any(r.erase == Erase.AUDIT for r in erasing.values()):
        return audit_erase_reasons(subject=person_ref(person))
    if not erasing:
        return rows.count()
    model = rule.model
    count = 0
    for obj in rows.order_by("pk"):
        count += 1
        values = {}
        for name, field_rule in erasing.items():
            model_field = model._meta.get_field(name)
            if model_field.many_to_many:
                getattr(obj, name).clear()
                continue
            current = getattr(obj, model_field.attname)
            match field_rule.erase:
                case Erase.CLEAR:
                    value = _cleared(model_field)
                case Erase.PLACEHOLDER:
                    value = ERASED_TEXT if current else current
                case Erase.SET:
                    value = field_rule.value(obj, ctx)
                case Erase.RENEW:
                    value = model_field.get_default()
                case Erase.FILE:
                    if current:
                        files.append((field_rule.storage, current))
                    value = _cleared(model_field)
                case _:
                    raise ValueError(f"{rule.label}.{name}: no way to erase {field_rule.erase}")
            if isinstance(value, models.Model):
                value = value.pk
            values[model_field.attname] = value
        model._default_manager.filter(pk=obj.pk).update(**values)
    return count


def _delete_files(files: list[tuple[str, str]]) -> None:
    for storage_name, path in files:
        try:
            storages[storage_name].delete(path)
        except OSError:  # already gone, or the disk refuses: the row no longer names it anyway
            log.warning("Could not delete %s from %s storage", path, storage_name)


def person_anonymise(
    person: Person,
    *,
    actor,
    reason: str,
    basis: str = AnonymisationBasis.REQUEST,
) -> Anonymisation:
    """Erase a person's personal data and keep the coarse attributes counts need. Idempotent:
    an anonymised person is returned as it is. Cannot be undone."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason (e.g. the request it answers).")})
    with transaction.atomic(), audit_context(actor=actor):
        person = (
            Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
        )
        if person.anonymised_at is not None:
            return Anonymisation(person=person, already=True)
        refusal = anonymisation_refusal(person, actor=actor)
        if refusal:
            raise ValidationError(refusal)
        now = timezone.now()
        ctx = EraseContext(person=person, now=now, today=timezone.localdate(now), basis=basis)
        result = Anonymisation(person=person)
        if person.user is not None:
            for external in EXTERNAL:
                try:
                    model = apps.get_model(external.label)
                except LookupError:  # that app is not installed here
                    continue
                deleted, _by_model = model._default_manager.filter(
                    external.match(person.user)
                ).delete()
                if deleted:
                    result.rows[external.label] = deleted
        files: list[tuple[str, str]] = []
        for rule in REGISTRY.values():
            if not (rule.person or rule.rows):
                continue
            count = _erase_rows(rule, person, ctx, files)
            if count:
                result.rows[rule.label] = count
        transaction.on_commit(lambda: _delete_files(files))
        person.refresh_from_db()
        audit_record(
            "person.anonymise",
            obj=person,
            subject=person_ref(person),
            before={"anonymised": False},
            after={
                "anonymised": True,
                "basis": basis,
                "age_band": person.age_band,
                "rows": result.rows,
            },
            reason=reason,
            actor=actor,
        )
        result.person = person
        person_anonymised.send(sender=Person, person=person)
        return result


# --- Retention -------------------------------------------------------------------------------


@dataclass
class RetentionResult:
    dry_run: bool
    counts: dict[str, int] = field(default_factory=dict)


def _days_ago(now: dt.datetime, days: int) -> dt.datetime:
    return now - dt.timedelta(days=days)


def _participant_only(users):
    staff_roles = [role.value for role in Role if role != Role.PARTICIPANT]
    return users.filter(is_staff=False, is_superuser=False).exclude(groups__name__in=staff_roles)


def _unconfirmed_signups(now, dry_run: bool) -> int:
    """Sign-ups whose emailed link was never used: the login and, if nothing else points at it,
    the registry record created with it."""
    days = settings.LMS_RETENTION_UNCONFIRMED_SIGNUP_DAYS
    if not days:
        return 0
    users = _participant_only(
        User.objects.filter(is_active=False, last_login__isnull=True)
        .filter(date_joined__lt=_days_ago(now, days))
        # An unusable password marks an invitation or an erased login, not a sign-up.
        .exclude(**{"password__startswith": UNUSABLE_PASSWORD_PREFIX})
    )
    if dry_run:
        return users.count()
    count = 0
    for user in users:
        with transaction.atomic():
            person = Person.objects.filter(user=user, anonymised_at__isnull=True).first()
            if person is not None:
                try:
                    with transaction.atomic():
                        person.delete()
                except ProtectedError:
                    pass  # the record has training history: keep it, drop only the login
            user.delete()
            count += 1
    return count


def _expired_invitations(now, dry_run: bool) -> int:
    """Logins created by an invitation never accepted: the registry record stays (staff can
    invite again); the login, its name and address go."""
    days = settings.LMS_RETENTION_INVITATION_DAYS
    if not days:
        return 0
    users = _participant_only(
        User.objects.filter(last_login__isnull=True)
        .filter(**{"password__startswith": UNUSABLE_PASSWORD_PREFIX})
        .filter(date_joined__lt=_days_ago(now, days))
        .exclude(person__anonymised_at__isnull=False)
    )
    if dry_run:
        return users.count()
    count = 0
    for user in users:
        try:
            with transaction.atomic():
                user.delete()
                count += 1
        except ProtectedError:
            pass
    return count


def _failed_logins(now, dry_run: bool) -> int:
    days = settings.LMS_RETENTION_FAILED_LOGIN_DAYS
    if not days or not apps.is_installed("axes"):
        return 0
    count = 0
    for label in ("axes.AccessAttempt", "axes.AccessFailureLog", "axes.AccessLog"):
        rows = apps.get_model(label).objects.filter(attempt_time__lt=_days_ago(now, days))
        count += rows.count() if dry_run else rows.delete()[0]
    return count


def _walk(storage, folder: str):
    try:
        folders, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        yield f"{folder}/{name}"
    for name in folders:
        yield from _walk(storage, f"{folder}/{name}")


def _import_files(now, dry_run: bool) -> int:
    """Uploads in the private storage that an import left behind (a job deletes its file once
    read; a crash may leave it)."""
    days = settings.LMS_RETENTION_IMPORT_FILE_DAYS
    if not days:
        return 0
    storage = storages["private"]
    waiting = {
        params.get("path")
        for params in Job.objects.filter(
            status__in=[Job.Status.PENDING, Job.Status.RUNNING]
        ).values_list("params", flat=True)
        if isinstance(params, dict)
    }
    cutoff = _days_ago(now, days)
    count = 0
    for path in list(_walk(storage, "imports")):
        if path in waiting or storage.get_modified_time(path) >= cutoff:
            continue
        count += 1
        if not dry_run:
            storage.delete(path)
    return count


def _job_files(now, dry_run: bool) -> int:
    """Files jobs wrote (``jobs/<job id>/`` in the private storage, e.g. report exports): removed
    with their job's data, or once their job no longer exists."""
    days = settings.LMS_RETENTION_JOB_DAYS
    if not days:
        return 0
    storage = storages["private"]
    try:
        folders, _files = storage.listdir(JOB_FILES_FOLDER)
    except (FileNotFoundError, NotADirectoryError):
        return 0
    ids = []
    for name in folders:
        try:
            ids.append(uuid.UUID(name))
        except ValueError:
            continue  # not a job's folder: left alone
    kept = {
        str(pk)
        for pk in Job.objects.filter(pk__in=ids)
        .exclude(
            status__in=[Job.Status.SUCCEEDED, Job.Status.FAILED],
            finished_at__lt=_days_ago(now, days),
        )
        .values_list("pk", flat=True)
    }
    count = 0
    for pk in ids:
        if str(pk) in kept:
            continue
        folder = job_files_folder(pk)
        for path in list(_walk(storage, folder)):
            count += 1
            if not dry_run:
                storage.delete(path)
        if not dry_run:
            _remove_empty_folder(storage, folder)
    return count


def _remove_empty_folder(storage, folder: str) -> None:
    """A file-system storage keeps empty folders; object stores have none."""
    with contextlib.suppress(NotImplementedError, OSError):
        os.rmdir(storage.path(folder))


def _job_data(now, dry_run: bool) -> int:
    days = settings.LMS_RETENTION_JOB_DAYS
    if not days:
        return 0
    jobs = Job.objects.filter(
        status__in=[Job.Status.SUCCEEDED, Job.Status.FAILED],
        finished_at__lt=_days_ago(now, days),
    ).exclude(Q(params={}) & Q(result__isnull=True) & Q(error="") & Q(label=""))
    if dry_run:
        return jobs.count()
    return jobs.update(params={}, result=None, error="", label="")


def _unconsented_answers(now, dry_run: bool) -> int:
    """Sensitive answers left without a standing consent for their purpose, and empty rows."""
    no_ethnicity = ~Q(ethnicity="") & (
        Q(ethnicity_consent__isnull=True) | Q(ethnicity_consent__withdrawn_at__isnull=False)
    )
    answered = Q()
    for domain in WG_DOMAINS:
        answered |= ~Q(**{f"wg_{domain}": ""})
    no_disability = answered & (
        Q(disability_consent__isnull=True) | Q(disability_consent__withdrawn_at__isnull=False)
    )
    empty = Q(ethnicity="", **{f"wg_{domain}": "" for domain in WG_DOMAINS})
    rows = SelfIdentification.objects
    count = rows.filter(no_ethnicity | no_disability).count() + rows.filter(empty).count()
    if dry_run:
        return count
    with transaction.atomic():
        rows.filter(no_ethnicity).update(ethnicity="", ethnicity_consent=None)
        rows.filter(no_disability).update(
            disability_consent=None, **{f"wg_{domain}": "" for domain in WG_DOMAINS}
        )
        rows.filter(empty).delete()
    return count


def inactive_people(*, now: dt.datetime, years: int):
    """People with no activity (any date the registry lists as activity) since ``years`` ago."""
    cutoff = now - dt.timedelta(days=round(365.25 * years))
    active = set()
    for rule in REGISTRY.values():
        if not rule.activity or not rule.person:
            continue
        recent = Q()
        for name in rule.activity:
            recent |= Q(**{f"{name}__gte": cutoff})
        active.update(
            rule.model._default_manager.filter(recent)
            .exclude(**{f"{rule.person}__isnull": True})
            .values_list(rule.person, flat=True)
        )
    return (
        Person.objects.filter(anonymised_at__isnull=True, created_at__lt=cutoff)
        .exclude(pk__in=active)
        .select_related("user")
    )


def _inactive_persons(now, dry_run: bool) -> int:
    years = settings.LMS_RETENTION_ANONYMISE_INACTIVE_YEARS
    if not years:
        return 0
    count = 0
    for person in inactive_people(now=now, years=years):
        if anonymisation_refusal(person):
            continue
        count += 1
        if not dry_run:
            person_anonymise(
                person,
                actor=None,
                reason=f"Retention: no activity for {years} years",
                basis=AnonymisationBasis.RETENTION,
            )
    return count


RETENTION_STEPS = {
    "unconfirmed_signups": _unconfirmed_signups,
    "expired_invitations": _expired_invitations,
    "failed_logins": _failed_logins,
    "import_files": _import_files,
    "job_files": _job_files,
    "job_data": _job_data,
    "unconsented_sensitive_answers": _unconsented_answers,
    "inactive_persons_anonymised": _inactive_persons,
}


def retention_apply(*, dry_run: bool = False, now: dt.datetime | None = None) -> RetentionResult:
    """Remove what is past its retention period; with ``dry_run``, only count it. Running it
    again right after removes nothing more."""
    now = now or timezone.now()
    result = RetentionResult(dry_run=dry_run)
    with audit_context(actor=None, reason="" if dry_run else "Retention (apply_retention)"):
        for name, step in RETENTION_STEPS.items():
            result.counts[name] = step(now, dry_run)
    return result
