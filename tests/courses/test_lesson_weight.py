"""A lesson page without its media stays under 150 KB, so it loads on a slow connection."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from courses.demo_content import COURSES
from courses.services import enrol
from tests.courses.factories import build_course
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_longest_demo_lesson_with_its_stylesheet_is_light(client, django_user_model):
    course, lessons = build_course()
    longest = max(
        (lesson for c in COURSES for m in c["modules"] for lesson in m["lessons"]),
        key=lambda lesson: len(str(lesson["body"]["es"])),
    )
    lesson = lessons[0]
    lesson.body = [{"type": kind, "value": value} for kind, value in longest["body"]["es"]]
    lesson.save_revision().publish()

    user = django_user_model.objects.create_user("ana@example.pe", "clave-larga-2026")
    enrol(person=PersonFactory(user=user), course=course)
    client.force_login(user)
    html = client.get(lesson.url).content
    css = Path(finders.find("lms/site.css")).read_bytes()
    total = len(html) + len(css)
    assert b"<script" not in html  # reading needs no JavaScript
    assert total < 150 * 1024, f"{total} bytes"
