"""Issuing certificates and changing their status; every change is an event with its reason.

Issuing is idempotent: one live (valid or suspended) certificate per workshop registration or online
enrolment is a database constraint, and issuing again returns the live one. The certificate row is
committed first and its PDF rendered afterwards, so a crash leaves rows without a PDF, which the
next run (or the first download) renders: nothing is duplicated and nothing goes missing.
"""

import hashlib
import logging
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Completion
from attendance.models import Registration, Workshop
from certificates.identifiers import new_identifier
from certificates.models import (
    Certificate,
    CertificateEvent,
    CertificateTemplate,
    ReasonCategory,
)
from courses.models import CoursePage, Enrolment
from lms.auditing import audit_created
from lms.services.audit import audit_context

Status = Certificate.Status
logger = logging.getLogger(__name__)

# Bulk issue commits rows in batches of this size and renders PDFs in chunks of this size.
BATCH = 200


def _storage():
    return storages["private"]


# --- Designs ---------------------------------------------------------------------------------


def template_for(course: CoursePage, language: str | None = None) -> CertificateTemplate:
    """The course's own design in that language, else the default design for the language."""
    language = language or settings.LANGUAGE_CODE
    candidates = CertificateTemplate.objects.filter(language=language)
    own = candidates.filter(courses=course).order_by("pk").first()
    if own is None and course.translation_key:
        own = (
            candidates.filter(courses__translation_key=course.translation_key)
            .order_by("pk")
            .first()
        )
    template = own or candidates.filter(is_default=True).first()
    if template is None:
        raise ValidationError(
            _("There is no certificate design in %(language)s: create one and mark it default.")
            % {"language": dict(settings.LANGUAGES).get(language, language)}
        )
    return template


# --- Issue -----------------------------------------------------------------------------------


def _source_of(completion: Completion | None, registration, enrolment):
    if completion is not None:
        return completion, completion.registration, completion.enrolment
    if registration is not None:
        return getattr(registration, "completion", None), registration, None
    if enrolment is not None:
        return getattr(enrolment, "completion", None), None, enrolment
    raise ValueError("Give a completion, a registration or an enrolment.")


def _live(registration, enrolment) -> Certificate | None:
    qs = Certificate.objects.filter(status__in=[Status.VALID, Status.SUSPENDED])
    if registration is not None:
        return qs.filter(registration=registration).first()
    return qs.filter(enrolment=enrolment).first()


def _revoked(registration, enrolment) -> Certificate | None:
    qs = Certificate.objects.filter(status=Status.REVOKED).order_by("-status_changed_at", "-pk")
    if registration is not None:
        return qs.filter(registration=registration).first()
    return qs.filter(enrolment=enrolment).first()


def _shared_fields(workshop: Workshop | None, course: CoursePage, language: str) -> dict:
    """What every certificate of a workshop (or online course) says alike."""
    title = course.title
    if language != course.language and course.translation_key:
        translated = (
            CoursePage.objects.filter(
                translation_key=course.translation_key, locale__language_code=language
            )
            .live()
            .first()
        )
        title = translated.title if translated else title
    fields = {"course": course, "course_title": title, "contact_hours": course.contact_hours}
    if workshop is not None:
        first = workshop.sessions.aggregate(first=Min("starts_at"))["first"]
        fields |= {
            "workshop_code": workshop.code,
            "region_name": workshop.region.name if workshop.region_id else "",
            "modality": workshop.modality,
            "started_on": timezone.localtime(first).date() if first else None,
        }
    else:
        fields |= {"workshop_code": "", "region_name": "", "modality": "online"}
    return fields


def _person_fields(shared: dict, person, completed_on, started_on=None) -> dict:
    """The shared fields plus what is this person's: name as registered, dates, expiry."""
    course = shared["course"]
    started_on = shared.get("started_on", started_on)
    valid_until = None
    if course.certificate_valid_months:
        valid_until = completed_on + relativedelta(months=course.certificate_valid_months)
    return {
        **shared,
        "person": person,
        "holder_name": person.full_name,
        "started_on": started_on if started_on and started_on <= completed_on else completed_on,
        "completed_on": completed_on,
        "valid_until": valid_until,
    }


