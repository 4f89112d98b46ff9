"""Writes for workshops: registration with capacity and waitlist, attendance, corrections.

Capacity holds under concurrency because every seat decision locks the workshop row first
(SELECT ... FOR UPDATE); one record per person and session is a database constraint, and a
losing concurrent insert is answered with the winner's record.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.emails import send_registration_email
from attendance.models import (
    LOCKED_STATUSES,
    AttendanceCorrection,
    AttendanceRecord,
    AttendanceStatus,
    Registration,
    Session,
    Workshop,
)
from attendance.selectors import STAFF_PERMISSION
from lms.bulk import bulk_work
from lms.models import Person
from lms.services.audit import audit_context
from lms.validators import normalize_document_number

SEAT_HOLDING = (Registration.Status.CONFIRMED, Registration.Status.PENDING)
EMAIL_FOR_STATUS = {"confirmed": "confirmed", "pending": "pending", "waitlisted": "waitlisted"}


def _notify(registration: Registration, kind: str) -> None:
    """Email (with its iCalendar invitation) once the change is committed, never before."""
    transaction.on_commit(lambda: send_registration_email(registration, kind))


ACTIVE = (*SEAT_HOLDING, Registration.Status.WAITLISTED)


def _seat_status(workshop: Workshop) -> str:
    return (
        Registration.Status.PENDING if workshop.requires_approval else Registration.Status.CONFIRMED
    )


def _seats_taken(workshop: Workshop) -> int:
    return workshop.registrations.filter(status__in=SEAT_HOLDING).count()


def registration_check_open(*, workshop: Workshop, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    if workshop.status != Workshop.Status.OPEN:
        raise ValidationError(_("This workshop is not open for registration."))
    if workshop.registration_opens_at and now < workshop.registration_opens_at:
        raise ValidationError(_("Registration has not opened yet."))
    if workshop.registration_closes_at and now >= workshop.registration_closes_at:
        raise ValidationError(_("Registration is closed."))


@transaction.atomic
def register(
    *,
    workshop: Workshop,
    person,
    source: str = Registration.Source.SELF,
    registered_by=None,
    now: dt.datetime | None = None,
    always_seat: bool = False,
    notify: bool = True,
) -> Registration:
    """A seat if one is free, else the waitlist. Registering again returns the same registration.
    The person is emailed the outcome once committed (``notify``; off for demo data).

    ``always_seat`` is for walk-ins, who are already in the room: they are confirmed even beyond
    capacity or approval (the registration is then flagged for staff to review).
    """
    now = now or timezone.now()
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if source == Registration.Source.SELF:
        registration_check_open(workshop=workshop, now=now)
    elif workshop.status in (Workshop.Status.CANCELLED, Workshop.Status.COMPLETED):
        raise ValidationError(_("This workshop no longer takes registrations."))
    existing = Registration.objects.filter(workshop=workshop, person=person).first()
    if existing and existing.status in ACTIVE:
        return existing
    registration = existing or Registration(workshop=workshop, person=person)
    registration.source = source
    registration.registered_by = registered_by
    if always_seat:
        registration.needs_review = (
            registration.needs_review or _seats_taken(workshop) >= workshop.capacity
        )
        registration.status = Registration.Status.CONFIRMED
        registration.waitlisted_at = None
    elif _seats_taken(workshop) < workshop.capacity:
        registration.status = _seat_status(workshop)
        registration.waitlisted_at = None
    else:
        registration.status = Registration.Status.WAITLISTED
        registration.waitlisted_at = now
    registration.save()
    if notify:
        _notify(registration, EMAIL_FOR_STATUS[registration.status])
    return registration


@transaction.atomic
def waitlist_promote(*, workshop: Workshop) -> list[Registration]:
    """Fill free seats from the waitlist, first come first served."""
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    free = workshop.capacity - _seats_taken(workshop)
    promoted = []
    if free <= 0:
        return promoted
    queue = workshop.registrations.filter(status=Registration.Status.WAITLISTED).order_by(
        "waitlisted_at", "pk"
    )
    for registration in queue[:free]:
        registration.status = _seat_status(workshop)
        registration.waitlisted_at = None
        registration.save(update_fields=["status", "waitlisted_at", "updated_at"])
        _notify(registration, "promoted")
        promoted.append(registration)
    return promoted


@transaction.atomic
def registration_cancel(*, registration: Registration) -> list[Registration]:
    """Cancel; a freed seat goes to the first person on the waitlist. Returns who was promoted."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    held_seat = registration.status in SEAT_HOLDING
    registration.status = Registration.Status.CANCELLED
    registration.waitlisted_at = None
    registration.save(update_fields=["status", "waitlisted_at", "updated_at"])
    _notify(registration, "cancelled")
    return waitlist_promote(workshop=registration.workshop) if held_seat else []


