"""Audited changes: workshop test scores, online attempts' results and completion overrides."""

from assessments.models import Attempt, CompletionOverride, WorkshopScore
from lms.auditing import track
from lms.services.audit import person_ref

track(
    WorkshopScore,
    "score",
    fields=["registration", "kind", "score", "max_score", "method", "recorded_at"],
    subject=lambda score: person_ref(score.registration.person_id),
)
track(
    Attempt,
    "attempt",
    fields=["assessment", "person", "number", "status", "submitted_at", "score", "max_score"],
    subject=lambda attempt: person_ref(attempt.person_id),
)
track(
    CompletionOverride,
    "completion.override",
    fields=["completion", "status", "completed_on"],
    subject=lambda override: person_ref(override.completion.person_id),
    reason=lambda override: override.reason,
)
