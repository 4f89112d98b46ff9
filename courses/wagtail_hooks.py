"""Lessons are for enrolled participants (check access, remember where they stopped);
enrolments in the admin, with bulk enrolment."""

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from courses.admin_views import BulkEnrolView
from courses.models import Enrolment, LessonPage
from courses.selectors import enrolment_for
from courses.services import lesson_open
from lms.exports import SafeExportMixin


@hooks.register("before_serve_page")
def lessons_need_enrolment(page, request, serve_args, serve_kwargs):
    if not isinstance(page, LessonPage):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.user.has_perm("wagtailadmin.access_admin"):
        return None  # authors and staff read lessons without enrolling
    course = page.get_parent().get_parent().specific
    enrolment = enrolment_for(user=request.user, course=course)
    if enrolment is None:
        return redirect(course.url)
    if request.method == "GET":
        lesson_open(enrolment=enrolment, lesson=page)
    return None


class EnrolmentPolicy(ModelPermissionPolicy):
    """Enrolments are made by the learning flow and bulk enrolment, and looked at here."""

    def user_has_permission(self, user, action):
        return action in ("view", "inspect") and user.has_perm("courses.view_enrolment")


class EnrolmentIndexView(SafeExportMixin, generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("person", "course")

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm("courses.add_enrolment"):
            buttons.append(
                HeaderButton(
                    _("Enrol in bulk"), url=reverse("courses_bulk_enrol"), icon_name="plus"
                )
            )
        return buttons


class EnrolmentViewSet(ModelViewSet):
    model = Enrolment
    icon = "group"
    menu_label = _("Enrolments")
    url_prefix = "learning/enrolments"
    name = "enrolments"
    list_display = [
        "person",
        "course",
        "source",
        "enrolled_at",
        "last_activity_at",
        "lessons_completed_at",
    ]
    list_filter = ["course", "source"]
    list_export = [
        "person",
        "course",
        "source",
        "enrolled_at",
        "last_activity_at",
        "lessons_completed_at",
    ]
    export_filename = "inscripciones"
    form_fields = ["source"]
    copy_view_enabled = False
    index_view_class = EnrolmentIndexView
    add_to_admin_menu = True
    menu_order = 210


register_permission_policy(Enrolment, EnrolmentPolicy(Enrolment))


@hooks.register("register_admin_viewset")
def register_enrolments():
    return EnrolmentViewSet()


@hooks.register("register_admin_urls")
def learning_urls():
    return [path("learning/enrolments/bulk/", BulkEnrolView.as_view(), name="courses_bulk_enrol")]
