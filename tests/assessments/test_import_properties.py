"""Properties of the paper-score import (hypothesis): any file gives a clean import or errors by
row and column, never a crash and never part of a file written; scores are stored as written.

Examples share one workshop (built once per test) and run in savepoints that are rolled back.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from assessments.models import WorkshopScore
from assessments.scores_import import TEST_WORDS, import_scores
from attendance.services import register
from tests.attendance.factories import build_workshop
from tests.attendance.test_import_properties import PROPERTY, assert_errors_name_row_and_column
from tests.factories import PersonFactory
from tests.lms.test_import_properties import csv_bytes, dni_spellings, nasty_text, rolled_back

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

NUMBERS = ["10117410", "40123456"]
HEADERS = ["DNI", "Prueba", "Puntaje", "Puntaje máximo"]


@pytest.fixture
def workshop():
    workshop = build_workshop(
        code="CUS-2026-003", sessions=1, starts=dt.datetime(2026, 3, 2, 14, 0, tzinfo=dt.UTC)
    )
    for number in NUMBERS:
        register(workshop=workshop, person=PersonFactory(document_number=number))
    return workshop


score_cell = st.one_of(
    nasty_text,
    st.sampled_from(
        [*NUMBERS, "pre", "post", "Salida", "0", "20", "12,5", "1e9", "-1", "NaN", "100000"]
    ),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)


@PROPERTY
@given(rows=st.lists(st.lists(score_cell, max_size=5), max_size=6))
def test_any_score_rows_give_a_result_or_errors_and_write_nothing_on_failure(workshop, rows):
    data = csv_bytes([HEADERS, *rows])
    with rolled_back():
        before = WorkshopScore.objects.count()
        result = import_scores(workshop=workshop, data=data, filename="notas.csv")
        if result.ok:
            assert WorkshopScore.objects.count() == before + result.created
        else:
            assert WorkshopScore.objects.count() == before
            assert_errors_name_row_and_column(result, HEADERS)


# Scores as a paper sheet has them: up to two decimals, a comma or a point.
cents = st.integers(min_value=0, max_value=10_000)


@PROPERTY
@given(
    scores=st.dictionaries(
        st.tuples(st.sampled_from(NUMBERS), st.sampled_from(["pre", "post"])),
        st.tuples(cents, cents).map(sorted),
        min_size=1,
    ),
    data=st.data(),
)
def test_scores_are_stored_as_written_and_again_change_nothing(workshop, scores, data):
    rows = [HEADERS]
    for (number, kind), (score, maximum) in scores.items():
        maximum = max(maximum, 1)
        word = data.draw(st.sampled_from([w for w, k in TEST_WORDS.items() if k == kind]))
        comma = data.draw(st.booleans())
        written = [
            f"{Decimal(v) / 100}".replace(".", "," if comma else ".") for v in (score, maximum)
        ]
        rows.append([data.draw(dni_spellings(number)), word, *written])
    file = csv_bytes(rows, delimiter=";")
    with rolled_back():
        first = import_scores(workshop=workshop, data=file, filename="notas.csv")
        assert first.ok, first.errors

        stored = {
            (s.registration.person.document_number, s.kind): (s.score, s.max_score)
            for s in WorkshopScore.objects.select_related("registration__person")
        }
        assert stored == {
            key: (Decimal(score) / 100, Decimal(max(maximum, 1)) / 100)
            for key, (score, maximum) in scores.items()
        }
        again = import_scores(workshop=workshop, data=file, filename="notas.csv")
        assert (again.created, again.changed, again.unchanged) == (0, 0, len(scores))


# --- Found by the properties above ---------------------------------------------------------------

TOO_BIG_OR_TOO_FINE = ["100000", "99999,999", "1e6", "0,001", "1e-30"]


@pytest.mark.parametrize("score", TOO_BIG_OR_TOO_FINE)
def test_a_score_the_column_cannot_hold_is_a_row_error(workshop, score):
    """Over 99999.99 used to crash the import (decimal.InvalidOperation on SQLite, "numeric field
    overflow" on PostgreSQL); more than two decimals were silently rounded."""
    data = csv_bytes([HEADERS, ["10117410", "pre", score, "1e7" if "e6" in score else "100000,00"]])

    result = import_scores(workshop=workshop, data=data, filename="notas.csv")

    assert not result.ok
    assert {(e.row, e.column) for e in result.errors} >= {(2, "Puntaje")}
    assert WorkshopScore.objects.count() == 0


@pytest.mark.parametrize("score", TOO_BIG_OR_TOO_FINE)
def test_the_score_grid_refuses_a_score_the_column_cannot_hold(client, staff_user, workshop, score):
    registration = workshop.registrations.first()
    client.force_login(staff_user)

    response = client.post(
        reverse("assessments_workshop_scores", args=[workshop.pk]),
        {"max_pre": score, "max_post": "20", f"pre_{registration.pk}": score},
    )

    assert response.status_code == 200  # the grid again, with the cell marked
    assert WorkshopScore.objects.count() == 0
