"""Admin pages on certificates beyond listing: a status change with its reason, the PDF, a design's
preview, and a workshop's certificates (issue to everyone completed, one by one, ZIP of PDFs)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import HeaderButton

from attendance.models import Registration, Workshop
from attendance.selectors import user_can_reach_workshop
from certificates import rendering
from certificates.jobs import issue_workshop_job_for, issue_workshop_start
from certificates.models import Certificate, CertificateTemplate, ReasonCategory
from certificates.panels import pdf_response
from certificates.selectors import (
    VIEW_PERMISSION,
    certificates_for,
    live_workshop_certificates,
    pdf_filename,
    pdf_zip_stream,
    user_can_manage,
    workshop_certificate_sheet,
)
from certificates.services import (
    certificate_issue,
    certificate_pdf_bytes,
    certificate_pdf_ensure,
    certificate_pdf_store,
    certificate_reinstate,
    certificate_reissue,
    certificate_revoke,
    certificate_suspend,
)

INDEX_URL = "issued_certificates:index"
INSPECT_URL = "issued_certificates:inspect"


def visible_certificate_or_404(user, pk: int) -> Certificate:
    """Staff: any certificate; trainers: their workshops' (in the admin, not their own as a
    participant: that is My learning)."""
    return get_object_or_404(
        certificates_for(user, own=False).select_related("person", "course", "template"), pk=pk
    )


# --- One certificate: status changes and the PDF ----------------------------------------------


class ReasonForm(forms.Form):
    category = forms.ChoiceField(
        label=gettext_lazy("Reason"), choices=[("", "---------"), *ReasonCategory.choices]
    )
    reason = forms.CharField(
        label=gettext_lazy("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Recorded in the certificate's history with your name."),
    )

    def __init__(self, *args, with_category: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_category:
            del self.fields["category"]


class CertificateActionView(WagtailAdminTemplateMixin, FormView):
    """Suspend, revoke, reinstate or re-issue one certificate: a reason, then the service."""

    template_name = "certificates/admin/certificate_action.html"
    form_class = ReasonForm
    header_icon = "doc-full"
    # action: (page title, button label, statuses it applies to, asks for a category)
    actions = {
        "suspend": (
            gettext_lazy("Suspend certificate"),
            gettext_lazy("Suspend"),
            {Certificate.Status.VALID},
            True,
        ),
        "revoke": (
            gettext_lazy("Revoke certificate"),
            gettext_lazy("Revoke"),
            {Certificate.Status.VALID, Certificate.Status.SUSPENDED},
            True,
        ),
        "reinstate": (
            gettext_lazy("Reinstate certificate"),
            gettext_lazy("Reinstate"),
            {Certificate.Status.SUSPENDED},
            False,
        ),
        "reissue": (
            gettext_lazy("Re-issue certificate"),
            gettext_lazy("Re-issue"),
            {Certificate.Status.VALID, Certificate.Status.SUSPENDED, Certificate.Status.REVOKED},
            False,
        ),
    }
    explanations = {
        "suspend": gettext_lazy(
            "While suspended, verifiers are told the certificate is suspended. It can be "
            "reinstated or revoked later."
        ),
        "revoke": gettext_lazy(
            "Revoking is final: verifiers are told the certificate was revoked. The certificate "
            "is kept, never deleted; a new one can be issued later with a reason."
        ),
        "reinstate": gettext_lazy("The certificate becomes valid again."),
        "reissue": gettext_lazy(
            "A new certificate is issued from today's records (for example a corrected name). "
            "A valid or suspended certificate is marked as replaced; verifiers of the old one "
            "are pointed to the new one."
        ),
    }

    @classmethod
    def available(cls, certificate: Certificate) -> list[str]:
        """The actions that apply to a certificate in its status (a replaced one stays replaced)."""
        replaced = hasattr(certificate, "replaced_by")
        return [
            action
            for action, (_title, _label, statuses, _category) in cls.actions.items()
            if certificate.status in statuses and not (replaced and action == "reissue")
        ]

    def dispatch(self, request, *args, **kwargs):
        self.action = kwargs["action"]
        if self.action not in self.actions or not user_can_manage(request.user):
            raise PermissionDenied
        self.certificate = visible_certificate_or_404(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.actions[self.action][0]

    def get_page_subtitle(self):
        return self.certificate.display_identifier

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(INDEX_URL), "label": _("Certificates")},
            {
                "url": reverse(INSPECT_URL, args=[self.certificate.pk]),
                "label": str(self.certificate),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "with_category": self.actions[self.action][3]}

    def get_initial(self):
        if self.action == "suspend":
            return {"category": ReasonCategory.UNDER_REVIEW}
        return {}

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "certificate": self.certificate,
            "action": self.action,
            "button_label": self.actions[self.action][1],
            "explanation": self.explanations[self.action],
            "applies": self.action in self.available(self.certificate),
            "inspect_url": reverse(INSPECT_URL, args=[self.certificate.pk]),
        }

    def form_valid(self, form):
        data = form.cleaned_data
        actor, note = self.request.user, data["reason"]
        try:
            if self.action == "suspend":
                result = certificate_suspend(
                    self.certificate, actor=actor, note=note, category=data["category"]
                )
            elif self.action == "revoke":
                result = certificate_revoke(
                    self.certificate, actor=actor, note=note, category=data["category"]
                )
            elif self.action == "reinstate":
                result = certificate_reinstate(self.certificate, actor=actor, note=note)
            else:
                result = certificate_reissue(self.certificate, actor=actor, note=note)
        except ValidationError as exc:
            _add_errors(form, exc)
            return self.form_invalid(form)
        done = {
            "suspend": _("Certificate %(id)s suspended."),
            "revoke": _("Certificate %(id)s revoked."),
            "reinstate": _("Certificate %(id)s is valid again."),
            "reissue": _("New certificate %(id)s issued."),
        }[self.action]
        messages.success(self.request, done % {"id": result.display_identifier})
        return redirect(INSPECT_URL, result.pk)


def _add_errors(form: forms.Form, exc: ValidationError) -> None:
    """Service errors on the form's fields when it has them, else at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class CertificatePdfView(View):
    """The certificate's PDF for staff and the trainers of its workshop (rendered if missing)."""

    def get(self, request, pk: int):
        if not request.user.has_perm(VIEW_PERMISSION):
            raise PermissionDenied
        certificate = visible_certificate_or_404(request.user, pk)
        return pdf_response(certificate_pdf_bytes(certificate), pdf_filename(certificate))


