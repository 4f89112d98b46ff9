"""Reads for workshops: who may see which workshop, and a session's roster with its marks."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from attendance.models import AttendanceRecord, AttendanceStatus, Registration, Session, Workshop

# Trainers also add and change workshops, but only reach the ones they train.
STAFF_PERMISSION = "attendance.view_all_workshops"


def marks_offered() -> list[AttendanceStatus]:
    """The marks trainers can give, in roster order."""
    return list(AttendanceStatus.objects.filter(active=True))


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
        ).values_list("person_id", "status_id")
    )
    return [RosterRow(registration=r, status=marks.get(r.person_id, "")) for r in registrations]


def roster_counts(rows: list[RosterRow], marks: list[AttendanceStatus]) -> list[tuple[str, int]]:
    """(label, how many) per offered mark, then marks no longer offered that are in use, then
    the unmarked."""
    tally: dict[str, int] = {}
    for row in rows:
        tally[row.status] = tally.get(row.status, 0) + 1
    counts = [(m.label, tally.pop(m.code, 0)) for m in marks]
    unmarked = tally.pop("", 0)
    if tally:
        retired = AttendanceStatus.objects.filter(code__in=tally)
        counts += [(m.label, tally[m.code]) for m in retired]
    return [*counts, (_("Unmarked"), unmarked)]