@transaction.atomic
def registration_decide(*, registration: Registration, approve: bool) -> Registration:
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != Registration.Status.PENDING:
        raise ValidationError(
            _("Only registrations awaiting approval can be approved or rejected.")
        )
    registration.status = Registration.Status.CONFIRMED if approve else Registration.Status.REJECTED
    registration.save(update_fields=["status", "updated_at"])
    _notify(registration, "approved" if approve else "rejected")
    if not approve:
        waitlist_promote(workshop=registration.workshop)
    return registration


# --- Planning a workshop ----------------------------------------------------------------------


def workshop_planning_check(
    *, user, workshop: Workshop, status: str | None = None, sessions_change: bool = False
) -> None:
    """Trainers plan and close their workshops; once one is closed, completed or cancelled its
    decisions are final and only program staff change it: a trainer may not reopen it (and then
    change marks without a reason) nor add, move or remove its sessions (an unmarked session
    counts as an absence: removing one would raise attendance). Raises ValidationError."""
    if workshop.pk is None or user.has_perm(STAFF_PERMISSION):
        return
    was = Workshop.objects.filter(pk=workshop.pk).values_list("status", flat=True).first()
    if was not in LOCKED_STATUSES:
        return
    if status is not None and status != was:
        raise ValidationError(
            {"status": _("This workshop is closed: only program staff can change its status.")}
        )
    if sessions_change:
        raise ValidationError(
            {"sessions": _("This workshop is closed: only program staff can change its sessions.")}
        )


def workshop_trainers_check(*, user, trainers) -> None:
    """A trainer reaches only the workshops they train, so they stay among a workshop's trainers
    (program staff hand workshops over). Raises ValidationError."""
    if user.has_perm(STAFF_PERMISSION) or user in trainers:
        return
    raise ValidationError(
        {
            "trainers": _(
                "Keep yourself among the trainers: you only reach the workshops you train. "
                "Program staff can hand a workshop over to other trainers."
            )
        }
    )


def _offered_codes() -> list[str]:
    return list(AttendanceStatus.objects.filter(active=True).values_list("code", flat=True))


def _can_correct(user) -> bool:
    return bool(user and user.has_perm("attendance.add_attendancecorrection"))


def attendance_record(
    *,
    session: Session,
    person,
    status: str,
    method: str,
    recorded_by=None,
    reason: str = "",
    now: dt.datetime | None = None,
) -> AttendanceRecord:
    """Record (or change) one person's attendance at one session.

    Idempotent: the same status again changes nothing. A different status is a change that is
    kept (old and new value); once the workshop is closed only program staff may change it, and
    only with a written reason.
    """
    offered = _offered_codes()
    if status not in offered:
        raise ValidationError(
            {
                "status": _("Unknown attendance mark “%(s)s”; offered: %(codes)s.")
                % {"s": status, "codes": ", ".join(offered)}
            }
        )
    now = now or timezone.now()
    locked = session.workshop.attendance_locked
    reason = (reason or "").strip()
    if locked and not (_can_correct(recorded_by) and reason):
        raise PermissionDenied(
            _(
                "Attendance of a closed workshop can only be corrected by program staff, with a reason."
            )
        )
    who = audit_context(actor=recorded_by, reason=reason) if recorded_by else audit_context()
    with transaction.atomic(), who:
        record = (
            AttendanceRecord.objects.select_for_update()
            .filter(session=session, person=person)
            .first()
        )
        if record is None:
            try:
                with transaction.atomic():
                    record = AttendanceRecord.objects.create(
                        session=session,
                        person=person,
                        status_id=status,
                        method=AttendanceRecord.Method.CORRECTION if locked else method,
                        recorded_by=recorded_by,
                        recorded_at=now,
                    )
            except IntegrityError:
                # Someone recorded this person a moment ago (e.g. a double scan): use theirs.
                record = AttendanceRecord.objects.select_for_update().get(
                    session=session, person=person
                )
            else:
                if locked:
                    AttendanceCorrection.objects.create(
                        record=record,
                        old_status="",
                        new_status=status,
                        reason=reason,
                        corrected_by=recorded_by,
                    )
                return record
        if record.status_id == status:
            return record
        old = record.status_id
        record.status_id = status
        record.method = AttendanceRecord.Method.CORRECTION if locked else method
        record.recorded_by = recorded_by
        record.recorded_at = now
        record.save()
        if recorded_by is not None:
            AttendanceCorrection.objects.create(
                record=record,
                old_status=old,
                new_status=status,
                reason=reason
                or _("Changed before the workshop was closed (%(how)s).")
                % {"how": record.get_method_display()},
                corrected_by=recorded_by,
            )
        return record


