"""Indicator measures over participation facts, following DOMAIN.md's counting rules:

- **reached**: unique people with an attendance (or online activity) in the period, by the date
  of each attendance;
- **trained**: unique people with a completed activity whose completion falls in the period
  (workshop's last session, online completion date), sensitisation-only courses excluded;
- **completions**: person–course pairs completed in the period; **contact hours**: the course
  hours of those pairs;
- **knowledge gain**: pre/post pairs of the completion decisions of the period (people with both
  scores only; ``n`` is the number matched), as in assessments.gain.

A person counts once per cell: per quarter, per fiscal year, and over the life of the project,
each de-duplicated over its own months (never a sum of shorter periods). Every measure gives a
*cube*: one row per combination of the breakdown's dimensions plus the margins (``TOTAL``), with
``n`` (units behind the cell, which suppression looks at) and ``value``.
"""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from datetime import date
from fractions import Fraction
from functools import partial
from itertools import combinations, pairwise
from types import SimpleNamespace

import numpy as np
import pandas as pd
from django.db import connection, connections

from assessments.gain import _round
from reports import selectors
from reports.models import (
    GAIN_MEASURES,
    PEOPLE_MEASURES,
    ActivityModality,
    Dimension,
    Indicator,
    Measure,
)
from reports.suppression import TOTAL

PERSON_DIMENSIONS = {
    Dimension.SEX,
    Dimension.AGE_BAND,
    Dimension.YOUTH,
    Dimension.INSTITUTION,
    Dimension.POSITION,
    Dimension.REGION,
    Dimension.DISABILITY,
    Dimension.ETHNICITY,
}


FACT_DIMENSIONS = {Dimension.MODALITY, Dimension.COURSE}
MODALITIES = ["", *ActivityModality.values]  # code 0: a workshop no longer there


@dataclass
class Facts:
    """Participation facts as parallel arrays, in month order: ``person`` is a position in
    ``Data.people``, ``course`` a position in ``Data.course_ids``, ``modality`` a position in
    MODALITIES; outcome facts also have ``completed`` and ``pre``/``post`` in hundredths of a
    point (-1: no score)."""

    person: np.ndarray
    course: np.ndarray
    month: np.ndarray
    modality: np.ndarray
    completed: np.ndarray | None = None
    pre: np.ndarray | None = None
    post: np.ndarray | None = None
    # What has been worked out from these facts (one row per unit of a measure), for reuse.
    memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.person)

    def take(self, index) -> "Facts":
        """The facts at ``index`` (a mask, positions or a slice), in the same order."""
        return Facts(
            **{
                f.name: None if getattr(self, f.name) is None else getattr(self, f.name)[index]
                for f in fields(self)
                if f.init
            }
        )


@dataclass
class Data:
    """Everything a report counts from, read once. The reach facts may still be on their way
    when the rest is ready (``reach`` waits for them the first time it is asked)."""

    outcome: Facts
    people: selectors.People
    courses: selectors.Courses
    course_ids: np.ndarray  # sorted; Facts.course indexes it
    course_hours: np.ndarray  # per course position
    course_gender_hours: np.ndarray
    course_sensitisation: np.ndarray
    course_mastery: np.ndarray
    pending_reach: Facts | Callable[[], Facts]

    @property
    def reach(self) -> Facts:
        if callable(self.pending_reach):
            self.pending_reach = self.pending_reach()
        return self.pending_reach


