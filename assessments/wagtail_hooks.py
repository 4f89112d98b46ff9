"""Assessments in the Wagtail admin: the question bank and the assessments of each course."""

import django_filters
from django import forms
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column, UpdatedAtColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from assessments.admin_views import OverrideView, ScoresView
from assessments.forms import AssessmentForm, QuestionForm
from assessments.models import Assessment, Question, QuestionTag
from attendance.admin_links import register_workshop_link


def _question_tag_choices():
    names = QuestionTag.objects.values_list("tag__name", flat=True).distinct().order_by("tag__name")
    return [(name, name) for name in names]


class QuestionFilterSet(WagtailFilterSet):
    """Type and "in use" from the model; tags by name (django-filter cannot derive a filter for
    a ClusterTaggableManager, so list_filter = ["tags"] broke the listing)."""

    tag = django_filters.MultipleChoiceFilter(
        label=_("Tags"),
        field_name="tags__name",
        choices=_question_tag_choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=True,
        help_text=_("Questions with any of the tags ticked."),
    )

    class Meta:
        model = Question
        fields = ["type", "active"]


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Question bank")
    url_prefix = "assessments/questions"
    search_fields = ["text", "text_en"]
    search_backend_name = None
    filterset_class = QuestionFilterSet
    list_per_page = 50
    list_display = [
        Column("label", label=_("Question"), accessor="__str__"),
        Column("type", label=_("Type"), accessor="get_type_display"),
        Column("tags", label=_("Tags"), accessor=lambda q: ", ".join(t.name for t in q.tags.all())),
        BooleanColumn("active", label=_("In use")),
        UpdatedAtColumn(),
    ]
    edit_handler = ObjectList(Question.panels, base_form_class=QuestionForm)

    def get_queryset(self, request):
        return Question.objects.prefetch_related("tags")


class AssessmentViewSet(SnippetViewSet):
    model = Assessment
    icon = "tasks"
    menu_label = _("Assessments")
    url_prefix = "assessments/assessments"
    search_fields = ["title", "title_en"]
    search_backend_name = None
    list_filter = ["kind", "course"]
    list_display = [
        Column("label", label=_("Title"), accessor="label"),
        Column("course", label=_("Course"), accessor="course.code"),
        Column("kind", label=_("Kind"), accessor="get_kind_display"),
        Column("attempts_allowed", label=_("Attempts"), accessor="attempts_allowed"),
        Column("time_limit_minutes", label=_("Minutes"), accessor="time_limit_minutes"),
        UpdatedAtColumn(),
    ]
    edit_handler = ObjectList(Assessment.panels, base_form_class=AssessmentForm)

    def get_queryset(self, request):
        return Assessment.objects.select_related("course")


class AssessmentsGroup(SnippetViewSetGroup):
    menu_label = _("Assessments")
    menu_icon = "tasks"
    menu_order = 230
    items = [QuestionViewSet, AssessmentViewSet]


register_snippet(AssessmentsGroup)


@hooks.register("register_admin_urls")
def assessments_urls():
    return [
        path(
            "workshops/<int:pk>/tests/",
            ScoresView.as_view(),
            name="assessments_workshop_scores",
        ),
        path(
            "assessments/completions/<int:pk>/decide/",
            OverrideView.as_view(),
            name="assessments_override",
        ),
    ]


def _scores_link(request, workshop):
    if not request.user.has_perm("assessments.view_workshopscore"):
        return None
    return MenuItem(
        _("Tests and completion"),
        url=reverse("assessments_workshop_scores", args=[workshop.pk]),
        icon_name="tasks",
        priority=6,
    )


register_workshop_link(_scores_link)