def attendance_bulk(
    *, session: Session, marks: dict, method: str, recorded_by, reason: str = ""
) -> list[AttendanceRecord]:
    """Roster or API: {person: status} for one session, all in one transaction."""
    with transaction.atomic(), bulk_work():
        return [
            attendance_record(
                session=session,
                person=person,
                status=status,
                method=method,
                recorded_by=recorded_by,
                reason=reason,
            )
            for person, status in marks.items()
        ]


def reminders_send(
    *, within: dt.timedelta = dt.timedelta(hours=48), now: dt.datetime | None = None
) -> int:
    """Remind confirmed participants of a workshop whose first upcoming session starts soon.

    Safe to run every hour (cron or Celery beat): each registration is reminded once.
    """
    now = now or timezone.now()
    due = (
        Registration.objects.filter(
            status=Registration.Status.CONFIRMED,
            reminded_at__isnull=True,
            workshop__status__in=[Workshop.Status.OPEN, Workshop.Status.CLOSED],
            workshop__sessions__starts_at__gt=now,
            workshop__sessions__starts_at__lte=now + within,
        )
        .select_related("person", "workshop")
        .distinct()
    )
    sent = 0
    for registration in due:
        with transaction.atomic():
            claimed = Registration.objects.filter(
                pk=registration.pk, reminded_at__isnull=True
            ).update(reminded_at=now)
            if claimed:
                _notify(registration, "reminder")
                sent += 1
    return sent


# --- At the door: check-in, scanned personal codes, walk-ins ------------------------------

# Arriving more than 15 minutes after the start is "late" (when the program offers that mark).
LATE_AFTER = dt.timedelta(minutes=15)


def arrival_mark(*, session: Session, now: dt.datetime) -> str:
    if (
        now > session.starts_at + LATE_AFTER
        and AttendanceStatus.objects.filter(code=AttendanceStatus.LATE, active=True).exists()
    ):
        return AttendanceStatus.LATE
    return AttendanceStatus.PRESENT


def self_checkin(
    *, session: Session, person, user, now: dt.datetime | None = None
) -> tuple[AttendanceRecord, bool]:
    """A participant checked in with the session QR. Returns (record, already recorded)."""
    now = now or timezone.now()
    existing = AttendanceRecord.objects.filter(session=session, person=person).first()
    if existing:
        return existing, True
    record = attendance_record(
        session=session,
        person=person,
        status=arrival_mark(session=session, now=now),
        method=AttendanceRecord.Method.QR,
        recorded_by=user,
        now=now,
    )
    return record, False


@dataclass(frozen=True)
class ScanResult:
    ok: bool
    message: str = ""
    name: str = ""
    status: str = ""  # the status label, as shown to the trainer
    already: bool = False

    def as_dict(self) -> dict:
        if not self.ok:
            return {"ok": False, "message": self.message}
        return {"ok": True, "name": self.name, "status": self.status, "already": self.already}


def normalize_code(raw: str) -> str:
    return "".join(str(raw or "").split()).upper()


def personal_code_mark(
    *, session: Session, code: str, recorded_by, now: dt.datetime | None = None
) -> ScanResult:
    """Mark the person holding ``code`` at ``session``; a second scan changes nothing."""
    workshop = session.workshop
    code = normalize_code(code)
    if not code:
        return ScanResult(ok=False, message=_("Type or scan a personal code."))
    if workshop.attendance_locked:
        return ScanResult(
            ok=False,
            message=_("This workshop is closed: attendance can only be corrected on the roster."),
        )
    registration = (
        Registration.objects.filter(workshop=workshop, code=code).select_related("person").first()
    )
    if registration is None:
        if Registration.objects.filter(code=code).exists():
            return ScanResult(
                ok=False,
                message=_("Code %(code)s belongs to another workshop.") % {"code": code},
            )
        return ScanResult(ok=False, message=_("Unknown code %(code)s.") % {"code": code})
    person = registration.person
    if registration.status != Registration.Status.CONFIRMED:
        return ScanResult(
            ok=False,
            message=_("%(name)s is not confirmed for this workshop (%(status)s).")
            % {"name": person.full_name, "status": registration.get_status_display()},
        )
    now = now or timezone.now()
    existing = AttendanceRecord.objects.filter(session=session, person=person).first()
    record = existing or attendance_record(
        session=session,
        person=person,
        status=arrival_mark(session=session, now=now),
        method=AttendanceRecord.Method.PERSONAL_QR,
        recorded_by=recorded_by,
        now=now,
    )
    return ScanResult(
        ok=True,
        name=person.full_name,
        status=str(record.status),
        already=existing is not None,
    )


