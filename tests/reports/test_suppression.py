"""Small-cell suppression: primary cells below k, complementary cells so that no hidden value can
be recovered from a row or column total, flags and footnotes in the donor's report."""

from itertools import product

import pandas as pd
import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.services import participation_report
from reports.suppression import TOTAL, suppress
from tests.reports.conftest import indicator


def cube_of(counts: dict) -> pd.DataFrame:
    """A two-way table {(row, column): n} with its margins."""
    rows = sorted({r for r, _c in counts})
    cols = sorted({c for _r, c in counts})
    records = [{"a": r, "b": c, "n": counts[(r, c)]} for r, c in product(rows, cols)]
    for r in rows:
        records.append({"a": r, "b": TOTAL, "n": sum(counts[(r, c)] for c in cols)})
    for c in cols:
        records.append({"a": TOTAL, "b": c, "n": sum(counts[(r, c)] for r in rows)})
    records.append({"a": TOTAL, "b": TOTAL, "n": sum(counts.values())})
    return pd.DataFrame(records)


def hidden_cells(cube, k=10) -> set:
    flags = suppress(cube, ["a", "b"], k)
    return {(row.a, row.b) for row, hide in zip(cube.itertuples(), flags, strict=True) if hide}


def lines_with_one_hidden(cube, hidden) -> list:
    bad = []
    for fixed in ("a", "b"):
        for value, line in cube.groupby(fixed):
            n_hidden = sum((r.a, r.b) in hidden for r in line.itertuples())
            if n_hidden == 1:
                bad.append((fixed, value))
    return bad


def test_a_small_cell_is_hidden_with_complementary_cells_in_its_row_and_column():
    #            F    M
    # Lima      40   25   → 65
    # Cusco      3   30   → 33
    #           43   55   → 98
    cube = cube_of({("Lima", "F"): 40, ("Lima", "M"): 25, ("Cusco", "F"): 3, ("Cusco", "M"): 30})
    hidden = hidden_cells(cube)
    assert ("Cusco", "F") in hidden  # primary: 3 < 10
    # Cusco's total (33) and M (30) would give F = 3 away, so Cusco/M is hidden too; and the
    # F column total (43) minus Lima/F (40) would give it away as well, so Lima/F is hidden, which
    # in turn needs Lima/M.
    assert hidden == {("Cusco", "F"), ("Cusco", "M"), ("Lima", "F"), ("Lima", "M")}
    assert lines_with_one_hidden(cube, hidden) == []
    # Totals stay visible.
    assert (TOTAL, TOTAL) not in hidden and ("Cusco", TOTAL) not in hidden


def test_zeros_are_not_sensitive_and_a_line_of_zeros_needs_no_complement():
    cube = cube_of({("Lima", "F"): 0, ("Lima", "M"): 50, ("Cusco", "F"): 0, ("Cusco", "M"): 20})
    assert hidden_cells(cube) == set()


def test_when_only_the_total_could_give_a_cell_away_the_total_is_hidden():
    # Loreto has one person, a woman: Loreto/M is 0, so the Loreto total would say 1.
    cube = cube_of({("Loreto", "F"): 1, ("Loreto", "M"): 0, ("Lima", "F"): 30, ("Lima", "M"): 40})
    hidden = hidden_cells(cube)
    assert ("Loreto", "F") in hidden and ("Loreto", TOTAL) in hidden
    assert lines_with_one_hidden(cube, hidden) == []


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=40), min_size=6, max_size=6),
    st.integers(min_value=2, max_value=3),
)
def test_no_hidden_cell_is_ever_alone_in_a_line(values, n_rows):
    cols = ["F", "M", "X"] if n_rows == 2 else ["F", "M"]
    rows = [f"r{i}" for i in range(len(values) // len(cols))]
    counts = {
        (r, c): values[i * len(cols) + j] for i, r in enumerate(rows) for j, c in enumerate(cols)
    }
    cube = cube_of(counts)
    hidden = hidden_cells(cube)
    for row in cube.itertuples():
        if 0 < row.n < 10:
            assert (row.a, row.b) in hidden
    assert lines_with_one_hidden(cube, hidden) == []


@pytest.mark.django_db
def test_the_donor_report_hides_small_cells_flags_them_and_says_why(programme, english):
    indicator("REACH", "reached", disaggregations=["institution"])
    donor = participation_report(fy=2026, audience="donor", k=3).as_dict()
    reach = donor["indicators"][0]
    by_sex = next(b for b in reach["breakdowns"] if b["dimensions"] == ["sex"])
    rows = {r["keys"]["sex"]: r for r in by_sex["rows"]}
    # FY2026: 3 women, 2 men (k = 3): men are primary-suppressed; women then follow, since the
    # total (5) would give the men's figure away; the total stays.
    assert rows["M"]["suppressed"] and rows["M"]["value"] is None and rows["M"]["n"] is None
    assert rows["F"]["suppressed"] and rows["F"]["value"] is None
    assert rows[None]["value"] == 5 and not rows[None]["suppressed"]
    assert by_sex["suppressed_cells"] == 2
    assert any("suppressed" in note for note in donor["footnotes"])
    # Quarter totals below k are hidden too (Q2: 1 person).
    q2 = next(p for p in reach["periods"] if p["key"] == "FY2026Q2")
    assert q2["suppressed"] and q2["actual"] is None
    # Program staff see the figures.
    staff = participation_report(fy=2026, audience="staff").as_dict()
    staff_rows = {
        r["keys"]["sex"]: r
        for r in next(
            b for b in staff["indicators"][0]["breakdowns"] if b["dimensions"] == ["sex"]
        )["rows"]
    }
    assert staff_rows["M"]["value"] == 2 and not staff_rows["M"]["suppressed"]


@pytest.mark.django_db
def test_a_donor_report_never_breaks_down_by_disability_or_ethnicity():
    with pytest.raises(ValidationError) as raised:
        participation_report(fy=2026, by=["disability"], audience="donor")
    assert "by" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        participation_report(fy=1999, quarter=5, audience="public")
    assert set(raised.value.message_dict) == {"fy", "quarter", "audience"}
