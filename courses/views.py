"""Participant views around the course pages: enrol, complete a lesson, resume, my learning."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.models import CoursePage, LessonPage
from courses.panels import learning_panels
from courses.selectors import enrolment_for, localized, my_enrolments, next_lesson, resume_lesson
from courses.services import enrol, lesson_complete


def _person_or_none(request):
    return getattr(request.user, "person", None)


@login_required
def my_learning(request):
    person = _person_or_none(request)
    rows = []
    if person is not None:
        for enrolment, progress in my_enrolments(person):
            resume = resume_lesson(enrolment)
            rows.append(
                {
                    "course": localized(enrolment.course),
                    "enrolment": enrolment,
                    "progress": progress,
                    "resume": localized(resume) if resume else None,
                }
            )
    panels = learning_panels(request, person) if person is not None else []
    return render(
        request, "courses/my_learning.html", {"person": person, "rows": rows, "panels": panels}
    )


@login_required
@require_POST
def enrol_view(request, course_id: int):
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    person = _person_or_none(request)
    if person is None:
        messages.error(
            request,
            _("Your login is not linked to a participant record; contact the program staff."),
        )
        return redirect(course.url)
    try:
        enrolment = enrol(person=person, course=course)
    except ValidationError as exc:
        return HttpResponseBadRequest(" ".join(exc.messages))
    lesson = resume_lesson(enrolment)
    messages.success(request, _("You are enrolled in “%(course)s”.") % {"course": course.title})
    return redirect(localized(lesson).url if lesson else course.url)


@login_required
@require_POST
def complete_view(request, lesson_id: int):
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    course = lesson.get_parent().get_parent().specific
    enrolment = enrolment_for(user=request.user, course=course)
    if enrolment is None:
        return redirect(course.url)
    lesson_complete(enrolment=enrolment, lesson=lesson)
    following = next_lesson(course, lesson)
    if following is not None:
        return redirect(following.url)
    messages.success(request, _("You have completed every lesson of this course."))
    return redirect(course.url)


@login_required
def resume_view(request, course_id: int):
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    enrolment = enrolment_for(user=request.user, course=course)
    lesson = resume_lesson(enrolment) if enrolment else None
    return redirect(localized(lesson).url if lesson else course.url)
