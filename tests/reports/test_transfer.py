"""The report's read path: columns packed into 64-bit integers in SQL and handed over as text
(reports.selectors), counted with tables of one entry per possible unit or, past a size, by
sorting (reports.measures). Whatever the path, the figures are the same."""

from datetime import date

import numpy as np
import pytest

from lms.models import Person
from reports import measures, selectors
from reports.models import Fact
from reports.services import participation_report
from tests.reports.test_counting import catalogue  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_a_plan_puts_every_column_back_as_it_was_even_across_words():
    rng = np.random.default_rng(7)
    maxima = {"a": 2**40, "b": 1, "c": 10001, "d": 2**30, "e": 5, "f": 2**61}
    plan = selectors._Plan(maxima)
    assert plan.words == 3  # 41 + 1 + 14 fit a word; 31 + 3 the next; 62 alone
    columns = {name: rng.integers(0, top + 1, 500, dtype=np.int64) for name, top in maxima.items()}
    for name, top in maxima.items():
        columns[name][:2] = (0, top)  # the extremes
    words = [np.zeros(500, dtype=np.int64) for _ in range(plan.words)]
    for field in plan.fields:
        words[field.word] += columns[field.name] << field.shift
    unpacked = plan.unpack(words)
    for name in maxima:
        assert np.array_equal(unpacked[name], columns[name]), name


def test_a_column_too_wide_for_a_word_is_refused():
    with pytest.raises(ValueError, match="huge"):
        selectors._Plan({"huge": 2**62})


def test_the_facts_read_packed_equal_the_rows_in_the_table(catalogue):  # noqa: F811
    read = selectors.outcome_facts(first_month=None, end_month=10**6)
    got = sorted(
        zip(
            read["person"].tolist(),
            read["course"].tolist(),
            read["month"].tolist(),
            read["completed"].tolist(),
            read["pre"].tolist(),
            read["post"].tolist(),
            strict=True,
        )
    )

    def hundredths(value):
        return -1 if value is None else round(value * 100)

    expected = sorted(
        (f.person_id, f.course_id, f.month, f.completed, hundredths(f.pre_percent),
         hundredths(f.post_percent))
        for f in Fact.objects.filter(kind=Fact.Kind.OUTCOME)
    )  # fmt: skip
    assert got == expected
    assert any(p >= 0 for *_rest, p, _q in got)  # scores are there to compare


def test_people_are_read_with_their_attributes(catalogue):  # noqa: F811
    ids = np.array(sorted(Person.objects.values_list("pk", flat=True)))
    found = selectors.people(ids, reference=date(2026, 9, 30))
    assert found.ids.tolist() == ids.tolist()
    codes, values = found.attrs["sex"]
    by_id = dict(zip(found.ids.tolist(), values[codes].tolist(), strict=True))
    assert by_id == dict(Person.objects.values_list("pk", "sex"))


@pytest.mark.parametrize(
    "by", [["sex", "institution", "region"], ["course", "modality", "sex"], ["age_band"]]
)
def test_counting_by_sorting_gives_the_figures_of_counting_with_tables(catalogue, by, monkeypatch):  # noqa: F811
    """Past _DENSE_LIMIT possible units (a very large installation), units are found by sorting
    instead of with a table per possible unit: same report, cell for cell."""
    with_tables = participation_report(fy=2026, by=by, audience="staff").as_dict()
    monkeypatch.setattr(measures, "_DENSE_LIMIT", 0)
    by_sorting = participation_report(fy=2026, by=by, audience="staff").as_dict()
    with_tables.pop("generated_at"), by_sorting.pop("generated_at")
    assert by_sorting == with_tables
    reached = next(i for i in with_tables["indicators"] if i["code"] == "REACH")
    assert any(row["actual"] for row in reached["periods"])  # not an empty comparison


