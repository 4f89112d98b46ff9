"""Public account forms: sign-up and setting a password from an emailed link."""

from django import forms
from django.contrib.auth import password_validation
from django.urls import reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from lms.models import DocumentType, Institution, Position, Region, Sex


class SignUpForm(forms.Form):
    given_names = forms.CharField(label=_("Given names"), max_length=120)
    family_names = forms.CharField(label=_("Family names"), max_length=120)
    document_type = forms.ChoiceField(
        label=_("Document type"), choices=DocumentType.choices, initial=DocumentType.DNI
    )
    document_number = forms.CharField(label=_("Document number"), max_length=20)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.NOT_REPORTED)
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.active(), required=False
    )
    position = forms.ModelChoiceField(
        label=_("Position"), queryset=Position.objects.active(), required=False
    )
    region = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Region.objects.filter(level=Region.Level.DEPARTMENT),
        required=False,
    )
    email = forms.EmailField(label=_("Email"))
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )
    password2 = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )
    privacy = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree that my data is processed to run this training program (Law 29733)."
        ),
        help_text=format_lazy(
            '<a href="{}">{}</a>', reverse_lazy("privacy"), _("Read the privacy notice")
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        autocomplete = {
            "given_names": "given-name",
            "family_names": "family-name",
            "email": "email",
        }
        for name, value in autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = value

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords are different."))
        elif data.get("password1"):
            try:
                password_validation.validate_password(data["password1"])
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data

    def person_fields(self) -> dict:
        names = (
            "given_names",
            "family_names",
            "document_type",
            "document_number",
            "sex",
            "institution",
            "position",
            "region",
        )
        return {name: self.cleaned_data.get(name) for name in names}


class SetPasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("New password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )
    password2 = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords are different."))
        elif data.get("password1"):
            try:
                password_validation.validate_password(data["password1"], self.user)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data
