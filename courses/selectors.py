"""Reads for online learning: a course's lessons in order, progress, where to resume."""

from dataclasses import dataclass

from wagtail.models import Locale, Page

from courses.models import CoursePage, Enrolment, LessonPage, LessonProgress


def canonical(page: Page) -> Page:
    """The default-locale (Spanish) version of a page: what enrolments and progress point at."""
    default = Locale.get_default()
    if page.locale_id == default.pk:
        return page
    return page.get_translation_or_none(default) or page


def localized(page: Page) -> Page:
    """The version of a page in the active language, if it is published; else the page itself."""
    translated = page.localized
    return translated if translated.live else page


def course_lessons(course: CoursePage) -> list[LessonPage]:
    """Live lessons of a course in reading order (module order, then lesson order)."""
    return list(LessonPage.objects.live().descendant_of(course).order_by("path"))


def course_modules(course: CoursePage) -> list[tuple[Page, list[LessonPage]]]:
    lessons = course_lessons(course)
    modules = []
    for module in course.get_children().live().specific().order_by("path"):
        modules.append(
            (module, [lesson for lesson in lessons if lesson.path.startswith(module.path)])
        )
    return modules


def enrolment_for(*, user, course: CoursePage) -> Enrolment | None:
    person = getattr(user, "person", None) if user.is_authenticated else None
    if person is None:
        return None
    return Enrolment.objects.filter(person=person, course=canonical(course)).first()


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.total > 0 and self.done >= self.total


def completed_lesson_ids(enrolment: Enrolment) -> set[int]:
    return set(
        LessonProgress.objects.filter(enrolment=enrolment).values_list("lesson_id", flat=True)
    )


def enrolment_progress(enrolment: Enrolment, lessons: list[LessonPage] | None = None) -> Progress:
    lessons = course_lessons(enrolment.course) if lessons is None else lessons
    done = completed_lesson_ids(enrolment) & {lesson.pk for lesson in lessons}
    return Progress(done=len(done), total=len(lessons))


def resume_lesson(enrolment: Enrolment) -> LessonPage | None:
    """Where to continue: the first lesson not completed, in order (or the last one opened)."""
    lessons = course_lessons(enrolment.course)
    done = completed_lesson_ids(enrolment)
    for lesson in lessons:
        if lesson.pk not in done:
            return lesson
    return enrolment.last_lesson or (lessons[-1] if lessons else None)


def next_lesson(course: CoursePage, lesson: LessonPage) -> LessonPage | None:
    lessons = course_lessons(course)
    ids = [item.pk for item in lessons]
    position = ids.index(lesson.pk) if lesson.pk in ids else -1
    return lessons[position + 1] if 0 <= position < len(lessons) - 1 else None


def my_enrolments(person) -> list[tuple[Enrolment, Progress]]:
    enrolments = Enrolment.objects.filter(person=person).select_related("course", "last_lesson")
    return [(enrolment, enrolment_progress(enrolment)) for enrolment in enrolments]
