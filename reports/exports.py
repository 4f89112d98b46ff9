"""The participation report as files: CSV (one long table), XLSX (one sheet per part) and JSON.

Every format renders ``Report.as_dict()`` (reports.services) and nothing else, so a donor's file
holds exactly the aggregates of the donor view: never a row per person.

CSV, one row per figure, with fixed snake_case column names (``CSV_HEADER``) so it can be loaded
as is (DevResults, ActivityInfo, pandas):

- ``section``: ``itt`` (a period of the Indicator Tracking Table), ``breakdown`` (a cell of a
  disaggregation table), ``knowledge_gain`` (one statistic of the summary), then ``parameter``
  (the report's parameters, generation time and audit chain head: ``name`` is the parameter,
  ``value`` its value) and ``footnote`` (``name`` is the text).
- ``suppressed`` and ``restated`` are ``true`` / ``false``; a suppressed cell has empty ``value``
  and ``n``. The ``reported_value`` is the figure as first reported to the donor, if any.
- Breakdown cells name up to three dimensions (``dimension_1``, ``category_1``...); a
  category ``Total`` is the margin of that dimension.

Text that a spreadsheet would run as a formula is neutralised (lms.exports); in the XLSX every
text cell is stored as a string, never a formula.
"""

from __future__ import annotations

import io
import json

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from lms.exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, plain_value, write_csv

FORMATS = ("csv", "xlsx", "json", "iati")
JSON_CONTENT_TYPE = "application/json; charset=utf-8"
MAX_DIMENSIONS = 3

CSV_HEADER = [
    "section",
    "indicator_code",
    "indicator_version",
    "indicator_name",
    "unit",
    "period",
    "period_kind",
    *[f"{part}_{n}" for n in range(1, MAX_DIMENSIONS + 1) for part in ("dimension", "category")],
    "value",
    "n",
    "target",
    "percent_of_target",
    "suppressed",
    "reported_value",
    "restated",
    "to_date",
    "name",
]
KNOWLEDGE_GAIN_KEYS = [
    "n_pre",
    "n_post",
    "n_matched",
    "attrition",
    "post_without_pre",
    "excluded_at_ceiling",
    "mean_pre",
    "mean_post",
    "mean_difference",
    "percent_improved",
    "percent_mastered",
    "hake_gain",
    "mean_individual_gain",
]


def filename(report: dict, fmt: str) -> str:
    """``reporte-FY2026-Q2-donor.csv`` (``reporte-FY2026-donor.csv`` for a whole year)."""
    parameters = report["parameters"]
    period = f"FY{parameters['fiscal_year']}"
    if parameters.get("quarter"):
        period += f"-Q{parameters['quarter']}"
    return f"reporte-{period}-{parameters['audience']}.{fmt}"