def _frozen_fields(
    registration: Registration | None, enrolment: Enrolment | None, completed_on, language: str
) -> dict:
    """What the certificate says, copied now so later edits of the records do not change it."""
    if registration is not None:
        shared = _shared_fields(registration.workshop, registration.workshop.course, language)
        return _person_fields(shared, registration.person, completed_on)
    shared = _shared_fields(None, enrolment.course, language)
    started = timezone.localtime(enrolment.enrolled_at).date()
    return _person_fields(shared, enrolment.person, completed_on, started)


@dataclass
class IssueResult:
    certificate: Certificate
    created: bool


def certificate_issue(
    *,
    completion: Completion | None = None,
    registration: Registration | None = None,
    enrolment: Enrolment | None = None,
    actor=None,
    reason: str = "",
    language: str | None = None,
    render: bool = True,
    notify: bool = True,
) -> IssueResult:
    """Issue (or return) the live certificate for a workshop registration or online enrolment.

    From the completion engine: only for a completed person. Staff (``actor`` with the
    ``certificates.add_certificate`` permission) may issue to someone not completed, with a reason.
    Once committed, a new certificate's holder is emailed it (``notify``), PDF attached.
    """
    completion, registration, enrolment = _source_of(completion, registration, enrolment)
    existing = _live(registration, enrolment)
    if existing is not None:
        return IssueResult(existing, False)
    if _revoked(registration, enrolment) is not None:
        raise ValidationError(
            _("This person's certificate was revoked; re-issue it explicitly, with a reason.")
        )
    completed = completion is not None and completion.status == Completion.Status.COMPLETED
    reason = (reason or "").strip()
    if not completed:
        if actor is None or not actor.has_perm("certificates.add_certificate"):
            raise PermissionDenied(_("Only program staff may issue to someone not completed."))
        if not reason:
            raise ValidationError(
                {"reason": _("Say why a certificate is issued without a completed course.")}
            )
    completed_on = (
        completion.completed_on if completed else timezone.localdate()
    ) or timezone.localdate()
    language = language or settings.LANGUAGE_CODE
    course = registration.workshop.course if registration is not None else enrolment.course
    template = template_for(course, language)
    certificate = Certificate(
        identifier=new_identifier(),
        registration=registration,
        enrolment=enrolment,
        completion=completion,
        template=template,
        language=language,
        issuer_name=template.issuer_name,
        issued_by=None if completed else actor,
        issue_reason="" if completed else reason,
        **_frozen_fields(registration, enrolment, completed_on, language),
    )
    try:
        with transaction.atomic(), audit_context(actor=actor, reason=certificate.issue_reason):
            certificate.save()
            CertificateEvent.objects.create(
                certificate=certificate,
                action=CertificateEvent.Action.ISSUED,
                to_status=Status.VALID,
                note=certificate.issue_reason,
                actor=actor,
                at=certificate.issued_at,
            )
    except IntegrityError:
        # Someone else issued it between our check and our insert: theirs is the one.
        existing = _live(registration, enrolment)
        if existing is None:
            raise
        return IssueResult(existing, False)
    if render:
        transaction.on_commit(lambda: certificate_pdf_ensure(certificate))
    if notify:
        # robust: a mail server that is down must not turn an issued certificate into an error.
        transaction.on_commit(lambda: certificate_holder_notify(certificate), robust=True)
    return IssueResult(certificate, True)