def load(
    *,
    first_month: int | None,
    end_month: int,
    reference: date,
    sensitive: bool,
    ages: bool = True,
    modalities: bool = True,
    reach: bool = True,
) -> Data:
    """Read what a report counts from. ``ages``/``modalities``/``reach``: read the birth dates,
    the workshops' modalities and the reach facts only when an indicator or breakdown needs
    them."""
    who = {"reference": reference, "sensitive": sensitive, "ages": ages}
    reads = {}
    for kind, read in (("outcome", selectors.outcome_facts), ("reach", selectors.reach_facts)):
        if kind == "reach" and not reach:
            continue
        for i, (first, end) in enumerate(_month_chunks(first_month, end_month)):
            reads[kind, i] = partial(read, first_month=first, end_month=end, workshops=modalities)
    outcome_reads = [name for name in reads if name[0] == "outcome"]
    reach_reads = [name for name in reads if name[0] == "reach"]
    if connection.in_atomic_block:
        # Inside a transaction (tests, a report built while writing): one connection, in
        # order, people last so that they cover every fact read.
        found = {name: read() for name, read in reads.items()}
        people = None
        reach_now = _joined([found[name] for name in reach_reads])
    else:
        # Outside one, two threads with a connection each (the database does the work with
        # Python's lock released), the facts in spans of months so that both stay busy: the
        # outcome facts and the people first, then the reach facts, which are still being read
        # while the caller counts the indicators that need only the others.
        pool = ThreadPoolExecutor(max_workers=2)
        futures = {name: pool.submit(_in_thread, reads[name]) for name in outcome_reads}
        people_future = pool.submit(_in_thread, partial(selectors.people, None, **who))
        futures.update({name: pool.submit(_in_thread, reads[name]) for name in reach_reads})
        pool.shutdown(wait=False)
        found = {name: futures[name].result() for name in outcome_reads}
        people = people_future.result()
        reach_now = None
    outcome = _joined([found[name] for name in outcome_reads])
    everyone = _distinct(outcome["person"], *([reach_now["person"]] if reach_now else []))
    if people is None or not _covers(people.ids, everyone):
        # In a transaction; or someone was created while the facts were read: read the people
        # of the facts, after the facts (everyone, when the reach facts are still coming).
        pending = reach_now is None and bool(reach_reads)
        people = selectors.people(None if pending else everyone, **who)
    courses = selectors.courses()
    frame = courses.frame
    course_ids = _distinct(
        frame.index.to_numpy(dtype=np.int64),
        outcome["course"],
        *([reach_now["course"]] if reach_now else []),
    )
    course_rows = frame.reindex(course_ids)
    codes = {m: i for i, m in enumerate(MODALITIES)}

    def facts(columns: dict, outcome: bool) -> Facts:
        # By month: a period is then a slice, and "the latest decision" of a person and course
        # is its last row.
        month = columns["month"]
        # Months span a few hundred values: a 16-bit key sorts in linear time (radix sort).
        small = len(month) and int(month.max()) - int(month.min()) < 2**16
        key = (month - month.min()).astype(np.uint16) if small else month
        order = np.argsort(key, kind="stable")
        columns = {name: values[order] for name, values in columns.items()}
        modality = None
        if modalities:
            workshops = _distinct(columns["workshop"])
            found_modalities = selectors.workshop_modalities(workshops)
            workshop_modality = np.array(
                [codes.get(found_modalities.get(int(w), ""), 0) for w in workshops],
                dtype=np.int64,
            )
            modality = workshop_modality[_positions(workshops, columns["workshop"])]
        return Facts(
            person=_positions(people.ids, columns["person"]).astype(np.int32),
            course=_positions(course_ids, columns["course"]).astype(np.int32),
            month=columns["month"].astype(np.int32),
            modality=modality,
            completed=columns["completed"] if outcome else None,
            pre=columns["pre"].astype(np.int16) if outcome else None,
            post=columns["post"].astype(np.int16) if outcome else None,
        )

    def of_known(columns: dict) -> dict:
        # A person or course created while the facts were read, after the people and courses
        # were (or deleted in between): this report is as of before, and leaves those facts to
        # the next one.
        kept = _among(people.ids, columns["person"]) & _among(course_ids, columns["course"])
        return columns if kept.all() else {name: values[kept] for name, values in columns.items()}

    def later_reach() -> Facts:
        return facts(of_known(_joined([futures[name].result() for name in reach_reads])), False)

    if reach_now is not None:
        pending_reach = facts(of_known(reach_now), False)
    elif reach_reads:
        pending_reach = later_reach
    else:
        pending_reach = Facts(*(np.zeros(0, dtype=np.int32) for _ in range(4)))
    return Data(
        outcome=facts(of_known(outcome), True),
        pending_reach=pending_reach,
        people=people,
        courses=courses,
        course_ids=course_ids,
        course_hours=course_rows["hours"].fillna(0).to_numpy(dtype=float),
        course_gender_hours=course_rows["gender_hours"].fillna(0).to_numpy(dtype=float),
        course_sensitisation=course_rows["sensitisation"].fillna(False).to_numpy(dtype=bool),
        course_mastery=course_rows["mastery"].fillna(100).to_numpy(dtype=float),
    )