def render(report: dict, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the report in ``fmt``: csv, xlsx, json or iati
    (an IATI 2.03 activity file; donor reports only)."""
    if fmt == "csv":
        return to_csv(report), CSV_CONTENT_TYPE, filename(report, fmt)
    if fmt == "xlsx":
        return to_xlsx(report), XLSX_CONTENT_TYPE, filename(report, fmt)
    if fmt == "json":
        return to_json(report), JSON_CONTENT_TYPE, filename(report, fmt)
    if fmt == "iati":
        # Published to the IATI registry: donor (suppressed) reports only (ValueError otherwise).
        from reports.iati import IATI_CONTENT_TYPE, iati_activities_xml

        return iati_activities_xml(report), IATI_CONTENT_TYPE, filename(report, "xml")
    raise ValueError(f"Unknown format {fmt!r}: choose from {', '.join(FORMATS)}.")


def to_json(report: dict) -> bytes:
    return json.dumps(report, ensure_ascii=False, indent=2).encode("utf-8")


# --- Rows shared by CSV and XLSX -------------------------------------------------------------


def _flag(value: bool) -> str:
    return "true" if value else "false"


def parameter_rows(report: dict) -> list[tuple[str, object]]:
    """(name, value) of the report's parameters, generation time and audit chain head."""
    parameters = report["parameters"]
    period = parameters.get("period") or {}
    head = report.get("audit_head") or {}
    return [
        ("fiscal_year", parameters.get("fiscal_year")),
        ("quarter", parameters.get("quarter")),
        ("period", period.get("key")),
        ("period_starts", period.get("starts")),
        ("period_ends", period.get("ends")),
        ("by", ",".join(parameters.get("by") or [])),
        ("audience", parameters.get("audience")),
        ("k", parameters.get("k")),
        ("project_start", parameters.get("project_start")),
        ("generated_at", report.get("generated_at")),
        ("audit_head_seq", head.get("seq")),
        ("audit_head_hash", head.get("hash")),
    ]


def _dimension_cells(breakdown: dict, row: dict) -> list:
    cells = []
    for n in range(MAX_DIMENSIONS):
        if n < len(breakdown["dimensions"]):
            dimension = breakdown["dimensions"][n]
            cells += [breakdown["dimension_labels"][n], row["labels"].get(dimension, "")]
        else:
            cells += ["", ""]
    return cells


def _reported_value(period: dict):
    reported = period.get("reported")
    return reported.get("value") if reported else None


def csv_rows(report: dict) -> list[list]:
    rows = []
    blank_dims = [""] * (2 * MAX_DIMENSIONS)
    for ind in report["indicators"]:
        head = ["itt", ind["code"], ind["version"], ind["name"], ind["unit"]]
        for period in ind["periods"]:
            rows.append(
                [
                    *head,
                    period["key"],
                    period["kind"],
                    *blank_dims,
                    period["actual"],
                    period["n"],
                    period["target"],
                    period["percent_of_target"],
                    _flag(period["suppressed"]),
                    _reported_value(period),
                    _flag(period["restated"]),
                    _flag(period["to_date"]),
                    "",
                ]
            )
        head[0] = "breakdown"
        for breakdown in ind["breakdowns"]:
            for row in breakdown["rows"]:
                rows.append(
                    [
                        *head,
                        ind["period"],
                        "breakdown",
                        *_dimension_cells(breakdown, row),
                        row["value"],
                        row["n"],
                        "",
                        "",
                        _flag(row["suppressed"]),
                        "",
                        "",
                        "",
                        "",
                    ]
                )
    gain = report.get("knowledge_gain") or {}
    period_key = (report["parameters"].get("period") or {}).get("key", "")
    for key in KNOWLEDGE_GAIN_KEYS:
        if key in gain:
            rows.append(
                [
                    "knowledge_gain",
                    "",
                    "",
                    "",
                    "",
                    period_key,
                    "",
                    *blank_dims,
                    gain[key],
                    "",
                    "",
                    "",
                    _flag(bool(gain.get("suppressed"))),
                    "",
                    "",
                    "",
                    key,
                ]
            )
    for name, value in parameter_rows(report):
        rows.append(_info_row("parameter", name, value))
    for note in report.get("footnotes") or []:
        rows.append(_info_row("footnote", note, ""))
    return rows


def _info_row(section: str, name: str, value) -> list:
    row = [""] * len(CSV_HEADER)
    row[0] = section
    row[CSV_HEADER.index("value")] = value
    row[CSV_HEADER.index("name")] = name
    return row


def to_csv(report: dict) -> bytes:
    return write_csv(csv_rows(report), CSV_HEADER)


# --- XLSX ------------------------------------------------------------------------------------


def _put(sheet, row: int, values: list, *, bold: bool = False) -> None:
    """Write one row; text is always a string cell (a value starting with "=" stays text)."""
    for column, value in enumerate(values, start=1):
        value = plain_value(value)
        if value == "":
            continue
        cell = sheet.cell(row=row, column=column)
        if isinstance(value, str):
            cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell.data_type = "s"
        else:
            cell.value = value
        if bold:
            cell.font = Font(bold=True)


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def to_xlsx(report: dict) -> bytes:
    workbook = Workbook()
    itt = workbook.active
    itt.title = _("ITT")[:31]
    _put(
        itt,
        1,
        [
            _("Code"),
            _("Version"),
            _("Indicator"),
            _("Level"),
            _("Unit"),
            _("Baseline"),
            _("Period"),
            _("Target"),
            _("Actual"),
            _("n"),
            _("% of target"),
            _("Suppressed"),
            _("First reported"),
            _("Restated"),
            _("To date"),
        ],
        bold=True,
    )
    line = 2
    for ind in report["indicators"]:
        for period in ind["periods"]:
            _put(
                itt,
                line,
                [
                    ind["code"],
                    ind["version"],
                    ind["name"],
                    ind["level"],
                    ind["unit"],
                    ind["baseline"],
                    period["label"],
                    period["target"],
                    period["actual"],
                    period["n"],
                    period["percent_of_target"],
                    _yes_no(period["suppressed"]),
                    _reported_value(period),
                    _yes_no(period["restated"]),
                    _yes_no(period["to_date"]),
                ],
            )
            line += 1

    tables = workbook.create_sheet(_("Breakdowns")[:31])
    dims_header = []
    for n in range(1, MAX_DIMENSIONS + 1):
        dims_header += [_("Dimension %(n)s") % {"n": n}, _("Category %(n)s") % {"n": n}]
    _put(
        tables,
        1,
        [
            _("Code"),
            _("Version"),
            _("Indicator"),
            _("Period"),
            *dims_header,
            _("Value"),
            _("n"),
            _("Suppressed"),
        ],
        bold=True,
    )
    line = 2
    for ind in report["indicators"]:
        for breakdown in ind["breakdowns"]:
            for row in breakdown["rows"]:
                _put(
                    tables,
                    line,
                    [
                        ind["code"],
                        ind["version"],
                        ind["name"],
                        ind["period"],
                        *_dimension_cells(breakdown, row),
                        row["value"],
                        row["n"],
                        _yes_no(row["suppressed"]),
                    ],
                )
                line += 1

    gain_sheet = workbook.create_sheet(_("Knowledge gain")[:31])
    _put(gain_sheet, 1, [_("Statistic"), _("Value")], bold=True)
    gain = report.get("knowledge_gain") or {}
    line = 2
    for key in [*KNOWLEDGE_GAIN_KEYS, "suppressed"]:
        if key in gain:
            value = gain[key]
            _put(gain_sheet, line, [key, _yes_no(value) if key == "suppressed" else value])
            line += 1

    params = workbook.create_sheet(_("Parameters")[:31])
    _put(params, 1, [_("Parameter"), _("Value")], bold=True)
    line = 2
    for name, value in parameter_rows(report):
        _put(params, line, [name, value])
        line += 1
    line += 1
    _put(params, line, [_("Notes")], bold=True)
    for note in report.get("footnotes") or []:
        line += 1
        _put(params, line, [note])

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
