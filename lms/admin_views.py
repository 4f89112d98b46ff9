"""Wagtail admin screens beyond CRUD: participant import and merging two records."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from lms.forms import ImportForm, MergeForm, SelfIdentificationForm
from lms.models import PERSON_FIELDS, Consent, Person, SelfIdentification
from lms.models.people import WG_DOMAINS
from lms.selectors.people import person_search
from lms.services.accounts import participant_invite
from lms.services.imports import participants_import_start
from lms.services.merge import merge_preview, person_merge
from lms.services.people import consent_record, consent_withdraw, self_identification_record


class PermissionRequiredMixin:
    permission_required = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission_required):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ImportParticipantsView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    permission_required = "lms.import_person"
    template_name = "lms/admin/import_participants.html"
    form_class = ImportForm
    page_title = gettext_lazy("Import participants")
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("participants:index"), "label": _("Participants")},
            {"url": "", "label": self.page_title},
        ]

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        job = participants_import_start(
            data=upload.read(),
            filename=upload.name,
            dry_run=form.cleaned_data["dry_run"],
            user=self.request.user,
        )
        return self.render_to_response(self.get_context_data(form=form, job=job))


class MergeParticipantView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    permission_required = "lms.merge_person"
    template_name = "lms/admin/merge_participant.html"
    form_class = MergeForm
    page_title = gettext_lazy("Merge duplicate records")
    header_icon = "resubmit"

    def dispatch(self, request, *args, **kwargs):
        self.kept = get_object_or_404(
            Person.objects.select_related("institution", "position", "region"),
            public_id=kwargs["public_id"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("participants:index"), "label": _("Participants")},
            {
                "url": reverse("participants:edit", args=[self.kept.pk]),
                "label": self.kept.full_name,
            },
            {"url": "", "label": self.page_title},
        ]

    def get_duplicate(self):
        public_id = self.request.POST.get("duplicate") or self.request.GET.get("duplicate")
        if not public_id:
            return None
        try:
            return (
                Person.objects.select_related("institution", "position", "region")
                .exclude(pk=self.kept.pk)
                .filter(public_id=public_id)
                .first()
            )
        except ValidationError:
            return None

    def get_initial(self):
        duplicate = self.get_duplicate()
        return {"duplicate": duplicate.public_id} if duplicate else {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()
        duplicate = self.get_duplicate()
        context.update(
            kept=self.kept,
            duplicate=duplicate,
            query=query,
            candidates=person_search(query=query).exclude(pk=self.kept.pk)[:20]
            if query and not duplicate
            else [],
            preview=merge_preview(kept=self.kept, duplicate=duplicate) if duplicate else {},
            comparison=_compare(self.kept, duplicate) if duplicate else [],
        )
        return context

    def form_valid(self, form):
        try:
            log = person_merge(
                kept=self.kept,
                duplicate=form.cleaned_data["duplicate"],
                actor=self.request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        moved = sum(log.moved.values())
        messages.success(
            self.request,
            _("Merged: %(n)s related record(s) moved to %(name)s.")
            % {"n": moved, "name": self.kept.full_name},
        )
        return redirect("participants:edit", self.kept.pk)


COMPARED_FIELDS = (*PERSON_FIELDS, "user")


def _display(person: Person, name: str) -> str:
    field = Person._meta.get_field(name)
    if field.choices:
        return getattr(person, f"get_{name}_display")()
    value = getattr(person, name)
    return "" if value is None else str(value)


def _compare(kept: Person, duplicate: Person) -> list[tuple[str, str, str]]:
    return [
        (Person._meta.get_field(name).verbose_name, _display(kept, name), _display(duplicate, name))
        for name in COMPARED_FIELDS
    ]


class SelfIdentificationView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    """Record consent and the sensitive answers it covers; withdraw a consent (erases data)."""

    permission_required = "lms.view_sensitive_data"
    template_name = "lms/admin/self_identification.html"
    form_class = SelfIdentificationForm
    page_title = gettext_lazy("Self-identification (sensitive data)")
    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        self.person = get_object_or_404(Person, public_id=kwargs["public_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("participants:index"), "label": _("Participants")},
            {
                "url": reverse("participants:edit", args=[self.person.pk]),
                "label": self.person.full_name,
            },
            {"url": "", "label": self.page_title},
        ]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "person": self.person}

    def get_initial(self):
        selfid = SelfIdentification.objects.filter(person=self.person).first()
        initial = {"given_at": timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)}
        if selfid:
            initial["ethnicity"] = selfid.ethnicity
            initial.update({f"wg_{d}": v for d, v in selfid.disability_answers.items()})
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            person=self.person,
            consents=self.person.consents.select_related("text", "recorded_by"),
            selfid=SelfIdentification.objects.filter(person=self.person).first(),
        )
        return context

    def post(self, request, *args, **kwargs):
        if "withdraw" in request.POST:
            consent = get_object_or_404(
                Consent, pk=request.POST["withdraw"], person=self.person, withdrawn_at__isnull=True
            )
            consent_withdraw(consent=consent)
            messages.success(request, _("Consent withdrawn; the data it covered was erased."))
            return redirect(request.path)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            with transaction.atomic():
                for purpose in ("ethnicity", "disability"):
                    text = data.get(f"{purpose}_consent_text")
                    if text:
                        consent_record(
                            person=self.person,
                            text=text,
                            method=data["method"],
                            given_at=data["given_at"],
                            recorded_by=self.request.user,
                        )
                self_identification_record(
                    person=self.person,
                    ethnicity=data.get("ethnicity") or "",
                    disability_answers={d: data.get(f"wg_{d}") or "" for d in WG_DOMAINS},
                )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Self-identification saved."))
        return redirect(self.request.path)


class InviteParticipantView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Create the person's login and email them a link to choose a password."""

    permission_required = "lms.change_person"
    template_name = "lms/admin/invite_participant.html"
    page_title = gettext_lazy("Invite to the learning platform")
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        self.person = get_object_or_404(Person, public_id=kwargs["public_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "person": self.person}

    def post(self, request, *args, **kwargs):
        try:
            participant_invite(
                person=self.person,
                invited_by=request.user,
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(request.path)
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": self.person.email})
        return redirect("participants:index")
