"""The tabular import engine shared by every import (participants, registrations, scores).

It reads CSV (UTF-8 with or without BOM, UTF-16, Windows-1252; ',', ';' or tab) and XLSX into
rows of text, maps Spanish or English headers onto canonical column names, and collects every
problem as (row, column, message) so that callers can refuse a file as a whole. Nothing here
writes to the database. Rows are numbered as a spreadsheet shows them: the header is row 1.
"""

import csv
import dataclasses
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from lms.validators import fold

XLSX_MAGIC = b"PK\x03\x04"
MAX_ROWS = 200_000


class NumericCell(str):
    """Text of a spreadsheet cell that held a number (so a leading zero may have been lost)."""

    __slots__ = ()


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}

    def __str__(self):
        where = _("row %(row)s") % {"row": self.row}
        if self.column:
            where += f", {self.column}"
        return f"{where}: {self.message}"


@dataclass
class ImportOutcome:
    """What every import reports: its counts (in subclasses) and the rows it refused."""

    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {"ok": self.ok, **dataclasses.asdict(self)}


class ImportFileError(Exception):
    """The file cannot be read at all (empty, wrong format, missing columns)."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, cells)
    source_format: str  # "csv:<encoding>" or "xlsx"
    delimiter: str = ""


@dataclass(frozen=True)
class Column:
    name: str  # canonical English name, also the key of the parsed row
    aliases: tuple[str, ...] = ()
    required: bool = False
    parse: Callable[[str], object] | None = None


@dataclass
class ColumnMap:
    index: dict[str, int]  # canonical name -> position in the row
    header_names: dict[str, str]  # canonical name -> header as written in the file
    ignored: list[str] = field(default_factory=list)


def _header_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", fold(text)).strip("_")


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _read_csv(data: bytes) -> Table:
    try:
        text, encoding = _decode(data)
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            [RowError(1, "", _("The file's character encoding cannot be read."))]
        ) from exc
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max([";", ",", "\t"], key=first_line.count) if first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    try:
        for line_no, cells in enumerate(reader, start=1):
            if headers is None:
                if not any(c.strip() for c in cells):
                    continue
                headers = cells
                continue
            rows.append((line_no, cells))
            if len(rows) > MAX_ROWS:
                raise ImportFileError(
                    [
                        RowError(
                            line_no, "", _("The file has more than %(n)s rows.") % {"n": MAX_ROWS}
                        )
                    ]
                )
    except csv.Error as exc:
        raise ImportFileError(
            [RowError(reader.line_num, "", _("Malformed CSV: %(err)s") % {"err": exc})]
        ) from exc
    if headers is None:
        raise ImportFileError([RowError(1, "", _("The file is empty."))])
    return Table(headers=headers, rows=rows, source_format=f"csv:{encoding}", delimiter=delimiter)


def _xlsx_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return NumericCell(str(value))
    if isinstance(value, float):
        return NumericCell(str(int(value)) if value.is_integer() else repr(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    # Formulas arrive as their text ("=1+2"): they are never evaluated.
    return str(value)


# An XLSX is a ZIP: a few kilobytes can inflate to gigabytes (a "zip bomb"). Refuse a workbook
# whose parts would inflate past this, before anything is decompressed.
MAX_XLSX_UNCOMPRESSED = 200 * 1024 * 1024


def _unreadable_xlsx() -> ImportFileError:
    return ImportFileError([RowError(1, "", _("This is not a readable XLSX workbook."))])


def _check_xlsx_size(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, NotImplementedError, OSError, ValueError, EOFError) as exc:
        # NotImplementedError: a damaged header asks for an unknown zip version.
        raise _unreadable_xlsx() from exc
    if inflated > MAX_XLSX_UNCOMPRESSED:
        raise ImportFileError(
            [
                RowError(
                    1,
                    "",
                    _(
                        "This workbook would take %(size)s MB once uncompressed; the limit is "
                        "%(limit)s MB. Save the data as CSV or split the file."
                    )
                    % {
                        "size": inflated // (1024 * 1024),
                        "limit": MAX_XLSX_UNCOMPRESSED // (1024 * 1024),
                    },
                )
            ]
        )


def _read_xlsx(data: bytes) -> Table:
    _check_xlsx_size(data)
    # A damaged workbook fails inside zipfile, zlib or openpyxl in many ways (zlib.error,
    # EOFError, IndexError, "encrypted" RuntimeError... found by tests/lms/test_import_properties.py),
    # when opened and, read-only, while its rows are read: all of them mean "not readable".
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:
        raise _unreadable_xlsx() from exc
    try:
        sheet = workbook.worksheets[0]
        headers = None
        rows = []
        for row_no, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_xlsx_text(v) for v in values]
            if headers is None:
                if not any(c.strip() for c in cells):
                    continue
                headers = cells
                continue
            rows.append((row_no, cells))
            if len(rows) > MAX_ROWS:
                raise ImportFileError(
                    [
                        RowError(
                            row_no, "", _("The file has more than %(n)s rows.") % {"n": MAX_ROWS}
                        )
                    ]
                )
    except ImportFileError:
        raise
    except Exception as exc:
        raise _unreadable_xlsx() from exc
    finally:
        workbook.close()
    if headers is None:
        raise ImportFileError([RowError(1, "", _("The file is empty."))])
    return Table(headers=headers, rows=rows, source_format="xlsx")


def read_table(data: bytes, filename: str = "") -> Table:
    if not data or not data.strip():
        raise ImportFileError([RowError(1, "", _("The file is empty."))])
    if data.startswith(XLSX_MAGIC) or filename.lower().endswith((".xlsx", ".xlsm")):
        return _read_xlsx(data)
    if filename.lower().endswith(".xls"):
        raise ImportFileError(
            [RowError(1, "", _("Old .xls workbooks are not supported: save as .xlsx or CSV."))]
        )
    return _read_csv(data)


def map_columns(headers: list[str], columns: Iterable[Column]) -> ColumnMap:
    """Find each known column by its English or Spanish name; missing required ones are errors."""
    columns = list(columns)
    lookup = {}
    for column in columns:
        for key in (column.name, *column.aliases):
            lookup[_header_key(key)] = column.name
    index: dict[str, int] = {}
    header_names: dict[str, str] = {}
    ignored: list[str] = []
    errors: list[RowError] = []
    for pos, header in enumerate(headers):
        key = _header_key(header)
        if not key:
            continue
        name = lookup.get(key)
        if name is None:
            ignored.append(header.strip())
        elif name in index:
            errors.append(
                RowError(
                    1,
                    header.strip(),
                    _("This column appears twice (also as “%(other)s”).")
                    % {"other": header_names[name]},
                )
            )
        else:
            index[name] = pos
            header_names[name] = header.strip()
    for column in columns:
        if column.required and column.name not in index:
            names = " / ".join((column.name, *column.aliases[:1]))
            errors.append(
                RowError(
                    1, column.name, _("Required column “%(names)s” is missing.") % {"names": names}
                )
            )
    if errors:
        raise ImportFileError(errors)
    return ColumnMap(index=index, header_names=header_names, ignored=ignored)


def cell(cells: list[str], colmap: ColumnMap, name: str) -> str:
    pos = colmap.index.get(name)
    if pos is None or pos >= len(cells):
        return ""
    value = cells[pos]
    stripped = value.strip()
    if isinstance(value, NumericCell):
        return NumericCell(stripped)
    return stripped


def messages_of(exc: ValidationError) -> str:
    return " ".join(exc.messages)
