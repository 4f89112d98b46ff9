"""Participant-facing workshop views: self check-in by the rotating session QR, with login
continuing straight into the check-in; and the trainer's projected QR with the live list."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Min
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.models import AttendanceRecord, Registration, Session, Workshop
from attendance.qr import qr_svg
from attendance.selectors import STAFF_PERMISSION
from attendance.services import register, registration_cancel, self_checkin
from attendance.tokens import (
    ROTATION_SECONDS,
    CheckinRefused,
    make_checkin_token,
    seconds_left,
    verify_checkin_token,
)

PENDING_KEY = "attendance.pending_checkin"
PENDING_MAX_AGE = dt.timedelta(minutes=10)


def _check_in(request, session: Session):
    person = getattr(request.user, "person", None)
    registration = (
        Registration.objects.filter(
            workshop=session.workshop, person=person, status=Registration.Status.CONFIRMED
        ).first()
        if person
        else None
    )
    if registration is None:
        return render(
            request,
            "attendance/checkin_result.html",
            {
                "ok": False,
                "session": session,
                "message": _(
                    "You are not registered for this workshop. Please speak to the trainer."
                ),
            },
            status=403,
        )
    record, already = self_checkin(session=session, person=person, user=request.user)
    return render(
        request,
        "attendance/checkin_result.html",
        {"ok": True, "session": session, "record": record, "already": already},
    )


def checkin(request, session_id: int, token: str):
    """Opened from the phone's camera. Anonymous people log in first and land back here."""
    try:
        verified = verify_checkin_token(token, session_id=session_id)
    except CheckinRefused as refusal:
        return render(
            request,
            "attendance/checkin_result.html",
            {"ok": False, "message": refusal.message, "code": refusal.code},
            status=400,
        )
    if not request.user.is_authenticated:
        # The token will have rotated by the time the person has logged in: remember that it
        # was valid now, for a few minutes, and continue from there.
        request.session[PENDING_KEY] = {
            "session": verified.session.pk,
            "at": timezone.now().isoformat(),
        }
        return redirect_to_login(reverse("attendance:checkin_continue"))
    return _check_in(request, verified.session)


@login_required
def checkin_continue(request):
    pending = request.session.pop(PENDING_KEY, None)
    if not pending or timezone.now() - dt.datetime.fromisoformat(pending["at"]) > PENDING_MAX_AGE:
        return render(
            request,
            "attendance/checkin_result.html",
            {
                "ok": False,
                "message": _(
                    "Your check-in expired while you logged in. Scan the code on the trainer's screen again."
                ),
            },
            status=400,
        )
    return _check_in(
        request,
        get_object_or_404(Session.objects.select_related("workshop"), pk=pending["session"]),
    )


@login_required
def checkin_screen(request, session_id: int):
    """What the trainer projects: the current QR and who has (not) checked in. No JavaScript:
    the page reloads itself when the code rotates."""
    session = get_object_or_404(
        Session.objects.select_related("workshop", "workshop__course"), pk=session_id
    )
    user = request.user
    if not (
        user.has_perm(STAFF_PERMISSION) or session.workshop.trainers.filter(pk=user.pk).exists()
    ):
        raise PermissionDenied
    token = make_checkin_token(session)
    url = request.build_absolute_uri(reverse("attendance:checkin", args=[session.pk, token]))
    registrations = (
        Registration.objects.filter(workshop=session.workshop, status=Registration.Status.CONFIRMED)
        .select_related("person")
        .order_by("person__family_names", "person__given_names")
    )
    records = {r.person_id: r for r in AttendanceRecord.objects.filter(session=session)}
    rows = [(reg.person, records.get(reg.person_id)) for reg in registrations]
    return render(
        request,
        "attendance/checkin_screen.html",
        {
            "session": session,
            "qr": qr_svg(url),
            "url": url,
            "refresh": seconds_left(),
            "rotation": ROTATION_SECONDS,
            "checked_in": [row for row in rows if row[1]],
            "missing": [row for row in rows if not row[1]],
        },
    )


def workshop_list(request):
    """Workshops open for registration, soonest first."""
    workshops = (
        Workshop.objects.filter(status=Workshop.Status.OPEN)
        .select_related("region", "course")
        .annotate(first_start=Min("sessions__starts_at"))
        .filter(first_start__gte=timezone.now() - dt.timedelta(days=1))
        .order_by("first_start")
    )
    return render(request, "attendance/workshop_list.html", {"workshops": workshops})


def workshop_detail(request, code: str):
    workshop = get_object_or_404(
        Workshop.objects.select_related("region", "course").exclude(status=Workshop.Status.DRAFT),
        code=code,
    )
    person = getattr(request.user, "person", None) if request.user.is_authenticated else None
    registration = (
        Registration.objects.filter(workshop=workshop, person=person).first() if person else None
    )
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if person is None:
            messages.error(
                request,
                _("Your login is not linked to a participant record; contact the program staff."),
            )
        elif "cancel" in request.POST and registration:
            registration_cancel(registration=registration)
            messages.success(request, _("Your registration was cancelled."))
        else:
            try:
                registration = register(workshop=workshop, person=person)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(
                    request,
                    _("Registered: %(status)s.") % {"status": registration.get_status_display()},
                )
        return redirect(request.path)
    taken = workshop.registrations.filter(status__in=["confirmed", "pending"]).count()
    return render(
        request,
        "attendance/workshop_detail.html",
        {
            "workshop": workshop,
            "sessions": workshop.sessions.order_by("number"),
            "registration": registration,
            "seats_left": max(workshop.capacity - taken, 0),
        },
    )
