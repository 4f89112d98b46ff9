"""Workshops in the Wagtail admin: workshops, sessions and their rosters, registrations,
attendance and corrections. Trainers only reach the workshops they train (selectors)."""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import (
    BooleanColumn,
    Column,
    DateColumn,
    StatusTagColumn,
    TitleColumn,
)
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import HeaderButton
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from attendance.admin_links import workshop_links
from attendance.admin_views import RegistrationActionView, RosterView
from attendance.forms import SessionForm, WorkshopForm
from attendance.models import (
    AttendanceCorrection,
    AttendanceRecord,
    AttendanceStatus,
    Registration,
    Session,
    Workshop,
)
from attendance.registration_admin import RegistrationAddView, RegistrationImportView
from attendance.scanner_views import BadgeView, ScanMarkView, ScanView, WalkInView
from attendance.selectors import workshops_for
from attendance.services import workshop_planning_check
from lms.models import Region


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Evidence (attendance, corrections) and registrations change only through the services."""

    def user_has_permission(self, user, action):
        return action in ("view", "inspect") and user.has_perm(self._get_permission_name("view"))


register_permission_policy(Registration, ReadOnlyPolicy(Registration))
register_permission_policy(AttendanceRecord, ReadOnlyPolicy(AttendanceRecord))
register_permission_policy(AttendanceCorrection, ReadOnlyPolicy(AttendanceCorrection))


# --- Scoping to the user's workshops -------------------------------------------------------


class WorkshopScopedFilterSet(WagtailFilterSet):
    """A "workshop" filter that only offers the workshops the user may see."""

    workshop_lookup = "workshop"

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None and "workshop" in self.filters:
            self.filters["workshop"].queryset = workshops_for(request.user).order_by("code")


def scoped_to_user(queryset, request, lookup: str):
    """Rows whose workshop (reached through ``lookup``) the user may see."""
    return queryset.filter(**{f"{lookup}__in": workshops_for(request.user).values("pk")})


class ScopedObjectMixin:
    """A view of one object that refuses objects of workshops the user does not reach: model
    permissions say what a role may do, this says to which workshops."""

    workshop_lookup = "workshop"

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not scoped_to_user(
            self.model.objects.filter(pk=obj.pk), self.request, self.workshop_lookup
        ).exists():
            raise PermissionDenied
        return obj


class ScopedInspectView(ScopedObjectMixin, generic.InspectView):
    pass


def scoped(view_class, workshop_lookup: str):
    """``view_class`` limited to the user's workshops (see ScopedObjectMixin)."""
    return type(
        f"Scoped{view_class.__name__}",
        (ScopedObjectMixin, view_class),
        {"workshop_lookup": workshop_lookup},
    )


# --- Workshops -----------------------------------------------------------------------------


class WorkshopFilterSet(WagtailFilterSet):
    department = django_filters.ModelChoiceFilter(
        label=_("Department"),
        queryset=Region.objects.filter(level=Region.Level.DEPARTMENT),
        method="filter_department",
    )

    class Meta:
        model = Workshop
        fields = ["status", "modality"]

    def filter_department(self, queryset, name, value):
        return queryset.filter(region__code__startswith=value.code)


class WorkshopIndexView(generic.IndexView):
    def get_base_queryset(self):
        return (
            scoped_to_user(super().get_base_queryset(), self.request, "pk")
            .annotate(
                confirmed_count=Count(
                    "registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)
                ),
                waitlist_count=Count(
                    "registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)
                ),
            )
            .select_related("course", "region")
        )

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        buttons += [
            MenuItem(
                _("Sessions and rosters"),
                url=reverse("workshop_sessions:index") + f"?workshop={instance.pk}",
                icon_name="date",
                priority=5,
            ),
            MenuItem(
                _("Registrations"),
                url=reverse("workshop_registrations:index") + f"?workshop={instance.pk}",
                icon_name="group",
                priority=6,
            ),
        ]
        buttons += workshop_links(self.request, instance)
        if self.request.user.has_perm("attendance.add_registration"):
            buttons.append(
                MenuItem(
                    _("Register a person"),
                    url=reverse("attendance_registration_add") + f"?workshop={instance.pk}",
                    icon_name="user",
                    priority=7,
                )
            )
        return buttons


