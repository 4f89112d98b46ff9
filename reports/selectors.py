"""Reads for donor reports. The database does the heavy part (facts are already de-duplicated
per workshop, person and month; filtering by period happens in SQL); what comes back is a few
integer columns per fact, counted with NumPy in reports.measures.

At national scale (millions of facts) the cost of a report is the transfer of rows from the
database to Python, not the counting. So no row ever becomes a Python object here: the columns a
report needs are packed, in SQL, into as few 64-bit integers per row as their largest possible
values allow (``_Plan``), and the database hands them over as *one text per column* (SQLite:
``group_concat``; PostgreSQL: ``string_agg``), which NumPy parses in C. That is several
times faster than a tuple per row through the driver, and every figure is the same.
"""

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from assessments.selectors import mastery_for
from attendance.models import Workshop
from courses.models import CoursePage
from lms.models import Institution, Person, Position, Region, SelfIdentification
from lms.models.people import AgeBand, Sex, WGAnswer
from reports.models import ActivityModality, Fact

# Bits of one packed integer: 62 keeps every sum below 2**63 (SQLite turns an integer overflow
# into a float, which would lose digits).
_WORD_BITS = 62

AGE_BANDS = [
    "0-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44",
    "45-49", "50-54", "55-59", "60-64", "65-69", "70+",
]  # fmt: skip
_AGE_EDGES = np.array([-1, 14, 19, 24, 29, 34, 39, 44, 49, 54, 59, 64, 69, 200])
UNKNOWN_AGE = "unknown"
# Codes 1.. of the stored coarse band (0: none); the sex's codes 1.. (0: anything else).
_STORED_BANDS = list(AgeBand.values)
_SEXES = list(Sex.values)


# --- Columnar transfer ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Field:
    name: str
    word: int
    shift: int
    bits: int


class _Plan:
    """Where each column goes in the packed words: ``maxima`` gives each column's largest
    possible value (every value is an integer >= 0)."""

    def __init__(self, maxima: dict[str, int]):
        self.fields: list[_Field] = []
        word, used = 0, 0
        for name, largest in maxima.items():
            bits = max(int(largest), 1).bit_length()
            if bits > _WORD_BITS:
                raise ValueError(f"{name}: {largest} does not fit in a packed word")
            if used + bits > _WORD_BITS:
                word, used = word + 1, 0
            self.fields.append(_Field(name, word, used, bits))
            used += bits
        self.words = word + 1 if self.fields else 0

    def sql(self, quote) -> list[str]:
        words: list[list[str]] = [[] for _ in range(self.words)]
        for f in self.fields:
            column = quote(f.name)
            if connection.vendor == "postgresql":
                column = f"CAST({column} AS BIGINT)"  # no int4 overflow (SQLite: all 64-bit)
            words[f.word].append(f"{column} * {1 << f.shift}" if f.shift else column)
        return [" + ".join(parts) for parts in words]

    def unpack(self, words: list[np.ndarray]) -> dict[str, np.ndarray]:
        out = {}
        for f in self.fields:
            values = words[f.word]
            if f.shift:
                values = values >> f.shift
            out[f.name] = values & ((1 << f.bits) - 1)
        return out


def _columns(queryset, maxima: dict[str, int]) -> dict[str, np.ndarray]:
    """The queryset's columns (``values()`` of non-negative integer annotations named as in
    ``maxima``), as int64 arrays, transferred packed (see the module's docstring)."""
    plan = _Plan(maxima)
    empty = {name: np.zeros(0, dtype=np.int64) for name in maxima}
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return empty
    quote = connection.ops.quote_name
    words = plan.sql(quote)
    if connection.vendor == "postgresql":
        columns = _agg_words(sql, params, words)
    else:
        columns = _concat_words(sql, params, words)
    if columns is None:
        return empty
    return plan.unpack(columns)


def _concat_words(sql, params, words) -> list[np.ndarray] | None:
    """SQLite: one ``group_concat`` per word, in one statement (one scan, so the words of a
    row line up; the count checks it)."""
    aggregates = ", ".join(f"group_concat({w}, ',')" for w in words)
    statement = f"SELECT {aggregates}, count(*) FROM ({sql})"  # noqa: S608 (quoted names only)
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        *texts, count = cursor.fetchone()
    if not count:
        return None
    arrays = [np.fromstring(text, dtype=np.int64, sep=",") for text in texts]
    if any(len(a) != count for a in arrays):
        raise RuntimeError("packed columns do not line up")
    return arrays


