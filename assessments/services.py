"""Online attempts: start (questions drawn and ordered once), save answers, submit and grade.

The server keeps time: an attempt's deadline is fixed when it starts; answers arriving after it
(plus a few seconds for the network) are not saved, and a late submission is either graded with
the answers saved by the deadline or refused, as the assessment says. A submitted attempt is
never changed. Grading is all-or-nothing per question: a multiple-choice question is right when
exactly the correct options are chosen; a numeric one when the number is within the tolerance.
"""

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Assessment, Attempt, AttemptQuestion, Question
from lms.services.merge import MergeConflict

# Answers and submissions sent just before the deadline may reach the server a little after it.
GRACE = dt.timedelta(seconds=10)


def attempts_left(assessment: Assessment, person) -> int | None:
    """None when unlimited."""
    if not assessment.attempts_allowed:
        return None
    used = Attempt.objects.filter(assessment=assessment, person=person).count()
    return max(assessment.attempts_allowed - used, 0)


def _draw(assessment: Assessment, rng: random.Random) -> list[Question]:
    if assessment.selection == Assessment.Selection.FIXED:
        questions = [item.question for item in assessment.items.select_related("question")]
        questions = [q for q in questions if q.active]
    else:
        pool = list(
            Question.objects.filter(active=True, tags__name__in=assessment.tag_list)
            .distinct()
            .order_by("pk")
        )
        if len(pool) < (assessment.draw_count or 0):
            raise ValidationError(
                _("Only %(n)s active questions carry the tags %(tags)s; %(count)s are to be drawn.")
                % {
                    "n": len(pool),
                    "tags": ", ".join(assessment.tag_list),
                    "count": assessment.draw_count,
                }
            )
        questions = rng.sample(pool, assessment.draw_count)
    if not questions:
        raise ValidationError(_("This assessment has no questions yet."))
    if assessment.shuffle_questions:
        rng.shuffle(questions)
    return questions


def attempt_close_if_overdue(attempt: Attempt, *, now: dt.datetime | None = None) -> Attempt:
    now = now or timezone.now()
    if (
        attempt.status == Attempt.Status.IN_PROGRESS
        and attempt.deadline
        and now > attempt.deadline + GRACE
    ):
        return attempt_submit(attempt=attempt, now=now)
    return attempt


def attempt_start(
    *,
    assessment: Assessment,
    person,
    now: dt.datetime | None = None,
    rng: random.Random | None = None,
) -> Attempt:
    """The open attempt (resumed), or a new one if attempts are left."""
    now = now or timezone.now()
    rng = rng or random.SystemRandom()
    current = Attempt.objects.filter(
        assessment=assessment, person=person, status=Attempt.Status.IN_PROGRESS
    ).first()
    if current is not None:
        current = attempt_close_if_overdue(current, now=now)
        if current.status == Attempt.Status.IN_PROGRESS:
            return current
    left = attempts_left(assessment, person)
    if left == 0:
        raise ValidationError(_("You have used all the attempts allowed for this assessment."))
    questions = _draw(assessment, rng)
    number = Attempt.objects.filter(assessment=assessment, person=person).count() + 1
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                assessment=assessment,
                person=person,
                number=number,
                started_at=now,
                deadline=(
                    now + dt.timedelta(minutes=assessment.time_limit_minutes)
                    if assessment.time_limit_minutes
                    else None
                ),
                max_score=sum((q.points for q in questions), Decimal(0)),
            )
            for position, question in enumerate(questions, start=1):
                order = list(question.choices.values_list("pk", flat=True))
                if assessment.shuffle_choices and question.type != Question.Type.TRUE_FALSE:
                    rng.shuffle(order)
                AttemptQuestion.objects.create(
                    attempt=attempt,
                    question=question,
                    position=position,
                    choice_order=order,
                    points=question.points,
                )
    except IntegrityError:
        # Started twice at once (two tabs, a double click): both get the same attempt.
        return Attempt.objects.get(
            assessment=assessment, person=person, status=Attempt.Status.IN_PROGRESS
        )
    return attempt


def _parse_number(raw) -> Decimal | None:
    text = str(raw or "").strip().replace(" ", "").replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("“%(v)s” is not a number.") % {"v": raw}) from None
    if not value.is_finite():
        raise ValidationError(_("“%(v)s” is not a number.") % {"v": raw})
    return value


