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

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from datetime import date
from fractions import Fraction
from functools import partial
from itertools import combinations
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

    def __len__(self) -> int:
        return len(self.person)

    def take(self, index) -> "Facts":
        """The facts at ``index`` (a mask, positions or a slice), in the same order."""
        return Facts(
            **{
                f.name: None if getattr(self, f.name) is None else getattr(self, f.name)[index]
                for f in fields(self)
            }
        )


@dataclass
class Data:
    """Everything a report counts from, read once."""

    reach: Facts
    outcome: Facts
    people: selectors.People
    courses: selectors.Courses
    course_ids: np.ndarray  # sorted; Facts.course indexes it
    course_hours: np.ndarray  # per course position
    course_gender_hours: np.ndarray
    course_sensitisation: np.ndarray
    course_mastery: np.ndarray


def load(
    *,
    first_month: int | None,
    end_month: int,
    reference: date,
    sensitive: bool,
    ages: bool = True,
    modalities: bool = True,
) -> Data:
    """Read what a report counts from. ``ages``/``modalities``: read the birth dates and the
    workshops' modalities only when an indicator or breakdown needs them."""
    window = {"first_month": first_month, "end_month": end_month, "workshops": modalities}
    reads = {
        "reach": partial(selectors.reach_facts, **window),
        "outcome": partial(selectors.outcome_facts, **window),
        "people": partial(
            selectors.people, None, reference=reference, sensitive=sensitive, ages=ages
        ),
    }
    if connection.in_atomic_block:
        # Inside a transaction (tests, a report built while writing): one connection, in
        # order, people last so that they cover every fact read.
        found = {name: reads[name]() for name in ("reach", "outcome")}
    else:
        # Outside one, two threads with a connection each (the database does the work with
        # Python's lock released): the outcome facts in one, the reach facts then the people in
        # the other, about the same work.
        with ThreadPoolExecutor(max_workers=2) as pool:
            outcome_future = pool.submit(_in_thread, reads["outcome"])
            first = pool.submit(_in_thread, lambda: (reads["reach"](), reads["people"]()))
            (reach_found, people_found), outcome_found = first.result(), outcome_future.result()
        found = {"reach": reach_found, "outcome": outcome_found, "people": people_found}
    reach, outcome = found["reach"], found["outcome"]
    everyone = _distinct(reach["person"], outcome["person"])
    people = found.get("people")
    if people is None or not _covers(people.ids, everyone):
        # In a transaction; or someone was created while the facts were read: read the people
        # of the facts, after the facts.
        people = selectors.people(everyone, reference=reference, sensitive=sensitive, ages=ages)
    courses = selectors.courses()
    frame = courses.frame
    course_ids = _distinct(frame.index.to_numpy(dtype=np.int64), reach["course"], outcome["course"])
    known = frame.reindex(course_ids)
    if modalities:
        workshops = _distinct(reach["workshop"], outcome["workshop"])
        found_modalities = selectors.workshop_modalities(workshops)
        codes = {m: i for i, m in enumerate(MODALITIES)}
        workshop_modality = np.array(
            [codes.get(found_modalities.get(int(w), ""), 0) for w in workshops], dtype=np.int64
        )

    def facts(columns: dict, outcome: bool) -> Facts:
        # By month: a period is then a slice, and "the latest decision" of a person and course
        # is its last row.
        month = columns["month"]
        # Months span a few hundred values: a 16-bit key sorts in linear time (radix sort).
        small = len(month) and int(month.max()) - int(month.min()) < 2**16
        key = (month - month.min()).astype(np.uint16) if small else month
        order = np.argsort(key, kind="stable")
        columns = {name: values[order] for name, values in columns.items()}
        return Facts(
            person=_positions(people.ids, columns["person"]).astype(np.int32),
            course=_positions(course_ids, columns["course"]).astype(np.int32),
            month=columns["month"].astype(np.int32),
            modality=workshop_modality[_positions(workshops, columns["workshop"])]
            if modalities
            else None,
            completed=columns["completed"] if outcome else None,
            pre=columns["pre"].astype(np.int16) if outcome else None,
            post=columns["post"].astype(np.int16) if outcome else None,
        )

    return Data(
        reach=facts(reach, False),
        outcome=facts(outcome, True),
        people=people,
        courses=courses,
        course_ids=course_ids,
        course_hours=known["hours"].fillna(0).to_numpy(dtype=float),
        course_gender_hours=known["gender_hours"].fillna(0).to_numpy(dtype=float),
        course_sensitisation=known["sensitisation"].fillna(False).to_numpy(dtype=bool),
        course_mastery=known["mastery"].fillna(100).to_numpy(dtype=float),
    )


