"""Forms of the privacy pages: a participant's requests and consents, staff processing them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lms.forms import SelfIdentificationForm
from lms.models import (
    PERSON_FIELDS,
    ConsentText,
    DataRequest,
    Ethnicity,
    Person,
    SelfIdentification,
    WGAnswer,
)
from lms.models.people import WG_DOMAINS

WG_NAMES = [f"wg_{domain}" for domain in WG_DOMAINS]


def _field_choices():
    fields = [(name, Person._meta.get_field(name).verbose_name) for name in PERSON_FIELDS]
    return [("", "—"), *fields, ("other", _("Other data"))]


class DataRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you ask for?"), choices=DataRequest.Kind.choices, widget=forms.RadioSelect
    )
    field = forms.ChoiceField(
        label=_("Which data is wrong? (rectification)"), choices=_field_choices, required=False
    )
    correct_value = forms.CharField(
        label=_("The correct value (rectification)"), max_length=300, required=False
    )
    details = forms.CharField(
        label=_("Details"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For an opposition, say which use of your data you oppose and why. Do not write "
            "health or other sensitive information here."
        ),
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == DataRequest.Kind.RECTIFICATION and not data.get("field"):
            self.add_error("field", _("Choose the data to correct."))
        return data


class ConsentGiveForm(forms.Form):
    accept = forms.BooleanField(
        label=_("I have read this text and I give my consent for this purpose."), required=True
    )


class AnonymiseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_(
            "E.g. the request it answers. Kept in the audit trail: do not write personal data."
        ),
    )
    confirm = forms.BooleanField(
        label=_("I understand that this erases the person's data and cannot be undone."),
        required=True,
    )


class DataRequestProcessForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=())
    response = forms.CharField(
        label=_("Answer to the participant"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required to refuse: the reason, which the participant reads by email."),
    )
    confirm = forms.BooleanField(
        label=_("Completing a cancellation anonymises the person: this cannot be undone."),
        required=False,
    )

    def __init__(self, *args, request: DataRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.request_obj = request
        allowed = [
            (value, label)
            for value, label in DataRequest.Status.choices
            if value != request.status and value != DataRequest.Status.RECEIVED
        ]
        self.fields["status"].choices = allowed
        if request.kind != DataRequest.Kind.CANCELLATION:
            del self.fields["confirm"]

    def clean(self):
        data = super().clean()
        if (
            "confirm" in self.fields
            and data.get("status") == DataRequest.Status.DONE
            and not data.get("confirm")
        ):
            self.add_error("confirm", _("Confirm that the person's data will be erased."))
        return data


class SelfIdentificationAnswersForm(forms.Form):
    """A participant's own answers, only for the purposes they consent to (``consented``).

    The questions and answers are the model's (2017 Census, Washington Group Short Set): the
    wording is not ours to change.
    """

    def __init__(self, *args, consented: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        unanswered = ("", _("Do not store an answer"))
        if ConsentText.Purpose.ETHNICITY in consented:
            self.fields["ethnicity"] = forms.ChoiceField(
                label=SelfIdentificationForm.base_fields["ethnicity"].label,
                choices=[*Ethnicity.choices, unanswered],
                required=False,
                widget=forms.RadioSelect,
            )
        if ConsentText.Purpose.DISABILITY in consented:
            for domain in WG_DOMAINS:
                field = SelfIdentification._meta.get_field(f"wg_{domain}")
                self.fields[f"wg_{domain}"] = forms.ChoiceField(
                    label=field.verbose_name,
                    choices=[*WGAnswer.choices, unanswered],
                    required=False,
                    widget=forms.RadioSelect,
                )

    def purpose_fields(self, purpose: str) -> list:
        names = ["ethnicity"] if purpose == ConsentText.Purpose.ETHNICITY else WG_NAMES
        return [self[name] for name in names if name in self.fields]

    def answers(self) -> dict:
        """Keyword arguments for lms.services.privacy.participant_self_identification_update:
        None for a purpose not on the form (left as it is)."""
        data = self.cleaned_data
        return {
            "ethnicity": data.get("ethnicity", "") if "ethnicity" in self.fields else None,
            "disability_answers": {d: data.get(f"wg_{d}", "") for d in WG_DOMAINS}
            if "wg_seeing" in self.fields
            else None,
        }
