"""The "My upcoming workshops" section of a participant's My learning page."""

from django.utils import timezone

from attendance.feeds import person_feed_url
from attendance.models import Registration, Session


def upcoming_workshops(request, person):
    registrations = (
        Registration.objects.filter(
            person=person, status__in=["confirmed", "pending", "waitlisted"]
        )
        .select_related("workshop", "workshop__region")
        .order_by("workshop__code")
    )
    rows = []
    now = timezone.now()
    for registration in registrations:
        sessions = list(
            Session.objects.filter(workshop=registration.workshop, ends_at__gte=now).order_by(
                "starts_at"
            )
        )
        if sessions:
            rows.append({"registration": registration, "sessions": sessions})
    feed = request.build_absolute_uri(person_feed_url(person))
    return 20, "attendance/my_workshops_panel.html", {"rows": rows, "feed": feed}
