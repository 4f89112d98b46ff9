"""Template helpers for course and lesson pages (they only call selectors)."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info

from courses.models import CoursePage, LessonPage
from courses.selectors import (
    canonical,
    completed_lesson_ids,
    course_lessons,
    course_modules,
    enrolment_for,
    enrolment_progress,
    localized,
    next_lesson,
    resume_lesson,
)

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context):
    """Links to this page in every language: its published translations, or the same path."""
    request = context["request"]
    page = context.get("page")
    links = []
    translations = {}
    if page is not None and getattr(page, "pk", None):
        translations = {
            p.locale.language_code: p for p in page.get_translations(inclusive=True).live()
        }
    for code, _name in settings.LANGUAGES:
        target = translations.get(code)
        url = target.url if target is not None else translate_url(request.path, code)
        links.append({"code": code, "name": get_language_info(code)["name_local"], "url": url})
    return links


@register.simple_tag(takes_context=True)
def course_state(context, course: CoursePage):
    user = context["request"].user
    enrolment = enrolment_for(user=user, course=course)
    modules = [
        (localized(m), [localized(lesson) for lesson in lessons])
        for m, lessons in course_modules(canonical(course))
    ]
    done = completed_lesson_ids(enrolment) if enrolment else set()
    resume = resume_lesson(enrolment) if enrolment else None
    return {
        "enrolment": enrolment,
        "progress": enrolment_progress(enrolment) if enrolment else None,
        "modules": modules,
        "done_keys": _keys(done),
        "resume": localized(resume) if resume else None,
    }


@register.simple_tag(takes_context=True)
def lesson_state(context, lesson: LessonPage):
    user = context["request"].user
    module = lesson.get_parent().specific
    course = module.get_parent().specific
    enrolment = enrolment_for(user=user, course=course)
    lessons = course_lessons(course)
    ids = [item.pk for item in lessons]
    position = ids.index(lesson.pk) if lesson.pk in ids else 0
    following = next_lesson(course, lesson)
    done = _keys(completed_lesson_ids(enrolment)) if enrolment else set()
    return {
        "course": course,
        "module": module,
        "enrolment": enrolment,
        "number": position + 1,
        "count": len(lessons),
        "previous": lessons[position - 1] if position > 0 else None,
        "next": following,
        "is_done": lesson.translation_key in done,
        "progress": enrolment_progress(enrolment) if enrolment else None,
    }


def _keys(lesson_ids: set[int]) -> set:
    return set(
        LessonPage.objects.filter(pk__in=lesson_ids).values_list("translation_key", flat=True)
    )