def _agg_words(sql, params, words) -> list[np.ndarray] | None:
    """PostgreSQL: ``string_agg`` of each row's words as text, the words of a row kept together
    (``COPY … TO STDOUT`` costs a Python call per row in the driver: three times slower)."""
    row = " || ' ' || ".join(f"({w})::text" for w in words)
    statement = f"SELECT string_agg({row}, ' '), count(*) FROM ({sql}) AS packed"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        text, count = cursor.fetchone()
    if not count:
        return None
    flat = np.fromstring(text, dtype=np.int64, sep=" ")
    if len(flat) != count * len(words):
        raise RuntimeError("packed columns do not line up")
    return [flat[i :: len(words)] for i in range(len(words))]


def _largest(model) -> int:
    return model.objects.aggregate(m=Max("pk"))["m"] or 0


# --- Facts ------------------------------------------------------------------------------------


def _month_range(qs, first_month, end_month):
    # Facts are read from their report index (kind, month, then every column a report needs):
    # a range of months of one kind is a range of that index, read without the table.
    qs = qs.filter(month__lt=end_month)
    if first_month is not None:
        qs = qs.filter(month__gte=first_month)
    return qs


class _Hundredths(Func):
    """A percentage as hundredths of a point plus one (0: no score), in plain SQL (Django's own
    decimal arithmetic adds casts that cost a second per million rows on SQLite)."""

    template = "COALESCE(CAST(ROUND(%(expressions)s * 100) AS BIGINT) + 1, 0)"
    output_field = BigIntegerField()


class _AsInteger(Func):
    template = "CAST(%(expressions)s AS INTEGER)"
    output_field = IntegerField()


def reach_facts(
    *, first_month: int | None, end_month: int, workshops: bool = True
) -> dict[str, np.ndarray]:
    """person, course, month and (``workshops``) workshop (0 for online) of every reach fact
    in months [first, end)."""
    qs = _month_range(Fact.objects.filter(kind=Fact.Kind.REACH), first_month, end_month)
    return _fact_columns(qs, end_month, workshops=workshops)


def outcome_facts(
    *, first_month: int | None, end_month: int, workshops: bool = True
) -> dict[str, np.ndarray]:
    """As reach_facts, with completed (bool) and the pre and post percentages in hundredths of
    a point (-1: no score)."""
    qs = _month_range(Fact.objects.filter(kind=Fact.Kind.OUTCOME), first_month, end_month)
    qs = qs.annotate(
        f_completed=_AsInteger("completed"),
        f_pre=_Hundredths("pre_percent"),
        f_post=_Hundredths("post_percent"),
    )
    out = _fact_columns(
        qs,
        end_month,
        workshops=workshops,
        extra={"f_completed": 1, "f_pre": 10001, "f_post": 10001},
    )
    out["completed"] = out["completed"].astype(bool)
    out["pre"] = out["pre"] - 1
    out["post"] = out["post"] - 1
    return out


def first_month() -> int:
    """The month of the earliest fact (0: none)."""
    # Per kind: each minimum is the first entry of the kind in the report index.
    firsts = [
        Fact.objects.filter(kind=kind).aggregate(m=Min("month"))["m"] for kind in Fact.Kind.values
    ]
    return min((m for m in firsts if m is not None), default=0)


def _fact_columns(qs, end_month, *, workshops: bool, extra: dict | None = None) -> dict:
    # Months are sent counted from the first fact's month: a few bits rather than 15, so that a
    # fact often fits one word.
    def build():
        base = min(first_month(), end_month)
        annotated = qs.annotate(
            f_person=F("person_id"), f_course=F("course_id"), f_month=F("month") - Value(base)
        )
        maxima = {
            "f_person": _largest(Person),
            "f_course": _largest(CoursePage),
            "f_month": end_month - base,
        }
        if workshops:
            annotated = annotated.annotate(
                f_workshop=Coalesce("workshop_id", Value(0), output_field=IntegerField())
            )
            maxima["f_workshop"] = _largest(Workshop)
        maxima.update(extra or {})
        return annotated.values(*maxima).order_by(), maxima, base

    columns, base = _read_stable(build)
    columns["f_month"] += base
    return {name[2:]: values for name, values in columns.items()}


