"""What the API fuzzing found in the course catalogue: NUL characters that PostgreSQL refuses
(a 500 there, for anyone: the catalogue is public)."""

import pytest

from tests.courses.factories import build_course

pytestmark = pytest.mark.django_db


def test_a_nul_character_in_a_course_code_is_not_found(api_client):
    build_course()

    assert api_client.get("/api/v1/courses/ETI-101%00/").status_code == 404


@pytest.mark.parametrize("path", ["/api/v1/courses/", "/api/v1/courses/ETI-101/"])
def test_a_nul_character_in_the_language_is_a_field_error(api_client, path):
    build_course()

    response = api_client.get(path, {"lang": "es\x00"})

    assert response.status_code == 400
    assert "lang" in response.json()
