"""Admin screens for personal data: processing requests, anonymising a person.

Permissions reuse the registry's: whoever may change people processes requests
(``lms.change_person``); anonymising is the erasure equivalent of deleting a person and needs
``lms.delete_person`` (program administrators).
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from lms.models import DataRequest, Person
from lms.privacy import REGISTRY
from lms.privacy_forms import AnonymiseForm, DataRequestForm, DataRequestProcessForm
from lms.services.privacy import (
    anonymisation_refusal,
    data_request_submit,
    data_request_update,
    person_anonymise,
)

PROCESS_PERMISSION = "lms.change_person"
ANONYMISE_PERMISSION = "lms.delete_person"


class DataRequestPolicy(ModelPermissionPolicy):
    """Requests are made by participants and moved on by the process view, never edited."""

    def user_has_permission(self, user, action):
        return action in ("view", "inspect") and user.has_perm(PROCESS_PERMISSION)


register_permission_policy(DataRequest, DataRequestPolicy(DataRequest))


class DataRequestIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("person")

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if instance.is_open and self.request.user.has_perm(PROCESS_PERMISSION):
            buttons.append(
                MenuItem(
                    _("Process"),
                    url=reverse("lms_data_request_process", args=[instance.pk]),
                    icon_name="tasks",
                    priority=5,
                )
            )
        return buttons


class DataRequestViewSet(ModelViewSet):
    model = DataRequest
    icon = "lock"
    menu_label = gettext_lazy("Personal-data requests")
    url_prefix = "registry/data-requests"
    name = "data_requests"
    index_view_class = DataRequestIndexView
    list_display = [
        "kind",
        StatusTagColumn(
            "status",
            label=gettext_lazy("Status"),
            accessor="get_status_display",
            primary=lambda r: r.is_open,
        ),
        Column("person", label=gettext_lazy("Person"), accessor="person"),
        DateColumn("received_at", label=gettext_lazy("Received"), sort_key="received_at"),
        DateColumn("due_on", label=gettext_lazy("Answer due by"), sort_key="due_on"),
        Column(
            "overdue",
            label=gettext_lazy("Overdue"),
            accessor=lambda r: _("Yes") if r.is_overdue else "",
        ),
    ]
    list_filter = ["status", "kind"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "person",
        "kind",
        "field",
        "correct_value",
        "details",
        "channel",
        "language",
        "status",
        "response",
        "received_at",
        "due_on",
        "closed_at",
        "handled_by",
    ]
    form_fields = ["response"]
    copy_view_enabled = False


class _AdminFormView(WagtailAdminTemplateMixin, FormView):
    permission_required = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission_required):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class DataRequestProcessView(_AdminFormView):
    """Move a request on: in progress, done (a cancellation anonymises), refused with a reason."""

    permission_required = PROCESS_PERMISSION
    template_name = "privacy/admin/request_process.html"
    form_class = DataRequestProcessForm
    page_title = gettext_lazy("Process a personal-data request")
    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        self.data_request = get_object_or_404(
            DataRequest.objects.select_related("person"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("data_requests:index"), "label": _("Personal-data requests")},
            {"url": "", "label": self.page_title},
        ]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.data_request}

    def get_context_data(self, **kwargs):
        person = self.data_request.person
        return {
            **super().get_context_data(**kwargs),
            "data_request": self.data_request,
            "person": person,
            "person_url": reverse("participants:edit", args=[person.pk]),
        }

    def form_valid(self, form):
        try:
            data_request_update(
                request=self.data_request,
                status=form.cleaned_data["status"],
                actor=self.request.user,
                response=form.cleaned_data["response"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Request updated; the participant was notified."))
        return redirect("data_requests:index")


class _PersonFormView(_AdminFormView):
    """An admin form about one participant (``public_id`` in the URL), under *Participants*."""

    def dispatch(self, request, *args, **kwargs):
        self.person = get_object_or_404(Person, public_id=kwargs["public_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("participants:index"), "label": _("Participants")},
            {"url": "", "label": self.page_title},
        ]


class AnonymisePersonView(_PersonFormView):
    """Confirm, with a reason, then erase a person's data (lms.services.privacy)."""

    permission_required = ANONYMISE_PERMISSION
    template_name = "privacy/admin/anonymise.html"
    form_class = AnonymiseForm
    page_title = gettext_lazy("Anonymise a participant")
    header_icon = "warning"

    def get_context_data(self, **kwargs):
        rows = []
        for rule in REGISTRY.values():
            if rule.person and rule.label != "lms.Person":
                count = rule.rows_of(self.person).count()
                if count:
                    rows.append((rule.model._meta.verbose_name_plural, count))
        return {
            **super().get_context_data(**kwargs),
            "person": self.person,
            "refusal": anonymisation_refusal(self.person, actor=self.request.user),
            "rows": rows,
        }

    def form_valid(self, form):
        try:
            person_anonymise(
                self.person, actor=self.request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The participant's personal data was erased."))
        return redirect("participants:index")


class DataRequestRecordView(_PersonFormView):
    """A request that arrived by letter, email or in person, recorded by staff for the person."""

    permission_required = PROCESS_PERMISSION
    template_name = "privacy/admin/request_record.html"
    form_class = DataRequestForm
    page_title = gettext_lazy("Record a personal-data request")
    header_icon = "lock"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "person": self.person}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            data_request_submit(
                person=self.person,
                kind=data["kind"],
                field=data["field"],
                correct_value=data["correct_value"],
                details=data["details"],
                channel=DataRequest.Channel.STAFF,
                actor=self.request.user,
                language=settings.LANGUAGE_CODE,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Request recorded; the deadline runs from today."))
        return redirect("data_requests:index")


def privacy_menu_items(user, person: Person) -> list[MenuItem]:
    """The participants list's privacy actions, for those who may use them."""
    if person.anonymised_at is not None:
        return []
    items = []
    if user.has_perm(PROCESS_PERMISSION):
        items.append(
            MenuItem(
                _("Record a personal-data request"),
                url=reverse("lms_data_request_record", args=[person.public_id]),
                icon_name="lock",
                priority=39,
            )
        )
    if user.has_perm(ANONYMISE_PERMISSION):
        items.append(
            MenuItem(
                _("Anonymise (erase personal data)"),
                url=reverse("lms_anonymise_participant", args=[person.public_id]),
                icon_name="warning",
                priority=40,
            )
        )
    return items