def _read_stable(build):
    """Read ``build()``'s queryset packed for its maxima. A row written while it was read could
    hold a larger value than the plan has room for (a new person's id, a fact dated before the
    first): when the bounds taken again after the read differ, read again."""
    while True:
        queryset, maxima, extra = build()
        columns = _columns(queryset, maxima)
        _queryset, again, extra_again = build()
        if _Plan(again).fields == _Plan(maxima).fields and extra_again == extra:
            return columns, extra


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
    workshops = Workshop.objects.all()
    if len(ids) < 10_000:
        workshops = workshops.filter(pk__in=ids)
    found = dict(workshops.values_list("pk", "modality"))
    found[0] = ActivityModality.SELF_PACED.value
    return found


# --- People -----------------------------------------------------------------------------------


# A birth date goes as days since this day (none earlier: a person's birth date is at most
# 110 years back, lms.validators).
_BIRTH_EPOCH = date(1800, 1, 1)
_BIRTH_DAYS_MAX = (date(9999, 12, 31) - _BIRTH_EPOCH).days


class _BirthDays(Func):
    """Days from _BIRTH_EPOCH to the birth date. SQLite's julianday() is one C call per row;
    taking the ISO text apart costs three times as much."""

    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        template = "CAST(julianday(%(expressions)s) - 2378496.5 AS INTEGER)"  # 1800-01-01
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        template = "(%(expressions)s - DATE '1800-01-01')"
        return self.as_sql(compiler, connection, template=template, **extra)


def _age_source():
    """One column for the age: the kept coarse band's code (0..len(_STORED_BANDS); 0 none)
    when the birth date is unknown, else the birth date's _BirthDays above those codes."""
    bands = len(_STORED_BANDS)
    return Case(
        When(
            birth_date__gte=_BIRTH_EPOCH,
            then=_BirthDays("birth_date") + Value(bands + 1),
        ),
        default=_code("age_band", _STORED_BANDS),
        output_field=IntegerField(),
    )