def certificate_holder_notify(certificate: Certificate) -> bool:
    """Email the holder their new certificate, PDF attached, once: the row is claimed first, so
    two runs never send it twice. False when there is nothing to send (no address, already sent,
    no longer valid)."""
    from certificates.emails import send_certificate_email

    if not certificate.person.email:
        return False
    claimed = Certificate.objects.filter(
        pk=certificate.pk, status=Status.VALID, holder_notified_at__isnull=True
    ).update(holder_notified_at=timezone.now())
    if not claimed:
        return False
    try:
        send_certificate_email(certificate, certificate_pdf_bytes(certificate))
    except Exception:
        # Not sent: let a later run (the next bulk issue) try again.
        Certificate.objects.filter(pk=certificate.pk).update(holder_notified_at=None)
        raise
    return True


def certificate_holders_notify(certificates) -> int:
    """Email every holder not yet told (see certificate_holder_notify); returns how many were
    sent. A failure is logged and the others are still sent."""
    sent = 0
    for certificate in certificates.filter(
        status=Status.VALID, holder_notified_at__isnull=True
    ).select_related("person", "course", "template"):
        try:
            sent += certificate_holder_notify(certificate)
        except Exception:
            logger.exception("Certificate %s: holder not notified", certificate.identifier)
    return sent


# --- The PDF ---------------------------------------------------------------------------------


def pdf_path(certificate: Certificate) -> str:
    return f"certificates/{certificate.identifier[:2]}/{certificate.identifier}.pdf"


def certificate_pdf_store(certificate: Certificate, data: bytes) -> None:
    storage = _storage()
    path = pdf_path(certificate)
    if storage.exists(path):
        storage.delete(path)
    stored = storage.save(path, ContentFile(data))
    digest = hashlib.sha256(data).hexdigest()
    Certificate.objects.filter(pk=certificate.pk).update(pdf=stored, pdf_sha256=digest)
    certificate.pdf, certificate.pdf_sha256 = stored, digest


def certificate_pdf_ensure(certificate: Certificate, *, force: bool = False) -> None:
    """Render and store the PDF unless it is already there."""
    from certificates.rendering import render_certificate

    if certificate.pdf and not force and _storage().exists(certificate.pdf):
        return
    certificate_pdf_store(certificate, render_certificate(certificate))


def certificate_pdf_bytes(certificate: Certificate) -> bytes:
    certificate_pdf_ensure(certificate)
    with _storage().open(certificate.pdf, "rb") as fh:
        return fh.read()


# --- Status ----------------------------------------------------------------------------------

_ALLOWED = {
    CertificateEvent.Action.SUSPENDED: {Status.VALID},
    CertificateEvent.Action.REVOKED: {Status.VALID, Status.SUSPENDED},
    CertificateEvent.Action.REINSTATED: {Status.SUSPENDED},
}
_TARGET = {
    CertificateEvent.Action.SUSPENDED: Status.SUSPENDED,
    CertificateEvent.Action.REVOKED: Status.REVOKED,
    CertificateEvent.Action.REINSTATED: Status.VALID,
}


def _require_reason(note: str, category: str | None) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"reason": _("Give the reason; it is recorded.")})
    if category is not None and category not in ReasonCategory.values:
        raise ValidationError(
            {
                "category": _("Unknown reason category %(value)s; use one of: %(choices)s.")
                % {"value": category, "choices": ", ".join(ReasonCategory.values)}
            }
        )
    return note


def _change(certificate: Certificate, action: str, *, actor, note: str, category: str):
    reinstating = action == CertificateEvent.Action.REINSTATED
    note = _require_reason(note, None if reinstating else category)
    if not reinstating and not category:
        raise ValidationError({"category": _("Choose the reason category.")})
    with transaction.atomic(), audit_context(actor=actor, reason=note):
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.status not in _ALLOWED[action]:
            raise ValidationError(
                _("A %(status)s certificate cannot be %(action)s.")
                % {
                    "status": locked.get_status_display().lower(),
                    "action": CertificateEvent.Action(action).label.lower(),
                }
            )
        before = locked.status
        locked.status = _TARGET[action]
        locked.status_changed_at = timezone.now()
        locked.status_category = "" if locked.status == Status.VALID else category
        locked.status_note = "" if locked.status == Status.VALID else note
        locked.save(update_fields=["status", "status_changed_at", "status_category", "status_note"])
        CertificateEvent.objects.create(
            certificate=locked,
            action=action,
            from_status=before,
            to_status=locked.status,
            category=category if locked.status != Status.VALID else "",
            note=note,
            actor=actor,
            at=locked.status_changed_at,
        )
    return locked