def _apply(item: AttemptQuestion, raw, now: dt.datetime) -> None:
    question = item.question
    if question.type == Question.Type.NUMERIC:
        item.number = _parse_number(raw[0] if isinstance(raw, list | tuple) else raw)
        item.selected = []
    else:
        values = raw if isinstance(raw, list | tuple) else [raw]
        try:
            chosen = sorted({int(v) for v in values if str(v).strip()})
        except ValueError:
            raise ValidationError(_("Unknown option.")) from None
        if not set(chosen) <= set(item.choice_order):
            raise ValidationError(_("Unknown option."))
        if question.type != Question.Type.MULTIPLE and len(chosen) > 1:
            raise ValidationError(_("Choose only one option."))
        item.selected = chosen
    item.answered_at = now
    item.save(update_fields=["selected", "number", "answered_at"])


@transaction.atomic
def attempt_save_answers(
    *, attempt: Attempt, answers: dict, now: dt.datetime | None = None
) -> Attempt:
    """``answers``: {question id: [option ids] or "number"}; only the questions given change."""
    now = now or timezone.now()
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.status != Attempt.Status.IN_PROGRESS:
        raise ValidationError(_("This attempt was submitted: its answers can no longer change."))
    if attempt.deadline and now > attempt.deadline + GRACE:
        raise ValidationError(_("Time is up: answers can no longer be saved."))
    items = {item.question_id: item for item in attempt.questions.select_related("question")}
    errors = {}
    for key, raw in answers.items():
        item = items.get(int(key))
        if item is None:
            errors[str(key)] = _("This question is not part of the attempt.")
            continue
        try:
            _apply(item, raw, now)
        except ValidationError as exc:
            errors[str(key)] = " ".join(exc.messages)
    if errors:
        transaction.set_rollback(True)
        raise ValidationError(errors)
    return attempt


def _grade(item: AttemptQuestion) -> None:
    question = item.question
    if question.type == Question.Type.NUMERIC:
        item.correct = item.number is not None and (
            abs(item.number - question.numeric_answer) <= question.numeric_tolerance
        )
    else:
        right = {c.pk for c in question.choices.all() if c.is_correct}
        item.correct = bool(item.selected) and set(item.selected) == right
    item.awarded = item.points if item.correct else Decimal(0)
    item.save(update_fields=["correct", "awarded"])


@transaction.atomic
def attempt_submit(
    *, attempt: Attempt, answers: dict | None = None, now: dt.datetime | None = None
) -> Attempt:
    now = now or timezone.now()
    attempt = Attempt.objects.select_for_update().select_related("assessment").get(pk=attempt.pk)
    if attempt.status != Attempt.Status.IN_PROGRESS:
        raise ValidationError(_("This attempt was already submitted."))
    late = bool(attempt.deadline and now > attempt.deadline + GRACE)
    if answers and not late:
        attempt_save_answers(attempt=attempt, answers=answers, now=now)
    attempt.submitted_at = now
    attempt.late = late
    if late and attempt.assessment.late_policy == Assessment.LatePolicy.REFUSE:
        attempt.status = Attempt.Status.REFUSED
        attempt.save(update_fields=["status", "submitted_at", "late"])
        return attempt
    # Late: only what was saved by the deadline counts (later saves were refused anyway).
    items = list(attempt.questions.select_related("question").prefetch_related("question__choices"))
    for item in items:
        _grade(item)
    attempt.score = sum((item.awarded for item in items), Decimal(0))
    attempt.percent = (
        (attempt.score * 100 / attempt.max_score).quantize(Decimal("0.01"), ROUND_HALF_UP)
        if attempt.max_score
        else Decimal(0)
    )
    attempt.status = Attempt.Status.SUBMITTED
    attempt.save(update_fields=["status", "submitted_at", "late", "score", "percent"])
    return attempt


def merge_attempts(kept, duplicate) -> int:
    """Person merge: the duplicate's attempts follow the kept person's, numbered after them.

    Both people having an attempt open on the same assessment cannot be merged automatically:
    one of them has to be submitted first.
    """
    moved = 0
    theirs = Attempt.objects.filter(person=duplicate).order_by("assessment_id", "started_at", "pk")
    for assessment_id in sorted({a.assessment_id for a in theirs}):
        mine = Attempt.objects.filter(person=kept, assessment_id=assessment_id)
        incoming = [a for a in theirs if a.assessment_id == assessment_id]
        open_here = mine.filter(status=Attempt.Status.IN_PROGRESS).exists()
        if open_here and any(a.status == Attempt.Status.IN_PROGRESS for a in incoming):
            raise MergeConflict(
                _("Both records have an attempt in progress on “%(a)s”; submit one first.")
                % {"a": incoming[0].assessment}
            )
        last = max(mine.values_list("number", flat=True), default=0)
        for offset, attempt in enumerate(incoming, start=1):
            attempt.person = kept
            attempt.number = last + offset
            attempt.save(update_fields=["person", "number"])
            moved += 1
    return moved
