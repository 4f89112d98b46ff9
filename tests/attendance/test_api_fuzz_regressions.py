"""What the API fuzzing found in the workshop API: NUL characters that PostgreSQL refuses (a 500
there), and a list the schema called a page."""

import pytest

from attendance.services import register
from tests.attendance.factories import build_workshop
from tests.attendance.test_api import WORKSHOPS, new_workshop_payload
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", [f"{WORKSHOPS}LIM%00/", "/api/v1/attendance-marks/present%00/"])
def test_a_nul_character_in_a_code_is_not_found(staff_api, path):
    assert staff_api.get(path).status_code == 404


@pytest.mark.parametrize(
    "field, value",
    [("course", "C-TPL-2026-001\x00"), ("region", "15\x0001"), ("trainers", ["a\x00@example.pe"])],
)
def test_a_nul_character_in_a_related_code_is_a_field_error(staff_api, field, value):
    response = staff_api.post(WORKSHOPS, new_workshop_payload(**{field: value}), format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_registrations_are_one_plain_list_as_documented(staff_api):
    workshop = build_workshop()
    register(workshop=workshop, person=PersonFactory())

    response = staff_api.get(f"{WORKSHOPS}{workshop.code}/registrations/")
    schema = staff_api.get("/api/v1/schema/", {"format": "json"}).json()

    assert response.status_code == 200
    assert isinstance(response.json(), list) and len(response.json()) == 1
    documented = schema["paths"]["/api/v1/workshops/{code}/registrations/"]["get"]
    assert documented["responses"]["200"]["content"]["application/json"]["schema"]["type"] == (
        "array"
    )