def certificate_suspend(
    certificate, *, actor, note: str, category: str = ReasonCategory.UNDER_REVIEW
):
    return _change(
        certificate, CertificateEvent.Action.SUSPENDED, actor=actor, note=note, category=category
    )


def certificate_revoke(certificate, *, actor, note: str, category: str = ReasonCategory.OTHER):
    return _change(
        certificate, CertificateEvent.Action.REVOKED, actor=actor, note=note, category=category
    )


def certificate_reinstate(certificate, *, actor, note: str):
    return _change(
        certificate, CertificateEvent.Action.REINSTATED, actor=actor, note=note, category=""
    )


def certificate_reissue(
    certificate: Certificate,
    *,
    actor,
    note: str,
    language: str | None = None,
    notify: bool = True,
) -> Certificate:
    """A new certificate from today's records (e.g. a corrected name); a live old one is replaced.

    A revoked certificate stays revoked; the new one says which it replaces. Once committed, the
    holder is emailed the new one (``notify``), like any new certificate.
    """
    note = _require_reason(note, None)
    with transaction.atomic(), audit_context(actor=actor, reason=note):
        old = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if old.status == Status.SUPERSEDED or hasattr(old, "replaced_by"):
            raise ValidationError(_("This certificate has already been replaced."))
        now = timezone.now()
        if old.is_live:
            before = old.status
            old.status = Status.SUPERSEDED
            old.status_changed_at = now
            old.status_category = ""
            old.status_note = note
            old.save(
                update_fields=["status", "status_changed_at", "status_category", "status_note"]
            )
            CertificateEvent.objects.create(
                certificate=old,
                action=CertificateEvent.Action.SUPERSEDED,
                from_status=before,
                to_status=Status.SUPERSEDED,
                note=note,
                actor=actor,
                at=now,
            )
        language = language or old.language
        completed_on = old.completed_on
        if old.completion_id:
            old.completion.refresh_from_db()
            if old.completion.status == Completion.Status.COMPLETED and old.completion.completed_on:
                completed_on = old.completion.completed_on
        template = template_for(old.course, language)
        new = Certificate.objects.create(
            identifier=new_identifier(),
            registration=old.registration,
            enrolment=old.enrolment,
            completion=old.completion,
            template=template,
            language=language,
            issuer_name=template.issuer_name,
            issued_by=actor,
            issue_reason=note,
            replaces=old,
            issued_at=now,
            **_frozen_fields(old.registration, old.enrolment, completed_on, language),
        )
        CertificateEvent.objects.create(
            certificate=new,
            action=CertificateEvent.Action.ISSUED,
            to_status=Status.VALID,
            note=note,
            actor=actor,
            at=now,
        )
    transaction.on_commit(lambda: certificate_pdf_ensure(new))
    if notify:
        transaction.on_commit(lambda: certificate_holder_notify(new), robust=True)
    return new


# --- Bulk ------------------------------------------------------------------------------------


@dataclass
class BulkResult:
    workshop: str
    eligible: int = 0
    issued: int = 0
    already: int = 0
    rendered: int = 0
    notified: int = 0
    skipped: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "workshop": self.workshop,
            "eligible": self.eligible,
            "issued": self.issued,
            "already_issued": self.already,
            "pdfs_rendered": self.rendered,
            "holders_notified": self.notified,
            "skipped": self.skipped,
        }


def eligible_completions(workshop: Workshop):
    return (
        Completion.objects.filter(
            registration__workshop=workshop, status=Completion.Status.COMPLETED
        )
        .select_related("registration__person", "registration__workshop")
        .order_by("pk")
    )


