"""Reads for donor reports. The database does the heavy part (facts are already de-duplicated
per workshop, person and month; filtering by period happens in SQL); what comes back is a few
integer columns per fact, shaped with pandas/NumPy in reports.measures.

Rows are read with a plain cursor into NumPy arrays: building a model instance, or even a tuple
per value through the ORM, would cost more than the counting itself at national scale.
"""

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, IntegerField, Value
from django.db.models.functions import (
    Cast,
    Coalesce,
    ExtractDay,
    ExtractMonth,
    ExtractYear,
    Substr,
)

from assessments.selectors import mastery_for
from attendance.models import Workshop
from courses.models import CoursePage
from lms.models import Person, SelfIdentification
from lms.models.people import WGAnswer
from reports.models import ActivityModality, Fact

_BATCH = 100_000


def _frame(queryset, columns: list[str], dtypes: dict | None = None) -> pd.DataFrame:
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # e.g. pk__in=[]: nobody took part in the period
        frame = pd.DataFrame(columns=columns)
        return frame.astype(dtypes) if dtypes else frame
    typed = bool(dtypes) and set(dtypes) == set(columns)
    parts = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if typed:
            # Every column typed: convert each batch of rows column by column straight to its
            # NumPy type (None becomes NaN in a float column, a Decimal its float). Same values
            # as DataFrame.from_records, several times faster on millions of rows, and only one
            # batch of row tuples is alive at a time (peak memory).
            while rows := cursor.fetchmany(_BATCH):
                values = zip(*rows, strict=True)
                parts.append(
                    [np.array(v, dtype=dtypes[c]) for c, v in zip(columns, values, strict=True)]
                )
            rows = []
        else:
            rows = cursor.fetchall()
    if parts:
        return pd.DataFrame(
            {c: np.concatenate([part[i] for part in parts]) for i, c in enumerate(columns)}
        )
    frame = pd.DataFrame.from_records(rows, columns=columns, coerce_float=True)
    if dtypes:
        frame = frame.astype(dtypes)
    return frame


def reach_facts(*, first_month: int | None, end_month: int) -> pd.DataFrame:
    """person, course, workshop (0 for online), month of every reach fact in [first, end)."""
    qs = Fact.objects.filter(kind=Fact.Kind.REACH, month__lt=end_month)
    if first_month is not None:
        qs = qs.filter(month__gte=first_month)
    qs = qs.annotate(w=Coalesce("workshop_id", Value(0), output_field=IntegerField()))
    qs = qs.values_list("person_id", "course_id", "w", "month").order_by()
    return _frame(
        qs,
        ["person", "course", "workshop", "month"],
        {"person": "int64", "course": "int32", "workshop": "int64", "month": "int32"},
    )


def outcome_facts(*, first_month: int | None, end_month: int) -> pd.DataFrame:
    """person, course, workshop (0 online), month, completed, pre %, post % (NaN if missing)."""
    qs = Fact.objects.filter(kind=Fact.Kind.OUTCOME, month__lt=end_month)
    if first_month is not None:
        qs = qs.filter(month__gte=first_month)
    qs = qs.annotate(w=Coalesce("workshop_id", Value(0), output_field=IntegerField()))
    qs = qs.values_list(
        "person_id", "course_id", "w", "month", "completed", "pre_percent", "post_percent"
    ).order_by()
    return _frame(
        qs,
        ["person", "course", "workshop", "month", "completed", "pre", "post"],
        {
            "person": "int64",
            "course": "int32",
            "workshop": "int64",
            "month": "int32",
            "completed": "bool",
            "pre": "float64",
            "post": "float64",
        },
    )


@dataclass
class Courses:
    """Per course: contact hours, gender-equality hours, sensitisation flag, mastery cut-off."""

    frame: pd.DataFrame  # index: course id

    def label(self, course_id) -> str:
        return self.frame["code"].get(course_id, str(course_id))


def courses() -> Courses:
    rows = list(
        CoursePage.objects.values_list(
            "pk", "code", "title", "contact_hours", "gender_equality_hours", "sensitisation_only"
        )
    )
    frame = pd.DataFrame(
        rows, columns=["id", "code", "title", "hours", "gender_hours", "sensitisation"]
    ).set_index("id")
    frame["hours"] = frame["hours"].astype(float)
    frame["gender_hours"] = frame["gender_hours"].astype(float)
    mastery = {c.pk: mastery_for(c) for c in CoursePage.objects.all()}
    frame["mastery"] = [mastery.get(i, 100) for i in frame.index]
    return Courses(frame)


