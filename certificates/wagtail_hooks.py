"""Certificates in the Wagtail admin: designs (snippets, with a PDF preview), the certificates issued
(read-only: they change only through the status actions), and each workshop's certificates page."""

import datetime

import django_filters
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button, HeaderButton
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, IndexView, SnippetViewSet, SnippetViewSetGroup

from attendance.admin_links import register_workshop_link
from attendance.models import Workshop
from certificates.admin_views import (
    CertificateActionView,
    CertificatePdfView,
    TemplatePreviewView,
    WorkshopCertificatesView,
    WorkshopZipView,
)
from certificates.models import Certificate, CertificateTemplate
from certificates.selectors import (
    VIEW_PERMISSION,
    certificate_search,
    certificates_for,
    user_can_manage,
)
from courses.models import CoursePage


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Certificates are evidence: looked at here, changed only by the status actions, never
    deleted."""

    def user_has_permission(self, user, action):
        return action in ("view", "inspect") and user.has_perm(self._get_permission_name("view"))


register_permission_policy(Certificate, ReadOnlyPolicy(Certificate))


# --- Designs -----------------------------------------------------------------------------------


def _preview_url(template: CertificateTemplate) -> str:
    return reverse("certificates_template_preview", args=[template.pk])


class TemplateIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        buttons.append(
            Button(
                _("Preview PDF"),
                url=_preview_url(instance),
                icon_name="view",
                priority=5,
                attrs={"target": "_blank", "rel": "noopener"},
            )
        )
        return buttons


class TemplateEditView(EditView):
    @cached_property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            Button(
                _("Preview PDF"),
                url=_preview_url(self.object),
                icon_name="view",
                priority=5,
                attrs={"target": "_blank", "rel": "noopener"},
            ),
        ]


class CertificateTemplateViewSet(SnippetViewSet):
    model = CertificateTemplate
    icon = "image"
    menu_label = _("Designs")
    url_prefix = "certificates/designs"
    index_view_class = TemplateIndexView
    edit_view_class = TemplateEditView
    search_fields = ["name", "title", "issuer_name"]
    search_backend_name = None
    list_filter = ["language", "is_default"]
    list_display = [
        "name",
        Column("language", label=_("Language"), accessor="get_language_display"),
        Column("is_default", label=_("Default"), accessor=lambda t: "✓" if t.is_default else ""),
        Column(
            "courses",
            label=_("Courses"),
            accessor=lambda t: ", ".join(c.code for c in t.courses.all()) or "—",
        ),
        DateColumn("updated_at", label=_("Updated"), sort_key="updated_at"),
    ]

    def get_queryset(self, request):
        return CertificateTemplate.objects.prefetch_related("courses")


# --- Certificates issued -------------------------------------------------------------------------


class CertificateFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Certificate.Status.choices)
    course = django_filters.ModelChoiceFilter(
        label=_("Course"),
        queryset=CoursePage.objects.filter(certificates__isnull=False).distinct().order_by("code"),
    )
    workshop = django_filters.CharFilter(
        label=_("Workshop code"), field_name="workshop_code", lookup_expr="iexact"
    )

    class Meta:
        model = Certificate
        fields = ["status", "course", "workshop"]


class CertificateIndexView(generic.IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .filter(pk__in=certificates_for(self.request.user, own=False).values("pk"))
            .select_related("person")
        )

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return certificate_search(queryset, self.search_query)


class CertificateInspectView(generic.InspectView):
    template_name = "certificates/admin/certificate_inspect.html"

    def get_object(self, queryset=None):
        found = (
            certificates_for(self.request.user, own=False)
            .select_related("person", "course", "template", "issued_by", "replaces")
            .filter(pk=self.pk)
            .first()
        )
        if found is None:
            if Certificate.objects.filter(pk=self.pk).exists():
                raise PermissionDenied
            return super().get_object(queryset)  # 404
        return found

    def get_page_subtitle(self):
        return self.object.display_identifier

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if value is None or value == "":
            return "—"
        if isinstance(value, datetime.datetime):
            # The generic page shows the stored UTC time; people read Lima time.
            return date_format(timezone.localtime(value), "DATETIME_FORMAT")
        return value

    def get_modality_display_value(self):
        modality = self.object.modality
        choices = Workshop.Modality if self.object.registration_id else CoursePage.Modality
        return choices(modality).label if modality in choices.values else modality or "—"

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(
                _("Download PDF"),
                url=reverse("certificates_admin_pdf", args=[self.object.pk]),
                icon_name="download",
            )
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        certificate = self.object
        actions = []
        if user_can_manage(self.request.user):
            actions = [
                {
                    "name": action,
                    "label": CertificateActionView.actions[action][1],
                    "url": reverse("certificates_action", args=[certificate.pk, action]),
                }
                for action in CertificateActionView.available(certificate)
            ]
        context.update(
            certificate=certificate,
            events=certificate.events.select_related("actor"),
            replaced_by=getattr(certificate, "replaced_by", None),
            actions=actions,
            workshop_url=reverse(
                "certificates_workshop", args=[certificate.registration.workshop_id]
            )
            if certificate.registration_id
            else "",
        )
        return context


def _state_is_valid(certificate: Certificate) -> bool:
    return certificate.state == Certificate.State.VALID


class CertificateViewSet(ModelViewSet):
    model = Certificate
    icon = "doc-full"
    menu_label = _("Certificates")
    url_prefix = "certificates/issued"
    # Not "certificates": that namespace is the participants' URLs (certificates.urls).
    name = "issued_certificates"
    index_view_class = CertificateIndexView
    inspect_view_class = CertificateInspectView
    inspect_view_enabled = True
    filterset_class = CertificateFilterSet
    search_fields = ["holder_name", "identifier"]  # searched through certificates.selectors
    list_per_page = 50
    list_display = [
        TitleColumn(
            "identifier",
            label=_("Identifier"),
            accessor="display_identifier",
            get_url=lambda c: reverse("issued_certificates:inspect", args=[c.pk]),
        ),
        Column("holder_name", label=_("Holder"), accessor="holder_name", sort_key="holder_name"),
        Column("course_title", label=_("Course"), accessor="course_title"),
        Column(
            "workshop_code", label=_("Workshop"), accessor="workshop_code", sort_key="workshop_code"
        ),
        DateColumn("issued_at", label=_("Issued"), sort_key="issued_at"),
        StatusTagColumn(
            "state", label=_("State"), accessor="get_state_display", primary=_state_is_valid
        ),
    ]
    inspect_view_fields = [
        "holder_name",
        "person",
        "course_title",
        "contact_hours",
        "workshop_code",
        "region_name",
        "modality",
        "started_on",
        "completed_on",
        "valid_until",
        "language",
        "template",
        "issuer_name",
        "issued_at",
        "issued_by",
        "issue_reason",
        "verification_count",
        "last_verified_at",
    ]
    form_fields = ["status_note"]  # never offered: the policy makes certificates read-only
    copy_view_enabled = False


class CertificatesGroup(SnippetViewSetGroup):
    menu_label = _("Certificates")
    menu_icon = "doc-full-inverse"
    menu_order = 240
    items = [CertificateViewSet, CertificateTemplateViewSet]


register_snippet(CertificatesGroup)


@hooks.register("register_admin_urls")
def certificates_urls():
    return [
        path(
            "certificates/issued/<int:pk>/pdf/",
            CertificatePdfView.as_view(),
            name="certificates_admin_pdf",
        ),
        path(
            "certificates/issued/<int:pk>/<str:action>/",
            CertificateActionView.as_view(),
            name="certificates_action",
        ),
        path(
            "certificates/designs/<int:pk>/preview.pdf",
            TemplatePreviewView.as_view(),
            name="certificates_template_preview",
        ),
        path(
            "workshops/<int:pk>/certificates/",
            WorkshopCertificatesView.as_view(),
            name="certificates_workshop",
        ),
        path(
            "workshops/<int:pk>/certificates/zip/",
            WorkshopZipView.as_view(),
            name="certificates_workshop_zip",
        ),
    ]


def _certificates_link(request, workshop):
    if not request.user.has_perm(VIEW_PERMISSION):
        return None
    return MenuItem(
        _("Certificates"),
        url=reverse("certificates_workshop", args=[workshop.pk]),
        icon_name="doc-full-inverse",
        priority=8,
    )


register_workshop_link(_certificates_link)