def _joined(parts: list[dict]) -> dict | None:
    """The columns of spans read one after the other, joined (None: nothing was read)."""
    if not parts:
        return None
    return {column: np.concatenate([p[column] for p in parts]) for column in parts[0]}


def _among(ids: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Which of ``values`` are among ``ids`` (sorted, distinct)."""
    if not len(ids):
        return np.zeros(len(values), dtype=bool)
    found = np.searchsorted(ids, values).clip(0, len(ids) - 1)
    return ids[found] == values


# Spans of months the facts of each kind are read in (the last from the first fact's month).
_CHUNKS = 3


def _month_chunks(first_month: int | None, end_month: int) -> list[tuple[int | None, int]]:
    """[first, end) cut into _CHUNKS spans of months, in order; the first open at its start
    when ``first_month`` is None (a fact dated earlier while reading still counts)."""
    start = selectors.first_month() if first_month is None else first_month
    if end_month - start < _CHUNKS:
        return [(first_month, end_month)]
    edges = [start + (end_month - start) * i // _CHUNKS for i in range(_CHUNKS + 1)]
    chunks = list(pairwise(edges))
    chunks[0] = (first_month, chunks[0][1])
    return chunks


def _in_thread(read):
    try:
        return read()
    finally:
        connections.close_all()  # this thread's connections


def _covers(ids: np.ndarray, wanted: np.ndarray) -> bool:
    """Are all of ``wanted`` among ``ids`` (sorted, distinct)?"""
    return bool(_among(ids, wanted).all())


def _positions(ids: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Where each of ``values`` is in ``ids`` (sorted, distinct, every value among them)."""
    if not len(values):
        return np.zeros(0, dtype=np.int64)
    largest = int(ids[-1])
    if largest > _DENSE_LIMIT:
        return np.searchsorted(ids, values)
    table = np.zeros(largest + 1, dtype=np.int64)
    table[ids] = np.arange(len(ids))
    return table[values]


def _distinct(*arrays: np.ndarray) -> np.ndarray:
    """The sorted distinct values of these arrays of ids (>= 0), by marking them in a table."""
    largest = max((int(a.max()) for a in arrays if len(a)), default=-1)
    if largest > _DENSE_LIMIT:
        return np.unique(np.concatenate(arrays))
    seen = np.zeros(largest + 1, dtype=bool)
    for a in arrays:
        seen[a] = True
    return np.flatnonzero(seen)


def units(indicator: Indicator, data: Data, *, filters: dict | None = None) -> Facts:
    """The facts an indicator counts, after its filters (``filters``: the indicator's course,
    position and institution ids, read once by the caller)."""
    filters = filters if filters is not None else indicator_filters(indicator)
    measure = Measure(indicator.measure)
    facts = data.reach if measure == Measure.REACHED else data.outcome
    mask = np.ones(len(facts), dtype=bool)
    if measure != Measure.REACHED and measure not in GAIN_MEASURES:
        mask &= facts.completed
    if measure == Measure.TRAINED:
        mask &= ~data.course_sensitisation[facts.course]
    if filters["courses"]:
        chosen = np.isin(data.course_ids, list(filters["courses"]))
        mask &= chosen[facts.course]
    if indicator.min_gender_hours is not None:
        mask &= (data.course_gender_hours >= float(indicator.min_gender_hours))[facts.course]
    if indicator.modalities:
        chosen = np.isin(np.array(MODALITIES, dtype=object), list(indicator.modalities))
        mask &= chosen[facts.modality]
    if filters["positions"]:
        mask &= np.isin(data.people.position, list(filters["positions"]))[facts.person]
    if filters["institutions"]:
        mask &= np.isin(data.people.institution, list(filters["institutions"]))[facts.person]
    if measure in GAIN_MEASURES:
        mask &= (facts.pre >= 0) & (facts.post >= 0)
    else:  # only who, which course and when count: do not copy the rest
        facts = Facts(
            person=facts.person, course=facts.course, month=facts.month, modality=facts.modality
        )
    return facts if mask.all() else facts.take(mask)


def indicator_filters(indicator: Indicator) -> dict:
    return {
        "courses": set(indicator.courses.values_list("pk", flat=True)),
        "positions": set(indicator.positions.values_list("pk", flat=True)),
        "institutions": set(indicator.institutions.values_list("pk", flat=True)),
    }


def in_period(facts: Facts, first: int | None, end: int) -> Facts:
    """The facts of months [first, end) (facts are in month order: a slice). The same period
    asked again is the same object, so what was worked out from it is reused."""
    start = 0 if first is None else int(np.searchsorted(facts.month, first, side="left"))
    stop = int(np.searchsorted(facts.month, end, side="left"))
    key = ("period", start, max(start, stop))
    if key not in facts.memo:
        facts.memo[key] = facts.take(slice(start, max(start, stop)))
    return facts.memo[key]


def _dimension(facts: Facts, data: Data, dim: str) -> tuple[np.ndarray, np.ndarray]:
    """(code of each fact, the values in code order). Codes follow the values' sort order, so
    cells come out as a sorted group-by would give them."""
    if dim in PERSON_DIMENSIONS:
        codes, values = data.people.attrs[dim]
        return codes[facts.person], values
    if dim == Dimension.MODALITY:
        raw, values = facts.modality, np.array(MODALITIES, dtype=object)
    else:
        raw, values = facts.course, data.course_ids
    order = np.argsort(values, kind="stable")
    rank = np.empty(len(values), dtype=np.int64)
    rank[order] = np.arange(len(values))
    return rank[raw], values[order]


# Above this many possible units, distinct units are found by sorting rather than with a
# table of one entry per possible unit.
_DENSE_LIMIT = 50_000_000


def _one_per_unit(unit: np.ndarray, n_units: int, *, last: bool) -> np.ndarray:
    """Positions of one row per distinct unit: its first row, or its last when ``last``."""
    if n_units <= _DENSE_LIMIT and len(unit) < 2**31:
        size = len(unit)
        rows = np.arange(size, dtype=np.int32)
        marker = np.full(n_units, -1 if last else size, dtype=np.int32)
        (np.maximum if last else np.minimum).at(marker, unit, rows)
        # A row is kept when it is the one its unit's entry points to (work in the rows, not
        # in the table).
        return np.flatnonzero(marker[unit] == rows)
    if last:
        _values, first = np.unique(unit[::-1], return_index=True)
        return len(unit) - 1 - first
    return np.unique(unit, return_index=True)[1]


def cube(measure: str, facts: Facts, data: Data, dims: list[str]) -> pd.DataFrame:
    """Cells for every combination of ``dims`` and their margins: dims columns (TOTAL for a
    margin), ``n`` and ``value``. A person (reached, trained), a person–course pair
    (completions, hours) or a matched test pair (gain: the latest decision of the person and
    course, by month) is one unit in each cell it falls in."""
    measure = Measure(measure)
    if all(d in PERSON_DIMENSIONS for d in dims):
        # Every dimension is an attribute of the person: a unit falls in exactly one cell of
        # the full cross, so one row per unit serves every margin, and each margin is a sum of
        # the full cross's cells.
        facts = _one_row_per_unit(measure, facts, data)
        coded = [_dimension(facts, data, d) for d in dims]
        if _width([len(values) for _codes, values in coded]) <= _CROSS_LIMIT:
            cells = _margin_cells(measure, facts, data, coded)
        else:
            cells = _subset_cells(measure, facts, data, coded, distinct=False)
    else:
        coded = [_dimension(facts, data, d) for d in dims]
        cells = _subset_cells(measure, facts, data, coded, distinct=True)
    return _frame(measure, dims, coded, cells)


# Above this many cells in the full cross of the dimensions, margins are counted one by one
# rather than summed from the cross.
_CROSS_LIMIT = 5_000_000


def _width(sizes: list[int]) -> int:
    width = 1
    for size in sizes:
        width *= size
    return width


def _units(measure: Measure, facts: Facts, data: Data) -> tuple[np.ndarray, int]:
    """(the unit of each fact, how many units there can be)."""
    if measure in (Measure.REACHED, Measure.TRAINED):
        return facts.person.astype(np.int64), len(data.people.ids)
    n_courses = len(data.course_ids)
    unit = facts.person.astype(np.int64) * n_courses + facts.course
    return unit, len(data.people.ids) * n_courses


def _one_row_per_unit(measure: Measure, facts: Facts, data: Data) -> Facts:
    """One row per unit: for a gain its latest decision, otherwise just who (and which course).
    Kept on ``facts``: the tables of an indicator's period all start from it."""
    found = facts.memo.get(measure)
    if found is not None:
        return found
    unit, n_units = _units(measure, facts, data)
    if measure in GAIN_MEASURES:
        found = facts.take(_one_per_unit(unit, n_units, last=True))
    else:
        unit = _distinct(unit)
        if measure in PEOPLE_MEASURES:
            person, course = unit, np.zeros(len(unit), dtype=np.int64)
        else:
            n_courses = len(data.course_ids)
            person, course = unit // n_courses, unit % n_courses
        found = Facts(person=person, course=course, month=None, modality=None)
    facts.memo[measure] = found
    return found


def _subsets(n_dims: int):
    """Every combination of the dimensions' positions, the grand total first."""
    for size in range(n_dims + 1):
        yield from combinations(range(n_dims), size)


def _margin_cells(measure: Measure, facts: Facts, data: Data, coded):
    """(subset, n, value, present) of every margin, summed from the full cross (``facts``: one
    row per unit)."""
    sizes = [len(values) for _codes, values in coded]
    key = np.zeros(len(facts), dtype=np.int64)
    for (codes, _labels), size in zip(coded, sizes, strict=True):
        key = key * size + codes
    width = _width(sizes)
    sums = {"n": np.bincount(key, minlength=width)}
    if measure == Measure.CONTACT_HOURS:
        sums["tenths"] = _hour_tenths(key, facts, data, width)
    elif measure in GAIN_MEASURES:
        sums.update(_gain_sums(facts, data, key, width))
    cross = {name: values.reshape(sizes) for name, values in sums.items()}
    for subset in _subsets(len(sizes)):
        others = tuple(i for i in range(len(sizes)) if i not in subset)
        margin = {name: values.sum(axis=others).reshape(-1) for name, values in cross.items()}
        n = margin["n"]
        present = np.arange(len(n)) if not subset else np.flatnonzero(n)
        yield subset, n[present], _values(measure, n, margin, present), present


def _subset_cells(measure: Measure, facts: Facts, data: Data, coded, *, distinct: bool):
    """(subset, n, value, present) of every margin, each counted from the facts. ``distinct``:
    the facts may hold a unit more than once (dimensions of the fact, such as the course)."""
    unit, n_units = _units(measure, facts, data)
    sizes = [len(values) for _codes, values in coded]
    for subset in _subsets(len(sizes)):
        key = np.zeros(len(facts), dtype=np.int64)
        width = 1
        for i in subset:
            key = key * sizes[i] + coded[i][0]
            width *= sizes[i]
        part = facts
        if distinct:
            rows = _one_per_unit(unit * width + key, n_units * width, last=measure in GAIN_MEASURES)
            part, key = facts.take(rows), key[rows]
        sums = {"n": np.bincount(key, minlength=width)}
        if measure == Measure.CONTACT_HOURS:
            sums["tenths"] = _hour_tenths(key, part, data, width)
        elif measure in GAIN_MEASURES:
            sums.update(_gain_sums(part, data, key, width))
        n = sums["n"]
        present = np.arange(width) if not subset else np.flatnonzero(n)
        yield subset, n[present], _values(measure, n, sums, present), present


def _hour_tenths(key: np.ndarray, facts: Facts, data: Data, width: int) -> np.ndarray:
    """Contact hours per key in tenths of an hour (the courses' precision): exact sums."""
    tenths = np.round(data.course_hours * 10)[facts.course]
    return np.bincount(key, weights=tenths, minlength=width)


def _values(measure: Measure, n: np.ndarray, sums: dict, present: np.ndarray):
    if measure in GAIN_MEASURES:
        return [
            gain_value(
                measure,
                SimpleNamespace(n=n[i], **{k: v[i] for k, v in sums.items() if k != "n"}),
            )
            for i in present
        ]
    if measure == Measure.CONTACT_HOURS:
        return sums["tenths"][present] / 10
    return n[present].astype(float)


def _frame(measure: Measure, dims: list[str], coded, cells) -> pd.DataFrame:
    sizes = [len(values) for _codes, values in coded]
    columns: dict[str, list] = {d: [] for d in dims}
    columns.update(n=[], value=[])
    for subset, n, value, present in cells:
        columns["n"].append(n)
        columns["value"].append(value)
        for i, d in reversed(list(enumerate(dims))):
            if i in subset:
                columns[d].append(coded[i][1][present % sizes[i]])
                present = present // sizes[i]
            else:
                columns[d].append(np.full(len(n), TOTAL, dtype=object))
    frame = {d: np.concatenate(columns[d]).astype(object) for d in dims}
    frame["n"] = np.concatenate(columns["n"]).astype(np.int64)
    values = columns["value"]
    frame["value"] = (
        np.concatenate([np.asarray(v, dtype=object) for v in values])
        if measure in GAIN_MEASURES
        else np.concatenate(values).astype(float)
    )
    return pd.DataFrame(frame, copy=False)  # columns in order: dims, n, value


def _gain_sums(facts: Facts, data: Data, key: np.ndarray, width: int) -> dict:
    """Sums per key, in integers (hundredths of a point) so the means are exact."""
    pre, post = facts.pre.astype(np.int64), facts.post.astype(np.int64)
    mastery = data.course_mastery[facts.course]

    def total(weights):
        return np.bincount(key, weights=weights, minlength=width).round().astype(np.int64)

    return {
        "pre": total(pre),
        "post": total(post),
        "improved": total(post > pre),
        "mastered": total(post >= mastery * 100),
    }


def gain_value(measure, row) -> float | None:
    """Exact from integer sums (hundredths of a point), rounded once as assessments.gain does."""
    n = int(row.n)
    if not n:
        return None
    mean_pre = Fraction(int(row.pre), 100 * n)
    mean_post = Fraction(int(row.post), 100 * n)
    if measure == Measure.GAIN_HAKE:
        if mean_pre >= 100:
            return None
        return float(_round((mean_post - mean_pre) / (100 - mean_pre), "0.001"))
    if measure == Measure.GAIN_DIFFERENCE:
        return float(_round(mean_post - mean_pre, "0.01"))
    if measure == Measure.GAIN_IMPROVED:
        return float(_round(Fraction(int(row.improved) * 100, n), "0.01"))
    if measure == Measure.GAIN_MASTERED:
        return float(_round(Fraction(int(row.mastered) * 100, n), "0.01"))
    raise ValueError(measure)


def gain_summary(facts: Facts, data: Data) -> dict:
    """The knowledge-gain summary of a set of outcome facts (all with or without scores)."""
    facts = facts.take(np.argsort(facts.month, kind="stable"))
    n_courses = len(data.course_ids)
    unit = facts.person.astype(np.int64) * n_courses + facts.course
    facts = facts.take(_one_per_unit(unit, len(data.people.ids) * n_courses, last=True))
    has_pre, has_post = facts.pre >= 0, facts.post >= 0
    matched = facts.take(has_pre & has_post)
    pre = matched.pre.astype(np.int64)
    post = matched.post.astype(np.int64)
    mastery = data.course_mastery[matched.course]
    n = len(matched)
    below = pre < 10000
    summary = {
        "n_pre": int(has_pre.sum()),
        "n_post": int(has_post.sum()),
        "n_matched": n,
        "attrition": int((has_pre & ~has_post).sum()),
        "post_without_pre": int((~has_pre & has_post).sum()),
        "excluded_at_ceiling": int((~below).sum()),
        "mean_pre": None,
        "mean_post": None,
        "mean_difference": None,
        "percent_improved": None,
        "percent_mastered": None,
        "hake_gain": None,
        "mean_individual_gain": None,
    }
    if n:
        mean_pre, mean_post = Fraction(int(pre.sum()), 100 * n), Fraction(int(post.sum()), 100 * n)
        summary.update(
            mean_pre=float(_round(mean_pre, "0.01")),
            mean_post=float(_round(mean_post, "0.01")),
            mean_difference=float(_round(mean_post - mean_pre, "0.01")),
            percent_improved=float(_round(Fraction(int((post > pre).sum()) * 100, n), "0.01")),
            percent_mastered=float(
                _round(Fraction(int((post >= mastery * 100).sum()) * 100, n), "0.01")
            ),
        )
        if mean_pre < 100:
            summary["hake_gain"] = float(_round((mean_post - mean_pre) / (100 - mean_pre), "0.001"))
        gains = (
            [
                Fraction(int(q) - int(p), 10000 - int(p))
                for p, q in zip(pre, post, strict=True)
                if p < 10000
            ]
            if n <= 20_000
            else None
        )
        if gains:
            summary["mean_individual_gain"] = float(_round(sum(gains) / len(gains), "0.001"))
        elif gains is None and below.any():
            g = (post[below] - pre[below]) / (10000 - pre[below])
            summary["mean_individual_gain"] = round(float(g.mean()), 3)
    return summary