def _split_age_source(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """_age_source values as (birth date as yyyymmdd or 0, kept band code)."""
    bands = len(_STORED_BANDS)
    known = values > bands
    return _birth_numbers(np.where(known, values - bands, 0)), np.where(known, 0, values)


def _birth_numbers(days: np.ndarray) -> np.ndarray:
    """_BirthDays values plus one (0: unknown) as yyyymmdd (0: unknown)."""
    known = days > 0
    when = np.datetime64(_BIRTH_EPOCH) + np.where(known, days - 1, 0).astype("timedelta64[D]")
    months = when.astype("datetime64[M]")
    year = months.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    day = (when - months).astype(np.int64) + 1
    return np.where(known, year * 10000 + month * 100 + day, 0)


class _LetterCode(Func):
    """SQLite, one-letter values: the value's position in them (1..), 0 for anything else;
    a single instr() call per row where a CASE costs a comparison per value."""

    output_field = IntegerField()

    def __init__(self, field: str, letters: str):
        self.letters = letters
        super().__init__(F(field))

    def as_sql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        sql = f"(instr('{self.letters}', {column}) * (length({column}) = 1))"
        return sql, [*params, *params]


def _code(field: str, values: list[str]):
    """1.. for the values, 0 for anything else; an empty field (most rows, for the kept age
    band) is answered first."""
    letters = "".join(values)
    if connection.vendor == "sqlite" and all(len(v) == 1 for v in values) and letters.isalnum():
        return _LetterCode(field, letters)
    return Case(
        When(**{field: ""}, then=Value(0)),
        *[When(**{field: v}, then=Value(i)) for i, v in enumerate(values, start=1)],
        default=Value(0),
        output_field=IntegerField(),
    )


@dataclass
class People:
    """Attributes of people, one array element per person, ordered by ``ids``."""

    ids: np.ndarray
    attrs: dict  # dimension -> (code per person, the values in code order)
    institution: np.ndarray  # ids, 0 when none (for the indicators' audience filters)
    position: np.ndarray


def people(
    person_ids: np.ndarray | None,
    *,
    reference: date,
    sensitive: bool = False,
    ages: bool = True,
) -> People:
    """Attributes of these people (everyone when None): sex, age band on ``reference`` (from the
    birth date, or the coarse band kept after anonymisation; when ``ages``), institution,
    position, region (the department), and, for staff reports only, disability (Washington
    Group) and ethnicity as given with consent."""
    qs = Person.objects.annotate(
        f_id=F("pk"),
        f_sex=_code("sex", _SEXES),
        f_inst=Coalesce("institution_id", Value(0)),
        f_pos=Coalesce("position_id", Value(0)),
        f_reg=Coalesce("region_id", Value(0)),
    )
    maxima = {
        "f_id": _largest(Person),
        "f_sex": len(_SEXES),
        "f_inst": _largest(Institution),
        "f_pos": _largest(Position),
        "f_reg": _largest(Region),
    }
    if ages:
        qs = qs.annotate(f_age=_age_source())
        maxima["f_age"] = _BIRTH_DAYS_MAX + len(_STORED_BANDS) + 1
    wanted = None
    if person_ids is not None:
        wanted = np.asarray(person_ids, dtype=np.int64)
        if len(wanted) > 1 and not (np.diff(wanted) > 0).all():
            wanted = np.unique(wanted)
        if len(wanted) < 50_000:
            qs = qs.filter(pk__in=[int(i) for i in wanted])

    def build():
        largest = {
            "f_id": _largest(Person),
            "f_inst": _largest(Institution),
            "f_pos": _largest(Position),
            "f_reg": _largest(Region),
        }
        return qs.values(*maxima).order_by(), {**maxima, **largest}, None

    columns, _none = _read_stable(build)
    order = np.argsort(columns["f_id"], kind="stable")
    c = {name[2:]: values[order] for name, values in columns.items()}
    if wanted is not None:
        found = np.searchsorted(wanted, c["id"]).clip(0, max(len(wanted) - 1, 0))
        keep = wanted[found] == c["id"] if len(wanted) else np.zeros(len(c["id"]), dtype=bool)
        c = {name: values[keep] for name, values in c.items()}
    attrs = {
        "sex": _in_order(c["sex"], ["", *_SEXES]),
        "institution": _ranked(c["inst"]),
        "position": _ranked(c["pos"]),
        "region": _ranked(_departments(c["reg"])),
    }
    if ages:
        # Each attribute as (code per person, the values in code order), codes in the values'
        # sort order: age bands as text, "unknown" last.
        band = _age_band_codes(*_split_age_source(c["age"]), reference)
        youth = np.array([0, 1, 1, 1, *([2] * 9), 3])[band]
        attrs["age_band"] = _in_order(band, [*AGE_BANDS, UNKNOWN_AGE])
        attrs["youth"] = _in_order(youth, ["0-14", "15-29", "30+", UNKNOWN_AGE])
    if sensitive:
        found = _self_identification().reindex(c["id"])
        for name in ("disability", "ethnicity"):
            values = found[name].fillna("not_reported").to_numpy(dtype=object)
            labels, codes = np.unique(values, return_inverse=True)
            attrs[name] = (codes, labels)
    return People(ids=c["id"], attrs=attrs, institution=c["inst"], position=c["pos"])


def _in_order(codes: np.ndarray, labels: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Codes renumbered so that they follow the labels' sort order."""
    values = np.array(labels, dtype=object)
    order = np.argsort(values, kind="stable")
    rank = np.empty(len(values), dtype=np.int64)
    rank[order] = np.arange(len(values))
    return rank[codes], values[order]


def _ranked(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Small non-negative ids as (code per element, the distinct ids in order)."""
    if not len(ids):
        return ids, ids
    present = np.bincount(ids) > 0
    rank = np.cumsum(present) - 1
    return rank[ids], np.flatnonzero(present)


def _departments(region_ids: np.ndarray) -> np.ndarray:
    """A province's or district's department (the region breakdown is by department)."""
    parents = dict(Region.objects.values_list("pk", "parent_id"))
    if not len(region_ids):
        return region_ids
    table = np.arange(max(max(parents, default=0), int(region_ids.max())) + 1, dtype=np.int64)
    for pk, parent in parents.items():
        if parent is not None:
            table[pk] = parent
    return table[region_ids]


def _age_band_codes(birth: np.ndarray, stored: np.ndarray, reference: date) -> np.ndarray:
    """Five-year band on ``reference`` (a position in AGE_BANDS, len(AGE_BANDS): unknown) from
    the birth date (yyyymmdd, 0 unknown); else the band kept after anonymisation."""
    year = birth // 10000
    before_birthday = (birth % 10000) > reference.month * 100 + reference.day
    age = reference.year - year - before_birthday
    position = np.searchsorted(_AGE_EDGES, age, side="left") - 1
    known = (birth > 0) & (age > _AGE_EDGES[0]) & (age <= _AGE_EDGES[-1])
    kept = np.array([len(AGE_BANDS), *[AGE_BANDS.index(b) for b in _STORED_BANDS]])[stored]
    return np.where(known, np.clip(position, 0, len(AGE_BANDS) - 1), kept)


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
    frame = pd.DataFrame(records, columns=["id", "ethnicity", "disability"])
    return frame.set_index("id")
