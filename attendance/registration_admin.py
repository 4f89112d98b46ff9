"""Admin door to bulk registration: upload a file of people for a workshop (all or nothing)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from attendance.models import Workshop
from attendance.registration_import import registrations_import
from attendance.selectors import workshops_for


class RegistrationImportForm(forms.Form):
    workshop = forms.ModelChoiceField(
        label=gettext_lazy("Workshop"), queryset=Workshop.objects.none()
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "CSV or XLSX with the participant import columns; unknown people are created."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workshop"].queryset = workshops_for(user).exclude(
            status__in=[Workshop.Status.CANCELLED, Workshop.Status.COMPLETED]
        )


class RegistrationImportView(WagtailAdminTemplateMixin, FormView):
    template_name = "attendance/admin/registration_import.html"
    form_class = RegistrationImportForm
    page_title = gettext_lazy("Register people from a file")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("attendance.add_registration"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        result = registrations_import(
            workshop=form.cleaned_data["workshop"],
            data=upload.read(),
            filename=upload.name,
            user=self.request.user,
        )
        if not result.ok:
            return self.render_to_response(self.get_context_data(form=form, result=result))
        messages.success(
            self.request,
            _(
                "%(rows)s rows: %(new)s new people; %(c)s confirmed, %(p)s awaiting approval, %(w)s waitlisted."
            )
            % {
                "rows": result.rows,
                "new": result.people_created,
                "c": result.confirmed,
                "p": result.pending,
                "w": result.waitlisted,
            },
        )
        return redirect("wagtailadmin_home")
