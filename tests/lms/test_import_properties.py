"""Properties of the participant import (hypothesis): whatever the file, a clean import or a list
of errors by row and column, never a crash and never half a file in the registry.

Each example runs in a savepoint that is rolled back, so examples do not see each other's people.
Examples are few and derandomised: the same cases run in CI every time.
"""

import datetime as dt
import io
import unicodedata
from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from stdnum.pe import cui

from lms.importing import ImportFileError, map_columns, read_table
from lms.models import Person
from lms.services.participant_import import COLUMNS, import_participants

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PROPERTY = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

HEADERS = {
    "document_type": "Tipo de documento",
    "document_number": "Número de documento",
    "given_names": "Nombres",
    "family_names": "Apellidos",
    "sex": "Sexo",
    "birth_date": "Fecha de nacimiento",
}
CANONICAL = {column.name for column in COLUMNS}


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def csv_bytes(rows: list[list[str]], *, delimiter: str = ";", encoding: str = "utf-8") -> bytes:
    def quoted(value: str) -> str:
        if any(c in value for c in (delimiter, '"', "\n", "\r")):
            return '"' + value.replace('"', '""') + '"'
        return value

    text = "\r\n".join(delimiter.join(quoted(c) for c in row) for row in rows) + "\r\n"
    return text.encode(encoding)


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def assert_errors_name_row_and_column(result, headers: list[str], data_rows: int) -> None:
    written = {h.strip() for h in headers}
    for error in result.errors:
        assert error.message
        assert 0 <= error.row <= data_rows + 1
        assert error.column == "" or error.column in written | CANONICAL, error


# --- Any file ------------------------------------------------------------------------------------

# Cells that stress the reader: separators, quotes, line breaks, formulas, accents, control bytes.
nasty_text = st.text(
    alphabet=st.sampled_from(list("0123456789abcXYZ ñÑáéÓü'’\";,\t\r\n=+-@\x00\x1a/.")),
    max_size=12,
)


@PROPERTY
@given(data=st.binary(max_size=600), filename=st.sampled_from(["p.csv", "p.xlsx", "p.xls", ""]))
def test_any_bytes_give_a_result_or_errors_and_write_nothing_on_failure(data, filename):
    with rolled_back():
        before = Person.objects.count()
        result = import_participants(data=data, filename=filename)
        if not result.ok:
            assert Person.objects.count() == before
            assert all(e.message for e in result.errors)