# --- Designs ---------------------------------------------------------------------------------


class TemplatePreviewView(View):
    """A sample certificate of the design, as a PDF shown in the browser."""

    def get(self, request, pk: int):
        if not request.user.has_perm("certificates.view_certificatetemplate"):
            raise PermissionDenied
        template = get_object_or_404(CertificateTemplate, pk=pk)
        data = rendering.render_preview(template)
        return pdf_response(data, f"preview-{template.pk}.pdf", inline=True)


# --- A workshop's certificates ----------------------------------------------------------------


def workshop_or_403(request, pk: int) -> Workshop:
    workshop = get_object_or_404(Workshop.objects.select_related("course", "region"), pk=pk)
    user = request.user
    if not (
        user.has_perm(VIEW_PERMISSION) and user_can_reach_workshop(user=user, workshop=workshop)
    ):
        raise PermissionDenied
    return workshop


class WorkshopCertificatesView(WagtailAdminTemplateMixin, TemplateView):
    """Everyone confirmed in the workshop, their completion and certificate; issue to all who
    completed (a background job), to one, or (staff, with a reason) to someone not completed."""

    template_name = "certificates/admin/workshop_certificates.html"
    page_title = gettext_lazy("Certificates")
    header_icon = "doc-full-inverse"

    def dispatch(self, request, *args, **kwargs):
        self.workshop = workshop_or_403(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.workshop.code

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("workshops:index"), "label": _("Workshops")},
            {
                "url": reverse("workshops:inspect", args=[self.workshop.pk]),
                "label": self.workshop.code,
            },
            {"url": "", "label": self.get_page_title()},
        ]

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(
                _("Download all as ZIP"),
                url=reverse("certificates_workshop_zip", args=[self.workshop.pk]),
                icon_name="download",
            )
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = workshop_certificate_sheet(self.workshop)
        job_id = self.request.GET.get("job")
        user = self.request.user
        context.update(
            workshop=self.workshop,
            rows=rows,
            counts={
                "people": len(rows),
                "completed": sum(row.completed for row in rows),
                "certified": sum(row.has_live for row in rows),
            },
            job=issue_workshop_job_for(job_id=job_id, workshop=self.workshop, user=user)
            if job_id
            else None,
            can_override=user.has_perm("certificates.add_certificate"),
            languages=settings.LANGUAGES,
            default_language=settings.LANGUAGE_CODE,
        )
        return context

    def post(self, request, *args, **kwargs):
        if "issue_all" in request.POST:
            language = request.POST.get("language") or None
            if language not in (None, *dict(settings.LANGUAGES)):
                raise Http404
            job = issue_workshop_start(workshop=self.workshop, user=request.user, language=language)
            return redirect(f"{request.path}?job={job.pk}")
        registration = get_object_or_404(
            Registration.objects.select_related("person"),
            pk=request.POST.get("registration") or 0,
            workshop=self.workshop,
        )
        try:
            outcome = certificate_issue(
                registration=registration,
                actor=request.user,
                reason=request.POST.get("reason", ""),
            )
        except (ValidationError, PermissionDenied) as exc:
            for message in getattr(exc, "messages", None) or [str(exc)]:
                messages.error(request, f"{registration.person.full_name}: {message}")
            return redirect(request.path)
        name = registration.person.full_name
        if outcome.created:
            messages.success(
                request,
                _("Certificate %(id)s issued to %(name)s.")
                % {"id": outcome.certificate.display_identifier, "name": name},
            )
        else:
            messages.info(request, _("%(name)s already has a certificate.") % {"name": name})
        return redirect(request.path)


class WorkshopZipView(View):
    """Every live certificate of the workshop as one ZIP of PDFs; missing PDFs are rendered first."""

    def get(self, request, pk: int):
        workshop = workshop_or_403(request, pk)
        certificates = list(live_workshop_certificates(workshop))
        if not certificates:
            messages.warning(request, _("This workshop has no certificates yet."))
            return redirect("certificates_workshop", workshop.pk)
        missing = [c for c in certificates if not c.pdf]
        for certificate, data in rendering.render_certificates(missing):
            certificate_pdf_store(certificate, data)
        for certificate in certificates:
            certificate_pdf_ensure(certificate)  # a stored path whose file has gone
        response = StreamingHttpResponse(
            pdf_zip_stream(certificates), content_type="application/zip"
        )
        response["Content-Disposition"] = f'attachment; filename="{workshop.code}.zip"'
        response["Cache-Control"] = "private, no-store"
        return response
