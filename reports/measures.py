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

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from itertools import combinations

import numpy as np
import pandas as pd

from assessments.gain import _round
from reports import selectors
from reports.models import GAIN_MEASURES, Dimension, Indicator, Measure
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


@dataclass
class Data:
    """Everything a report counts from, read once."""

    reach: pd.DataFrame
    outcome: pd.DataFrame
    people: pd.DataFrame
    courses: selectors.Courses


def load(*, first_month: int | None, end_month: int, reference: date, sensitive: bool) -> Data:
    reach = selectors.reach_facts(first_month=first_month, end_month=end_month)
    outcome = selectors.outcome_facts(first_month=first_month, end_month=end_month)
    modalities = selectors.workshop_modalities(
        np.union1d(reach["workshop"].unique(), outcome["workshop"].unique())
    )
    for frame in (reach, outcome):
        frame["modality"] = frame["workshop"].map(modalities).fillna("")
    everyone = np.union1d(reach["person"].to_numpy(), outcome["person"].to_numpy())
    people = selectors.people(everyone, reference=reference, sensitive=sensitive)
    people["youth"] = np.where(
        people["age_band"].isin(["15-19", "20-24", "25-29"]),
        "15-29",
        np.where(people["age_band"].isin(["unknown", "0-14"]), people["age_band"], "30+"),
    )
    return Data(reach, outcome, people, selectors.courses())


def units(indicator: Indicator, data: Data, *, filters: dict | None = None) -> pd.DataFrame:
    """The facts an indicator counts, after its filters (``filters``: the indicator's course,
    position and institution ids, read once by the caller)."""
    filters = filters if filters is not None else indicator_filters(indicator)
    measure = Measure(indicator.measure)
    frame = data.reach if measure == Measure.REACHED else data.outcome
    courses = data.courses.frame
    mask = np.ones(len(frame), dtype=bool)
    if measure != Measure.REACHED:
        mask &= frame["completed"].to_numpy() if measure not in GAIN_MEASURES else True
    if measure == Measure.TRAINED:
        sensitisation = courses["sensitisation"]
        mask &= ~frame["course"].map(sensitisation).fillna(False).to_numpy(dtype=bool)
    if filters["courses"]:
        mask &= frame["course"].isin(filters["courses"]).to_numpy()
    if indicator.min_gender_hours is not None:
        hours = frame["course"].map(courses["gender_hours"]).fillna(0).to_numpy()
        mask &= hours >= float(indicator.min_gender_hours)
    if indicator.modalities:
        mask &= frame["modality"].isin(indicator.modalities).to_numpy()
    if filters["positions"] or filters["institutions"]:
        attrs = data.people.reindex(frame["person"])
        if filters["positions"]:
            mask &= attrs["position"].isin(filters["positions"]).to_numpy()
        if filters["institutions"]:
            mask &= attrs["institution"].isin(filters["institutions"]).to_numpy()
    selected = frame.loc[mask]
    if measure in GAIN_MEASURES:
        selected = selected.loc[selected["pre"].notna() & selected["post"].notna()]
    return selected


def indicator_filters(indicator: Indicator) -> dict:
    return {
        "courses": set(indicator.courses.values_list("pk", flat=True)),
        "positions": set(indicator.positions.values_list("pk", flat=True)),
        "institutions": set(indicator.institutions.values_list("pk", flat=True)),
    }


def in_period(frame: pd.DataFrame, first: int | None, end: int) -> pd.DataFrame:
    month = frame["month"].to_numpy()
    mask = month < end
    if first is not None:
        mask &= month >= first
    return frame.loc[mask]


def cube(measure: str, frame: pd.DataFrame, data: Data, dims: list[str]) -> pd.DataFrame:
    """Cells for every combination of ``dims`` and their margins: dims columns (TOTAL for a
    margin), ``n`` and ``value``."""
    measure = Measure(measure)
    person_dims = [d for d in dims if d in PERSON_DIMENSIONS]
    if len(person_dims) == len(dims):
        # Every dimension is an attribute of the person: a person (or person–course pair) is
        # then one unit in every cell, so de-duplicate once here rather than once per margin.
        # The same first rows are kept in the same order, so _cells gives the same figures.
        if measure in (Measure.REACHED, Measure.TRAINED):
            frame = frame.drop_duplicates(["person"])
        elif measure in (Measure.COMPLETIONS, Measure.CONTACT_HOURS):
            frame = frame.drop_duplicates(["person", "course"])
    if person_dims:
        attrs = data.people[person_dims].reindex(frame["person"].to_numpy())
        frame = frame.assign(**{d: attrs[d].to_numpy() for d in person_dims})
    pieces = []
    for size in range(len(dims) + 1):
        for subset in combinations(dims, size):
            pieces.append(_cells(measure, frame, data, list(subset), dims))
    result = pd.concat(pieces, ignore_index=True)
    return result[[*dims, "n", "value"]]


