"""Properties of the attendance and registration imports (hypothesis): any file gives a clean
import or errors by row and column, never a crash and never part of a file written.

Examples share one workshop (built once per test) and run in savepoints that are rolled back.
"""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attendance.attendance_import import BUILTIN_WORDS, import_attendance
from attendance.models import AttendanceRecord, Registration
from attendance.registration_import import registrations_import
from attendance.services import register
from lms.models import Person
from tests.attendance.factories import build_workshop
from tests.factories import PersonFactory
from tests.lms.test_import_properties import (
    CANONICAL,
    HEADERS,
    csv_bytes,
    dni_spellings,
    nasty_text,
    people,
    rolled_back,
    spelled,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

# The workshop fixture is built once per test on purpose: each example is rolled back.
PROPERTY = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NUMBERS = ["10117410", "40123456", "01234567"]
ATTENDANCE_HEADERS = ["Número de documento", "Sesión", "Estado"]


@pytest.fixture
def workshop():
    workshop = build_workshop(
        code="LIM-2026-014", sessions=2, starts=dt.datetime(2026, 3, 2, 14, 0, tzinfo=dt.UTC)
    )
    for number in NUMBERS:
        register(workshop=workshop, person=PersonFactory(document_number=number))
    PersonFactory(document_number="70000001")  # in the registry, not in the workshop
    return workshop


def assert_errors_name_row_and_column(result, headers) -> None:
    for error in result.errors:
        assert error.message and error.row >= 0
        assert error.column == "" or error.column in set(headers) | CANONICAL, error


attendance_cell = st.one_of(
    nasty_text,
    st.sampled_from([*NUMBERS, "70000001", "1", "2", "3", "02/03/2026", "2026-03-03"]),
    st.sampled_from([word for words in BUILTIN_WORDS.values() for word in words]),
)


@PROPERTY
@given(rows=st.lists(st.lists(attendance_cell, max_size=4), max_size=6))
def test_any_attendance_rows_give_a_result_or_errors_and_write_nothing_on_failure(workshop, rows):
    data = csv_bytes([ATTENDANCE_HEADERS, *rows])
    with rolled_back():
        before = AttendanceRecord.objects.count()
        result = import_attendance(workshop=workshop, data=data, filename="asistencia.csv")
        if result.ok:
            written = result.created + result.changed + result.unchanged
            assert AttendanceRecord.objects.count() == before + result.created
            assert written <= result.total_rows
        else:
            assert AttendanceRecord.objects.count() == before
            assert_errors_name_row_and_column(result, ATTENDANCE_HEADERS)


@PROPERTY
@given(
    marks=st.dictionaries(
        st.tuples(st.sampled_from(NUMBERS), st.sampled_from([1, 2])),
        st.sampled_from(sorted(BUILTIN_WORDS)),
        min_size=1,
    ),
    data=st.data(),
)
def test_marks_are_recorded_as_written_and_again_change_nothing(workshop, marks, data):
    rows = [ATTENDANCE_HEADERS]
    for (number, session), status in marks.items():
        word = data.draw(st.sampled_from(BUILTIN_WORDS[status]))
        rows.append([data.draw(dni_spellings(number)), str(session), word.upper()])
    file = csv_bytes(rows)
    with rolled_back():
        first = import_attendance(workshop=workshop, data=file, filename="a.csv")
        assert first.ok, first.errors

        recorded = {
            (r.person.document_number, r.session.number): r.status_id
            for r in AttendanceRecord.objects.filter(session__workshop=workshop).select_related(
                "person", "session"
            )
        }
        assert recorded == {key: str(status) for key, status in marks.items()}
        again = import_attendance(workshop=workshop, data=file, filename="a.csv")
        assert (again.created, again.changed, again.unchanged) == (0, 0, len(marks))


@PROPERTY
@given(
    rows=st.lists(
        st.lists(
            st.one_of(nasty_text, st.sampled_from(["DNI", *NUMBERS, "Ana", "Ñañez"])), max_size=6
        ),
        max_size=5,
    )
)
def test_any_registration_file_writes_everyone_or_no_one(workshop, rows):
    headers = list(HEADERS.values())
    data = csv_bytes([headers, *rows])
    with rolled_back():
        people_before = Person.objects.count()
        registrations_before = Registration.objects.count()
        result = registrations_import(workshop=workshop, data=data, filename="lista.csv")
        if result.ok:
            assert Registration.objects.count() >= registrations_before
        else:
            assert Person.objects.count() == people_before
            assert Registration.objects.count() == registrations_before
            assert_errors_name_row_and_column(result, headers)


@PROPERTY
@given(everyone=people(max_size=4))
def test_registering_the_same_file_twice_keeps_one_registration_each(workshop, everyone):
    data = csv_bytes([list(HEADERS.values()), *[spelled(p) for p in everyone]])
    with rolled_back():
        first = registrations_import(workshop=workshop, data=data, filename="lista.csv")
        assert first.ok, first.errors
        count = Registration.objects.filter(workshop=workshop).count()

        again = registrations_import(workshop=workshop, data=data, filename="lista.csv")

        assert again.ok and again.people_created == 0
        assert Registration.objects.filter(workshop=workshop).count() == count
