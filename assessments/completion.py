"""The completion engine: the one place that decides whether a workshop registration or an online
enrolment is in progress, completed or not completed, and says why.

Certificates and reports read ``Completion`` rows and nothing else. Rows are refreshed whenever an
input changes (signals in assessments.signals) and can be rebuilt with
``python manage.py recompute_completions``.

The rule is the course's (courses.CoursePage):
- workshops: attendance >= the minimum % of the workshop's sessions (marks count as their
  attendance mark says; excused absences count as absences unless the course leaves them out of
  the rate) AND, where the course has a post-test, post-test >= its pass mark;
- online: every lesson done (if the course requires it) AND the post-test passed, if there is one.
A workshop's decision becomes final when the workshop is closed, completed or cancelled; until
then what is missing keeps it in progress. Staff overrides (with a reason) win and are kept.
"""

import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from assessments.models import (
    Assessment,
    Attempt,
    Completion,
    CompletionOverride,
    Kind,
    WorkshopScore,
)
from attendance.models import AttendanceRecord, AttendanceStatus, Registration, Workshop
from courses.models import CoursePage, Enrolment, LessonProgress
from courses.selectors import course_lessons
from lms.services.audit import audit_context

Status = Completion.Status


def _percent(part: int, whole: int) -> Decimal:
    return (Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _shown(value: Decimal) -> str:
    """75.00 → "75", 62.50 → "62,5" (in Spanish): how a percentage reads in a reason."""
    return number_format(Decimal(f"{value.normalize():f}"))


# Reasons are stored as codes with their figures and worded when read, in the reader's language.
def reason_text(reason: dict) -> str:
    code, v = reason.get("code"), reason
    texts = {
        "attendance_below": lambda: _("attendance %(value)s%% < %(required)s%%"),
        "attendance_met": lambda: _("attendance %(value)s%% ≥ %(required)s%%"),
        "no_countable_sessions": lambda: _("no session counts toward attendance"),
        "sessions_to_come": lambda: _("%(count)s session(s) still to come"),
        "sessions_unmarked": lambda: _("%(count)s session(s) without attendance recorded"),
        "post_missing": lambda: _("no post-test score"),
        "post_below": lambda: _("post-test %(value)s%% < %(required)s%%"),
        "post_met": lambda: _("post-test %(value)s%% ≥ %(required)s%%"),
        "post_attempts_used": lambda: _("no post-test attempts left"),
        "lessons_missing": lambda: _("%(done)s of %(total)s lessons done"),
        "lessons_done": lambda: _("all %(total)s lessons done"),
        "workshop_cancelled": lambda: _("the workshop was cancelled"),
        "registration_not_confirmed": lambda: _("registration %(status)s"),
        "override": lambda: _("decided by program staff: %(reason)s"),
    }
    template = texts.get(code)
    if template is None:
        return code or ""
    params = {k: (_shown(Decimal(str(x))) if k in ("value",) else x) for k, x in v.items()}
    return template() % params


def reasons_text(reasons: list[dict]) -> str:
    return "; ".join(reason_text(r) for r in reasons)


@dataclass
class Decision:
    status: str
    reasons: list[dict] = field(default_factory=list)
    attendance_percent: Decimal | None = None
    post_percent: Decimal | None = None
    lessons_done: int | None = None
    lessons_total: int | None = None
    completed_on: date | None = None

    @property
    def text(self) -> str:
        return reasons_text(self.reasons)


def post_test(course: CoursePage) -> Assessment | None:
    assessment = Assessment.objects.filter(course=course, kind=Kind.POST).first()
    if assessment is not None:
        assessment.course = course  # its pass mark may be the course's: no second fetch
    return assessment


def _best_online_post(assessment: Assessment, person_id: int) -> Attempt | None:
    return (
        Attempt.objects.filter(
            assessment=assessment, person_id=person_id, status=Attempt.Status.SUBMITTED
        )
        .order_by("-percent", "submitted_at")
        .first()
    )


# --- Workshops -------------------------------------------------------------------------------


def decide_registration(registration: Registration, *, now=None) -> Decision:
    now = now or timezone.now()
    workshop = registration.workshop
    course = workshop.course
    final = workshop.attendance_locked
    if workshop.status == Workshop.Status.CANCELLED:
        return Decision(Status.NOT_COMPLETED, [{"code": "workshop_cancelled"}])
    if registration.status != Registration.Status.CONFIRMED:
        status = (
            Status.NOT_COMPLETED
            if final
            or registration.status in (Registration.Status.CANCELLED, Registration.Status.REJECTED)
            else Status.IN_PROGRESS
        )
        return Decision(
            status,
            [
                {
                    "code": "registration_not_confirmed",
                    "status": str(registration.get_status_display()).lower(),
                }
            ],
        )

    sessions = list(workshop.sessions.all())
    kinds = dict(AttendanceStatus.objects.values_list("code", "counts_as"))
    marks = dict(
        AttendanceRecord.objects.filter(
            session__workshop=workshop, person_id=registration.person_id
        ).values_list("session_id", "status_id")
    )
    attended = excused = unmarked = to_come = 0
    for session in sessions:
        mark = marks.get(session.pk)
        if mark is None:
            if session.ends_at > now and not final:
                to_come += 1
            elif not final:
                unmarked += 1
            continue  # once final, an unmarked session is an absence
        kind = kinds.get(mark)
        if kind == AttendanceStatus.CountsAs.ATTENDED:
            attended += 1
        elif kind == AttendanceStatus.CountsAs.EXCUSED:
            excused += 1
    countable = len(sessions) - (excused if course.excused_left_out else 0)
    decision = Decision(Status.IN_PROGRESS)
    required = course.min_attendance_percent
    if countable <= 0:
        attendance_ok = False
        decision.reasons.append({"code": "no_countable_sessions"})
    else:
        decision.attendance_percent = _percent(attended, countable)
        # Exact comparison: 4 of 5 sessions is exactly 80%.
        attendance_ok = attended * 100 >= required * countable
        decision.reasons.append(
            {
                "code": "attendance_met" if attendance_ok else "attendance_below",
                "value": str(decision.attendance_percent),
                "required": required,
            }
        )
    if not attendance_ok and to_come:
        decision.reasons.append({"code": "sessions_to_come", "count": to_come})
    if not attendance_ok and unmarked:
        decision.reasons.append({"code": "sessions_unmarked", "count": unmarked})

    post_ok = True
    assessment = post_test(course)
    if assessment is not None:
        candidates = []
        paper = WorkshopScore.objects.filter(registration=registration, kind=Kind.POST).first()
        if paper:
            candidates.append(paper.percent)
        online = _best_online_post(assessment, registration.person_id)
        if online:
            candidates.append(online.percent)
        if not candidates:
            post_ok = False
            decision.reasons.append({"code": "post_missing"})
        else:
            decision.post_percent = max(candidates)
            post_ok = decision.post_percent >= assessment.pass_mark
            decision.reasons.append(
                {
                    "code": "post_met" if post_ok else "post_below",
                    "value": str(decision.post_percent),
                    "required": assessment.pass_mark,
                }
            )
    if attendance_ok and post_ok:
        decision.status = Status.COMPLETED
        last = max((s.ends_at for s in sessions), default=now)
        decision.completed_on = timezone.localtime(last).date()
    elif final:
        decision.status = Status.NOT_COMPLETED
    return decision


# --- Online enrolments -----------------------------------------------------------------------


def decide_enrolment(enrolment: Enrolment) -> Decision:
    course = enrolment.course
    decision = Decision(Status.IN_PROGRESS)
    lessons = course_lessons(course)
    done_ids = set(
        LessonProgress.objects.filter(enrolment=enrolment).values_list("lesson_id", flat=True)
    )
    done = len(done_ids & {lesson.pk for lesson in lessons})
    decision.lessons_done, decision.lessons_total = done, len(lessons)
    lessons_ok = not course.require_all_lessons or done == len(lessons)
    if course.require_all_lessons:
        decision.reasons.append(
            {
                "code": "lessons_done" if lessons_ok else "lessons_missing",
                "done": done,
                "total": len(lessons),
            }
        )
    dates = []
    if lessons_ok and done_ids:
        last = LessonProgress.objects.filter(enrolment=enrolment).aggregate(m=Max("completed_at"))
        dates.append(last["m"])
    post_ok, exhausted = True, False
    assessment = post_test(course)
    if assessment is not None:
        best = _best_online_post(assessment, enrolment.person_id)
        if best is None:
            post_ok = False
            decision.reasons.append({"code": "post_missing"})
        else:
            decision.post_percent = best.percent
            post_ok = best.percent >= assessment.pass_mark
            decision.reasons.append(
                {
                    "code": "post_met" if post_ok else "post_below",
                    "value": str(best.percent),
                    "required": assessment.pass_mark,
                }
            )
            if post_ok:
                dates.append(best.submitted_at)
        if not post_ok and assessment.attempts_allowed:
            used = Attempt.objects.filter(assessment=assessment, person=enrolment.person).count()
            exhausted = (
                used >= assessment.attempts_allowed
                and not Attempt.objects.filter(
                    assessment=assessment,
                    person=enrolment.person,
                    status=Attempt.Status.IN_PROGRESS,
                ).exists()
            )
            if exhausted:
                decision.reasons.append({"code": "post_attempts_used"})
    if lessons_ok and post_ok:
        decision.status = Status.COMPLETED
        moment = max(dates) if dates else enrolment.enrolled_at
        decision.completed_on = timezone.localtime(moment).date()
    elif exhausted:
        decision.status = Status.NOT_COMPLETED
    return decision


# --- Writing ---------------------------------------------------------------------------------


def _store(completion: Completion, decision: Decision) -> Completion:
    completion.computed_status = decision.status
    completion.reasons = decision.reasons
    completion.attendance_percent = decision.attendance_percent
    completion.post_percent = decision.post_percent
    completion.lessons_done = decision.lessons_done
    completion.lessons_total = decision.lessons_total
    override = completion.overrides.first() if completion.pk else None
    if override and override.status:
        completion.status = override.status
        completion.completed_on = (
            override.completed_on or decision.completed_on or timezone.localdate()
            if override.status == Status.COMPLETED
            else None
        )
        completion.reasons = [*decision.reasons, {"code": "override", "reason": override.reason}]
    else:
        completion.status = decision.status
        completion.completed_on = decision.completed_on
    completion.save()
    return completion


@transaction.atomic
def completion_refresh_registration(registration: Registration) -> Completion:
    registration = Registration.objects.select_related("workshop__course").get(pk=registration.pk)
    completion, _created = Completion.objects.select_for_update().get_or_create(
        registration=registration,
        defaults={
            "person_id": registration.person_id,
            "course_id": registration.workshop.course_id,
            "computed_status": Status.IN_PROGRESS,
            "status": Status.IN_PROGRESS,
        },
    )
    completion.person_id = registration.person_id
    completion.course_id = registration.workshop.course_id
    return _store(completion, decide_registration(registration))


@transaction.atomic
def completion_refresh_enrolment(enrolment: Enrolment) -> Completion:
    enrolment = Enrolment.objects.select_related("course").get(pk=enrolment.pk)
    completion, _created = Completion.objects.select_for_update().get_or_create(
        enrolment=enrolment,
        defaults={
            "person_id": enrolment.person_id,
            "course_id": enrolment.course_id,
            "computed_status": Status.IN_PROGRESS,
            "status": Status.IN_PROGRESS,
        },
    )
    completion.person_id = enrolment.person_id
    return _store(completion, decide_enrolment(enrolment))


def completions_refresh_all() -> int:
    count = 0
    for registration in Registration.objects.all().iterator():
        completion_refresh_registration(registration)
        count += 1
    for enrolment in Enrolment.objects.all().iterator():
        completion_refresh_enrolment(enrolment)
        count += 1
    return count


@transaction.atomic
def completion_override(
    *, completion: Completion, status: str, reason: str, decided_by, completed_on=None
) -> Completion:
    """Staff decide otherwise (or, with an empty status, go back to the computed decision)."""

    if not decided_by.has_perm("assessments.add_completionoverride"):
        raise PermissionDenied(_("Only program staff can override a completion decision."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    if status and status not in Status.values:
        raise ValidationError({"status": _("Unknown status “%(s)s”.") % {"s": status}})
    with audit_context(actor=decided_by):
        CompletionOverride.objects.create(
            completion=completion,
            status=status,
            reason=reason,
            completed_on=completed_on,
            decided_by=decided_by,
        )
    completion = Completion.objects.select_for_update().get(pk=completion.pk)
    if completion.registration_id:
        return completion_refresh_registration(completion.registration)
    return completion_refresh_enrolment(completion.enrolment)


# --- Batches ---------------------------------------------------------------------------------

_batch = threading.local()


@contextmanager
def completions_deferred():
    """Inside, input changes only queue the decisions they touch; each is recomputed once on the
    way out (for seeding and other bulk work, where one registration changes many times)."""
    outer = getattr(_batch, "pending", None) is None
    if outer:
        _batch.pending = {"registration": set(), "enrolment": set()}
    try:
        yield
    except BaseException:
        if outer:
            _batch.pending = None
        raise
    if outer:
        completions_flush()
        _batch.pending = None


def completions_flush() -> int:
    """Recompute what a completions_deferred() block has queued so far; the block goes on."""
    pending = getattr(_batch, "pending", None)
    if not pending:
        return 0
    registrations, enrolments = set(pending["registration"]), set(pending["enrolment"])
    pending["registration"].clear()
    pending["enrolment"].clear()
    for registration in Registration.objects.filter(pk__in=registrations):
        completion_refresh_registration(registration)
    for enrolment in Enrolment.objects.filter(pk__in=enrolments):
        completion_refresh_enrolment(enrolment)
    return len(registrations) + len(enrolments)


def refresh_registrations(registrations) -> None:
    """Recompute now, or queue inside completions_deferred()."""
    pending = getattr(_batch, "pending", None)
    if pending is not None:
        pending["registration"].update(r.pk for r in registrations)
        return
    for registration in registrations:
        completion_refresh_registration(registration)


def refresh_enrolments(enrolments) -> None:
    pending = getattr(_batch, "pending", None)
    if pending is not None:
        pending["enrolment"].update(e.pk for e in enrolments)
        return
    for enrolment in enrolments:
        completion_refresh_enrolment(enrolment)
