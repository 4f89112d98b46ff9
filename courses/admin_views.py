"""Admin screen for enrolling many participants at once (file or pasted list)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Locale

from courses.enrolment_import import enrol_from_file
from courses.models import CoursePage
from lms.uploads import SPREADSHEET, SPREADSHEET_MAX_BYTES, validate_upload


class BulkEnrolForm(forms.Form):
    course = forms.ModelChoiceField(
        label=gettext_lazy("Course"), queryset=CoursePage.objects.none()
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        required=False,
        help_text=gettext_lazy(
            "CSV or XLSX with a numero_documento column (and tipo_documento if not DNI)."
        ),
    )
    documents = forms.CharField(
        label=gettext_lazy("Or paste document numbers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("One DNI per line."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = (
            CoursePage.objects.live().filter(locale=Locale.get_default()).order_by("title")
        )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            validate_upload(
                upload,
                field=self.fields["file"].label,
                types=SPREADSHEET,
                max_bytes=SPREADSHEET_MAX_BYTES,
            )
        return upload

    def clean(self):
        data = super().clean()
        if not data.get("file") and not data.get("documents", "").strip():
            raise forms.ValidationError(_("Upload a file or paste at least one document number."))
        return data

    def payload(self) -> tuple[bytes, str]:
        upload = self.cleaned_data.get("file")
        if upload:
            return upload.read(), upload.name
        lines = [
            line.strip() for line in self.cleaned_data["documents"].splitlines() if line.strip()
        ]
        return ("numero_documento\n" + "\n".join(lines) + "\n").encode(), "pegado.csv"


class BulkEnrolView(WagtailAdminTemplateMixin, FormView):
    template_name = "courses/admin/bulk_enrol.html"
    form_class = BulkEnrolForm
    page_title = gettext_lazy("Enrol participants in a course")
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("courses.add_enrolment"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        data, filename = form.payload()
        result = enrol_from_file(
            course=form.cleaned_data["course"], data=data, filename=filename, user=self.request.user
        )
        if not result.ok:
            return self.render_to_response(self.get_context_data(form=form, result=result))
        messages.success(
            self.request,
            _("%(new)s enrolled, %(old)s were already enrolled.")
            % {"new": result.enrolled, "old": result.already},
        )
        return redirect(reverse("enrolments:index"))
