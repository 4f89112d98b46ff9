"""Admin forms for workshops: the workshop itself, and the session roster (one radio group per
person, plus the reason a correction of a closed workshop needs)."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.models import Locale

from attendance.models import AttendanceRecord, AttendanceStatus, Session, Workshop
from attendance.selectors import STAFF_PERMISSION, RosterRow, workshops_for
from attendance.services import workshop_planning_check, workshop_trainers_check
from courses.models import CoursePage
from lms.models import User
from lms.roles import Role


def status_field_name(person_id: int) -> str:
    return f"status_{person_id}"


def was_field_name(person_id: int) -> str:
    return f"was_{person_id}"


class RosterForm(forms.Form):
    """One optional choice per confirmed registrant.

    Each row also carries the mark shown when the page was opened (``was_<id>``): only rows the
    user changed are written, so a QR check-in made while the roster was open is not overwritten
    by a stale pre-filled radio.
    """

    reason = forms.CharField(
        label=_("Reason for the correction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required: this workshop is closed and every change is kept with its reason."),
    )

    def __init__(
        self, *args, rows: list[RosterRow], marks: list[AttendanceStatus], locked: bool, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.locked = locked
        self.fields["reason"].required = locked
        offered = [(m.code, m.label) for m in marks]
        known = dict(offered)
        for row in rows:
            pid = row.registration.person_id
            choices = list(offered)
            if row.status and row.status not in known:
                # A mark no longer offered stays visible on the rows that have it.
                retired = AttendanceStatus.objects.filter(code=row.status).first()
                choices.append((row.status, retired.label if retired else row.status))
            self.fields[status_field_name(pid)] = forms.ChoiceField(
                label=row.person.full_name,
                choices=choices,
                required=False,
                initial=row.status or None,
                widget=forms.RadioSelect,
            )
            self.fields[was_field_name(pid)] = forms.ChoiceField(
                choices=[("", ""), *choices],
                required=False,
                initial=row.status,
                widget=forms.HiddenInput,
            )

    def marks(self, *, all_present: bool) -> dict:
        """{person: status} for the rows to write: changed by the user, or filled by "all present"."""
        marks = {}
        for row in self.rows:
            pid = row.registration.person_id
            chosen = self.cleaned_data.get(status_field_name(pid)) or ""
            # Without the hidden field (an API-like client), compare with the stored mark.
            if self.data.get(was_field_name(pid)) is None:
                shown = row.status
            else:
                shown = self.cleaned_data.get(was_field_name(pid)) or ""
            if not chosen and all_present and not row.status:
                chosen = AttendanceRecord.Status.PRESENT
            if chosen and chosen != shown:
                marks[row.person] = chosen
        return marks


class WorkshopForm(WagtailAdminModelForm):
    """Workshop editing: courses of the main language only, trainers chosen among trainers."""

    meeting_url = forms.URLField(
        label=capfirst(Workshop._meta.get_field("meeting_url").verbose_name),
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = Workshop
        fields = [
            "code",
            "course",
            "title",
            "modality",
            "status",
            "region",
            "venue",
            "meeting_url",
            "capacity",
            "registration_opens_at",
            "registration_closes_at",
            "requires_approval",
            "trainers",
        ]
        widgets = {"trainers": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = CoursePage.objects.filter(
            locale=Locale.get_default()
        ).order_by("title")
        assigned = self.instance.trainers.all() if self.instance.pk else User.objects.none()
        # A trainer (who only reaches the workshops they train) stays among its trainers: ticked
        # on a new workshop, and refused if they untick themselves.
        user = self.for_user
        self.keeps_editor = bool(
            user and user.is_authenticated and not user.has_perm(STAFF_PERMISSION)
        )
        editor = Q(pk=user.pk) if self.keeps_editor else Q()
        self.fields["trainers"].queryset = (
            User.objects.filter(
                Q(is_active=True, groups__name=Role.TRAINER.value) | Q(pk__in=assigned) | editor
            )
            .distinct()
            .order_by("last_name", "first_name")
        )
        if self.keeps_editor and not self.instance.pk and not self.is_bound:
            self.initial["trainers"] = [user.pk]

    def clean_status(self):
        status = self.cleaned_data["status"]
        if self.for_user is not None:
            try:
                workshop_planning_check(user=self.for_user, workshop=self.instance, status=status)
            except ValidationError as exc:
                raise ValidationError(exc.message_dict["status"]) from exc
        return status

    def clean_trainers(self):
        trainers = self.cleaned_data["trainers"]
        if self.keeps_editor:
            try:
                workshop_trainers_check(user=self.for_user, trainers=trainers)
            except ValidationError as exc:
                raise ValidationError(exc.message_dict["trainers"]) from exc
        return trainers


class SessionForm(WagtailAdminModelForm):
    """A session of one of the workshops the user reaches (a trainer: the ones they train)."""

    class Meta:
        model = Session
        fields = ["workshop", "number", "starts_at", "ends_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None:
            self.fields["workshop"].queryset = workshops_for(self.for_user).order_by("code")

    def clean(self):
        cleaned = super().clean()
        # A trainer plans the sessions of open workshops only (workshop_planning_check).
        if self.for_user is not None:
            workshops = [cleaned.get("workshop")]
            if self.instance.pk:
                workshops.append(Workshop.objects.get(pk=self.instance.workshop_id))
            for workshop in filter(None, workshops):
                try:
                    workshop_planning_check(
                        user=self.for_user, workshop=workshop, sessions_change=True
                    )
                except ValidationError as exc:
                    raise ValidationError(exc.message_dict["sessions"]) from exc
        return cleaned
