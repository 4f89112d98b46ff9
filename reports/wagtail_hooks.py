"""Donor reports in the Wagtail admin: the indicator catalogue (with its targets), who receives
the monthly report, and the figures as reported to donors (read-only; recorded with "Record as
reported to the donor", for holders of ``reports.publish_report``)."""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import HeaderButton
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from reports.models import Indicator, ReportedValue, ReportSubscription
from reports.periods import fiscal_year_of, quarter_of
from reports.publishing import report_publish

PUBLISH = "reports.publish_report"


class ReportedValuePolicy(ModelPermissionPolicy):
    """What was reported is evidence: only recorded by report_publish(), never edited."""

    def user_has_permission(self, user, action):
        return action in ("view", "inspect") and user.has_perm("reports.view_reportedvalue")


register_permission_policy(ReportedValue, ReportedValuePolicy(ReportedValue))


def publish_button(request) -> list:
    if not request.user.has_perm(PUBLISH):
        return []
    return [
        HeaderButton(
            _("Record as reported to the donor"), url=reverse("reports_publish"), icon_name="upload"
        )
    ]


# --- Indicators ------------------------------------------------------------------------------


class IndicatorFilterSet(WagtailFilterSet):
    class Meta:
        model = Indicator
        fields = ["measure", "level", "active"]


class IndicatorIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().prefetch_related("targets")

    @property
    def header_buttons(self):
        return [*super().header_buttons, *publish_button(self.request)]


def _targets(indicator) -> str:
    parts = []
    for target in indicator.targets.all():
        period = f"FY{target.fiscal_year}" + (f" Q{target.quarter}" if target.quarter else "")
        parts.append(f"{period}: {target.value.normalize():f}")
    return "; ".join(parts)


class IndicatorViewSet(ModelViewSet):
    """The catalogue is data: codes and definitions change, a new version keeps the old one."""

    model = Indicator
    icon = "list-ul"
    menu_label = gettext_lazy("Indicators")
    url_prefix = "reports/indicators"
    name = "report_indicators"
    index_view_class = IndicatorIndexView
    filterset_class = IndicatorFilterSet
    search_fields = ["code", "name", "name_en"]
    search_backend_name = None
    list_per_page = 50
    list_display = [
        "code",
        "version",
        Column("name", label=gettext_lazy("Name"), accessor="label"),
        Column("measure", label=gettext_lazy("Measure"), accessor="get_measure_display"),
        Column("level", label=gettext_lazy("Level"), accessor="get_level_display"),
        Column("targets", label=gettext_lazy("Targets"), accessor=_targets),
        BooleanColumn("active", label=gettext_lazy("Reported")),
    ]
    copy_view_enabled = False
    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("code"), FieldPanel("version")]),
                FieldPanel("name"),
                FieldPanel("name_en"),
                FieldPanel("definition"),
                FieldPanel("definition_en"),
                FieldRowPanel([FieldPanel("level"), FieldPanel("unit")]),
                FieldRowPanel([FieldPanel("active"), FieldPanel("sort_order")]),
            ],
            heading=gettext_lazy("Indicator"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("measure"),
                FieldPanel("courses"),
                FieldPanel("min_gender_hours"),
                FieldPanel("modalities"),
                FieldPanel("positions"),
                FieldPanel("institutions"),
            ],
            heading=gettext_lazy("What is counted"),
        ),
        FieldPanel("disaggregations"),
        MultiFieldPanel(
            [FieldPanel("baseline"), FieldPanel("baseline_note")],
            heading=gettext_lazy("Baseline"),
        ),
        InlinePanel("targets", heading=gettext_lazy("Targets"), label=gettext_lazy("Target")),
    ]


# --- Subscriptions ---------------------------------------------------------------------------


