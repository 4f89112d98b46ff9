"""iCalendar subscription feeds: a public one per workshop, a private one per participant.

A personal feed is reached by a signed token of the person's public id: unguessable, and all
such links are revoked at once by changing the salt.
"""

from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_GET

from attendance.ical import person_calendar, workshop_calendar
from attendance.models import Workshop
from lms.models import Person

PERSON_FEED_SALT = "attendance.person-feed"
PUBLIC_STATUSES = (Workshop.Status.OPEN, Workshop.Status.CLOSED, Workshop.Status.COMPLETED)
CONTENT_TYPE = "text/calendar; charset=utf-8"


def _signer() -> signing.Signer:
    return signing.Signer(salt=PERSON_FEED_SALT)


def person_feed_token(person: Person) -> str:
    return _signer().sign(str(person.public_id))


def person_feed_url(person: Person) -> str:
    """Path of the person's private calendar feed (make it absolute with the site's host)."""
    return reverse("attendance_feeds:person", kwargs={"token": person_feed_token(person)})


def _calendar_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # Personal data for the personal feed: shared caches must not keep it.
    response["Cache-Control"] = "private, max-age=900"
    return response


@require_GET
def workshop_feed(request, code: str) -> HttpResponse:
    workshop = get_object_or_404(
        Workshop.objects.select_related("course", "region"), code=code, status__in=PUBLIC_STATUSES
    )
    return _calendar_response(workshop_calendar(workshop), f"{workshop.code}.ics")


@require_GET
def person_feed(request, token: str) -> HttpResponse:
    try:
        public_id = _signer().unsign(token)
    except signing.BadSignature as exc:
        raise Http404 from exc
    person = get_object_or_404(Person, public_id=public_id)
    return _calendar_response(person_calendar(person), "talleres.ics")
