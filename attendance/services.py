"""Writes for workshops: registration with capacity and waitlist, attendance, corrections.

Capacity holds under concurrency because every seat decision locks the workshop row first
(SELECT ... FOR UPDATE); one record per person and session is a database constraint, and a
losing concurrent insert is answered with the winner's record.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.emails import send_registration_email
from attendance.models import (
    AttendanceCorrection,
    AttendanceRecord,
    Registration,
    Session,
    Workshop,
)

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
) -> Registration:
    """A seat if one is free, else the waitlist. Registering again returns the same registration.

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
    if status not in AttendanceRecord.Status.values:
        raise ValidationError({"status": _("Unknown attendance status “%(s)s”.") % {"s": status}})
    now = now or timezone.now()
    locked = session.workshop.attendance_locked
    reason = (reason or "").strip()
    if locked and not (_can_correct(recorded_by) and reason):
        raise PermissionDenied(
            _(
                "Attendance of a closed workshop can only be corrected by program staff, with a reason."
            )
        )
    with transaction.atomic():
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
                        status=status,
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
        if record.status == status:
            return record
        old = record.status
        record.status = status
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
    with transaction.atomic():
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
