"""The report's parameters as a GET form: fiscal year, quarter, breakdowns, audience.

The form checks types and what the user may ask for (the staff audience and the sensitive
breakdowns need ``reports.view_staff_report``); the report service checks the values themselves
and its errors are put back on the fields (``add_service_errors``).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.models import STAFF_ONLY_DIMENSIONS, Dimension
from reports.periods import fiscal_year_of
from reports.services import DONOR, STAFF

STAFF_PERMISSION = "reports.view_staff_report"
DONOR_PERMISSION = "reports.view_donor_report"


def may_see_staff(user) -> bool:
    return user.has_perm(STAFF_PERMISSION)


class ReportForm(forms.Form):
    fy = forms.IntegerField(
        label=_("Fiscal year"),
        help_text=_("US Government fiscal year: FY2026 runs from 1 October 2025 to 30 September."),
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        choices=[("", _("Whole year")), *[(str(q), f"Q{q}") for q in range(1, 5)]],
        coerce=int,
        empty_value=None,
        required=False,
    )
    by = forms.MultipleChoiceField(
        label=_("Crossed breakdown"),
        help_text=_("Up to three; each indicator also has its own one-way tables."),
        choices=Dimension.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    audience = forms.ChoiceField(
        label=_("Audience"),
        choices=[(DONOR, _("Donor (small cells suppressed)")), (STAFF, _("Program staff"))],
        initial=DONOR,
        required=False,
    )

    def __init__(self, data=None, *, user, **kwargs):
        self.staff_allowed = may_see_staff(user)
        super().__init__(data, **kwargs)
        self.fields["fy"].initial = fiscal_year_of(timezone.localdate())
        if not self.staff_allowed:
            # Offer a donor only what a donor's report can hold.
            self.fields["audience"].choices = [self.fields["audience"].choices[0]]
            self.fields["by"].choices = [
                (value, label)
                for value, label in Dimension.choices
                if value not in STAFF_ONLY_DIMENSIONS
            ]

    def clean_audience(self):
        return self.cleaned_data.get("audience") or DONOR

    def parameters(self) -> dict:
        """The keyword arguments of ``participation_report`` (call after ``is_valid()``)."""
        data = self.cleaned_data
        return {
            "fy": data["fy"],
            "quarter": data.get("quarter"),
            "by": data.get("by") or [],
            "audience": data.get("audience") or DONOR,
        }

    def add_service_errors(self, error: ValidationError) -> None:
        """The service's errors are keyed by parameter, as the fields are."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            self.add_error(field if field in self.fields else None, errors)
