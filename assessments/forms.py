"""Admin forms for the question bank and assessments: rules a trainer would otherwise only find
out about when a participant gets a question that cannot be answered."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.models import Locale

from assessments.models import Question
from courses.models import CoursePage


class QuestionForm(WagtailAdminModelForm):
    def clean(self):
        data = super().clean()
        kind = data.get("type")
        choices = self.formsets.get("choices")
        if kind is None or choices is None or not choices.is_valid():
            return data
        kept = [
            f.cleaned_data
            for f in choices.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        right = sum(1 for c in kept if c.get("is_correct"))
        if kind == Question.Type.NUMERIC:
            if kept:
                self.add_error(None, _("A numeric question has no options: remove them."))
            if data.get("numeric_answer") is None:
                self.add_error("numeric_answer", _("Give the correct number."))
        elif kind == Question.Type.TRUE_FALSE and (len(kept) != 2 or right != 1):
            self.add_error(None, _("A true/false question has two options, one of them correct."))
        elif kind == Question.Type.SINGLE and (len(kept) < 2 or right != 1):
            self.add_error(
                None, _("A single-choice question needs at least two options, exactly one correct.")
            )
        elif kind == Question.Type.MULTIPLE and (len(kept) < 2 or right < 1):
            self.add_error(
                None,
                _("A multiple-choice question needs at least two options, one or more correct."),
            )
        return data


class AssessmentForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "course" in self.fields:
            self.fields["course"].queryset = CoursePage.objects.filter(
                locale=Locale.get_default()
            ).order_by("title")

    def clean(self):
        data = super().clean()
        if data.get("selection") == "drawn":
            if not (data.get("draw_tags") or "").strip():
                self.add_error("draw_tags", _("Give the tags to draw from."))
            if not data.get("draw_count"):
                self.add_error("draw_count", _("Say how many questions to draw."))
        elif "items" in self.formsets and self.formsets["items"].is_valid():
            kept = [
                f
                for f in self.formsets["items"].forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            if not kept:
                self.add_error(None, _("List at least one question, or draw them from tags."))
        return data


class OverrideForm(forms.Form):
    status = forms.ChoiceField(label=_("Decision"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