def _cells(measure, frame, data, by: list[str], dims: list[str]) -> pd.DataFrame:
    """One margin of the cube: grouped by ``by``, the other dims at TOTAL."""
    if measure in (Measure.REACHED, Measure.TRAINED):
        units = frame.drop_duplicates(["person", *by])
        grouped = units.groupby(by, sort=True).size() if by else pd.Series([len(units)])
        cells = grouped.rename("n").reset_index() if by else pd.DataFrame({"n": grouped})
        cells["value"] = cells["n"].astype(float)
    elif measure in (Measure.COMPLETIONS, Measure.CONTACT_HOURS):
        units = frame.drop_duplicates(["person", "course", *by])
        units = units.assign(hours=units["course"].map(data.courses.frame["hours"]).fillna(0))
        if by:
            cells = units.groupby(by, sort=True).agg(n=("person", "size"), value=("hours", "sum"))
            cells = cells.reset_index()
        else:
            cells = pd.DataFrame({"n": [len(units)], "value": [units["hours"].sum()]})
        if measure == Measure.COMPLETIONS:
            cells["value"] = cells["n"].astype(float)
    else:
        cells = _gain_cells(measure, frame, data, by)
    for d in dims:
        if d not in by:
            cells[d] = TOTAL
    return cells


def _gain_cells(measure, frame, data, by) -> pd.DataFrame:
    # One pair per person and course (the latest decision of the period).
    units = frame.sort_values("month").drop_duplicates(["person", "course", *by], keep="last")
    mastery = units["course"].map(data.courses.frame["mastery"]).fillna(100).to_numpy()
    pre = np.round(units["pre"].to_numpy() * 100).astype(np.int64)  # hundredths of a point
    post = np.round(units["post"].to_numpy() * 100).astype(np.int64)
    below = pre < 10000
    g = np.zeros(len(units))
    g[below] = (post[below] - pre[below]) / (10000 - pre[below])
    work = pd.DataFrame(
        {
            "pre": pre,
            "post": post,
            "improved": (post > pre).astype(np.int64),
            "mastered": (post >= mastery * 100).astype(np.int64),
            "below": below.astype(np.int64),
            "g": g,
            **{d: units[d].to_numpy() for d in by},
        }
    )
    sums = (
        work.groupby(by, sort=True)
        .agg(
            n=("pre", "size"),
            pre=("pre", "sum"),
            post=("post", "sum"),
            improved=("improved", "sum"),
            mastered=("mastered", "sum"),
            below=("below", "sum"),
            g=("g", "sum"),
        )
        .reset_index()
        if by
        else pd.DataFrame(
            [
                {
                    "n": len(work),
                    "pre": work["pre"].sum(),
                    "post": work["post"].sum(),
                    "improved": work["improved"].sum(),
                    "mastered": work["mastered"].sum(),
                    "below": work["below"].sum(),
                    "g": work["g"].sum(),
                }
            ]
        )
    )
    sums["value"] = [gain_value(measure, row) for row in sums.itertuples()]
    return sums[[*by, "n", "value"]]


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


def gain_summary(frame: pd.DataFrame, data: Data) -> dict:
    """The knowledge-gain summary of a set of outcome facts (all with or without scores)."""
    units = frame.sort_values("month").drop_duplicates(["person", "course"], keep="last")
    has_pre, has_post = units["pre"].notna(), units["post"].notna()
    matched = units.loc[has_pre & has_post]
    pre = np.round(matched["pre"].to_numpy() * 100).astype(np.int64)
    post = np.round(matched["post"].to_numpy() * 100).astype(np.int64)
    mastery = matched["course"].map(data.courses.frame["mastery"]).fillna(100).to_numpy()
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
