"""Demo courses for `seed_demo`: published in Spanish with English translations, and enrolments."""

import random

from django.db import transaction
from wagtail.models import Locale

from courses.demo_content import COURSES
from courses.models import CoursePage, Enrolment, LessonPage, ModulePage
from courses.selectors import course_lessons
from courses.services import enrol, lesson_complete, page_publish, site_structure_ensure
from lms.demo import register_demo
from lms.models import Person, Position


def _blocks(blocks: list) -> list[dict]:
    return [{"type": kind, "value": value} for kind, value in blocks]


def _translate(page, locale, **fields):
    translation = page.get_translation_or_none(locale)
    if translation is None:
        translation = page.copy_for_translation(locale)
    translation = translation.specific
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save()
    page_publish(translation)
    return translation


def _course_fields(data: dict, lang: str) -> dict:
    return {
        "title": data["title"][lang],
        "summary": data["summary"][lang],
        "objectives": [{"type": "objective", "value": text} for text in data["objectives"][lang]],
    }


def _create_course(data: dict, catalog, english) -> CoursePage:
    rule = data["completion"]
    course = catalog.add_child(
        instance=CoursePage(
            slug=data["code"].lower(),
            code=data["code"],
            contact_hours=data["contact_hours"],
            modality=data["modality"],
            sensitisation_only=data["sensitisation_only"],
            gender_equality_hours=data["gender_equality_hours"],
            min_attendance_percent=rule["min_attendance"],
            pass_mark_percent=rule["pass_mark"],
            mastery_percent=rule["mastery"],
            require_all_lessons=rule["all_lessons"],
            live=False,
            **_course_fields(data, "es"),
        )
    )
    course.audience.set(Position.objects.filter(code__in=data["audience"]))
    course.save()
    page_publish(course)
    _translate(course, english, **_course_fields(data, "en"))
    for number, module_data in enumerate(data["modules"], start=1):
        module = course.add_child(
            instance=ModulePage(
                title=module_data["title"]["es"], slug=f"modulo-{number}", live=False
            )
        )
        page_publish(module)
        _translate(module, english, title=module_data["title"]["en"])
        for lesson_data in module_data["lessons"]:
            lesson = module.add_child(
                instance=LessonPage(
                    title=lesson_data["title"]["es"],
                    slug=lesson_data["slug"],
                    summary=lesson_data["summary"]["es"],
                    estimated_minutes=lesson_data["minutes"],
                    body=_blocks(lesson_data["body"]["es"]),
                    live=False,
                )
            )
            page_publish(lesson)
            _translate(
                lesson,
                english,
                title=lesson_data["title"]["en"],
                summary=lesson_data["summary"]["en"],
                body=_blocks(lesson_data["body"]["en"]),
            )
    return course


@register_demo(order=10)
@transaction.atomic
def seed_courses(rng: random.Random) -> list[str]:
    pages = site_structure_ensure()
    english = Locale.objects.get(language_code="en")
    spanish = Locale.get_default()
    created = []
    for data in COURSES:
        if not CoursePage.objects.filter(code=data["code"], locale=spanish).exists():
            created.append(_create_course(data, pages["catalog_es"], english))
    courses = list(CoursePage.objects.live().filter(locale=spanish).order_by("path"))
    flagship = next((c for c in courses if c.code == COURSES[0]["code"]), None)
    online = [c for c in courses if c.modality != CoursePage.Modality.IN_PERSON]

    # The demo participant is half-way through the flagship course, so "resume" shows something.
    participant = Person.objects.filter(user__email="participant@demo.pe").first()
    if participant and flagship:
        enrolment = enrol(person=participant, course=flagship)
        for lesson in course_lessons(flagship)[:2]:
            lesson_complete(enrolment=enrolment, lesson=lesson)
    # A plausible spread of other learners: some finished, some stopped early.
    # Chosen once: later demo parts add people, who must not be enrolled by a second run.
    already = Enrolment.objects.filter(source=Enrolment.Source.BULK).exists()
    learners = [] if already else list(Person.objects.filter(user__isnull=True).order_by("pk")[:60])
    for person in learners:
        course = rng.choice(online) if online else None
        # A second run must add nothing: a learner already enrolled is left as they are.
        if course is None or Enrolment.objects.filter(person=person).exists():
            continue
        enrolment = enrol(person=person, course=course, source=Enrolment.Source.BULK)
        lessons = course_lessons(course)
        for lesson in lessons[: rng.randint(0, len(lessons))]:
            lesson_complete(enrolment=enrolment, lesson=lesson)
    lessons_total = LessonPage.objects.filter(locale=spanish).count()
    return [
        f"Cursos: {len(courses)} publicados en español e inglés ({len(created)} nuevos), "
        f"{lessons_total} lecciones; {Enrolment.objects.count()} inscripciones.",
        "participant@demo.pe: ETI-101 a medio camino (2 lecciones completadas).",
    ]
