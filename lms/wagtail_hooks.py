"""The registry in the Wagtail admin: people, code lists, merges, jobs; thin views over services."""

import django_filters
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from laces.components import Component
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import HeaderButton
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from lms import audit_admin  # the audit trail's admin views and hooks
from lms.admin_views import (
    ImportParticipantsView,
    InviteParticipantView,
    MergeParticipantView,
    SelfIdentificationView,
)
from lms.exports import SafeExportMixin
from lms.models import (
    PERSON_FIELDS,
    ConsentText,
    Institution,
    Job,
    MergeLog,
    Person,
    Position,
    Region,
)
from lms.privacy_admin import (
    AnonymisePersonView,
    DataRequestProcessView,
    DataRequestRecordView,
    DataRequestViewSet,
    privacy_menu_items,
)
from lms.selectors.people import person_search, registry_summary


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Records that are evidence (job runs, merge logs) can be looked at, never edited here."""

    def user_has_permission(self, user, action):
        return action in ("view", "inspect") and user.has_perm(self._get_permission_name("view"))


register_permission_policy(Job, ReadOnlyPolicy(Job))
register_permission_policy(MergeLog, ReadOnlyPolicy(MergeLog))


class PersonFilterSet(WagtailFilterSet):
    department = django_filters.ModelChoiceFilter(
        label=_("Department"),
        queryset=Region.objects.filter(level=Region.Level.DEPARTMENT),
        method="filter_department",
    )

    class Meta:
        model = Person
        fields = ["institution", "position", "sex", "document_type"]

    def filter_department(self, queryset, name, value):
        return queryset.filter(region__code__startswith=value.code)


class PersonIndexView(SafeExportMixin, generic.IndexView):
    def get_base_queryset(self):
        return (
            super().get_base_queryset().select_related("institution", "position", "region__parent")
        )

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return person_search(queryset=queryset, query=self.search_query)

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm("lms.import_person"):
            buttons.append(
                HeaderButton(
                    _("Import"), url=reverse("lms_import_participants"), icon_name="upload"
                )
            )
        return buttons

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if self.request.user.has_perm("lms.merge_person"):
            buttons.append(
                MenuItem(
                    _("Merge a duplicate into this record"),
                    url=reverse("lms_merge_participant", args=[instance.public_id]),
                    icon_name="resubmit",
                    priority=25,
                )
            )
        if self.request.user.has_perm("lms.change_person") and instance.email:
            buttons.append(
                MenuItem(
                    _("Invite to the learning platform"),
                    url=reverse("lms_invite_participant", args=[instance.public_id]),
                    icon_name="mail",
                    priority=27,
                )
            )
        if self.request.user.has_perm("lms.view_auditevent"):
            buttons.append(
                MenuItem(
                    _("Audit trail"),
                    url=audit_admin.history_url(subject=f"person:{instance.pk}"),
                    icon_name="history",
                    priority=28,
                )
            )
        if self.request.user.has_perm("lms.view_sensitive_data"):
            buttons.append(
                MenuItem(
                    _("Self-identification (sensitive)"),
                    url=reverse("lms_self_identification", args=[instance.public_id]),
                    icon_name="lock",
                    priority=26,
                )
            )
        buttons += privacy_menu_items(self.request.user, instance)
        return buttons


class PersonViewSet(ModelViewSet):
    model = Person
    icon = "user"
    menu_label = _("Participants")
    url_prefix = "registry/participants"
    name = "participants"
    index_view_class = PersonIndexView
    list_per_page = 50
    search_fields = ["search_text"]  # the index view searches through lms.selectors
    filterset_class = PersonFilterSet
    list_display = [
        "family_names",
        "given_names",
        Column("document_number", label=_("Document"), accessor="document_number"),
        "institution",
        "position",
        Column("region", label=_("Region"), accessor="region"),
        DateColumn("updated_at", label=_("Updated"), sort_key="updated_at"),
    ]
    list_export = [*PERSON_FIELDS, "created_at", "updated_at"]
    export_filename = "participantes"
    form_fields = list(PERSON_FIELDS)
    inspect_view_enabled = True
    inspect_view_fields = [*PERSON_FIELDS, "public_id", "user", "created_at", "updated_at"]
    copy_view_enabled = False


class InstitutionViewSet(ModelViewSet):
    model = Institution
    icon = "site"
    menu_label = _("Institutions")
    url_prefix = "registry/institutions"
    name = "institutions"
    list_display = ["name", "short_name", "code", "is_active"]
    search_fields = ["name", "name_en", "short_name", "code", "aliases"]
    form_fields = ["code", "name", "name_en", "short_name", "aliases", "is_active", "sort_order"]
    copy_view_enabled = False


class PositionViewSet(ModelViewSet):
    model = Position
    icon = "tag"
    menu_label = _("Positions")
    url_prefix = "registry/positions"
    name = "positions"
    list_display = ["name", "name_en", "code", "is_active"]
    search_fields = ["name", "name_en", "code", "aliases"]
    form_fields = ["code", "name", "name_en", "aliases", "is_active", "sort_order"]
    copy_view_enabled = False


class RegionViewSet(ModelViewSet):
    model = Region
    icon = "globe"
    menu_label = _("Regions (ubigeo)")
    url_prefix = "registry/regions"
    name = "regions"
    list_display = ["code", "name", "level", "iso_code", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name", "iso_code"]
    form_fields = ["code", "level", "name", "iso_code", "parent"]
    list_per_page = 50
    copy_view_enabled = False


class MergeLogViewSet(ModelViewSet):
    model = MergeLog
    icon = "history"
    menu_label = _("Merge log")
    url_prefix = "registry/merges"
    name = "merges"
    list_display = ["__str__", "actor", "reason", "created_at"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "kept",
        "duplicate_snapshot",
        "moved",
        "filled_fields",
        "reason",
        "actor",
        "created_at",
    ]
    form_fields = ["reason"]
    copy_view_enabled = False


class ConsentTextViewSet(ModelViewSet):
    model = ConsentText
    icon = "doc-full"
    menu_label = _("Consent texts")
    url_prefix = "registry/consent-texts"
    name = "consent_texts"
    list_display = ["purpose", "version", "language", "published_at"]
    form_fields = ["purpose", "version", "language", "text"]
    copy_view_enabled = False


class JobInspectView(generic.InspectView):
    template_name = "lms/admin/job_inspect.html"


class JobViewSet(ModelViewSet):
    model = Job
    icon = "cogs"
    menu_label = _("Background jobs")
    url_prefix = "jobs"
    name = "jobs"
    list_display = [
        "__str__",
        StatusTagColumn(
            "status",
            label=_("Status"),
            accessor="get_status_display",
            primary=lambda j: j.status == "succeeded",
        ),
        Column(
            "progress",
            label=_("Progress"),
            accessor=lambda j: f"{j.done} / {j.total} ({j.percent} %)",
        ),
        "created_by",
        "created_at",
    ]
    list_filter = ["status", "name"]
    inspect_view_enabled = True
    inspect_view_class = JobInspectView
    form_fields = ["label"]
    copy_view_enabled = False


class RegistryGroup(ModelViewSetGroup):
    menu_label = _("Registry")
    menu_icon = "group"
    menu_order = 200
    items = [
        PersonViewSet,
        InstitutionViewSet,
        PositionViewSet,
        RegionViewSet,
        ConsentTextViewSet,
        MergeLogViewSet,
        JobViewSet,
        DataRequestViewSet,
    ]


@hooks.register("register_admin_viewset")
def register_registry():
    return RegistryGroup()


@hooks.register("register_admin_urls")
def registry_urls():
    return [
        path(
            "registry/participants/anonymise/<uuid:public_id>/",
            AnonymisePersonView.as_view(),
            name="lms_anonymise_participant",
        ),
        path(
            "registry/participants/data-request/<uuid:public_id>/",
            DataRequestRecordView.as_view(),
            name="lms_data_request_record",
        ),
        path(
            "registry/data-requests/<int:pk>/process/",
            DataRequestProcessView.as_view(),
            name="lms_data_request_process",
        ),
        path(
            "registry/participants/import/",
            ImportParticipantsView.as_view(),
            name="lms_import_participants",
        ),
        path(
            "registry/participants/invite/<uuid:public_id>/",
            InviteParticipantView.as_view(),
            name="lms_invite_participant",
        ),
        path(
            "registry/participants/self-identification/<uuid:public_id>/",
            SelfIdentificationView.as_view(),
            name="lms_self_identification",
        ),
        path(
            "registry/participants/merge/<uuid:public_id>/",
            MergeParticipantView.as_view(),
            name="lms_merge_participant",
        ),
    ]


class RegistrySummaryPanel(Component):
    """Dashboard panel: how big the registry is and what the last jobs did."""

    name = "registry_summary"
    order = 50
    template_name = "lms/admin/registry_summary_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        return {
            **registry_summary(),
            "jobs": Job.objects.select_related("created_by")[:5],
            "participants_url": reverse("participants:index"),
        }


@hooks.register("construct_homepage_panels")
def add_registry_panel(request, panels):
    if request.user.has_perm("lms.view_person"):
        panels.append(RegistrySummaryPanel(request.user))
