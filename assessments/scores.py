"""Paper pre-/post-test scores recorded for workshop registrations (grid, API, import).

Idempotent: recording the same score again changes nothing. Only confirmed registrations get
scores; a score is never above its maximum (also a database check).
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Kind, WorkshopScore
from attendance.models import Registration
from lms.services.audit import audit_context


def parse_score(raw, field: str) -> Decimal:
    text = str(raw if raw is not None else "").strip().replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError({field: _("“%(v)s” is not a number.") % {"v": raw}}) from None
    if not value.is_finite() or value < 0:
        raise ValidationError({field: _("A score is a number of 0 or more.")})
    # What the column holds (5 digits, 2 decimals): more used to crash the save (found by
    # tests/assessments/test_import_properties.py), fewer decimals were silently rounded.
    column = WorkshopScore._meta.get_field("score")
    try:
        DecimalValidator(column.max_digits, column.decimal_places)(value.normalize())
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None
    return value


def score_check(*, score: Decimal, max_score: Decimal) -> None:
    if max_score <= 0:
        raise ValidationError({"max_score": _("The maximum score must be more than 0.")})
    if score > max_score:
        raise ValidationError(
            {"score": _("Score %(s)s is above the maximum %(m)s.") % {"s": score, "m": max_score}}
        )


@transaction.atomic
def score_record(
    *,
    registration: Registration,
    kind: str,
    score: Decimal,
    max_score: Decimal,
    method: str,
    recorded_by=None,
    now: dt.datetime | None = None,
) -> WorkshopScore:
    if kind not in (Kind.PRE, Kind.POST):
        raise ValidationError({"kind": _("The test is “pre” or “post”.")})
    if registration.status != Registration.Status.CONFIRMED:
        raise ValidationError(
            _("%(name)s is not confirmed in this workshop: no score can be recorded.")
            % {"name": registration.person.full_name}
        )
    score_check(score=score, max_score=max_score)
    existing = (
        WorkshopScore.objects.select_for_update()
        .filter(registration=registration, kind=kind)
        .first()
    )
    if existing and existing.score == score and existing.max_score == max_score:
        return existing
    row = existing or WorkshopScore(registration=registration, kind=kind)
    row.score, row.max_score = score, max_score
    row.method = method
    row.recorded_by = recorded_by
    row.recorded_at = now or timezone.now()
    with audit_context(actor=recorded_by) if recorded_by else audit_context():
        row.save()
    return row


@transaction.atomic
def score_remove(*, registration: Registration, kind: str) -> int:
    deleted = 0
    for row in WorkshopScore.objects.filter(registration=registration, kind=kind):
        row.delete()
        deleted += 1
    return deleted
