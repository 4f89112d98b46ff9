"""Reads for workshops: who may see which workshop, and a session's roster with its marks."""

from dataclasses import dataclass

from django.db.models import QuerySet

from attendance.models import AttendanceRecord, Registration, Session, Workshop

STAFF_PERMISSION = "attendance.change_workshop"


def workshops_for(user) -> QuerySet[Workshop]:
    """Program staff and admins see every workshop, trainers the ones they train, others none."""
    if not (user and user.is_authenticated and user.is_active):
        return Workshop.objects.none()
    if user.has_perm(STAFF_PERMISSION):
        return Workshop.objects.all()
    return Workshop.objects.filter(trainers=user)


def user_can_reach_workshop(*, user, workshop: Workshop) -> bool:
    return workshops_for(user).filter(pk=workshop.pk).exists()


@dataclass(frozen=True)
class RosterRow:
    registration: Registration
    status: str  # "" while unmarked

    @property
    def person(self):
        return self.registration.person


def session_roster(session: Session) -> list[RosterRow]:
    """Confirmed registrants of the session's workshop and their current mark, by family names."""
    registrations = list(
        Registration.objects.filter(
            workshop_id=session.workshop_id, status=Registration.Status.CONFIRMED
        )
        .select_related("person")
        .order_by("person__family_names", "person__given_names", "pk")
    )
    marks = dict(
        AttendanceRecord.objects.filter(
            session=session, person_id__in=[r.person_id for r in registrations]
        ).values_list("person_id", "status")
    )
    return [RosterRow(registration=r, status=marks.get(r.person_id, "")) for r in registrations]


def roster_counts(rows: list[RosterRow]) -> dict[str, int]:
    counts = dict.fromkeys(AttendanceRecord.Status.values, 0)
    counts["unmarked"] = 0
    for row in rows:
        counts[row.status or "unmarked"] += 1
    return counts
