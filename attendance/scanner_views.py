"""Trainer tools at the door: scan personal QR codes (or type them), seat walk-ins, print badges.
The writes (a scanned code, a walk-in) are attendance.services.personal_code_mark and
walk_in_register."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from attendance.badges import badge_pdf
from attendance.models import Registration, Session
from attendance.selectors import user_can_reach_workshop
from attendance.services import ScanResult, personal_code_mark, walk_in_register
from lms.models import DocumentType
from lms.security_headers import permissions_policy
from lms.validators import normalize_document_number


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


# The only page that may open the camera (the site's Permissions-Policy has camera=()).
@method_decorator(permissions_policy(camera=["self"]), name="dispatch")
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
