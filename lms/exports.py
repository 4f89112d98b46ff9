"""Spreadsheet files people open in Excel or LibreOffice, written so no cell can run a formula.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is evaluated
as a formula by spreadsheet programs (OWASP "CSV Injection"): ``=HYPERLINK(...)`` in a name
becomes a link that leaks data, ``=cmd|...`` once ran commands. CSV has no cell types, so such
text gets a leading single quote (also when spaces come first: some programs skip them). XLSX has
cell types: every text cell is written as a string, never a formula, and keeps its exact text.
The csv module quotes separators and quotes inside a value, so a value cannot open a new cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
import uuid
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel reads a CSV as UTF-8 only when it starts with a byte-order mark.
BOM = "\ufeff"


def safe_cell(value):
    """``value`` with a leading single quote if it is text that a spreadsheet would run as a
    formula; anything else unchanged."""
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(FORMULA_TRIGGERS) or value.lstrip(" \u00a0").startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


class SafeExportMixin:
    """For a Wagtail index view's CSV/XLSX export (``list_export``): no cell starts like a
    formula. Every view that exports personal data mixes it in first."""

    def preprocess_field_value(self, field, value, export_format):
        return safe_cell(super().preprocess_field_value(field, value, export_format))


def plain_value(value):
    """A value as a spreadsheet can hold it: numbers and booleans stay, times become local, the
    rest becomes text (JSON for lists and objects)."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | decimal.Decimal):
        return value
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


def write_csv(rows: Iterable[Sequence], header: Sequence[str]) -> bytes:
    """UTF-8 CSV with a byte-order mark, every text cell neutralised."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(str(name)) for name in header])
    for row in rows:
        writer.writerow([safe_cell(plain_value(value)) for value in row])
    return buffer.getvalue().encode("utf-8")


def write_xlsx(rows: Iterable[Sequence], header: Sequence[str], *, title: str = "Datos") -> bytes:
    """One-sheet workbook; text cells are strings (type ``s``) with their text unchanged."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    for row_number, row in enumerate([list(header), *rows], start=1):
        for column, value in enumerate(row, start=1):
            value = plain_value(value)
            if value == "":
                continue
            cell = sheet.cell(row=row_number, column=column)
            if isinstance(value, str):
                # Assigning text that starts with "=" makes openpyxl store a formula: set the
                # value, then force the type back to string.
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell.data_type = "s"
            else:
                cell.value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def attachment(data: bytes, filename: str, content_type: str) -> HttpResponse:
    """A download that is never cached (it holds personal data)."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def csv_response(rows: Iterable[Sequence], header: Sequence[str], filename: str) -> HttpResponse:
    return attachment(write_csv(rows, header), filename, CSV_CONTENT_TYPE)


def xlsx_response(rows: Iterable[Sequence], header: Sequence[str], filename: str) -> HttpResponse:
    return attachment(write_xlsx(rows, header), filename, XLSX_CONTENT_TYPE)
