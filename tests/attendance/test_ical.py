"""Calendar files: a workshop's sessions, a person's confirmed workshops, email invitations."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import qrcode
from django.core import mail
from icalendar import Calendar
from PIL import Image

from attendance.emails import send_registration_email
from attendance.ical import invitation, person_calendar, workshop_calendar
from attendance.models import Registration, Workshop
from attendance.services import register, registration_cancel
from tests.attendance.factories import build_workshop
from tests.factories import PersonFactory

LIMA = ZoneInfo("America/Lima")
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=LIMA)


def events(data: bytes) -> list:
    return list(Calendar.from_ical(data).walk("VEVENT"))


@pytest.fixture
def workshop(db):
    return build_workshop(code="LIM-2026-014", sessions=2, starts=START, title="Ética en la compra")


@pytest.mark.usefixtures("english")
def test_workshop_calendar_has_one_event_per_session_at_lima_times(workshop):
    cal = Calendar.from_ical(workshop_calendar(workshop))
    assert cal["METHOD"] == "PUBLISH"
    evs = events(workshop_calendar(workshop))
    assert len(evs) == 2
    first, second = evs
    sessions = list(workshop.sessions.order_by("number"))
    assert str(first["UID"]) == f"session-{sessions[0].pk}@integridad-lms"
    assert str(second["UID"]) == f"session-{sessions[1].pk}@integridad-lms"
    # 09:00 in Lima is 14:00 UTC; the parsed value is timezone-aware and equal to the session.
    assert first.decoded("DTSTART") == START
    assert first.decoded("DTSTART").utcoffset() == dt.timedelta(0)
    assert first.decoded("DTEND") == START + dt.timedelta(hours=3)
    assert second.decoded("DTSTART") == START + dt.timedelta(days=1)
    assert str(first["SUMMARY"]) == "LIM-2026-014 – Ética en la compra (session 1)"
    assert str(first["LOCATION"]) == "Auditorio de la Corte Superior de Lima"
    assert "Ética Pública" in str(first["DESCRIPTION"])


def test_uids_are_stable_between_downloads(workshop):
    uids = [str(e["UID"]) for e in events(workshop_calendar(workshop))]
    assert uids == [str(e["UID"]) for e in events(workshop_calendar(workshop))]


def test_online_workshop_uses_the_meeting_link_as_location_and_url(db):
    online = build_workshop(
        code="ONL-2026-001",
        sessions=1,
        starts=START,
        modality=Workshop.Modality.ONLINE,
        meeting_url="https://meet.example.pe/etica",
    )
    online.venue = ""
    online.save()
    (event,) = events(workshop_calendar(online))
    assert str(event["LOCATION"]) == "https://meet.example.pe/etica"
    assert str(event["URL"]) == "https://meet.example.pe/etica"


def test_person_calendar_lists_only_confirmed_workshops(workshop):
    other = build_workshop(code="CUS-2026-003", sessions=1, starts=START + dt.timedelta(days=30))
    full = build_workshop(
        code="ARE-2026-007", sessions=1, starts=START + dt.timedelta(days=60), capacity=1
    )
    person = PersonFactory(email="jose@example.pe")
    register(workshop=workshop, person=person)
    cancelled = register(workshop=other, person=person)
    registration_cancel(registration=cancelled)
    register(workshop=full, person=PersonFactory())
    assert register(workshop=full, person=person).status == Registration.Status.WAITLISTED

    uids = {str(e["UID"]) for e in events(person_calendar(person))}
    assert uids == {f"session-{s.pk}@integridad-lms" for s in workshop.sessions.all()}


def test_invitation_request_names_organizer_and_attendee(workshop, settings):
    settings.DEFAULT_FROM_EMAIL = "Programa Integridad <talleres@integridad.pe>"
    person = PersonFactory(email="rosa@example.pe", given_names="Rosa")
    registration = register(workshop=workshop, person=person)
    cal = Calendar.from_ical(invitation(registration))
    assert cal["METHOD"] == "REQUEST"
    evs = list(cal.walk("VEVENT"))
    assert len(evs) == 2
    for event in evs:
        assert str(event["ORGANIZER"]) == "mailto:talleres@integridad.pe"
        assert event["ORGANIZER"].params["CN"] == "Programa Integridad"
        assert str(event["ATTENDEE"]) == "mailto:rosa@example.pe"
        assert event["ATTENDEE"].params["PARTSTAT"] == "ACCEPTED"
        assert str(event["STATUS"]) == "CONFIRMED"


def test_cancel_invitation_has_same_uids_and_no_lower_sequence(workshop):
    registration = register(workshop=workshop, person=PersonFactory(email="ana@example.pe"))
    request = events(invitation(registration, method="REQUEST"))
    registration_cancel(registration=registration)
    registration.refresh_from_db()
    cal = Calendar.from_ical(invitation(registration, method="CANCEL"))
    assert cal["METHOD"] == "CANCEL"
    cancel = list(cal.walk("VEVENT"))
    assert [str(e["UID"]) for e in cancel] == [str(e["UID"]) for e in request]
    assert all(str(e["STATUS"]) == "CANCELLED" for e in cancel)
    assert all(c["SEQUENCE"] >= r["SEQUENCE"] for c, r in zip(cancel, request, strict=True))


def test_confirmation_email_carries_the_code_and_a_request(workshop):
    person = PersonFactory(email="jose@example.pe")
    registration = register(workshop=workshop, person=person)
    assert send_registration_email(registration, "confirmed") is True
    (message,) = mail.outbox
    assert message.to == ["jose@example.pe"]
    assert registration.code in message.body
    assert "LIM-2026-014" in message.subject
    assert "\n" not in message.subject
    # Lima time in the body, not UTC.
    assert "09:00" in message.body
    assert "14:00" not in message.body
    (filename, content, mimetype) = message.attachments[0]
    assert filename.endswith(".ics")
    assert mimetype.startswith("text/calendar")
    assert Calendar.from_ical(content)["METHOD"] == "REQUEST"
    parts = [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
    assert parts
    assert all(p.get_param("method") == "REQUEST" for p in parts)


def test_cancellation_email_carries_a_cancel(workshop):
    registration = register(workshop=workshop, person=PersonFactory(email="ana@example.pe"))
    registration_cancel(registration=registration)
    registration.refresh_from_db()
    assert send_registration_email(registration, "cancelled") is True
    (_filename, content, _mimetype) = mail.outbox[0].attachments[0]
    assert Calendar.from_ical(content)["METHOD"] == "CANCEL"


def _modules(png: bytes) -> list[list[bool]]:
    """Read a QR image back into its grid of dark modules (8 px per module, 4 of quiet zone)."""
    image = Image.open(io.BytesIO(png)).convert("L")
    size = image.width // 8
    return [
        [image.getpixel((x * 8 + 4, y * 8 + 4)) < 128 for x in range(4, size - 4)]
        for y in range(4, size - 4)
    ]


@pytest.mark.parametrize("kind", ["confirmed", "approved", "promoted", "reminder"])
def test_emails_of_a_seat_show_the_personal_qr_inline(workshop, kind):
    registration = register(workshop=workshop, person=PersonFactory(email="ana@example.pe"))
    assert send_registration_email(registration, kind) is True
    message = mail.outbox[0].message()
    [html] = [p for p in message.walk() if p.get_content_type() == "text/html"]
    html = html.get_payload(decode=True).decode()
    assert 'src="cid:codigo-personal"' in html
    assert registration.code in html
    assert workshop.display_title in html  # the whole message, not only the code
    [image] = [p for p in message.walk() if p.get_content_type() == "image/png"]
    assert image["Content-ID"] == "<codigo-personal>"
    # The picture is the QR code of exactly this registration's code.
    expected = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_Q, border=0)
    expected.add_data(registration.code)
    assert _modules(image.get_payload(decode=True)) == expected.get_matrix()


@pytest.mark.parametrize("kind", ["pending", "waitlisted", "rejected"])
def test_emails_without_a_seat_carry_no_invitation(workshop, kind):
    registration = register(workshop=workshop, person=PersonFactory(email="ana@example.pe"))
    assert send_registration_email(registration, kind) is True
    message = mail.outbox[0]
    assert message.attachments == []
    assert message.alternatives == []
    assert registration.code in message.body


def test_person_without_email_gets_nothing(workshop):
    registration = register(workshop=workshop, person=PersonFactory(email=""))
    assert send_registration_email(registration, "confirmed") is False
    assert mail.outbox == []
