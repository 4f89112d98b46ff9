"""Appending to the audit trail and checking it.

Every audited change calls :func:`audit_record` (or :func:`audit_record_many`) inside the
transaction that makes the change, so the event and the change commit or roll back together.
Appending takes the chain's lock first (a PostgreSQL transaction-level advisory lock; on SQLite
the IMMEDIATE transaction already serialises writers), reads the newest event and links to it.
The lock is held until the transaction ends, so concurrent appends queue and the chain stays a
line; the unique ``prev_hash`` makes a fork impossible even without the lock.

The hash of an event is SHA-256 over its canonical form: the JSON object below with keys sorted,
no spaces, UTF-8, non-ASCII kept as is::

    {"action": ..., "actor": ..., "after": ..., "at": "2026-03-01T14:05:09.123456Z",
     "before": ..., "object_id": ..., "object_type": ..., "prev_hash": ..., "reason_digest": ...,
     "seq": 12, "subject": ..., "v": 1}

``reason_digest`` is SHA-256 of the salt followed by the reason (UTF-8), or "" without a reason.
``before`` and ``after`` hold only JSON strings, integers, booleans, null, lists and objects
(decimals and dates are written as strings), so the stored JSON gives back the same bytes.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
import hashlib
import json
import secrets
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, models, transaction
from django.utils import timezone

from lms.models.audit import GENESIS, AuditEvent

FORMAT_VERSION = 1
# The key of the PostgreSQL advisory lock that serialises appends ("LMSAUDIT" in ASCII).
LOCK_KEY = 0x4C4D534155444954
SYSTEM = "system"
ANONYMOUS = "anonymous"

_UNSET = object()


# --- Who and why: set once around a piece of work, read by every append inside it -------------


@dataclass(frozen=True)
class _Context:
    actor: object = _UNSET
    reason: str | None = None
    request: object = None


_EMPTY = _Context()
_context: contextvars.ContextVar[_Context | None] = contextvars.ContextVar(
    "lms_audit_context", default=None
)


def _ctx() -> _Context:
    return _context.get() or _EMPTY


@contextmanager
def audit_context(*, actor=_UNSET, reason: str | None = None, request=None):
    """Attribute the changes made inside to ``actor`` (a user, or None for the system), with
    ``reason``. Nested contexts override only what they set."""
    outer = _ctx()
    token = _context.set(
        _Context(
            actor=outer.actor if actor is _UNSET else actor,
            reason=outer.reason if reason is None else reason,
            request=request if request is not None else outer.request,
        )
    )
    try:
        yield
    finally:
        _context.reset(token)


def actor_ref(user) -> str:
    """A pseudonymous reference to whoever acted: ``user:<id>``, ``anonymous`` or ``system``."""
    if user is None:
        return SYSTEM
    if not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    return f"user:{user.pk}"


def person_ref(person) -> str:
    pk = getattr(person, "pk", person)
    return f"person:{pk}" if pk is not None else ""


def object_ref(obj: models.Model) -> tuple[str, str]:
    return obj._meta.label_lower, str(obj.pk)


def _current_actor(explicit) -> str:
    if explicit is not _UNSET:
        return explicit if isinstance(explicit, str) else actor_ref(explicit)
    ctx = _ctx()
    if ctx.actor is not _UNSET:
        return ctx.actor if isinstance(ctx.actor, str) else actor_ref(ctx.actor)
    if ctx.request is not None:
        return actor_ref(getattr(ctx.request, "user", None))
    return SYSTEM


def current_reason() -> str:
    return _ctx().reason or ""


# --- Canonical form and hashing --------------------------------------------------------------


def plain(value):
    """A value as plain JSON (strings for decimals, dates, times and UUIDs; no floats)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return format_time(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    return str(value)


def format_time(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def reason_digest(salt: str, reason: str) -> str:
    if not reason:
        return ""
    return hashlib.sha256((salt + reason).encode()).hexdigest()


def canonical(event) -> bytes:
    """The bytes an event's hash covers (``event`` is an AuditEvent or anything with its
    attributes)."""
    body = {
        "v": FORMAT_VERSION,
        "seq": event.seq,
        "at": format_time(event.at),
        "actor": event.actor,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "subject": event.subject,
        "before": event.before,
        "after": event.after,
        "reason_digest": event.reason_digest,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_hash(event) -> str:
    return hashlib.sha256(canonical(event)).hexdigest()


# --- Appending -----------------------------------------------------------------------------


@dataclass
class Change:
    """One change to record; see :func:`audit_record` for the fields."""

    action: str
    object_type: str
    object_id: str
    subject: str = ""
    before: dict | None = None
    after: dict | None = None
    reason: str | None = None
    actor: object = _UNSET
    at: dt.datetime | None = None


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def _head_for_append() -> tuple[int, str]:
    last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    return last if last else (0, GENESIS)


def audit_record_many(changes: Iterable[Change]) -> list[AuditEvent]:
    """Append several events in one go (one lock, one insert), in the order given."""
    changes = list(changes)
    if not changes:
        return []
    with transaction.atomic():
        _lock_chain()
        seq, prev = _head_for_append()
        now = timezone.now()
        events = []
        for change in changes:
            seq += 1
            reason = (current_reason() if change.reason is None else change.reason).strip()
            salt = secrets.token_hex(16) if reason else ""
            event = AuditEvent(
                seq=seq,
                at=change.at or now,
                actor=_current_actor(change.actor),
                action=change.action,
                object_type=change.object_type,
                object_id=str(change.object_id),
                subject=change.subject or "",
                before=plain(change.before),
                after=plain(change.after),
                reason=reason,
                reason_salt=salt,
                reason_digest=reason_digest(salt, reason),
                prev_hash=prev,
            )
            event.hash = event_hash(event)
            prev = event.hash
            events.append(event)
        AuditEvent.objects.bulk_create(events, batch_size=500)
    return events


def audit_record(
    action: str,
    *,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    subject: str = "",
    before: dict | None = None,
    after: dict | None = None,
    reason: str | None = None,
    actor=_UNSET,
    at: dt.datetime | None = None,
) -> AuditEvent:
    """Append one event: ``action`` (e.g. ``certificate.revoke``) on ``obj`` (or the given type
    and id), concerning ``subject`` (a :func:`person_ref`), with the values ``before`` and
    ``after`` (None for a creation / a deletion). ``actor`` and ``reason`` default to the
    surrounding :func:`audit_context` (or the request's user)."""
    if obj is not None:
        object_type, object_id = object_ref(obj)
    (event,) = audit_record_many(
        [
            Change(
                action=action,
                object_type=object_type,
                object_id=object_id,
                subject=subject,
                before=before,
                after=after,
                reason=reason,
                actor=actor,
                at=at,
            )
        ]
    )
    return event


def audit_erase_reasons(*, subject: str) -> int:
    """Erase the free-text reasons of a person's events (their data is being removed). The
    events and the chain stay; each erased reason is shown as erased."""
    return (
        AuditEvent.objects.filter(subject=subject)
        .exclude(reason="", reason_salt="")
        .update(reason="", reason_salt="")
    )


# --- The head and verification -------------------------------------------------------------


@dataclass(frozen=True)
class Head:
    seq: int
    hash: str
    at: dt.datetime | None = None

    def __str__(self):
        return f"{self.seq}:{self.hash}"

    @classmethod
    def parse(cls, text: str) -> Head:
        seq, _sep, digest = text.strip().partition(":")
        if not seq.isdigit() or len(digest) != 64:
            raise ValueError(f"“{text}” is not a chain head (NUMBER:SHA256).")
        return cls(int(seq), digest.lower())


def chain_head() -> Head | None:
    last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash", "at").first()
    return Head(*last) if last else None


def chain_head_text() -> str:
    """The head as published (``SEQ:HASH``; ``0:000…`` for an empty trail)."""
    head = chain_head()
    return str(head) if head else "0:" + "0" * 64


def audit_head_email(*, recipients: list[str]) -> str:
    """Email the current head to ``recipients`` (people outside the platform's operations, who
    keep it); returns the head sent."""
    text = chain_head_text()
    now = timezone.localtime()
    site = settings.LMS_PUBLIC_URL
    send_mail(
        subject=f"[{settings.WAGTAIL_SITE_NAME}] Audit trail head {now:%Y-%m-%d}",
        message=(
            f"Audit trail head of {site} at {now:%Y-%m-%d %H:%M %Z}:\n\n{text}\n\n"
            "Keep this email. To check that no audit event up to this one was changed or "
            "removed, an administrator runs:\n\n"
            f"    python manage.py verify_audit --head {text}\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )
    return text


@dataclass
class Verification:
    ok: bool = True
    checked: int = 0
    head: Head | None = None
    broken_seq: int | None = None
    problem: str = ""
    redacted: int = 0
    heads_checked: list[Head] = field(default_factory=list)

    def fail(self, seq: int | None, problem: str) -> Verification:
        self.ok, self.broken_seq, self.problem = False, seq, problem
        return self


def _events_in_order(batch: int = 2000) -> Iterator[AuditEvent]:
    last = 0
    while True:
        chunk = list(AuditEvent.objects.filter(seq__gt=last).order_by("seq")[:batch])
        if not chunk:
            return
        yield from chunk
        last = chunk[-1].seq


def verify_chain(events: Iterable | None = None, *, heads: Iterable[Head] = ()) -> Verification:
    """Recompute the chain in order and name the first event that does not hold.

    ``heads`` are chain heads published earlier (``seq:hash``): each must still be in the chain,
    so removing the newest events is detected too.
    """
    result = Verification()
    wanted = {h.seq: h for h in heads}
    expected_seq, expected_prev = 1, GENESIS
    previous = None
    for event in _events_in_order() if events is None else events:
        result.checked += 1
        if event.seq != expected_seq:
            if event.seq > expected_seq:
                missing = (
                    f"#{expected_seq}"
                    if event.seq == expected_seq + 1
                    else f"#{expected_seq}–#{event.seq - 1}"
                )
                return result.fail(event.seq, f"event {missing} is missing before #{event.seq}")
            return result.fail(event.seq, f"event #{event.seq} is out of order")
        own_hash_holds = event_hash(event) == event.hash
        if event.prev_hash != expected_prev:
            if previous is not None and own_hash_holds:
                # This event is intact and remembers a different predecessor: the predecessor
                # was changed and its hash recomputed.
                return result.fail(
                    previous.seq,
                    f"event #{previous.seq} was changed and re-hashed "
                    f"(event #{event.seq} recorded a different hash for it)",
                )
            return result.fail(event.seq, f"event #{event.seq} does not link to its predecessor")
        if not own_hash_holds:
            return result.fail(event.seq, f"event #{event.seq} was changed (its hash differs)")
        if event.reason or event.reason_salt:
            if not event.reason_digest or (
                reason_digest(event.reason_salt, event.reason) != event.reason_digest
            ):
                return result.fail(event.seq, f"the reason of event #{event.seq} was changed")
        elif event.reason_digest:
            result.redacted += 1
        if event.seq in wanted:
            if wanted[event.seq].hash != event.hash:
                return result.fail(event.seq, f"event #{event.seq} differs from the published head")
            result.heads_checked.append(wanted.pop(event.seq))
        previous = event
        expected_seq, expected_prev = event.seq + 1, event.hash
    if previous is not None:
        result.head = Head(previous.seq, previous.hash, previous.at)
    if wanted:
        first = min(wanted)
        return result.fail(
            first,
            f"the published head #{first} is no longer in the chain "
            f"(it ends at #{previous.seq if previous else 0}): events were removed",
        )
    return result
