"""Admin doors to registration: one person by document (found in the registry or created), or a
file of people for a workshop (all or nothing)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from attendance.models import Registration, Workshop
from attendance.registration_import import registrations_import
from attendance.selectors import workshops_for
from attendance.services import staff_register
from lms.models import DocumentType
from lms.uploads import SPREADSHEET, SPREADSHEET_MAX_BYTES, validate_upload


def _breadcrumbs(view) -> list[dict]:
    return [
        *view.breadcrumbs_items,
        {"url": reverse("workshops:index"), "label": _("Workshops")},
        {"url": reverse("workshop_registrations:index"), "label": _("Registrations")},
        {"url": "", "label": view.get_page_title()},
    ]


def _open_workshops(user):
    return workshops_for(user).exclude(
        status__in=[Workshop.Status.CANCELLED, Workshop.Status.COMPLETED]
    )


class RegistrationAddForm(forms.Form):
    workshop = forms.ModelChoiceField(
        label=gettext_lazy("Workshop"), queryset=Workshop.objects.none()
    )
    document_type = forms.ChoiceField(
        label=gettext_lazy("Document type"), choices=DocumentType.choices, initial=DocumentType.DNI
    )
    document_number = forms.CharField(label=gettext_lazy("Document number"), max_length=20)
    given_names = forms.CharField(
        label=gettext_lazy("Given names"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("Only for someone not yet in the registry."),
    )
    family_names = forms.CharField(
        label=gettext_lazy("Family names"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("Only for someone not yet in the registry."),
    )
    email = forms.EmailField(
        label=gettext_lazy("Email"),
        required=False,
        help_text=gettext_lazy("Only for someone not yet in the registry; confirmations go there."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workshop"].queryset = _open_workshops(user)


class RegistrationAddView(WagtailAdminTemplateMixin, FormView):
    """Register one person: the outcome (seat, approval, waitlist) is said right away and the form
    comes back for the next person of the same workshop."""

    template_name = "attendance/admin/registration_add.html"
    form_class = RegistrationAddForm
    page_title = gettext_lazy("Register a person")
    header_icon = "user"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("attendance.add_registration"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_breadcrumbs_items(self):
        return _breadcrumbs(self)

    def get_initial(self):
        return {"workshop": self.request.GET.get("workshop")}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            outcome = staff_register(registered_by=self.request.user, **data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
            return self.form_invalid(form)
        registration = outcome.registration
        values = {
            "name": registration.person.full_name,
            "code": registration.code,
            "status": registration.get_status_display(),
        }
        if outcome.already:
            messages.info(
                self.request,
                _("%(name)s was already registered: %(status)s (code %(code)s).") % values,
            )
        elif registration.status == Registration.Status.WAITLISTED:
            messages.warning(
                self.request,
                _("The workshop is full: %(name)s is on the waitlist.") % values,
            )
        else:
            messages.success(
                self.request, _("%(name)s registered: %(status)s (code %(code)s).") % values
            )
        if outcome.person_created:
            messages.info(self.request, _("A new person was added to the registry."))
        return redirect(reverse("attendance_registration_add") + f"?workshop={data['workshop'].pk}")


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
        self.fields["workshop"].queryset = _open_workshops(user)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(
            upload,
            field=self.fields["file"].label,
            types=SPREADSHEET,
            max_bytes=SPREADSHEET_MAX_BYTES,
        )
        return upload


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

    def get_breadcrumbs_items(self):
        return _breadcrumbs(self)

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
