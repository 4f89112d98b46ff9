"""python manage.py participation_report: the file is written, the summary line is printed,
and a bad parameter is an error that names it."""

import csv
import io
import json

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from tests.reports.conftest import indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(programme):
    indicator("REACH", "reached", disaggregations=["institution"])
    indicator("DONE", "completions")
    return programme


def run(*args) -> tuple[str, str]:
    """The command in English (the site's default is Spanish)."""
    out, err = io.StringIO(), io.StringIO()
    with translation.override("en"):
        call_command("participation_report", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_json_file_and_summary_line(catalogue, tmp_path):
    target = tmp_path / "q2.json"
    out, _err = run("--fy", "2026", "--quarter", "2", "--format", "json", "--out", str(target))
    report = json.loads(target.read_text(encoding="utf-8"))
    assert report["parameters"]["period"]["key"] == "FY2026Q2"
    assert {i["code"] for i in report["indicators"]} == {"REACH", "DONE"}
    size = target.stat().st_size
    assert out.strip().startswith(str(target))
    assert f"{size} bytes" in out
    assert "2 indicators" in out
    assert "suppressed cells" in out


def test_staff_csv_by_sex_and_institution(catalogue, tmp_path):
    target = tmp_path / "fy.csv"
    run(
        "--fy", "2026", "--by", "sex,institution", "--format", "csv", "--audience", "staff",
        "--out", str(target),
    )  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    year = next(
        r for r in rows if r["section"] == "itt" and r["indicator_code"] == "REACH"
        and r["period"] == "FY2026"
    )  # fmt: skip
    assert year["value"] == "5"
    assert any(r["dimension_2"] for r in rows if r["section"] == "breakdown")


def test_xlsx_file(catalogue, tmp_path):
    target = tmp_path / "fy.xlsx"
    run("--fy", "2026", "--format", "xlsx", "--out", str(target), "--k", "5")
    book = openpyxl.load_workbook(target)
    assert "ITT" in book.sheetnames


def test_out_dash_writes_json_to_standard_output(catalogue):
    out, err = run("--fy", "2026", "--format", "json", "--out", "-")
    assert json.loads(out)["parameters"]["fiscal_year"] == 2026
    assert err.strip().startswith("-:")


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--fy", "1999"], "--fy"),
        (["--fy", "2026", "--quarter", "7"], "--quarter"),
        (["--fy", "2026", "--by", "sex,shoe"], "--by"),
        (["--fy", "2026", "--audience", "press"], "--audience"),
        (["--fy", "2026", "--format", "docx"], "--format"),
        (["--fy", "2026", "--format", "xlsx", "--out", "-"], "--out"),
        (["--fy", "2026", "--k", "1"], "--k"),
    ],
)
def test_bad_parameters_name_the_parameter(db, tmp_path, args, named):
    if "--out" not in args:
        args = [*args, "--out", str(tmp_path / "x.json")]
    with pytest.raises(CommandError, match=named):
        run(*args)
    assert not (tmp_path / "x.json").exists()


def test_pdf_file(catalogue, tmp_path):
    target = tmp_path / "q2.pdf"
    out, _err = run("--fy", "2026", "--quarter", "2", "--format", "pdf", "--out", str(target))
    assert target.read_bytes().startswith(b"%PDF")
    assert f"{target.stat().st_size} bytes" in out
