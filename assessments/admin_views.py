"""Admin pages on a workshop: the pre-/post-test scores grid with each person's completion and the
workshop's knowledge gain; a staff decision on one completion."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from assessments.completion import completion_override, reasons_text
from assessments.forms import OverrideForm
from assessments.models import Completion, Kind, WorkshopScore
from assessments.scores import parse_score, score_record, score_remove
from assessments.selectors import post_test_for, pre_test_for, workshop_knowledge_gain
from attendance.models import Registration, Workshop
from attendance.selectors import user_can_reach_workshop
from lms.bulk import bulk_work

DEFAULT_MAX = Decimal("20")


def _workshop_or_403(request, pk: int, *perms: str) -> Workshop:
    workshop = get_object_or_404(Workshop.objects.select_related("course"), pk=pk)
    user = request.user
    if not (
        all(user.has_perm(p) for p in perms)
        and user_can_reach_workshop(user=user, workshop=workshop)
    ):
        raise PermissionDenied
    return workshop


def _breadcrumbs(view, workshop: Workshop) -> list[dict]:
    return [
        *view.breadcrumbs_items,
        {"url": reverse("workshops:index"), "label": _("Workshops")},
        {"url": reverse("workshops:inspect", args=[workshop.pk]), "label": workshop.code},
        {"url": "", "label": view.get_page_title()},
    ]


def _fmt(value: Decimal | None) -> str:
    """10.50 → "10.5", 20.00 → "20": a score as a trainer would write it."""
    return "" if value is None else f"{value.normalize():f}"


class ScoresView(WagtailAdminTemplateMixin, TemplateView):
    """One row per confirmed registrant: pre and post scores (inputs), attendance, decision."""

    template_name = "assessments/admin/scores.html"
    page_title = gettext_lazy("Tests and completion")
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        self.workshop = _workshop_or_403(request, kwargs["pk"], "assessments.view_workshopscore")
        if request.method == "POST" and not request.user.has_perm("assessments.add_workshopscore"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.workshop.code

    def get_breadcrumbs_items(self):
        return _breadcrumbs(self, self.workshop)

    def registrations(self):
        return list(
            self.workshop.registrations.filter(status=Registration.Status.CONFIRMED)
            .select_related("person", "completion")
            .order_by("person__family_names", "person__given_names", "pk")
        )

    def default_max(self, kind: str) -> Decimal:
        existing = (
            WorkshopScore.objects.filter(registration__workshop=self.workshop, kind=kind)
            .values_list("max_score", flat=True)
            .first()
        )
        if existing:
            return existing
        test = (pre_test_for if kind == Kind.PRE else post_test_for)(self.workshop.course)
        return test.paper_max_score if test and test.paper_max_score else DEFAULT_MAX

    def get_context_data(self, errors=None, posted=None, **kwargs):
        context = super().get_context_data(**kwargs)
        scores = {
            (s.registration_id, s.kind): s
            for s in WorkshopScore.objects.filter(registration__workshop=self.workshop)
        }
        rows = []
        for registration in self.registrations():
            completion = getattr(registration, "completion", None)
            row = {"registration": registration, "person": registration.person}
            for kind in (Kind.PRE, Kind.POST):
                field = f"{kind}_{registration.pk}"
                score = scores.get((registration.pk, kind))
                row[kind] = {
                    "name": field,
                    "value": posted.get(field, "") if posted else _fmt(score and score.score),
                    "percent": score.percent if score else None,
                    "error": (errors or {}).get(field, ""),
                    "label": Kind(kind).label,
                }
            row["cells"] = [row[Kind.PRE], row[Kind.POST]]
            row["completion"] = completion
            row["why"] = reasons_text(completion.reasons) if completion else ""
            rows.append(row)
        context.update(
            workshop=self.workshop,
            rows=rows,
            max_pre=posted.get("max_pre") if posted else _fmt(self.default_max(Kind.PRE)),
            max_post=posted.get("max_post") if posted else _fmt(self.default_max(Kind.POST)),
            gain=workshop_knowledge_gain(self.workshop),
            can_edit=self.request.user.has_perm("assessments.add_workshopscore"),
            can_override=self.request.user.has_perm("assessments.add_completionoverride"),
            errors=errors,
        )
        return context

    def post(self, request, *args, **kwargs):
        data = request.POST
        errors: dict[str, str] = {}
        maxima = {}
        for kind in (Kind.PRE, Kind.POST):
            try:
                maxima[kind] = parse_score(data.get(f"max_{kind}", ""), "max_score")
                if maxima[kind] <= 0:
                    raise ValidationError(
                        {"max_score": _("The maximum score must be more than 0.")}
                    )
            except ValidationError as exc:
                errors[f"max_{kind}"] = " ".join(exc.messages)
        writes, removals = [], []
        for registration in self.registrations():
            for kind in (Kind.PRE, Kind.POST):
                field = f"{kind}_{registration.pk}"
                if field not in data:
                    continue
                raw = data.get(field, "").strip()
                if not raw:
                    removals.append((registration, kind))
                    continue
                try:
                    score = parse_score(raw, "score")
                    if kind in maxima and score > maxima[kind]:
                        raise ValidationError(
                            _("Score %(s)s is above the maximum %(m)s.")
                            % {"s": score, "m": maxima[kind]}
                        )
                except ValidationError as exc:
                    errors[field] = " ".join(exc.messages)
                    continue
                writes.append((registration, kind, score))
        if errors:
            messages.error(request, _("Nothing was saved: correct the marked cells."))
            return self.render_to_response(self.get_context_data(errors=errors, posted=data))
        changed = 0
        with transaction.atomic(), bulk_work():
            for registration, kind, score in writes:
                before = WorkshopScore.objects.filter(registration=registration, kind=kind).first()
                row = score_record(
                    registration=registration,
                    kind=kind,
                    score=score,
                    max_score=maxima[kind],
                    method=WorkshopScore.Method.GRID,
                    recorded_by=request.user,
                )
                changed += before is None or before.recorded_at != row.recorded_at
            for registration, kind in removals:
                changed += score_remove(registration=registration, kind=kind)
        messages.success(request, _("Scores saved: %(n)s changed.") % {"n": changed})
        return redirect(request.path)


class OverrideView(WagtailAdminTemplateMixin, FormView):
    template_name = "assessments/admin/override.html"
    form_class = OverrideForm
    page_title = gettext_lazy("Decide a completion")
    header_icon = "check"

    def dispatch(self, request, *args, **kwargs):
        self.completion = get_object_or_404(
            Completion.objects.select_related("person", "course", "registration__workshop"),
            pk=kwargs["pk"],
        )
        workshop = self.completion.registration.workshop if self.completion.registration else None
        allowed = request.user.has_perm("assessments.add_completionoverride") and (
            workshop is None or user_can_reach_workshop(user=request.user, workshop=workshop)
        )
        if not allowed:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        registration = self.completion.registration
        if registration is None:
            return super().get_breadcrumbs_items()
        return [
            *_breadcrumbs(self, registration.workshop)[:-1],
            {
                "url": reverse("assessments_workshop_scores", args=[registration.workshop_id]),
                "label": _("Tests and completion"),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["status"].choices = [
            ("", _("Back to the computed decision")),
            *Completion.Status.choices,
        ]
        form.fields["status"].required = False
        return form

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "completion": self.completion,
            "why": reasons_text(self.completion.reasons),
            "history": self.completion.overrides.select_related("decided_by"),
        }

    def form_valid(self, form):
        try:
            completion_override(
                completion=self.completion,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                decided_by=self.request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The decision is recorded with its reason."))
        registration = self.completion.registration
        if registration is not None:
            return redirect("assessments_workshop_scores", pk=registration.workshop_id)
        return redirect("wagtailadmin_home")