def person_find_or_create(
    *,
    document_type: str,
    document_number: str,
    given_names: str = "",
    family_names: str = "",
    email: str = "",
) -> tuple[Person, bool]:
    """The registry's person with this document, or a new one from the names given.

    Names are only needed (and validated) when the person is new; an existing person's data is
    never changed from a registration desk.
    """
    document_number = normalize_document_number(document_type, document_number)
    person = Person.objects.filter(
        document_type=document_type, document_number=document_number
    ).first()
    if person is not None:
        return person, False
    missing = {
        field: _("Not in the registry yet: give the names to create this person.")
        for field, value in (("given_names", given_names), ("family_names", family_names))
        if not (value or "").strip()
    }
    if missing:
        raise ValidationError(missing)
    person = Person(
        document_type=document_type,
        document_number=document_number,
        given_names=given_names.strip(),
        family_names=family_names.strip(),
        email=(email or "").strip(),
    )
    person.full_clean()
    person.save()
    return person, True


@dataclass(frozen=True)
class StaffRegistration:
    registration: Registration
    person_created: bool
    already: bool


@transaction.atomic
def staff_register(
    *,
    workshop: Workshop,
    document_type: str,
    document_number: str,
    registered_by,
    given_names: str = "",
    family_names: str = "",
    email: str = "",
) -> StaffRegistration:
    """Staff or a trainer registers one person (found by document, or created): a seat if one is
    free, else the waitlist; approval rules apply as for everyone."""
    person, created = person_find_or_create(
        document_type=document_type,
        document_number=document_number,
        given_names=given_names,
        family_names=family_names,
        email=email,
    )
    before = (
        Registration.objects.filter(workshop=workshop, person=person, status__in=ACTIVE)
        .values_list("pk", flat=True)
        .first()
    )
    registration = register(
        workshop=workshop,
        person=person,
        source=Registration.Source.STAFF,
        registered_by=registered_by,
    )
    return StaffRegistration(
        registration=registration, person_created=created, already=before is not None
    )


@dataclass(frozen=True)
class WalkIn:
    registration: Registration
    person_created: bool
    over_capacity: bool


@transaction.atomic
def walk_in_register(
    *,
    session: Session,
    given_names: str,
    family_names: str,
    document_type: str,
    document_number: str,
    email: str = "",
    registered_by,
) -> WalkIn:
    """Seat someone who is in the room: confirmed even when the workshop is full, and present.

    An unknown person is created with the little the desk can ask; the registration is flagged
    for staff to complete the data (and to notice a seat beyond capacity).
    """
    workshop = session.workshop
    if workshop.attendance_locked:
        raise ValidationError(_("This workshop is closed: walk-ins can no longer be added."))
    person, person_created = person_find_or_create(
        document_type=document_type,
        document_number=document_number,
        given_names=given_names,
        family_names=family_names,
        email=email,
    )
    # They are physically here: a walk-in always gets a seat, waitlist or approval aside, and
    # the registration is flagged when that seat is beyond capacity.
    registration = register(
        workshop=workshop,
        person=person,
        source=Registration.Source.WALK_IN,
        registered_by=registered_by,
        always_seat=True,
    )
    over_capacity = registration.needs_review
    if person_created and not registration.needs_review:
        registration.needs_review = True
        registration.save(update_fields=["needs_review", "updated_at"])
    if not AttendanceRecord.objects.filter(session=session, person=person).exists():
        attendance_record(
            session=session,
            person=person,
            status=AttendanceRecord.Status.PRESENT,
            method=AttendanceRecord.Method.ROSTER,
            recorded_by=registered_by,
        )
    return WalkIn(
        registration=registration, person_created=person_created, over_capacity=over_capacity
    )
