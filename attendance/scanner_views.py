"""Trainer tools at the door: scan personal QR codes (or type them), seat walk-ins, print badges.

The two writes here (a scanned code, a walk-in) are small flows over attendance.services; they
live beside their views because this module is the only one they serve.
"""

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from attendance.badges import badge_pdf
from attendance.models import AttendanceRecord, Registration, Session
from attendance.selectors import user_can_reach_workshop
from attendance.services import attendance_record, register
from lms.models import DocumentType, Person
from lms.validators import normalize_document_number

# Same rule as the session QR check-in: more than 15 minutes after the start is "late".
LATE_AFTER = dt.timedelta(minutes=15)


def _session_or_403(request, session_id: int, *permissions: str) -> Session:
    session = get_object_or_404(Session.objects.select_related("workshop__course"), pk=session_id)
    user = request.user
    if not (
        all(user.has_perm(p) for p in permissions)
        and user_can_reach_workshop(user=user, workshop=session.workshop)
    ):
        raise PermissionDenied
    return session


def _breadcrumbs(view, session: Session) -> list[dict]:
    workshop = session.workshop
    return [
        *view.breadcrumbs_items,
        {"url": reverse("workshops:index"), "label": _("Workshops")},
        {
            "url": reverse("workshop_sessions:index") + f"?workshop={workshop.pk}",
            "label": workshop.code,
        },
        {"url": reverse("attendance_roster", args=[session.pk]), "label": _("Attendance roster")},
        {"url": "", "label": view.get_page_title(), "sublabel": str(session)},
    ]


# --- Scanning personal codes ---------------------------------------------------------------


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
        status=(
            AttendanceRecord.Status.LATE
            if now > session.starts_at + LATE_AFTER
            else AttendanceRecord.Status.PRESENT
        ),
        method=AttendanceRecord.Method.PERSONAL_QR,
        recorded_by=recorded_by,
        now=now,
    )
    return ScanResult(
        ok=True,
        name=person.full_name,
        status=str(record.get_status_display()),
        already=existing is not None,
    )


class ScanView(WagtailAdminTemplateMixin, TemplateView):
    """The trainer's phone as a scanner; a typed code does the same without camera or JS."""

    template_name = "attendance/scanner/scan.html"
    page_title = gettext_lazy("Scan personal QR codes")
    header_icon = "tick-inverse"

    def dispatch(self, request, *args, **kwargs):
        self.session = _session_or_403(
            request, kwargs["session_id"], "attendance.add_attendancerecord"
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.session)

    def get_breadcrumbs_items(self):
        return _breadcrumbs(self, self.session)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "session": self.session,
            "workshop": self.session.workshop,
            "mark_url": reverse("attendance_scan_mark", args=[self.session.pk]),
            "roster_url": reverse("attendance_roster", args=[self.session.pk]),
            "walk_in_url": reverse("attendance_walk_in", args=[self.session.pk]),
        }


class ScanMarkView(View):
    """POST a code: JSON for the scanner script, a redirect with a message for the plain form."""

    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        self.session = _session_or_403(
            request, kwargs["session_id"], "attendance.add_attendancerecord"
        )
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            result = personal_code_mark(
                session=self.session, code=request.POST.get("code", ""), recorded_by=request.user
            )
        except (PermissionDenied, ValidationError) as exc:
            message = " ".join(getattr(exc, "messages", [])) or str(exc)
            result = ScanResult(ok=False, message=message or _("This code cannot be recorded."))
        if "application/json" in request.headers.get("Accept", ""):
            return JsonResponse(result.as_dict())
        if not result.ok:
            messages.error(request, result.message)
        elif result.already:
            messages.info(
                request,
                _("%(name)s was already recorded: %(status)s.")
                % {"name": result.name, "status": result.status},
            )
        else:
            messages.success(
                request,
                _("%(name)s: %(status)s.") % {"name": result.name, "status": result.status},
            )
        return redirect("attendance_scan", session_id=self.session.pk)


# --- Walk-ins ------------------------------------------------------------------------------


class WalkInForm(forms.Form):
    given_names = forms.CharField(label=gettext_lazy("Given names"), max_length=120)
    family_names = forms.CharField(label=gettext_lazy("Family names"), max_length=120)
    document_type = forms.ChoiceField(
        label=gettext_lazy("Document type"),
        choices=DocumentType.choices,
        initial=DocumentType.DNI,
    )
    document_number = forms.CharField(label=gettext_lazy("Document number"), max_length=20)
    email = forms.EmailField(label=gettext_lazy("Email"), required=False)

    def clean(self):
        data = super().clean()
        if "document_type" in data and "document_number" in data:
            try:
                data["document_number"] = normalize_document_number(
                    data["document_type"], data["document_number"]
                )
            except ValidationError as exc:
                self.add_error("document_number", exc)
        return data


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
    document_number = normalize_document_number(document_type, document_number)
    person = Person.objects.filter(
        document_type=document_type, document_number=document_number
    ).first()
    person_created = person is None
    if person_created:
        person = Person(
            document_type=document_type,
            document_number=document_number,
            given_names=given_names,
            family_names=family_names,
            email=email,
        )
        person.full_clean()
        person.save()
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


class WalkInView(WagtailAdminTemplateMixin, FormView):
    template_name = "attendance/scanner/walk_in.html"
    form_class = WalkInForm
    page_title = gettext_lazy("Add a walk-in")
    header_icon = "user"

    def dispatch(self, request, *args, **kwargs):
        self.session = _session_or_403(
            request,
            kwargs["session_id"],
            "attendance.add_registration",
            "attendance.add_attendancerecord",
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.session)

    def get_breadcrumbs_items(self):
        return _breadcrumbs(self, self.session)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "session": self.session,
            "workshop": self.session.workshop,
            "roster_url": reverse("attendance_roster", args=[self.session.pk]),
        }

    def form_valid(self, form):
        try:
            walk_in = walk_in_register(
                session=self.session, registered_by=self.request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
            return self.form_invalid(form)
        registration = walk_in.registration
        messages.success(
            self.request,
            _("%(name)s was added as a walk-in (code %(code)s) and marked present.")
            % {"name": registration.person.full_name, "code": registration.code},
        )
        if walk_in.over_capacity:
            messages.warning(
                self.request,
                _("The workshop was full: this seat is beyond its capacity."),
            )
        if registration.needs_review:
            messages.info(self.request, _("Program staff will complete this person's data."))
        return redirect("attendance_roster", session_id=self.session.pk)

    def form_invalid(self, form):
        messages.error(self.request, _("The walk-in was not added. Please check the form."))
        return super().form_invalid(form)


# --- Badges --------------------------------------------------------------------------------


class BadgeView(View):
    http_method_names = ["get"]

    def get(self, request, pk):
        registration = get_object_or_404(
            Registration.objects.select_related("person", "workshop__course"), pk=pk
        )
        if not (
            request.user.has_perm("attendance.view_registration")
            and user_can_reach_workshop(user=request.user, workshop=registration.workshop)
        ):
            raise PermissionDenied
        response = HttpResponse(badge_pdf(registration), content_type="application/pdf")
        filename = f"badge-{registration.workshop.code}-{registration.code}.pdf"
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response
