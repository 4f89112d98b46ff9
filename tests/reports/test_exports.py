"""The report as CSV, XLSX and JSON files: the figures a donor reads, flags, footnotes, and no
cell a spreadsheet would run as a formula."""

import csv
import io
import json

import openpyxl
import pytest
from django.utils import translation

from lms.models import Institution
from reports.exports import CSV_HEADER, render
from reports.services import participation_report
from tests.reports.conftest import indicator

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x")'


@pytest.fixture
def report_data(programme):
    # Donors never see a person's name; an institution's name is what could carry a formula.
    Institution.objects.filter(code="contraloria").update(name=FORMULA, name_en=FORMULA)
    indicator("REACH", "reached", disaggregations=["institution"])
    indicator("DONE", "completions")
    indicator("GAIN", "gain_hake", level="outcome", unit="ratio")
    return programme


def as_dict(**kwargs):
    kwargs.setdefault("fy", 2026)
    with translation.override("en"):
        return participation_report(**kwargs).as_dict()


def csv_rows(data: bytes) -> list[dict]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel opens it as UTF-8
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_csv_is_one_row_per_figure_with_the_values_of_the_report(report_data):
    data, content_type, name = render(as_dict(audience="staff", quarter=2), "csv")
    assert content_type.startswith("text/csv")
    assert name == "reporte-FY2026-Q2-staff.csv"
    rows = csv_rows(data)
    assert list(rows[0].keys()) == CSV_HEADER
    itt = {(r["indicator_code"], r["period"]): r for r in rows if r["section"] == "itt"}
    # Q2: ana took two courses (ETI and CTL) → reached once, two completions.
    assert itt[("REACH", "FY2026Q2")]["value"] == "1"
    assert itt[("DONE", "FY2026Q2")]["value"] == "2"
    assert itt[("REACH", "FY2026Q2")]["suppressed"] == "false"
    assert itt[("REACH", "LOP")]["period_kind"] == "life"
    cells = [r for r in rows if r["section"] == "breakdown" and r["indicator_code"] == "REACH"]
    assert {r["dimension_1"] for r in cells} >= {"Sex", "Institution"}
    params = {r["name"]: r["value"] for r in rows if r["section"] == "parameter"}
    assert params["fiscal_year"] == "2026"
    assert params["quarter"] == "2"
    assert params["audience"] == "staff"
    assert params["generated_at"]
    assert "audit_head_hash" in params
    assert any(r["section"] == "footnote" for r in rows)
    assert any(r["section"] == "knowledge_gain" and r["name"] == "n_matched" for r in rows)


def test_csv_of_the_donor_view_flags_suppressed_cells_and_leaves_them_empty(report_data, english):
    rows = csv_rows(render(as_dict(), "csv")[0])
    hidden = [r for r in rows if r["section"] in ("itt", "breakdown") and r["suppressed"] == "true"]
    assert hidden  # every count here is below k = 10
    assert all(r["value"] == "" and r["n"] == "" for r in hidden)
    notes = [r["name"] for r in rows if r["section"] == "footnote"]
    assert any("suppressed" in note for note in notes)
    # Never a row per person: no participant's name anywhere.
    text = render(as_dict(), "csv")[0].decode()
    assert "Ana" not in text and "Beto" not in text


def test_csv_neutralises_a_formula_in_a_label(report_data):
    rows = csv_rows(render(as_dict(audience="staff"), "csv")[0])
    labels = {r["category_1"] for r in rows if r["dimension_1"] == "Institution"}
    assert "'" + FORMULA in labels
    assert FORMULA not in labels


def test_xlsx_holds_a_formula_like_label_as_text(report_data):
    data, content_type, name = render(as_dict(audience="staff"), "xlsx")
    assert name == "reporte-FY2026-staff.xlsx"
    assert "spreadsheetml" in content_type
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames[:1] == ["ITT"]
    assert len(book.sheetnames) == 4
    found = [
        cell for sheet in book for row in sheet.iter_rows() for cell in row if cell.value == FORMULA
    ]
    assert found, "the institution's name is in the breakdowns"
    assert all(cell.data_type == "s" for cell in found)
    assert not any(
        cell.data_type == "f" for sheet in book for row in sheet.iter_rows() for cell in row
    )


def test_xlsx_sheets_carry_the_itt_the_breakdowns_the_gain_and_the_parameters(report_data):
    with translation.override("en"):
        data = render(as_dict(quarter=2), "xlsx")[0]
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["ITT", "Breakdowns", "Knowledge gain", "Parameters"]
    itt = list(book["ITT"].iter_rows(values_only=True))
    assert itt[0][:3] == ("Code", "Version", "Indicator")
    done_q2 = next(r for r in itt if r[0] == "DONE" and r[6] == "FY2026 Q2")
    # Two completions (< k = 10): suppressed for the donor, the cell is empty and flagged.
    assert done_q2[8] is None and done_q2[11] == "yes"
    params = dict(r[:2] for r in book["Parameters"].iter_rows(values_only=True) if r[0])
    assert params["fiscal_year"] == 2026
    assert params["audience"] == "donor"
    assert params["k"] == 10
    notes = [r[0] for r in book["Parameters"].iter_rows(values_only=True) if r[0]]
    assert any("suppressed" in str(note) for note in notes)


def test_json_is_the_report_itself(report_data):
    report = as_dict(quarter=2, by=["sex"])
    data, content_type, name = render(report, "json")
    assert content_type.startswith("application/json")
    assert name == "reporte-FY2026-Q2-donor.json"
    assert json.loads(data) == json.loads(json.dumps(report))


def test_an_unknown_format_is_refused(report_data):
    with pytest.raises(ValueError, match="pdf"):
        render(as_dict(), "pdf")
