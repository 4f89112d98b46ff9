"""Lessons are for enrolled participants: check access and remember where they stopped."""

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from wagtail import hooks

from courses.models import LessonPage
from courses.selectors import enrolment_for
from courses.services import lesson_open


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