class WorkshopInspectView(ScopedInspectView):
    workshop_lookup = "pk"


class WorkshopViewSet(ModelViewSet):
    model = Workshop
    icon = "calendar"
    menu_label = _("Workshops")
    url_prefix = "workshops"
    name = "workshops"
    index_view_class = WorkshopIndexView
    inspect_view_class = WorkshopInspectView
    # Trainers add and change workshops too: only those they train (the form keeps them in).
    edit_view_class = scoped(generic.EditView, "pk")
    delete_view_class = scoped(generic.DeleteView, "pk")
    history_view_class = scoped(generic.HistoryView, "pk")
    usage_view_class = scoped(generic.UsageView, "pk")
    inspect_view_enabled = True
    filterset_class = WorkshopFilterSet
    search_fields = ["code"]
    list_per_page = 50
    list_display = [
        "code",
        Column("title", label=_("Title"), accessor="display_title"),
        "region",
        Column("modality", label=_("Modality"), accessor="get_modality_display"),
        StatusTagColumn(
            "status",
            label=_("Status"),
            accessor="get_status_display",
            primary=lambda w: w.status == Workshop.Status.OPEN,
        ),
        Column("capacity", label=_("Capacity"), accessor="capacity"),
        Column(
            "confirmed_count",
            label=_("Confirmed"),
            accessor="confirmed_count",
            sort_key="confirmed_count",
        ),
        Column(
            "waitlist_count",
            label=_("Waitlist"),
            accessor="waitlist_count",
            sort_key="waitlist_count",
        ),
    ]
    inspect_view_fields = [
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
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return WorkshopForm


# --- Sessions ------------------------------------------------------------------------------


class SessionFilterSet(WorkshopScopedFilterSet):
    class Meta:
        model = Session
        fields = ["workshop"]


def when(value) -> str:
    # Sessions are mostly in the future: an absolute date reads better than "in 3 days".
    return date_format(timezone.localtime(value), "DATETIME_FORMAT")


class SessionIndexView(generic.IndexView):
    default_ordering = "starts_at"

    def get_base_queryset(self):
        return (
            scoped_to_user(super().get_base_queryset(), self.request, "workshop")
            .select_related("workshop__course")
            .annotate(marked_count=Count("attendance"))
        )


class SessionDeleteView(generic.DeleteView):
    def form_valid(self, form):
        try:
            workshop_planning_check(
                user=self.request.user, workshop=self.object.workshop, sessions_change=True
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(self.request, message)
            return redirect(self.get_success_url())
        return super().form_valid(form)


class SessionViewSet(ModelViewSet):
    model = Session
    icon = "date"
    menu_label = _("Sessions")
    url_prefix = "workshops/sessions"
    name = "workshop_sessions"
    index_view_class = SessionIndexView
    edit_view_class = scoped(generic.EditView, "workshop")
    delete_view_class = scoped(SessionDeleteView, "workshop")
    history_view_class = scoped(generic.HistoryView, "workshop")
    usage_view_class = scoped(generic.UsageView, "workshop")
    filterset_class = SessionFilterSet
    list_per_page = 50
    list_display = [
        "__str__",
        "number",
        Column(
            "starts_at",
            label=_("Starts"),
            accessor=lambda s: when(s.starts_at),
            sort_key="starts_at",
        ),
        Column("ends_at", label=_("Ends"), accessor=lambda s: when(s.ends_at), sort_key="ends_at"),
        Column("marked_count", label=_("Marked"), accessor="marked_count"),
        TitleColumn(
            "roster",
            label=_("Attendance"),
            accessor=lambda s: _("Open roster"),
            get_url=lambda s: reverse("attendance_roster", args=[s.pk]),
        ),
    ]
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return SessionForm


# --- Registrations -------------------------------------------------------------------------


class RegistrationFilterSet(WorkshopScopedFilterSet):
    class Meta:
        model = Registration
        fields = ["workshop", "status", "source"]


class RegistrationIndexView(generic.IndexView):
    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm("attendance.add_registration"):
            buttons.append(
                HeaderButton(
                    _("Register a person"),
                    url=reverse("attendance_registration_add"),
                    icon_name="user",
                )
            )
            buttons.append(
                HeaderButton(
                    _("Register people from a file"),
                    url=reverse("attendance_registration_import"),
                    icon_name="upload",
                )
            )
        return buttons

    def get_base_queryset(self):
        return scoped_to_user(super().get_base_queryset(), self.request, "workshop").select_related(
            "person", "workshop__course"
        )

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if not self.request.user.has_perm("attendance.change_registration"):
            return buttons

        def action(name, label, icon, priority):
            return MenuItem(
                label,
                url=reverse("attendance_registration_action", args=[instance.pk, name]),
                icon_name=icon,
                priority=priority,
            )

        if instance.status == Registration.Status.PENDING:
            buttons.append(action("approve", _("Approve"), "check", 1))
            buttons.append(action("reject", _("Reject"), "cross", 2))
        if instance.status in (
            Registration.Status.PENDING,
            Registration.Status.CONFIRMED,
            Registration.Status.WAITLISTED,
        ):
            buttons.append(action("cancel", _("Cancel registration"), "bin", 40))
        return buttons


class RegistrationInspectView(ScopedInspectView):
    pass


class RegistrationViewSet(ModelViewSet):
    model = Registration
    icon = "group"
    menu_label = _("Registrations")
    url_prefix = "workshops/registrations"
    name = "workshop_registrations"
    index_view_class = RegistrationIndexView
    inspect_view_class = RegistrationInspectView
    inspect_view_enabled = True
    filterset_class = RegistrationFilterSet
    search_fields = ["person__family_names", "person__document_number", "code"]
    list_per_page = 50
    list_display = [
        "person",
        Column("workshop", label=_("Workshop"), accessor="workshop.code"),
        StatusTagColumn(
            "status",
            label=_("Status"),
            accessor="get_status_display",
            primary=lambda r: r.status == Registration.Status.CONFIRMED,
        ),
        Column("source", label=_("How"), accessor="get_source_display"),
        Column("code", label=_("Personal code"), accessor="code"),
        DateColumn("created_at", label=_("Registered"), sort_key="created_at"),
        DateColumn("waitlisted_at", label=_("Waitlisted at"), sort_key="waitlisted_at"),
    ]
    inspect_view_fields = [
        "person",
        "workshop",
        "status",
        "source",
        "code",
        "waitlisted_at",
        "registered_by",
        "needs_review",
        "created_at",
        "updated_at",
    ]
    form_fields = ["needs_review"]  # never offered: the policy makes registrations read-only
    copy_view_enabled = False


# --- Attendance records and corrections ----------------------------------------------------


class AttendanceFilterSet(WorkshopScopedFilterSet):
    workshop = django_filters.ModelChoiceFilter(
        label=_("Workshop"), field_name="session__workshop", queryset=Workshop.objects.none()
    )

    class Meta:
        model = AttendanceRecord
        fields = ["status", "method"]


class AttendanceIndexView(generic.IndexView):
    def get_base_queryset(self):
        return scoped_to_user(
            super().get_base_queryset(), self.request, "session__workshop"
        ).select_related("person", "session__workshop", "recorded_by")


class AttendanceViewSet(ModelViewSet):
    model = AttendanceRecord
    icon = "tick-inverse"
    menu_label = _("Attendance")
    url_prefix = "workshops/attendance"
    name = "attendance_records"
    index_view_class = AttendanceIndexView
    filterset_class = AttendanceFilterSet
    search_fields = ["person__family_names", "person__document_number"]
    list_per_page = 100
    list_display = [
        "person",
        Column("session", label=_("Session"), accessor="session"),
        Column("status", label=_("Status"), accessor="status"),
        Column("method", label=_("How"), accessor="get_method_display"),
        Column("recorded_by", label=_("Recorded by"), accessor="recorded_by"),
        DateColumn("recorded_at", label=_("Recorded at"), sort_key="recorded_at"),
    ]
    form_fields = ["status"]  # never offered: the policy makes attendance read-only here
    copy_view_enabled = False


def status_label(value: str) -> str:
    mark = AttendanceStatus.objects.filter(code=value).first() if value else None
    return mark.label if mark else (value or "—")


class CorrectionFilterSet(WorkshopScopedFilterSet):
    workshop = django_filters.ModelChoiceFilter(
        label=_("Workshop"),
        field_name="record__session__workshop",
        queryset=Workshop.objects.none(),
    )

    class Meta:
        model = AttendanceCorrection
        fields = []


class CorrectionIndexView(generic.IndexView):
    def get_base_queryset(self):
        return scoped_to_user(
            super().get_base_queryset(), self.request, "record__session__workshop"
        ).select_related("record__person", "record__session__workshop", "corrected_by")


class CorrectionViewSet(ModelViewSet):
    model = AttendanceCorrection
    icon = "history"
    menu_label = _("Attendance corrections")
    url_prefix = "workshops/corrections"
    name = "attendance_corrections"
    index_view_class = CorrectionIndexView
    filterset_class = CorrectionFilterSet
    list_per_page = 100
    list_display = [
        "record",
        Column("old_status", label=_("Before"), accessor=lambda c: status_label(c.old_status)),
        Column("new_status", label=_("After"), accessor=lambda c: status_label(c.new_status)),
        Column("reason", label=_("Reason"), accessor="reason"),
        Column("corrected_by", label=_("By"), accessor="corrected_by"),
        DateColumn("corrected_at", label=_("When"), sort_key="corrected_at"),
    ]
    form_fields = ["reason"]  # never offered: the policy makes corrections read-only
    copy_view_enabled = False


class AttendanceStatusViewSet(ModelViewSet):
    """The program's attendance marks: names, order, which are offered, what each counts as."""

    model = AttendanceStatus
    icon = "tasks"
    menu_label = _("Attendance marks")
    url_prefix = "workshops/marks"
    name = "attendance_marks"
    list_display = [
        "code",
        Column("label", label=_("Name"), accessor="label"),
        Column("counts_as", label=_("Counts as"), accessor="get_counts_as_display"),
        BooleanColumn("active", label=_("Offered")),
        "sort_order",
    ]
    form_fields = ["code", "name", "name_en", "counts_as", "active", "sort_order"]
    copy_view_enabled = False


class WorkshopsGroup(ModelViewSetGroup):
    menu_label = _("Workshops")
    menu_icon = "calendar"
    menu_order = 220
    items = [
        WorkshopViewSet,
        SessionViewSet,
        RegistrationViewSet,
        AttendanceViewSet,
        CorrectionViewSet,
        AttendanceStatusViewSet,
    ]


@hooks.register("register_admin_viewset")
def register_workshops():
    return WorkshopsGroup()


@hooks.register("register_admin_urls")
def workshops_urls():
    return [
        path(
            "workshops/sessions/<int:session_id>/roster/",
            RosterView.as_view(),
            name="attendance_roster",
        ),
        path(
            "workshops/registrations/<int:pk>/<str:action>/",
            RegistrationActionView.as_view(),
            name="attendance_registration_action",
        ),
    ]


@hooks.register("register_admin_urls")
def scanner_urls():
    return [
        path(
            "workshops/sessions/<int:session_id>/scan/", ScanView.as_view(), name="attendance_scan"
        ),
        path(
            "workshops/sessions/<int:session_id>/scan/mark/",
            ScanMarkView.as_view(),
            name="attendance_scan_mark",
        ),
        path(
            "workshops/sessions/<int:session_id>/walk-in/",
            WalkInView.as_view(),
            name="attendance_walk_in",
        ),
        path(
            "workshops/registrations/<int:pk>/badge.pdf",
            BadgeView.as_view(),
            name="attendance_badge",
        ),
    ]


@hooks.register("register_admin_urls")
def registration_import_urls():
    return [
        path(
            "workshops/registrations/import/",
            RegistrationImportView.as_view(),
            name="attendance_registration_import",
        ),
        path(
            "workshops/registrations/add-person/",
            RegistrationAddView.as_view(),
            name="attendance_registration_add",
        ),
    ]