def _issue_batch(
    completions: list[Completion], *, template: CertificateTemplate, shared: dict, language: str
) -> int:
    """Insert the certificates of a batch of completed registrations in one statement.

    A row that would be a second live certificate (a concurrent run got there first) is skipped by
    the database; only the rows actually inserted get their "issued" event.
    """
    now = timezone.now()
    rows = [
        Certificate(
            identifier=new_identifier(),
            registration=completion.registration,
            completion=completion,
            template=template,
            language=language,
            issuer_name=template.issuer_name,
            issued_at=now,
            **_person_fields(shared, completion.registration.person, completion.completed_on),
        )
        for completion in completions
    ]
    with transaction.atomic():
        Certificate.objects.bulk_create(rows, ignore_conflicts=True)
        created = list(
            Certificate.objects.filter(identifier__in=[row.identifier for row in rows]).order_by(
                "pk"
            )
        )
        inserted = [certificate.pk for certificate in created]
        # bulk_create skips save(): record the "issued" events here, in the same transaction.
        audit_created(created)
        CertificateEvent.objects.bulk_create(
            CertificateEvent(
                certificate_id=pk,
                action=CertificateEvent.Action.ISSUED,
                to_status=Status.VALID,
                at=now,
            )
            for pk in inserted
        )
    return len(inserted)


def bulk_issue(
    workshop: Workshop,
    *,
    language: str | None = None,
    progress=None,
    workers: int | None = None,
    notify: bool = True,
    render: bool = True,
) -> BulkResult:
    """Certificates for everyone who completed the workshop, then every missing PDF (unless
    ``render`` is off: each is rendered when first asked for), then an email to each holder not
    yet told (``notify``).

    Safe to run again at any point, and alongside another run: rows already issued are kept (the
    database refuses a second live certificate), PDFs already stored are kept, a holder is
    emailed once. Progress counts people to issue, then PDFs to render.
    """
    from certificates.rendering import render_certificates

    language = language or settings.LANGUAGE_CODE
    result = BulkResult(workshop=workshop.code)
    live_filter = {
        "registration__workshop": workshop,
        "status__in": [Status.VALID, Status.SUSPENDED],
    }

    def live_registrations() -> set[int]:
        return set(
            Certificate.objects.filter(**live_filter).values_list("registration_id", flat=True)
        )

    completions = list(eligible_completions(workshop))
    result.eligible = len(completions)
    live = live_registrations()
    revoked = set(
        Certificate.objects.filter(registration__workshop=workshop, status=Status.REVOKED)
        .values_list("registration_id", flat=True)
        .distinct()
    )
    for completion in completions:
        if completion.registration_id in revoked and completion.registration_id not in live:
            result.skipped.append(
                {
                    "person": completion.registration.person.full_name,
                    "reason": _("certificate revoked; re-issue it explicitly"),
                }
            )
    missing = [c for c in completions if c.registration_id not in live | revoked]
    pdfs_to_do = Certificate.objects.filter(**live_filter, pdf="").count() if render else 0
    total = len(missing) * 2 + pdfs_to_do
    done = 0
    if progress:
        progress(0, max(total, 1))
    if missing:
        template = template_for(workshop.course, language)
        shared = _shared_fields(workshop, workshop.course, language)
        for start in range(0, len(missing), BATCH):
            batch = missing[start : start + BATCH]
            result.issued += _issue_batch(
                batch, template=template, shared=shared, language=language
            )
            done += len(batch)
            if progress:
                progress(done, total)
    result.already = len(live_registrations()) - result.issued
    pending = list(
        Certificate.objects.filter(**live_filter, pdf="")
        .select_related("template", "course", "person")
        .order_by("pk")
        if render
        else []
    )
    total = done + len(pending)
    if progress:
        progress(done, max(total, 1))
    for certificate, data in render_certificates(pending, workers=workers):
        certificate_pdf_store(certificate, data)
        result.rendered += 1
        done += 1
        if progress:
            progress(done, total)
    if notify:
        result.notified = certificate_holders_notify(
            Certificate.objects.filter(registration__workshop=workshop)
        )
    return result
