"""Rotating session check-in tokens: signed, short-lived, bound to one session and its window.

The trainer's screen shows a QR with a new token every ROTATION_SECONDS. A token is
``<session id>.<time slot>:<signature>``; the signature uses the project secret plus the
session's own secret, so it cannot be forged, altered or moved to another session. A token from
the current or the previous slot is accepted (a phone may take a few seconds to open the link);
anything older is expired, which defeats a photo of the QR shared over chat after the fact.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attendance.models import Session

ROTATION_SECONDS = 20
GRACE_SLOTS = 1
CHECKIN_OPENS_BEFORE = dt.timedelta(minutes=30)
CHECKIN_CLOSES_AFTER = dt.timedelta(minutes=30)
SALT = "attendance.checkin"


class CheckinRefused(Exception):
    def __init__(self, code: str, message):
        super().__init__(str(message))
        self.code = code
        self.message = message


REFUSALS = {
    "forged": _("This check-in code is not valid. Scan the code on the trainer's screen again."),
    "wrong_session": _("This check-in code belongs to another session."),
    "expired": _("This check-in code has expired. Scan the code on the trainer's screen again."),
    "outside_window": _(
        "Check-in for this session is closed (it opens 30 minutes before the start and closes 30 minutes after the end)."
    ),
}


def _refuse(code: str):
    raise CheckinRefused(code, REFUSALS[code])


def _signer(session: Session) -> signing.Signer:
    return signing.Signer(key=f"{settings.SECRET_KEY}:{session.checkin_secret}", salt=SALT)


def _slot(moment: dt.datetime) -> int:
    return int(moment.timestamp()) // ROTATION_SECONDS


def checkin_window(session: Session) -> tuple[dt.datetime, dt.datetime]:
    return session.starts_at - CHECKIN_OPENS_BEFORE, session.ends_at + CHECKIN_CLOSES_AFTER


def make_checkin_token(session: Session, *, now: dt.datetime | None = None) -> str:
    now = now or timezone.now()
    return _signer(session).sign(f"{session.pk}.{_slot(now)}")


def seconds_left(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    return ROTATION_SECONDS - int(now.timestamp()) % ROTATION_SECONDS


@dataclass(frozen=True)
class VerifiedCheckin:
    session: Session
    slot: int


def verify_checkin_token(
    token: str, *, session_id: int, now: dt.datetime | None = None
) -> VerifiedCheckin:
    """Refuse with a clear reason, or return the session the token is for."""
    now = now or timezone.now()
    value, sep, _signature = token.rpartition(":")
    try:
        claimed_session, slot = (int(part) for part in value.split("."))
    except ValueError:
        _refuse("forged")
    if not sep:
        _refuse("forged")
    if claimed_session != session_id:
        _refuse("wrong_session")
    session = Session.objects.select_related("workshop").filter(pk=session_id).first()
    if session is None:
        _refuse("forged")
    try:
        _signer(session).unsign(token)
    except signing.BadSignature:
        _refuse("forged")
    opens, closes = checkin_window(session)
    if not opens <= now <= closes:
        _refuse("outside_window")
    if not 0 <= _slot(now) - slot <= GRACE_SLOTS:
        _refuse("expired")
    return VerifiedCheckin(session=session, slot=slot)
