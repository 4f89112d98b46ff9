"""Writes for online learning: enrol, open and complete lessons."""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
)

from courses.models import CatalogPage, CoursePage, Enrolment, LessonPage, LessonProgress
from courses.selectors import canonical, course_lessons
from lms.roles import Role


def enrol(
    *, person, course: CoursePage, source: str = Enrolment.Source.SELF, enrolled_by=None
) -> Enrolment:
    """Enrol a person in a course; enrolling twice returns the first enrolment."""
    course = canonical(course)
    if not course.live:
        raise ValidationError(_("This course is not published."))
    existing = Enrolment.objects.filter(person=person, course=course).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Enrolment.objects.create(
                person=person, course=course, source=source, enrolled_by=enrolled_by
            )
    except IntegrityError:
        # Someone enrolled the same person a moment ago: that enrolment is the answer.
        return Enrolment.objects.get(person=person, course=course)


def _check_lesson(enrolment: Enrolment, lesson: LessonPage) -> LessonPage:
    lesson = canonical(lesson)
    if not lesson.is_descendant_of(enrolment.course):
        raise ValidationError(_("This lesson belongs to another course."))
    return lesson


@transaction.atomic
def lesson_open(*, enrolment: Enrolment, lesson: LessonPage) -> None:
    lesson = _check_lesson(enrolment, lesson)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        last_lesson=lesson, last_activity_at=timezone.now()
    )


@transaction.atomic
def lesson_complete(*, enrolment: Enrolment, lesson: LessonPage) -> LessonProgress:
    """Mark a lesson done (idempotent); when every live lesson is done, stamp the enrolment."""
    lesson = _check_lesson(enrolment, lesson)
    now = timezone.now()
    progress, _created = LessonProgress.objects.get_or_create(
        enrolment=enrolment, lesson=lesson, defaults={"completed_at": now}
    )
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    enrolment.last_lesson = lesson
    enrolment.last_activity_at = now
    lesson_ids = {item.pk for item in course_lessons(enrolment.course)}
    done = set(enrolment.lesson_progress.values_list("lesson_id", flat=True))
    if enrolment.lessons_completed_at is None and lesson_ids and lesson_ids <= done:
        enrolment.lessons_completed_at = now
    enrolment.save(update_fields=["last_lesson", "last_activity_at", "lessons_completed_at"])
    return progress


def page_publish(page: Page, *, user=None) -> Page:
    revision = page.save_revision(user=user, log_action=True)
    revision.publish(user=user)
    page.refresh_from_db()
    return page


@transaction.atomic
def site_structure_ensure() -> dict[str, Page]:
    """The public tree every install needs: home and catalogue, in Spanish and English.

    Safe to run again; `manage.py seed_demo` runs it, and so can a deployment step.
    """
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    catalog = CatalogPage.objects.child_of(home).first()
    if catalog is None:
        catalog = home.add_child(
            instance=CatalogPage(
                title="Catálogo de cursos",
                slug="cursos",
                intro="<p>Cursos del programa de integridad y lucha contra la corrupción.</p>",
            )
        )
        page_publish(catalog)
    authoring_permissions_grant(catalog=catalog)
    english = Locale.objects.get(language_code="en")
    pages = {"home_es": home, "catalog_es": catalog}
    for key, page, title, extra in (
        (
            "home_en",
            home,
            "Integrity LMS",
            {
                "intro": "<p>Training platform of the anticorruption program: online courses, in-person workshops, verifiable attendance and certificates anyone can check.</p>"
            },
        ),
        (
            "catalog_en",
            catalog,
            "Course catalogue",
            {"intro": "<p>Courses of the integrity and anti-corruption program.</p>"},
        ),
    ):
        translation = page.get_translation_or_none(english)
        if translation is None:
            translation = page.copy_for_translation(english)
            translation.title = title
            for field, value in extra.items():
                setattr(translation, field, value)
            translation.save()
            page_publish(translation)
        pages[key] = translation.specific
    return pages


# Who may do what in the course tree and the media library (Wagtail object permissions).
AUTHORING = {
    Role.TRAINER: {"pages": ("add", "change"), "media": ("add", "choose")},
    Role.PROGRAM_STAFF: {
        "pages": ("add", "change", "publish"),
        "media": ("add", "change", "choose"),
    },
    Role.PROGRAM_ADMIN: {
        "pages": ("add", "change", "publish", "delete"),
        "media": ("add", "change", "delete", "choose"),
    },
}


def authoring_permissions_grant(*, catalog: Page) -> None:
    """Trainers write courses (publishing goes through moderation); staff also publish."""
    root_collection = Collection.get_first_root_node()
    for role, rights in AUTHORING.items():
        group = Group.objects.filter(name=role.value).first()
        if group is None:
            continue
        for action in rights["pages"]:
            permission = Permission.objects.get(
                content_type__app_label="wagtailcore", codename=f"{action}_page"
            )
            GroupPagePermission.objects.get_or_create(
                group=group, page=catalog, permission=permission
            )
        for app_label, model in (("wagtailimages", "image"), ("wagtaildocs", "document")):
            for action in rights["media"]:
                permission = Permission.objects.get(
                    content_type__app_label=app_label, codename=f"{action}_{model}"
                )
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )
