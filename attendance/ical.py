"""iCalendar (RFC 5545) documents for workshops: a feed per workshop or per person, and the
iTIP invitation (REQUEST / CANCEL) attached to registration emails.

Times are written in UTC, so no VTIMEZONE is needed and every client shows them in its own
zone. Each session keeps one UID for life, so a re-sent invitation updates the event instead of
adding a copy.
"""

import datetime as dt
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from attendance.models import Registration, Session, Workshop

PRODID = "-//Integridad LMS//Talleres//ES"
UID_DOMAIN = "integridad-lms"
# SEQUENCE must grow when an invitation changes; seconds since this date fit the 32-bit
# integer some clients (Outlook) store it in for a century.
SEQUENCE_EPOCH = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
METHODS = ("REQUEST", "CANCEL", "PUBLISH")


def session_uid(session: Session) -> str:
    return f"session-{session.pk}@{UID_DOMAIN}"


def session_summary(session: Session) -> str:
    workshop = session.workshop
    return _("%(code)s – %(title)s (session %(number)s)") % {
        "code": workshop.code,
        "title": workshop.display_title,
        "number": session.number,
    }


def _location(workshop: Workshop) -> str:
    return workshop.venue or workshop.meeting_url


def _url(workshop: Workshop) -> str:
    if workshop.meeting_url:
        return workshop.meeting_url
    return workshop.course.full_url or ""


def _description(session: Session) -> str:
    workshop = session.workshop
    lines = [
        _("Course: %(course)s") % {"course": workshop.course.title},
        _("Modality: %(modality)s") % {"modality": workshop.get_modality_display()},
    ]
    if workshop.venue:
        lines.append(_("Venue: %(venue)s") % {"venue": workshop.venue})
    if workshop.meeting_url:
        lines.append(_("Meeting link: %(url)s") % {"url": workshop.meeting_url})
    lines.append(_("Region: %(region)s") % {"region": workshop.region})
    return "\n".join(lines)


def _sequence(*stamps: dt.datetime | None) -> int:
    latest = max((s for s in stamps if s), default=SEQUENCE_EPOCH)
    return max(0, int((latest - SEQUENCE_EPOCH).total_seconds()))


def _calendar(method: str = "") -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    return cal


def _event(session: Session, *, cancelled: bool = False, sequence: int | None = None) -> Event:
    workshop = session.workshop
    event = Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("dtstart", session.starts_at.astimezone(dt.UTC))
    event.add("dtend", session.ends_at.astimezone(dt.UTC))
    event.add("summary", session_summary(session))
    location = _location(workshop)
    if location:
        event.add("location", location)
    event.add("description", _description(session))
    url = _url(workshop)
    if url:
        event.add("url", url)
    event.add("sequence", _sequence(workshop.updated_at) if sequence is None else sequence)
    cancelled = cancelled or workshop.status == Workshop.Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def _sessions(workshop: Workshop):
    return workshop.sessions.select_related("workshop__course", "workshop__region").order_by(
        "starts_at", "number"
    )


def workshop_calendar(workshop: Workshop) -> bytes:
    """Every session of one workshop, for a subscription link or a download."""
    cal = _calendar("PUBLISH")
    cal.add("x-wr-calname", f"{workshop.code} – {workshop.display_title}")
    for session in _sessions(workshop):
        cal.add_component(_event(session))
    return cal.to_ical()


def person_calendar(person) -> bytes:
    """The sessions of every workshop where this person holds a confirmed seat."""
    cal = _calendar("PUBLISH")
    cal.add("x-wr-calname", _("My workshops – %(name)s") % {"name": person.full_name})
    sessions = (
        Session.objects.filter(
            workshop__registrations__person=person,
            workshop__registrations__status=Registration.Status.CONFIRMED,
        )
        .select_related("workshop__course", "workshop__region")
        .order_by("starts_at", "number")
    )
    for session in sessions:
        cal.add_component(_event(session))
    return cal.to_ical()


def _organizer() -> vCalAddress:
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    if name:
        organizer.params["cn"] = vText(name)
    return organizer


def _attendee(registration: Registration, method: str) -> vCalAddress:
    person = registration.person
    attendee = vCalAddress(f"mailto:{person.email}")
    attendee.params["cn"] = vText(person.full_name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["cutype"] = vText("INDIVIDUAL")
    if method == "CANCEL":
        attendee.params["partstat"] = vText("DECLINED")
    else:
        confirmed = registration.status == Registration.Status.CONFIRMED
        attendee.params["partstat"] = vText("ACCEPTED" if confirmed else "NEEDS-ACTION")
    # The seat is already decided by the LMS: a reply from the calendar would change nothing.
    attendee.params["rsvp"] = vText("FALSE")
    return attendee


def invitation(registration: Registration, method: str = "REQUEST") -> bytes:
    """iTIP message for one registration: every session of its workshop, one VEVENT each.

    METHOD:REQUEST adds or updates the events in the person's calendar; METHOD:CANCEL removes
    them (cancelled registration or workshop).
    """
    method = method.upper()
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(f"Unsupported iTIP method {method!r}: use REQUEST or CANCEL.")
    if not registration.person.email:
        raise ValueError("An invitation needs the person's email address.")
    workshop = registration.workshop
    # A cancellation must carry a SEQUENCE at least as high as the request it cancels.
    sequence = _sequence(workshop.updated_at, registration.updated_at)
    cal = _calendar(method)
    organizer = _organizer()
    for session in _sessions(workshop):
        event = _event(session, cancelled=method == "CANCEL", sequence=sequence)
        event.add("organizer", organizer)
        event.add("attendee", _attendee(registration, method))
        cal.add_component(event)
    return cal.to_ical()
