"""Admin forms of the registry; they validate input and hand over to services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.models import Consent, ConsentText, Ethnicity, Person, SelfIdentification, WGAnswer
from lms.models.people import WG_DOMAINS
from lms.uploads import SPREADSHEET, SPREADSHEET_MAX_BYTES, validate_upload


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
        validate_upload(
            upload,
            field=self.fields["file"].label,
            types=SPREADSHEET,
            max_bytes=SPREADSHEET_MAX_BYTES,
        )
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


class SelfIdentificationForm(forms.Form):
    """Consent first, then the answers it covers; each purpose is consented separately."""

    ethnicity_consent_text = forms.ModelChoiceField(
        label=_("Consent to ethnic self-identification (text read to or by the person)"),
        queryset=ConsentText.objects.filter(purpose=ConsentText.Purpose.ETHNICITY),
        required=False,
    )
    disability_consent_text = forms.ModelChoiceField(
        label=_("Consent to the disability questions (text read to or by the person)"),
        queryset=ConsentText.objects.filter(purpose=ConsentText.Purpose.DISABILITY),
        required=False,
    )
    method = forms.ChoiceField(label=_("How consent was given"), choices=Consent.Method.choices)
    given_at = forms.DateTimeField(
        label=_("When consent was given"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    ethnicity = forms.ChoiceField(
        label=_("By your customs and ancestors, do you feel or consider yourself…"),
        choices=[("", "—"), *Ethnicity.choices],
        required=False,
    )

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.consented = set(
            person.consents.filter(withdrawn_at__isnull=True).values_list("purpose", flat=True)
        )
        for domain in WG_DOMAINS:
            field = SelfIdentification._meta.get_field(f"wg_{domain}")
            self.fields[f"wg_{domain}"] = forms.ChoiceField(
                label=field.verbose_name, choices=[("", "—"), *WGAnswer.choices], required=False
            )

    def clean_given_at(self):
        value = self.cleaned_data["given_at"]
        if value > timezone.now():
            raise forms.ValidationError(_("Consent cannot be dated in the future."))
        return value

    def clean(self):
        data = super().clean()
        has = self.consented
        if data.get("ethnicity") and not (data.get("ethnicity_consent_text") or "ethnicity" in has):
            self.add_error(
                "ethnicity_consent_text",
                _("Ethnic self-identification needs the person's consent for that purpose."),
            )
        if any(data.get(f"wg_{d}") for d in WG_DOMAINS) and not (
            data.get("disability_consent_text") or "disability" in has
        ):
            self.add_error(
                "disability_consent_text",
                _("Disability answers need the person's consent for that purpose."),
            )
        return data