@PROPERTY
@given(
    cells=st.lists(st.lists(nasty_text, min_size=0, max_size=8), min_size=0, max_size=6),
    delimiter=st.sampled_from([";", ",", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_rows_of_junk_under_real_headers_are_refused_by_row_and_column(cells, delimiter, encoding):
    headers = list(HEADERS.values())
    data = csv_bytes([headers, *cells], delimiter=delimiter, encoding=encoding)
    with rolled_back():
        before = Person.objects.count()
        result = import_participants(data=data, filename="participantes.csv")
        if result.ok:
            assert result.created + result.updated + result.unchanged == result.total_rows
        else:
            assert Person.objects.count() == before
            # A quoted cell may hold line breaks: rows are counted as the CSV reader counts them.
            assert_errors_name_row_and_column(result, headers, data_rows=data.count(b"\n") + 1)


@PROPERTY
@given(
    position=st.integers(min_value=0, max_value=10_000),
    value=st.integers(min_value=0, max_value=255),
)
def test_a_damaged_workbook_is_refused_as_a_file_error(position, value):
    """Bytes flipped inside a real XLSX: either it still reads, or ImportFileError, nothing else."""
    data = bytearray(
        xlsx_bytes([list(HEADERS.values()), ["1", "10117410", "Ana", "Ñañez", "F", ""]])
    )
    data[position % len(data)] = value
    try:
        table = read_table(bytes(data), "participantes.xlsx")
        map_columns(table.headers, COLUMNS)
    except ImportFileError as exc:
        assert exc.errors and all(e.row == 1 for e in exc.errors)


# --- Valid files ---------------------------------------------------------------------------------

LETTERS = "abcdefghijklmnopqrstuvwxyzáéíóúñü"
word = st.text(alphabet=LETTERS, min_size=1, max_size=8).map(
    lambda w: unicodedata.normalize("NFC", w[0].upper() + w[1:])
)
# "María José", "D'Ángelo", "Ñahui-Quispe", "O’Neill": words joined by space, apostrophe or hyphen.
name = st.builds(
    lambda first, rest: first + "".join(sep + w for sep, w in rest),
    word,
    st.lists(st.tuples(st.sampled_from([" ", "'", "’", "-"]), word), max_size=3),
)
dni = st.integers(min_value=0, max_value=99_999_999).map(lambda n: f"{n:08d}")
birth_date = st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2005, 12, 31))


@st.composite
def people(draw, min_size=1, max_size=6):
    numbers = draw(st.lists(dni, min_size=min_size, max_size=max_size, unique=True))
    return [
        {
            "document_number": number,
            "given_names": draw(name),
            "family_names": draw(name),
            "sex": draw(st.sampled_from(["F", "M", "X"])),
            "birth_date": draw(birth_date),
        }
        for number in numbers
    ]


def spelled(person: dict, *, date_format: str = "%Y-%m-%d", number: str | None = None) -> list:
    return [
        "DNI",
        number or person["document_number"],
        person["given_names"],
        person["family_names"],
        person["sex"],
        person["birth_date"].strftime(date_format),
    ]


def encode(rows: list[list[str]], file_format: str) -> tuple[bytes, str]:
    if file_format == "xlsx":
        return xlsx_bytes(rows), "participantes.xlsx"
    encoding, delimiter = file_format.split("|")
    return csv_bytes(rows, delimiter=delimiter, encoding=encoding), "participantes.csv"


FORMATS = st.sampled_from(["utf-8|;", "utf-8-sig|,", "utf-16|\t", "cp1252|;", "xlsx"])


@PROPERTY
@given(
    everyone=people(),
    file_format=FORMATS,
    date_format=st.sampled_from(["%Y-%m-%d", "%d/%m/%Y"]),
)
def test_valid_rows_are_stored_exactly_as_written(everyone, file_format, date_format):
    if file_format.startswith("cp1252"):
        # In Windows-1252 "Í’" is also valid UTF-8 (another letter): the reader cannot tell.
        assume(not any("’" in p["given_names"] + p["family_names"] for p in everyone))
    rows = [list(HEADERS.values()), *[spelled(p, date_format=date_format) for p in everyone]]
    data, filename = encode(rows, file_format)
    with rolled_back():
        result = import_participants(data=data, filename=filename)

        assert result.ok, result.errors
        assert result.created == len(everyone)
        for p in everyone:
            stored = Person.objects.get(document_type="1", document_number=p["document_number"])
            assert stored.given_names == p["given_names"]
            assert stored.family_names == p["family_names"]
            assert stored.sex == p["sex"]
            assert stored.birth_date == p["birth_date"]


@st.composite
def dni_spellings(draw, number: str) -> str:
    """The same DNI as people type it: spaces anywhere, its check character with or without a
    dash (digit or letter form)."""
    check = cui.calc_check_digits(number)
    suffix = draw(st.sampled_from(["", f"-{check[0]}", f"-{check[1]}", check[0], check[1]]))
    spelled = number + suffix
    cuts = draw(st.lists(st.integers(0, len(spelled)), max_size=3, unique=True))
    for cut in sorted(cuts, reverse=True):
        spelled = spelled[:cut] + " " + spelled[cut:]
    return spelled


@PROPERTY
@given(everyone=people(max_size=3), data=st.data())
def test_a_dni_spelled_differently_is_the_same_person(everyone, data):
    header = list(HEADERS.values())
    with rolled_back():
        first = import_participants(
            data=csv_bytes([header, *[spelled(p) for p in everyone]]), filename="a.csv"
        )
        assert first.ok, first.errors
        count = Person.objects.count()

        again = [
            spelled(p, number=data.draw(dni_spellings(p["document_number"]))) for p in everyone
        ]
        second = import_participants(data=csv_bytes([header, *again]), filename="b.csv")

        assert second.ok, second.errors
        assert (second.created, second.unchanged) == (0, len(everyone))
        assert Person.objects.count() == count


@PROPERTY
@given(everyone=people(max_size=4), data=st.data())
def test_the_same_people_twice_never_make_duplicates(everyone, data):
    header = list(HEADERS.values())
    rows = [spelled(p) for p in everyone]
    with rolled_back():
        before = Person.objects.count()
        repeated = data.draw(st.sampled_from(range(len(rows))))
        twice = import_participants(
            data=csv_bytes([header, *rows, rows[repeated]]), filename="twice.csv"
        )
        # The repeated row is refused, naming its row (the header is row 1) and the column.
        assert not twice.ok
        assert (len(rows) + 2, HEADERS["document_number"]) in {
            (e.row, e.column) for e in twice.errors
        }
        assert Person.objects.count() == before

        # The same file imported twice: the second time changes nothing.
        file = csv_bytes([header, *rows])
        assert import_participants(data=file, filename="once.csv").created == len(rows)
        again = import_participants(data=file, filename="once.csv")
        assert (again.created, again.updated, again.unchanged) == (0, 0, len(rows))
        assert Person.objects.count() == before + len(rows)


BAD_CELLS = {
    "document_number": ["1234567", "123456789", "ABC", "10117410-9"],
    "given_names": ["", "=HYPERLINK(1)", "Ana2", "JosÃ©"],
    "family_names": ["", "+51", "@x"],
    "sex": ["Q", "mujeres"],
    "birth_date": ["31/02/1990", "1990-13-01", "2999-01-01", "ayer"],
}


@PROPERTY
@given(
    everyone=people(min_size=2, max_size=6),
    column=st.sampled_from(sorted(BAD_CELLS)),
    data=st.data(),
)
def test_one_bad_cell_refuses_the_whole_file_naming_row_and_column(everyone, column, data):
    rows = [spelled(p) for p in everyone]
    bad_row = data.draw(st.sampled_from(range(len(rows))))
    rows[bad_row][list(HEADERS).index(column)] = data.draw(st.sampled_from(BAD_CELLS[column]))
    with rolled_back():
        before = Person.objects.count()
        result = import_participants(
            data=csv_bytes([list(HEADERS.values()), *rows]), filename="p.csv"
        )

        assert not result.ok
        assert (bad_row + 2, HEADERS[column]) in {(e.row, e.column) for e in result.errors}
        assert Person.objects.count() == before


# --- Found by the properties above ---------------------------------------------------------------


def damaged_workbook() -> bytes:
    """A real workbook whose parts claim to be encrypted: zipfile then raises RuntimeError (like
    the zlib.error, EOFError or IndexError of other damage), which used to escape as a 500."""
    data = bytearray(xlsx_bytes([list(HEADERS.values()), ["1", "10117410", "Ana", "Ñañez"]]))
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) != -1:
        data[start + 8] |= 0x01  # general purpose flags of a central directory entry
        start += 4
    return bytes(data)


def test_a_damaged_workbook_is_refused_with_a_row_1_error(staff_api):
    result = import_participants(data=damaged_workbook(), filename="participantes.xlsx")

    assert [(e.row, e.message) for e in result.errors] == [
        (1, "This is not a readable XLSX workbook.")
    ]
    upload = SimpleUploadedFile(
        "participantes.xlsx",
        damaged_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response = staff_api.post("/api/v1/participants/import/", {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"][0]["row"] == 1
    assert Person.objects.count() == 0
