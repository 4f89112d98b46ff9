"""Wagtail admin screens beyond CRUD: the session roster and registration decisions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from attendance.forms import RosterForm, status_field_name, was_field_name
from attendance.models import AttendanceRecord, Registration, Session
from attendance.selectors import (
    marks_offered,
    roster_counts,
    session_roster,
    user_can_reach_workshop,
)
from attendance.services import attendance_bulk, registration_cancel, registration_decide


class RosterView(WagtailAdminTemplateMixin, FormView):
    """All confirmed registrants of one session in one table; a save writes every changed row."""

    template_name = "attendance/admin/roster.html"
    form_class = RosterForm
    page_title = gettext_lazy("Attendance roster")
    header_icon = "list-ul"

    def dispatch(self, request, *args, **kwargs):
        self.session = get_object_or_404(
            Session.objects.select_related("workshop__course"), pk=kwargs["session_id"]
        )
        self.workshop = self.session.workshop
        user = request.user
        if not (
            user.has_perm("attendance.view_session")
            and user_can_reach_workshop(user=user, workshop=self.workshop)
        ):
            raise PermissionDenied
        if request.method == "POST" and not user.has_perm("attendance.add_attendancerecord"):
            raise PermissionDenied
        self.rows = session_roster(self.session)
        self.marks = marks_offered()
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.session)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("workshops:index"), "label": _("Workshops")},
            {
                "url": reverse("workshop_sessions:index") + f"?workshop={self.workshop.pk}",
                "label": self.workshop.code,
            },
            {"url": "", "label": self.page_title, "sublabel": str(self.session)},
        ]

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "rows": self.rows,
            "marks": self.marks,
            "locked": self.workshop.attendance_locked,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        kinds = {m.code: m.counts_as for m in self.marks}
        context.update(
            session=self.session,
            workshop=self.workshop,
            locked=self.workshop.attendance_locked,
            can_correct=self.request.user.has_perm("attendance.add_attendancecorrection"),
            can_record=self.request.user.has_perm("attendance.add_attendancerecord"),
            rows=[
                (
                    row,
                    field,
                    form[was_field_name(row.registration.person_id)],
                    [(radio, kinds.get(radio.data["value"], "")) for radio in field],
                )
                for row in self.rows
                for field in [form[status_field_name(row.registration.person_id)]]
            ],
            counts=roster_counts(self.rows, self.marks),
            marks=self.marks,
        )
        return context

    def form_valid(self, form):
        marks = form.marks(all_present="all_present" in self.request.POST)
        if not marks:
            messages.info(self.request, _("Nothing to save: no mark was changed."))
            return redirect(self.request.path)
        try:
            attendance_bulk(
                session=self.session,
                marks=marks,
                method=AttendanceRecord.Method.ROSTER,
                recorded_by=self.request.user,
                reason=form.cleaned_data.get("reason", ""),
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You may not change this attendance."))
            return self.form_invalid(form)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Attendance saved: %(n)s mark(s) recorded.") % {"n": len(marks)},
        )
        return redirect(self.request.path)

    def form_invalid(self, form):
        messages.error(self.request, _("Nothing was saved. Please check the form."))
        return super().form_invalid(form)


class RegistrationActionView(WagtailAdminTemplateMixin, TemplateView):
    """Approve, reject or cancel one registration: a confirmation page, then the service."""

    template_name = "attendance/admin/registration_action.html"
    header_icon = "group"
    actions = {
        "approve": gettext_lazy("Approve registration"),
        "reject": gettext_lazy("Reject registration"),
        "cancel": gettext_lazy("Cancel registration"),
    }

    def dispatch(self, request, *args, **kwargs):
        self.action = kwargs["action"]
        if self.action not in self.actions:
            raise PermissionDenied
        self.registration = get_object_or_404(
            Registration.objects.select_related("person", "workshop__course"), pk=kwargs["pk"]
        )
        user = request.user
        if not (
            user.has_perm("attendance.change_registration")
            and user_can_reach_workshop(user=user, workshop=self.registration.workshop)
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.actions[self.action]

    def get_page_subtitle(self):
        return str(self.registration)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("workshop_registrations:index"), "label": _("Registrations")},
            {"url": "", "label": self.get_page_title(), "sublabel": str(self.registration)},
        ]

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "registration": self.registration,
            "action": self.action,
            "index_url": reverse("workshop_registrations:index"),
        }

    def post(self, request, *args, **kwargs):
        try:
            if self.action == "cancel":
                promoted = registration_cancel(registration=self.registration)
            else:
                before = set(
                    self.registration.workshop.registrations.filter(
                        status=Registration.Status.WAITLISTED
                    ).values_list("pk", flat=True)
                )
                registration_decide(
                    registration=self.registration, approve=self.action == "approve"
                )
                promoted = list(
                    Registration.objects.filter(pk__in=before).exclude(
                        status=Registration.Status.WAITLISTED
                    )
                )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("workshop_registrations:index")
        done = {
            "approve": _("Registration of %(name)s approved."),
            "reject": _("Registration of %(name)s rejected."),
            "cancel": _("Registration of %(name)s cancelled."),
        }[self.action]
        messages.success(request, done % {"name": self.registration.person.full_name})
        for registration in promoted:
            messages.info(
                request,
                _("%(name)s moved up from the waitlist.") % {"name": registration.person.full_name},
            )
        return redirect("workshop_registrations:index")
