"""Certificates issued without anyone asking, where the course says so
(``CoursePage.certificates_automatic``, on by default):

- online courses: as soon as an enrolment's decision becomes "completed";
- workshops: once the workshop is closed (or marked completed), to everyone completed, and after
  that to anyone whose decision becomes "completed" (a late paper score, a correction, an
  override). While a workshop is open its decisions can still change: nothing is issued.

The completion engine saves a decision whenever an input changes (assessments.signals); the
receiver here only notes the decisions that qualify. Nothing is issued inside the transaction
that completed the course: the decisions noted in one transaction are handed over together once it
commits (in this process, or to a Celery worker when jobs go there), so closing a workshop of 500
issues one batch, and a missing certificate design or a mail server that is down never undoes a
quiz submission or a roster. Issuing is idempotent (one live certificate per registration or
enrolment), so a decision noted twice, or a batch run twice, issues once.
"""

import logging
from dataclasses import dataclass, field

from celery import shared_task
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from assessments.models import Completion
from attendance.models import Registration, Workshop
from certificates.models import Certificate
from certificates.services import (
    bulk_issue,
    certificate_holders_notify,
    certificate_issue,
    certificate_pdf_store,
)
from courses.models import CoursePage

logger = logging.getLogger(__name__)

# A workshop's decisions are final, and its certificates due, in these states.
ISSUING_STATES = (Workshop.Status.CLOSED, Workshop.Status.COMPLETED)
LIVE = (Certificate.Status.VALID, Certificate.Status.SUSPENDED)


def qualifies(completion: Completion) -> bool:
    """Completed, in a course that issues automatically, and (a workshop) final. One query."""
    if completion.status != Completion.Status.COMPLETED:
        return False
    if completion.registration_id is not None:
        found = Registration.objects.filter(pk=completion.registration_id).values_list(
            "workshop__course__certificates_automatic", "workshop__status"
        )
        return any(automatic and status in ISSUING_STATES for automatic, status in found)
    if completion.enrolment_id is not None:
        return CoursePage.objects.filter(
            pk=completion.course_id, certificates_automatic=True
        ).exists()
    return False


# --- Noting decisions, handing them over after the commit ----------------------------------


@dataclass
class _Batch:
    ids: set[int] = field(default_factory=set)
    notify: bool = True
    render: bool = True
    handed_over: bool = False

    def run(self) -> None:
        self.handed_over = True
        ids = sorted(self.ids)
        if not ids:
            return
        if settings.LMS_JOBS_BACKEND == "celery":
            issue_completions_task.delay(ids, notify=self.notify, render=self.render)
        else:
            issue_completions(ids, notify=self.notify, render=self.render)


def _batch() -> _Batch:
    """The batch of the current transaction, started (and handed to on_commit) if need be."""
    connection = transaction.get_connection()
    batch = getattr(connection, "_lms_certificates_batch", None)
    # A batch already handed over, or whose transaction was rolled back (its callback dropped),
    # is no longer waiting for a commit: start another.
    if (
        batch is None
        or batch.handed_over
        or not any(callback == batch.run for _sids, callback, _robust in connection.run_on_commit)
    ):
        batch = _Batch()
        connection._lms_certificates_batch = batch
        if connection.in_atomic_block:
            transaction.on_commit(batch.run, robust=True)
    return batch


def completion_noted(completion: Completion) -> None:
    """Called for every saved decision: remember the qualifying ones for after the commit."""
    if not qualifies(completion):
        return
    batch = _batch()
    batch.ids.add(completion.pk)
    if not transaction.get_connection().in_atomic_block:
        batch.run()  # autocommit: the decision is already committed


def quietly() -> None:
    """Issue what this transaction notes without emailing the holders, their PDFs rendered when
    first downloaded (demo data)."""
    batch = _batch()
    batch.notify = batch.render = False


# --- Issuing -----------------------------------------------------------------------------------


def issue_completions(ids: list[int], *, notify: bool = True, render: bool = True) -> dict:
    """Issue the certificates of these decisions that still qualify and have none, then render
    and send what their certificates lack. Safe to run again, and alongside another run.

    A workshop's decisions go through its bulk issue (batched inserts, the design rendered once):
    the workshop is closed, so everyone completed in it is due one."""
    from certificates.rendering import render_certificates

    completions = [
        completion
        for completion in Completion.objects.filter(pk__in=ids, status=Completion.Status.COMPLETED)
        # Issued already; or revoked, which only staff may undo by re-issuing.
        .exclude(certificates__status__in=[*LIVE, Certificate.Status.REVOKED])
        .order_by("pk")
        if qualifies(completion)
    ]
    workshops = Workshop.objects.filter(
        registrations__completion__in=[c for c in completions if c.registration_id]
    ).distinct()
    issued = skipped = 0
    for workshop in workshops.order_by("code"):
        try:
            outcome = bulk_issue(workshop, notify=False, render=render)
        except ValidationError as exc:  # no certificate design in the language
            skipped += 1
            logger.warning(
                "Workshop %s: no certificate issued automatically (%s)", workshop.code, exc
            )
            continue
        issued += outcome.issued
    for completion in (c for c in completions if c.enrolment_id):
        try:
            issued += certificate_issue(completion=completion, render=False, notify=False).created
        except (ValidationError, PermissionDenied) as exc:
            skipped += 1
            logger.warning(
                "Completion %s: no certificate issued automatically (%s)", completion.pk, exc
            )
    # Render and send what these certificates still lack, not only what was issued now: a worker
    # that died between issuing and sending left that undone.
    theirs = Certificate.objects.filter(
        Q(completion_id__in=ids) | Q(registration__workshop__in=workshops), status__in=LIVE
    )
    pending = theirs.filter(pdf="").select_related("template", "course", "person").order_by("pk")
    try:
        for certificate, data in render_certificates(pending if render else []):
            certificate_pdf_store(certificate, data)
    except Exception:
        # The certificates stand; each PDF is rendered again when emailed or first downloaded.
        logger.exception("Certificates issued automatically: rendering their PDFs failed")
    notified = certificate_holders_notify(theirs) if notify else 0
    result = {"issued": issued, "skipped": skipped, "holders_notified": notified}
    if issued or skipped:
        logger.info("Certificates issued automatically: %s", result)
    return result


@shared_task(name="certificates.issue_completions", acks_late=True, reject_on_worker_lost=True)
def issue_completions_task(ids: list[int], notify: bool = True, render: bool = True) -> dict:
    """The worker's side of a batch; safe to deliver again (issuing and emailing happen once)."""
    return issue_completions(ids, notify=notify, render=render)
