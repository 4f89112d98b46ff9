"""The report API: donors get aggregates with suppressed cells, staff the unsuppressed view,
bad parameters a 400 naming the parameter, and the catalogue lists codes and targets."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from lms.roles import Role
from reports.models import IndicatorTarget
from tests.factories import UserFactory
from tests.reports.conftest import indicator

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/participation/"


@pytest.fixture
def catalogue(programme):
    reach = indicator("REACH", "reached", disaggregations=["institution"])
    IndicatorTarget.objects.create(indicator=reach, fiscal_year=2026, value=Decimal(40))
    IndicatorTarget.objects.create(indicator=reach, fiscal_year=2026, quarter=2, value=10)
    indicator("DONE", "completions")
    return programme


def client_for(role) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(UserFactory(role=role))
    return client


def periods(body, code) -> dict:
    found = next(i for i in body["indicators"] if i["code"] == code)
    return {p["key"]: p for p in found["periods"]}


def test_a_donor_gets_the_report_with_small_cells_suppressed(catalogue):
    response = client_for(Role.DONOR).get(URL, {"fy": 2026, "quarter": 2, "by": "sex,institution"})
    assert response.status_code == 200
    body = response.json()
    assert body["parameters"]["audience"] == "donor"
    assert body["parameters"]["by"] == ["sex", "institution"]
    q2 = periods(body, "REACH")["FY2026Q2"]
    # One person reached in Q2, below k = 10: hidden, flagged, and the target still shown.
    assert q2["suppressed"] is True and q2["actual"] is None and q2["n"] is None
    assert q2["target"] == 10.0
    crossed = next(
        b for b in body["indicators"][0]["breakdowns"] if b["dimensions"] == ["sex", "institution"]
    )
    assert all(row["suppressed"] for row in crossed["rows"] if row["n"] is None)
    assert any("suppressed" in note for note in body["footnotes"])


def test_staff_get_the_unsuppressed_figures(catalogue):
    response = client_for(Role.PROGRAM_STAFF).get(
        URL, {"fy": 2026, "quarter": 2, "audience": "staff"}
    )
    assert response.status_code == 200
    q2 = periods(response.json(), "REACH")["FY2026Q2"]
    assert q2["actual"] == 1 and q2["suppressed"] is False
    assert q2["percent_of_target"] == 10.0
    assert periods(response.json(), "DONE")["FY2026Q2"]["actual"] == 2


def test_a_donor_asking_for_the_staff_view_is_refused(catalogue):
    response = client_for(Role.DONOR).get(URL, {"fy": 2026, "audience": "staff"})
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({}, "fy"),
        ({"fy": "dos mil"}, "fy"),
        ({"fy": 1999}, "fy"),
        ({"fy": 2026, "quarter": 5}, "quarter"),
        ({"fy": 2026, "by": "sex,shoe_size"}, "by"),
        ({"fy": 2026, "by": "ethnicity"}, "by"),  # never in a donor's report
        ({"fy": 2026, "by": "sex,region,institution,position"}, "by"),
        ({"fy": 2026, "audience": "press"}, "audience"),
    ],
)
def test_bad_parameters_answer_400_naming_the_parameter(db, query, parameter):
    response = client_for(Role.PROGRAM_STAFF).get(URL, query)
    assert response.status_code == 400
    assert parameter in response.json()


def test_people_without_the_permission_are_refused(db):
    assert client_for(Role.TRAINER).get(URL, {"fy": 2026}).status_code == 403
    assert client_for(Role.PARTICIPANT).get(URL, {"fy": 2026}).status_code == 403
    assert APIClient().get(URL, {"fy": 2026}).status_code == 401


def test_the_catalogue_lists_codes_definitions_and_targets(catalogue):
    response = client_for(Role.DONOR).get("/api/v1/reports/indicators/")
    assert response.status_code == 200
    rows = {row["code"]: row for row in response.json()["results"]}
    assert set(rows) == {"REACH", "DONE"}
    assert rows["REACH"]["measure"] == "reached"
    assert rows["REACH"]["disaggregations"] == ["institution"]
    assert {(t["fiscal_year"], t["quarter"]) for t in rows["REACH"]["targets"]} == {
        (2026, None),
        (2026, 2),
    }
    assert client_for(Role.TRAINER).get("/api/v1/reports/indicators/").status_code == 403


def test_the_schema_documents_the_report_parameters(db):
    response = APIClient().get("/api/v1/schema/?format=json")
    operation = response.json()["paths"]["/api/v1/reports/participation/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert names >= {"fy", "quarter", "by", "audience", "k"}
    assert "400" in operation["responses"]
