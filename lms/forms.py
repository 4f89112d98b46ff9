"""Admin forms of the registry; they validate input and hand over to services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lms.models import Person

IMPORT_MAX_BYTES = 20 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (UTF-8 or Windows-1252, ‘,’ or ‘;’) or XLSX. Columns in Spanish or English: "
            "tipo_documento, numero_documento, nombres, apellidos, sexo, fecha_nacimiento, correo, "
            "telefono, institucion, cargo, region."
        ),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file (write nothing)"), required=False, initial=True
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        if not upload.name.lower().endswith((".csv", ".txt", ".xlsx", ".xlsm")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


class MergeForm(forms.Form):
    duplicate = forms.ModelChoiceField(
        label=_("Duplicate record (will be removed)"),
        queryset=Person.objects.select_related("institution"),
        to_field_name="public_id",
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label=_("Why are these the same person?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    confirm = forms.BooleanField(label=_("I have checked both records"), required=True)
