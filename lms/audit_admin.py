"""The audit trail in the Wagtail admin: every event, filtered by record, person, actor or action,
the chain head, and (administrators) a check of the whole chain. Read-only: nobody edits here."""

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from lms.auditing import REGISTRY
from lms.models import AuditEvent, Person, User
from lms.services.audit import Head, chain_head, verify_chain


class ReadOnlyAuditPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return action in ("view", "inspect") and user.has_perm("lms.view_auditevent")


register_permission_policy(AuditEvent, ReadOnlyAuditPolicy(AuditEvent))


def _record_types():
    labels = {label: spec.model._meta.verbose_name for label, spec in REGISTRY.items()}
    labels["lms.mergelog"] = gettext_lazy("merge log entry")
    return sorted(labels.items(), key=lambda item: str(item[1]))


class AuditFilterSet(WagtailFilterSet):
    object_type = django_filters.ChoiceFilter(label=gettext_lazy("Record type"), choices=[])
    object_id = django_filters.CharFilter(label=gettext_lazy("Record number"))
    subject = django_filters.CharFilter(
        label=gettext_lazy("Person concerned"), help_text=gettext_lazy("e.g. person:17")
    )
    actor = django_filters.CharFilter(
        label=gettext_lazy("By"), help_text=gettext_lazy("e.g. user:4, system")
    )
    action = django_filters.CharFilter(label=gettext_lazy("Action"), lookup_expr="startswith")
    at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Date"), widget=DateRangePickerWidget
    )

    class Meta:
        model = AuditEvent
        fields = ["object_type", "object_id", "subject", "actor", "action", "at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["object_type"].extra["choices"] = _record_types()


def _changes(event: AuditEvent) -> str:
    before, after = event.before or {}, event.after or {}
    keys = sorted(set(before) | set(after))
    parts = []
    for key in keys:
        if key in before and key in after:
            parts.append(f"{key}: {before[key]} → {after[key]}")
        elif key in after:
            parts.append(f"{key}: {after[key]}")
        else:
            parts.append(f"{key}: {before[key]} → ∅")
    return "; ".join(parts)


def _person_id(subject: str) -> int | None:
    number = subject.removeprefix("person:")
    return int(number) if subject.startswith("person:") and number.isdigit() else None


def subject_labels(events) -> None:
    """Set ``subject_label`` on each event: a link to the participant's admin page with their
    name ("anonymised participant" once anonymised), or the reference itself when it names no
    existing participant. One query for all the events given."""
    ids = {pk for pk in (_person_id(e.subject) for e in events) if pk is not None}
    fields = ("pk", "given_names", "family_names", "anonymised_at")
    people = Person.objects.filter(pk__in=ids).only(*fields) if ids else []
    links = {
        person.pk: format_html(
            '<a href="{}">{}</a>',
            reverse("participants:edit", args=[person.pk]),
            _("anonymised participant") if person.anonymised_at else person.full_name,
        )
        for person in people
    }
    for event in events:
        event.subject_label = links.get(_person_id(event.subject), event.subject)


class AuditIndexView(generic.IndexView):
    template_name = "lms/admin/audit_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        events = list(context.get("object_list") or [])
        ids = {int(e.actor[5:]) for e in events if e.actor.startswith("user:")}
        names = {u.pk: (u.get_full_name() or u.email) for u in User.objects.filter(pk__in=ids)}
        for event in events:
            if event.actor.startswith("user:"):
                event.actor_label = names.get(int(event.actor[5:]), event.actor)
            else:
                event.actor_label = {"system": _("system"), "anonymous": _("anonymous")}.get(
                    event.actor, event.actor
                )
        subject_labels(events)
        context["chain_head"] = chain_head()
        return context

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm("lms.verify_auditevent"):
            buttons.append(
                HeaderButton(
                    _("Verify the chain"), url=reverse("lms_audit_verify"), icon_name="tick"
                )
            )
        return buttons


class AuditInspectView(generic.InspectView):
    template_name = "lms/admin/audit_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.object.subject:
            subject_labels([self.object])
        return context


class AuditEventViewSet(ModelViewSet):
    model = AuditEvent
    icon = "history"
    menu_label = gettext_lazy("Audit trail")
    menu_order = 9000
    add_to_admin_menu = True
    url_prefix = "audit"
    name = "audit"
    index_view_class = AuditIndexView
    inspect_view_class = AuditInspectView
    inspect_view_enabled = True
    filterset_class = AuditFilterSet
    list_per_page = 50
    list_display = [
        Column("seq", label="#", accessor="seq"),
        Column("at", label=gettext_lazy("When"), accessor="at"),
        Column("actor", label=gettext_lazy("By"), accessor="actor_label"),
        Column("action", label=gettext_lazy("Action"), accessor="action"),
        Column(
            "record",
            label=gettext_lazy("Record"),
            accessor=lambda e: f"{e.object_type}:{e.object_id}",
        ),
        Column(
            "subject",
            label=gettext_lazy("Person concerned"),
            accessor=lambda e: getattr(e, "subject_label", e.subject),
        ),
        Column("changes", label=gettext_lazy("Change"), accessor=_changes),
        Column(
            "reason",
            label=gettext_lazy("Reason"),
            accessor=lambda e: e.reason or (_("(erased)") if e.redacted else ""),
        ),
    ]
    inspect_view_fields = [
        "seq",
        "at",
        "actor",
        "action",
        "object_type",
        "object_id",
        "subject",
        "before",
        "after",
        "reason",
        "prev_hash",
        "hash",
    ]
    form_fields = []
    copy_view_enabled = False


class VerifyForm(forms.Form):
    heads = forms.CharField(
        label=gettext_lazy("Published heads (optional)"),
        help_text=gettext_lazy(
            "One NUMBER:HASH per line, from the daily email or a donor report: each must still "
            "be in the chain."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def clean_heads(self):
        try:
            return [Head.parse(line) for line in self.cleaned_data["heads"].splitlines() if line]
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


class AuditVerifyView(WagtailAdminTemplateMixin, FormView):
    template_name = "lms/admin/audit_verify.html"
    form_class = VerifyForm
    page_title = gettext_lazy("Verify the audit trail")
    header_icon = "tick"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("lms.verify_auditevent"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("audit:index"), "label": _("Audit trail")},
            {"url": "", "label": self.page_title},
        ]

    def form_valid(self, form):
        result = verify_chain(heads=form.cleaned_data["heads"])
        return self.render_to_response(self.get_context_data(form=form, result=result))


@hooks.register("register_admin_viewset")
def register_audit_viewset():
    return AuditEventViewSet()


@hooks.register("register_admin_urls")
def audit_urls():
    return [path("audit/verify/", AuditVerifyView.as_view(), name="lms_audit_verify")]


def history_url(*, obj=None, subject: str = "") -> str:
    """The audit trail filtered to one record (``obj``) or one person (``subject``)."""
    base = reverse("audit:index")
    if obj is not None:
        return f"{base}?object_type={obj._meta.label_lower}&object_id={obj.pk}"
    return f"{base}?subject={subject}"


def history_link(**kwargs) -> str:
    return format_html('<a href="{}">{}</a>', history_url(**kwargs), _("Audit trail"))