class ReportSubscriptionViewSet(ModelViewSet):
    model = ReportSubscription
    icon = "mail"
    menu_label = gettext_lazy("Monthly report recipients")
    url_prefix = "reports/subscriptions"
    name = "report_subscriptions"
    list_display = [
        "name",
        "email",
        Column("language", label=gettext_lazy("Language"), accessor="get_language_display"),
        BooleanColumn("active", label=gettext_lazy("Active")),
        Column("last_sent_month", label=gettext_lazy("Last sent"), accessor="last_sent_month"),
    ]
    form_fields = ["name", "email", "language", "disaggregate_by", "active"]
    copy_view_enabled = False


# --- Reported figures ------------------------------------------------------------------------


class ReportedValueFilterSet(WagtailFilterSet):
    indicator = django_filters.ModelChoiceFilter(queryset=Indicator.objects.all())

    class Meta:
        model = ReportedValue
        fields = ["fiscal_year", "quarter", "indicator"]


class ReportedValueIndexView(generic.IndexView):
    default_ordering = "-reported_at"

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("indicator", "reported_by")

    @property
    def header_buttons(self):
        return [*super().header_buttons, *publish_button(self.request)]


def _period(row) -> str:
    return f"FY{row.fiscal_year}" + (f" Q{row.quarter}" if row.quarter else "")


class ReportedValueViewSet(ModelViewSet):
    model = ReportedValue
    icon = "history"
    menu_label = gettext_lazy("Reported figures")
    url_prefix = "reports/reported"
    name = "reported_values"
    index_view_class = ReportedValueIndexView
    filterset_class = ReportedValueFilterSet
    list_per_page = 100
    list_display = [
        Column("indicator", label=gettext_lazy("Indicator"), accessor="indicator"),
        Column("period", label=gettext_lazy("Period"), accessor=_period),
        Column("value", label=gettext_lazy("Value"), accessor="value"),
        BooleanColumn("suppressed", label=gettext_lazy("Suppressed")),
        DateColumn("reported_at", label=gettext_lazy("Reported at"), sort_key="reported_at"),
        Column("reported_by", label=gettext_lazy("By"), accessor="reported_by"),
    ]
    form_fields = ["value"]  # never offered: the policy makes them read-only
    copy_view_enabled = False


# --- Recording what was reported -------------------------------------------------------------


class PublishForm(forms.Form):
    fiscal_year = forms.IntegerField(
        label=gettext_lazy("Fiscal year"), min_value=2000, max_value=2100
    )
    quarter = forms.TypedChoiceField(
        label=gettext_lazy("Quarter"),
        choices=[("", gettext_lazy("Whole year")), (1, "Q1"), (2, "Q2"), (3, "Q3"), (4, "Q4")],
        coerce=int,
        empty_value=None,
        required=False,
    )


class ReportPublishView(WagtailAdminTemplateMixin, FormView):
    """Records the donor-view figure of every active indicator for a period."""

    template_name = "reports/admin/publish.html"
    form_class = PublishForm
    page_title = gettext_lazy("Record as reported to the donor")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PUBLISH):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        today = timezone.localdate()
        return {"fiscal_year": fiscal_year_of(today), "quarter": quarter_of(today)}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("reported_values:index"), "label": _("Reported figures")},
            {"url": "", "label": self.page_title},
        ]

    def form_valid(self, form):
        fy, quarter = form.cleaned_data["fiscal_year"], form.cleaned_data["quarter"]
        try:
            rows = report_publish(fy=fy, quarter=quarter, actor=self.request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        period = f"FY{fy}" + (f" Q{quarter}" if quarter else "")
        messages.success(
            self.request,
            _("%(n)s figures of %(period)s recorded as reported to the donor.")
            % {"n": len(rows), "period": period},
        )
        return redirect(reverse("reported_values:index") + f"?fiscal_year={fy}")


class ReportsGroup(ModelViewSetGroup):
    menu_label = gettext_lazy("Donor reports")
    menu_icon = "table"
    menu_order = 260
    items = [IndicatorViewSet, ReportedValueViewSet, ReportSubscriptionViewSet]


@hooks.register("register_admin_viewset")
def register_reports():
    return ReportsGroup()


@hooks.register("register_admin_urls")
def reports_urls():
    return [path("reports/publish/", ReportPublishView.as_view(), name="reports_publish")]