@pytest.mark.parametrize(
    "by", [["sex", "institution", "region"], ["age_band", "disability"], ["sex", "course"]]
)
def test_margins_summed_from_the_full_cross_equal_margins_counted_one_by_one(
    catalogue,  # noqa: F811
    by,
    monkeypatch,
):
    """With person attributes only, every margin is a sum of the full cross's cells (a person
    is in one cell of it); past _CROSS_LIMIT cells each margin is counted from the people
    instead. Same report, cell for cell (a course breakdown never sums: a person can take
    two)."""
    summed = participation_report(fy=2026, by=by, audience="staff").as_dict()
    monkeypatch.setattr(measures, "_CROSS_LIMIT", 0)
    counted = participation_report(fy=2026, by=by, audience="staff").as_dict()
    summed.pop("generated_at"), counted.pop("generated_at")
    assert counted == summed
    crossed = [
        table
        for indicator in summed["indicators"]
        for table in indicator["breakdowns"]
        if len(table["dimensions"]) == len(by)
    ]
    assert any(row["n"] for table in crossed for row in table["rows"] if not row["total"])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_the_threaded_reads_give_the_same_report(catalogue):  # noqa: F811
    """Outside a transaction the facts and the people are read in two threads, each with its
    own connection; inside one, in order on the request's connection. Same report."""
    from django.db import connection, transaction

    assert not connection.in_atomic_block
    threaded = participation_report(fy=2026, by=["sex", "course"], audience="staff").as_dict()
    with transaction.atomic():
        in_order = participation_report(fy=2026, by=["sex", "course"], audience="staff").as_dict()
    threaded.pop("generated_at"), in_order.pop("generated_at")
    assert threaded == in_order
    reached = next(i for i in threaded["indicators"] if i["code"] == "REACH")
    assert {row["key"]: row["actual"] for row in reached["periods"]}["LOP"] == 7


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_person_created_during_the_threaded_read_is_left_to_the_next_report(
    catalogue,  # noqa: F811
    monkeypatch,
):
    """Outside a transaction the people are read beside the facts: someone created after the
    people were read but before their facts were is not in the people, and their facts are left
    to the next report (rather than counted against someone else, or failing)."""
    from django.db import connection

    from tests.factories import PersonFactory
    from tests.reports.conftest import at, attend, course, workshop

    assert not connection.in_atomic_block
    # hugo attends the first session of a workshop still under way (no completion decision
    # yet): he has reach facts and no outcome fact, so the outcome facts alone do not tell that
    # the people read missed him.
    hugo = PersonFactory(given_names="Hugo", sex="M")
    w = workshop("ETI-NUEVO", course("ETI-301"), [at(2026, 4, 7), at(2026, 4, 8)])
    attend(w, hugo, attended=[1])
    assert Fact.objects.filter(person=hugo, kind=Fact.Kind.REACH).exists()
    assert not Fact.objects.filter(person=hugo, kind=Fact.Kind.OUTCOME).exists()

    def reached():
        report = participation_report(fy=2026, by=["sex"], audience="staff").as_dict()
        found = next(i for i in report["indicators"] if i["code"] == "REACH")
        return {row["key"]: row["actual"] for row in found["periods"]}

    # Read as usual, hugo is reached (FY2026 Q3) like the crafted programme's seven.
    assert reached()["LOP"] == 8

    # The people read as of before hugo was created; his facts are read after.
    before = np.array(sorted(Person.objects.exclude(pk=hugo.pk).values_list("pk", flat=True)))
    read_people = selectors.people
    calls = []

    def people_before_hugo(person_ids, **kwargs):
        calls.append(person_ids)
        return read_people(before if person_ids is None else person_ids, **kwargs)

    monkeypatch.setattr(selectors, "people", people_before_hugo)
    got = reached()
    assert calls and calls[0] is None  # the threaded read of everyone was the one replaced
    assert got["LOP"] == 7
    assert got["FY2026Q3"] == 2  # eva and fito, not hugo
    assert got["FY2026"] == 5