def workshop_modalities(workshop_ids) -> dict[int, str]:
    ids = [int(w) for w in workshop_ids if w]
    found = dict(Workshop.objects.filter(pk__in=ids).values_list("pk", "modality"))
    found[0] = ActivityModality.SELF_PACED.value
    return found


def _birth_date_parts() -> dict:
    """Year, month and day of the birth date. SQLite stores a date as ISO text: slicing it costs
    nothing, where Django's ExtractYear/Month/Day call a Python function per row there."""
    if connection.vendor == "sqlite":
        return {
            name: Cast(Substr("birth_date", start, length), IntegerField())
            for name, start, length in (("by", 1, 4), ("bm", 6, 2), ("bd", 9, 2))
        }
    return {
        "by": ExtractYear("birth_date"),
        "bm": ExtractMonth("birth_date"),
        "bd": ExtractDay("birth_date"),
    }


def people(person_ids: np.ndarray, *, reference: date, sensitive: bool = False) -> pd.DataFrame:
    """Attributes of these people (index: person id): sex, age band on ``reference`` (from the
    birth date, or the coarse band kept after anonymisation), institution, position, region,
    and, for staff reports only, disability (Washington Group) and ethnicity as given with
    consent."""
    qs = (
        Person.objects.annotate(
            **_birth_date_parts(),
            inst=Coalesce("institution_id", Value(0)),
            pos=Coalesce("position_id", Value(0)),
            reg=Coalesce(F("region__parent_id"), "region_id", Value(0)),
        )
        .values_list("pk", "sex", "by", "bm", "bd", "age_band", "inst", "pos", "reg")
        .order_by()
    )
    ids = np.unique(person_ids)
    if len(ids) < 50_000:
        qs = qs.filter(pk__in=[int(i) for i in ids])
    frame = _frame(
        qs,
        ["id", "sex", "by", "bm", "bd", "age_band", "institution", "position", "region"],
        # As DataFrame.from_records infers them: the birth date's parts may be NULL (float).
        {
            "id": "int64",
            "sex": object,
            "by": "float64",
            "bm": "float64",
            "bd": "float64",
            "age_band": object,
            "institution": "int64",
            "position": "int64",
            "region": "int64",
        },
    ).set_index("id")
    frame = frame.loc[frame.index.isin(ids)]
    frame["age_band"] = _age_bands(frame, reference)
    frame = frame.drop(columns=["by", "bm", "bd"])
    if sensitive:
        frame = frame.join(_self_identification(), how="left")
        frame["disability"] = frame["disability"].fillna("not_reported")
        frame["ethnicity"] = frame["ethnicity"].fillna("not_reported")
    return frame


def _age_bands(frame: pd.DataFrame, reference: date) -> pd.Series:
    year = frame["by"].astype("float64")
    before_birthday = (frame["bm"].astype("float64") * 100 + frame["bd"].astype("float64")) > (
        reference.month * 100 + reference.day
    )
    age = reference.year - year - before_birthday.astype("float64")
    bins = [-1, 14, 19, 24, 29, 34, 39, 44, 49, 54, 59, 64, 69, 200]
    labels = [
        "0-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44",
        "45-49", "50-54", "55-59", "60-64", "65-69", "70+",
    ]  # fmt: skip
    bands = pd.cut(age, bins=bins, labels=labels).astype(object)
    stored = frame["age_band"].replace("", None)
    return bands.where(bands.notna(), stored).fillna("unknown")


def _self_identification() -> pd.DataFrame:
    """Disability per the Washington Group short set: any domain at "a lot of difficulty" or
    "cannot do at all". Only answers given with (not withdrawn) consent are stored."""
    domains = ["seeing", "hearing", "walking", "remembering", "self_care", "communicating"]
    rows = list(
        SelfIdentification.objects.values_list(
            "person_id", "ethnicity", *[f"wg_{d}" for d in domains]
        )
    )
    severe = {WGAnswer.A_LOT.value, WGAnswer.CANNOT.value}
    records = []
    for person_id, ethnicity, *answers in rows:
        answered = [a for a in answers if a]
        if not answered:
            disability = "not_reported"
        elif any(a in severe for a in answered):
            disability = "yes"
        else:
            disability = "no"
        records.append((person_id, ethnicity or "not_reported", disability))
    return pd.DataFrame(records, columns=["id", "ethnicity", "disability"]).set_index("id")