def _in_thread(read):
    try:
        return read()
    finally:
        connections.close_all()  # this thread's connections


def _covers(ids: np.ndarray, wanted: np.ndarray) -> bool:
    """Are all of ``wanted`` among ``ids`` (both sorted, distinct)?"""
    if not len(wanted):
        return True
    found = np.searchsorted(ids, wanted).clip(0, max(len(ids) - 1, 0))
    return bool(len(ids)) and bool((ids[found] == wanted).all())


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
    """The facts of months [first, end) (facts are in month order: a slice)."""
    start = 0 if first is None else int(np.searchsorted(facts.month, first, side="left"))
    stop = int(np.searchsorted(facts.month, end, side="left"))
    return facts.take(slice(start, max(start, stop)))


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
    gain = measure in GAIN_MEASURES
    n_courses = len(data.course_ids)
    if measure in (Measure.REACHED, Measure.TRAINED):
        unit, n_units = facts.person.astype(np.int64), len(data.people.ids)
    else:
        unit = facts.person.astype(np.int64) * n_courses + facts.course
        n_units = len(data.people.ids) * n_courses
    person_only = all(d in PERSON_DIMENSIONS for d in dims)
    if person_only:
        # Every dimension is an attribute of the person: one row per unit serves every margin.
        if gain:
            rows = _one_per_unit(unit, n_units, last=True)
            facts, unit = facts.take(rows), unit[rows]
        else:
            unit = _distinct(unit)
            person = unit if measure in PEOPLE_MEASURES else unit // n_courses
            course = (
                np.zeros(len(unit), dtype=np.int64)
                if measure in PEOPLE_MEASURES
                else unit % n_courses
            )
            facts = Facts(person=person, course=course, month=None, modality=None)
    coded = [_dimension(facts, data, d) for d in dims]
    sizes = [len(values) for _codes, values in coded]
    columns: dict[str, list] = {d: [] for d in dims}
    columns.update(n=[], value=[])
    for size in range(len(dims) + 1):
        for subset in combinations(range(len(dims)), size):
            key = np.zeros(len(unit), dtype=np.int64)
            width = 1
            for i in subset:
                key = key * sizes[i] + coded[i][0]
                width *= sizes[i]
            part = facts
            if not person_only:
                combined = unit * width + key
                rows = _one_per_unit(combined, n_units * width, last=gain)
                part, key = facts.take(rows), key[rows]
            n, value, present = _cells(measure, part, data, key, width, keep_empty=not subset)
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
        if gain
        else np.concatenate(values).astype(float)
    )
    return pd.DataFrame(frame)[[*dims, "n", "value"]]


def _cells(measure, facts: Facts, data: Data, key, width: int, *, keep_empty: bool):
    """(n, value, key) of the cells (one row per unit in ``facts``); cells with no unit are
    left out, except the grand total (``keep_empty``)."""
    n = np.bincount(key, minlength=width)
    present = np.arange(width) if keep_empty else np.flatnonzero(n)
    if measure in GAIN_MEASURES:
        sums = _gain_sums(facts, data, key, width)
        value = [
            gain_value(measure, SimpleNamespace(n=n[i], **{k: v[i] for k, v in sums.items()}))
            for i in present
        ]
    elif measure == Measure.CONTACT_HOURS:
        value = np.bincount(key, weights=data.course_hours[facts.course], minlength=width)[present]
    else:
        value = n[present].astype(float)
    return n[present], value, present


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
