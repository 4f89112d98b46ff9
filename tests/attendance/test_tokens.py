"""Every way a session check-in code is refused, and the one way it is accepted."""

import datetime as dt

import pytest
from django.utils import timezone

from attendance.tokens import (
    ROTATION_SECONDS,
    CheckinRefused,
    make_checkin_token,
    verify_checkin_token,
)
from tests.attendance.factories import build_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def sessions():
    workshop = build_workshop()
    return list(workshop.sessions.order_by("number"))


def _refusal(token, session_id, now=None):
    with pytest.raises(CheckinRefused) as caught:
        verify_checkin_token(token, session_id=session_id, now=now)
    return caught.value.code


def test_a_fresh_code_is_accepted(sessions):
    session = sessions[0]
    verified = verify_checkin_token(make_checkin_token(session), session_id=session.pk)
    assert verified.session == session


def test_the_previous_code_is_still_accepted_for_a_few_seconds(sessions):
    session = sessions[0]
    now = timezone.now()
    token = make_checkin_token(session, now=now - dt.timedelta(seconds=ROTATION_SECONDS))
    assert verify_checkin_token(token, session_id=session.pk, now=now).session == session


def test_an_expired_code_is_refused(sessions):
    session = sessions[0]
    now = timezone.now()
    token = make_checkin_token(session, now=now - dt.timedelta(seconds=3 * ROTATION_SECONDS))
    assert _refusal(token, session.pk, now) == "expired"


def test_a_code_for_another_session_is_refused(sessions):
    assert _refusal(make_checkin_token(sessions[0]), sessions[1].pk) == "wrong_session"


def test_a_code_outside_the_check_in_window_is_refused(sessions):
    session = sessions[1]  # starts tomorrow
    assert _refusal(make_checkin_token(session), session.pk) == "outside_window"
    later = session.ends_at + dt.timedelta(hours=2)
    assert _refusal(make_checkin_token(session, now=later), session.pk, later) == "outside_window"


def test_a_forged_code_is_refused(sessions):
    session = sessions[0]
    slot = int(timezone.now().timestamp()) // ROTATION_SECONDS
    assert _refusal(f"{session.pk}.{slot}:not-a-signature", session.pk) == "forged"
    assert _refusal("garbage", session.pk) == "forged"


def test_a_tampered_code_is_refused(sessions):
    session = sessions[0]
    token = make_checkin_token(session)
    value, signature = token.rsplit(":", 1)
    session_id, slot = value.split(".")
    # Moving the slot forward to keep a photographed code alive breaks the signature.
    assert _refusal(f"{session_id}.{int(slot) + 1}:{signature}", session.pk) == "forged"


def test_a_code_signed_for_one_session_cannot_be_relabelled_for_another(sessions):
    token = make_checkin_token(sessions[0])
    _value, signature = token.rsplit(":", 1)
    slot = token.split(".")[1].split(":")[0]
    assert _refusal(f"{sessions[1].pk}.{slot}:{signature}", sessions[1].pk) in (
        "forged",
        "outside_window",
    )
