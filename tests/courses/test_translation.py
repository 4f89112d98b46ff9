"""The course in Spanish and in English, with the interface in the same language."""

import pytest
from wagtail.models import Locale

from courses.models import Enrolment
from courses.services import enrol, lesson_complete, page_publish
from tests.courses.factories import build_course
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _translate(page, **fields):
    english = Locale.objects.get(language_code="en")
    copy = page.copy_for_translation(english).specific
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save()
    return page_publish(copy).specific


def test_spanish_and_english_course_pages_render_with_their_ui(client):
    course, _ = build_course()
    english = _translate(
        course,
        title="Public Ethics and Prevention of Corruption",
        summary="Principles and reporting.",
    )

    assert course.url.startswith("/es/") and english.url.startswith("/en/")
    es = client.get(course.url).content.decode()
    en = client.get(english.url).content.decode()
    assert "Ética Pública y Prevención de la Corrupción" in es
    assert "Contenido" in es and "Iniciar sesión" in es and '<html lang="es">' in es
    assert "Public Ethics and Prevention of Corruption" in en
    assert "Contents" in en and "Log in" in en and '<html lang="en">' in en
    # Each version links to the other.
    assert f'href="{english.url}"' in es and f'href="{course.url}"' in en


def test_progress_made_in_spanish_shows_in_english(client, django_user_model):
    course, lessons = build_course()
    english_course = _translate(course, title="Public Ethics")
    for module in course.get_children():
        _translate(module.specific, title=f"Module {module.title[-1]}")
        for lesson in module.get_children():
            _translate(lesson.specific, title=f"Lesson {lesson.title[-3:]}")
    user = django_user_model.objects.create_user("ana@example.pe", "clave-larga-2026")
    person = PersonFactory(user=user)
    enrolment = enrol(person=person, course=course)
    lesson_complete(enrolment=enrolment, lesson=lessons[0])
    client.force_login(user)
    page = client.get(english_course.url).content.decode()
    assert "1 of 3 lessons completed" in page
    assert Enrolment.objects.get().course_id == course.pk


def test_ui_urls_carry_the_language(client):
    assert client.get("/es/cuenta/ingresar/").status_code == 200
    assert client.get("/en/account/login/").status_code == 200
    assert client.get("/", follow=False).status_code == 302
