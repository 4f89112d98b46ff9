"""The participation report: every active indicator of the catalogue for a fiscal year (or one of
its quarters), as an Indicator Tracking Table (quarters, year, life of project; baseline, target,
actual, % of target, restatements) with its breakdowns, the knowledge-gain summary, and the audit
chain head at the time of generation.

``participation_report()`` returns plain data (``Report.as_dict()`` is what the JSON API, the CSV,
XLSX and PDF outputs and the command all render). Audiences:

- ``donor``: aggregates only, small cells suppressed (k = ``LMS_REPORT_MIN_CELL``, 10) with
  complementary suppression, a ``suppressed`` flag on every cell and a footnote; no sensitive
  breakdown (disability, ethnicity); never a row per person.
- ``staff``: the same figures unsuppressed, with the sensitive breakdowns.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.models import Institution, Position, Region
from lms.models.people import Ethnicity, Sex
from lms.services.audit import chain_head
from reports import measures
from reports.models import (
    COUNT_MEASURES,
    PEOPLE_MEASURES,
    STAFF_ONLY_DIMENSIONS,
    ActivityModality,
    Dimension,
    Indicator,
    Measure,
    ReportedValue,
)
from reports.periods import fiscal_quarter, fiscal_year, month_ordinal
from reports.suppression import TOTAL, suppress

DONOR, STAFF = "donor", "staff"
AUDIENCES = (DONOR, STAFF)
ADDITIVE = {Measure.COMPLETIONS, Measure.CONTACT_HOURS}


@dataclass
class Report:
    parameters: dict
    generated_at: datetime
    audit_head: dict | None
    indicators: list[dict] = field(default_factory=list)
    knowledge_gain: dict = field(default_factory=dict)
    footnotes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "parameters": self.parameters,
            "generated_at": self.generated_at.isoformat(),
            "audit_head": self.audit_head,
            "indicators": self.indicators,
            "knowledge_gain": self.knowledge_gain,
            "footnotes": self.footnotes,
        }


def project_start_month() -> int | None:
    text = getattr(settings, "LMS_PROJECT_START", "")
    if not text:
        return None
    year, _sep, month = text.partition("-")
    return int(year) * 12 + int(month) - 1


def allowed_dimensions(audience: str) -> list[str]:
    return [d for d in Dimension.values if audience == STAFF or d not in STAFF_ONLY_DIMENSIONS]


def check_parameters(fy: int, quarter: int | None, by: list[str], audience: str) -> None:
    """ValidationError keyed by parameter (fy, quarter, by, audience) for values no report has."""
    errors = {}
    if not 2000 <= fy <= 2100:
        errors["fy"] = _("A fiscal year between 2000 and 2100, e.g. 2026.")
    if quarter is not None and quarter not in (1, 2, 3, 4):
        errors["quarter"] = _("The quarter is 1, 2, 3 or 4.")
    if audience not in AUDIENCES:
        errors["audience"] = _("The audience is “donor” or “staff”.")
    unknown = [d for d in by if d not in Dimension.values]
    if unknown:
        errors["by"] = _("Unknown breakdown(s): %(names)s. Choose from: %(choices)s.") % {
            "names": ", ".join(unknown),
            "choices": ", ".join(Dimension.values),
        }
    elif audience == DONOR and any(d in STAFF_ONLY_DIMENSIONS for d in by):
        errors["by"] = _("Disability and ethnicity are never broken down in a donor's report.")
    if len(by) > 3:
        errors["by"] = _("At most three breakdowns can be crossed.")
    if errors:
        raise ValidationError(errors)


class Labels:
    """Display labels of dimension values, read once per report."""

    def __init__(self, courses):
        self.maps = {
            Dimension.SEX: {k: str(v) for k, v in Sex.choices},
            Dimension.INSTITUTION: {i.pk: i.label for i in Institution.objects.all()},
            Dimension.POSITION: {p.pk: p.label for p in Position.objects.all()},
            Dimension.REGION: {r.pk: r.name for r in Region.objects.filter(parent=None)},
            Dimension.MODALITY: {k: str(v) for k, v in ActivityModality.choices},
            Dimension.COURSE: {
                pk: f"{row.code} · {row.title}" for pk, row in courses.frame.iterrows()
            },
            Dimension.ETHNICITY: {k: str(v) for k, v in Ethnicity.choices},
            Dimension.DISABILITY: {"yes": _("With disability"), "no": _("Without disability")},
        }
        unknown = {0: _("Not recorded"), "unknown": _("Not recorded"), "": _("Not recorded")}
        self.unknown = {**unknown, "not_reported": _("Not reported")}

    def __call__(self, dimension: str, value) -> str:
        if value == TOTAL:
            return _("Total")
        found = self.maps.get(dimension, {}).get(value)
        if found is not None:
            return str(found)
        return str(self.unknown.get(value, value))


def _plain(value):
    if hasattr(value, "item"):
        return value.item()
    return value


def _value(measure: str, value):
    if value is None or value != value:  # NaN
        return None
    if measure in COUNT_MEASURES:
        return int(value)
    return round(float(value), 3)


def participation_report(
    *,
    fy: int,
    quarter: int | None = None,
    by: list[str] | tuple = (),
    audience: str = DONOR,
    k: int | None = None,
    indicators=None,
    now: datetime | None = None,
) -> Report:
    by = [b for b in dict.fromkeys(by) if b]
    check_parameters(fy, quarter, by, audience)
    k = int(k or settings.LMS_REPORT_MIN_CELL)
    year = fiscal_year(fy)
    main = fiscal_quarter(fy, quarter) if quarter else year
    lop_first = project_start_month()
    generated = now or timezone.now()
    chosen = indicators if indicators is not None else Indicator.objects.filter(active=True)
    chosen = (
        list(chosen.prefetch_related("targets")) if hasattr(chosen, "prefetch_related") else chosen
    )
    shown = set(by) | {d for i in chosen for d in i.dimensions}
    data = measures.load(
        first_month=lop_first,
        end_month=main.end,
        reference=main.ends,
        sensitive=audience == STAFF,
        ages=bool(shown & {Dimension.AGE_BAND, Dimension.YOUTH}),
        modalities=Dimension.MODALITY in shown or any(i.modalities for i in chosen),
        reach=any(i.measure == Measure.REACHED for i in chosen),
    )
    labels = Labels(data.courses)
    head = chain_head()
    report = Report(
        parameters={
            "fiscal_year": fy,
            "quarter": quarter,
            "period": {
                "key": main.key,
                "starts": main.starts.isoformat(),
                "ends": main.ends.isoformat(),
            },
            "by": by,
            "audience": audience,
            "k": k if audience == DONOR else None,
            "project_start": getattr(settings, "LMS_PROJECT_START", "") or None,
        },
        generated_at=generated,
        audit_head={"seq": head.seq, "hash": head.hash} if head else None,
    )
    reported = _reported(chosen, fy)
    quarters = [fiscal_quarter(fy, q) for q in range(1, (quarter or 4) + 1)]
    # Do not count what has not happened yet: a period that ends after today is "to date".
    today_month = month_ordinal(timezone.localdate())
    # The indicators that count reach facts last: those facts may still be being read (see
    # measures.load). The report keeps the catalogue's order.
    order = sorted(range(len(chosen)), key=lambda i: chosen[i].measure == Measure.REACHED)
    computed = {}
    for position in order:
        indicator = chosen[position]
        computed[position] = _indicator(
            indicator,
            data,
            labels,
            year=year,
            main=main,
            quarters=quarters,
            lop_first=lop_first,
            by=by,
            audience=audience,
            k=k,
            reported=reported.get(indicator.pk, {}),
            today_month=today_month,
        )
    report.indicators.extend(computed[position] for position in range(len(chosen)))
    gain_frame = measures.in_period(data.outcome, main.first, main.end)
    summary = measures.gain_summary(gain_frame, data)
    summary["suppressed"] = audience == DONOR and 0 < summary["n_matched"] < k
    if summary["suppressed"]:
        summary = {key: (None if key != "suppressed" else True) for key in summary}
    report.knowledge_gain = summary
    report.footnotes = _footnotes(audience, k, lop_first)
    return report


def _reported(indicators, fy: int) -> dict:
    """{indicator id: {quarter or None: the first ReportedValue}}: restatements compare with
    what was reported first."""
    found: dict = {}
    rows = ReportedValue.objects.filter(
        indicator__in=[i.pk for i in indicators], fiscal_year=fy
    ).order_by("reported_at", "pk")
    for row in rows:
        found.setdefault(row.indicator_id, {}).setdefault(row.quarter, row)
    return found


def _indicator(
    indicator,
    data,
    labels,
    *,
    year,
    main,
    quarters,
    lop_first,
    by,
    audience,
    k,
    reported,
    today_month,
):
    measure = indicator.measure
    units = measures.units(indicator, data)
    targets = {(t.fiscal_year, t.quarter): t.value for t in indicator.targets.all()}
    periods = []
    for period in quarters:
        periods.append(("quarter", period, period.first, period.end))
    periods.append(("year", year, year.first, main.end))
    periods.append(("life", None, lop_first, main.end))
    rows = []
    for kind, period, first, end in periods:
        cells = measures.cube(measure, measures.in_period(units, first, end), data, [])
        n, value = int(cells["n"].iloc[0]), cells["value"].iloc[0]
        quarter = period.quarter if kind == "quarter" else None
        target = targets.get((year.fiscal_year, quarter)) if kind != "life" else None
        row = {
            "kind": kind,
            "key": period.key if period else "LOP",
            "label": period.label if period else _("Life of project"),
            # The period has not ended yet: its figure is "to date".
            "to_date": end > today_month,
            "n": n,
            "actual": _value(measure, value),
            "target": float(target) if target is not None else None,
            "percent_of_target": None,
            "suppressed": audience == DONOR and 0 < n < k,
            "reported": None,
            "restated": False,
        }
        rows.append(row)
    if audience == DONOR and Measure(measure) in ADDITIVE:
        _complement_quarters(rows)
    for row in rows:
        if row["kind"] == "quarter" and row["to_date"] and int(row["key"][-1]) > 1:
            starts = quarters[int(row["key"][-1]) - 1].first
            if starts > today_month:  # a quarter not begun yet has no actual
                row["actual"] = row["n"] = None
        if row["suppressed"]:
            row["actual"] = row["n"] = None
        elif row["target"] and row["actual"] is not None:
            row["percent_of_target"] = round(row["actual"] * 100 / row["target"], 1)
        if row["kind"] != "life":
            quarter_key = None if row["kind"] == "year" else int(row["key"][-1])
            first = reported.get(quarter_key)
            if first is not None:
                row["reported"] = {
                    "value": _value(measure, first.value) if not first.suppressed else None,
                    "suppressed": first.suppressed,
                    "at": first.reported_at.isoformat(),
                }
                row["restated"] = (first.suppressed != row["suppressed"]) or (
                    not first.suppressed
                    and row["actual"] is not None
                    and Decimal(str(row["actual"])) != first.value
                )
    dims = [d for d in indicator.dimensions if d in measures_dims(audience)]
    breakdowns = []
    main_units = measures.in_period(units, main.first, main.end)
    tables = [[d] for d in dims]
    crossed = [d for d in by if d in measures_dims(audience)]
    if crossed and crossed not in tables:
        tables.append(crossed)
    for table_dims in tables:
        breakdowns.append(
            _table(measure, main_units, data, labels, table_dims, audience=audience, k=k)
        )
    return {
        "code": indicator.code,
        "version": indicator.version,
        "name": indicator.label,
        "definition": indicator.definition_label,
        "names": {"es": indicator.name, "en": indicator.name_en or indicator.name},
        "definitions": {
            "es": indicator.definition,
            "en": indicator.definition_en or indicator.definition,
        },
        "level": indicator.get_level_display(),
        "level_code": indicator.level,
        "unit": indicator.get_unit_display(),
        "unit_code": indicator.unit,
        "measure": measure,
        "measure_label": str(Measure(measure).label),
        "people_level": Measure(measure) in PEOPLE_MEASURES,
        "baseline": float(indicator.baseline) if indicator.baseline is not None else None,
        "baseline_note": indicator.baseline_note,
        "periods": rows,
        "breakdowns": breakdowns,
        "period": main.key,
    }


def measures_dims(audience: str) -> list[str]:
    return allowed_dimensions(audience)


def _complement_quarters(rows: list[dict]) -> None:
    """Completions and hours add up over quarters to the year: one hidden quarter next to a
    visible year would be given away, so hide the smallest other quarter too."""
    quarter_rows = [r for r in rows if r["kind"] == "quarter"]
    year_row = next(r for r in rows if r["kind"] == "year")
    hidden = [r for r in quarter_rows if r["suppressed"]]
    if len(hidden) == 1 and not year_row["suppressed"] and len(quarter_rows) == 4:
        visible = [r for r in quarter_rows if not r["suppressed"] and r["n"] > 0]
        if visible:
            min(visible, key=lambda r: r["n"])["suppressed"] = True
        else:
            year_row["suppressed"] = True


def _table(measure, frame, data, labels, dims, *, audience, k) -> dict:
    cells = measures.cube(measure, frame, data, dims)
    hidden = suppress(cells, dims, k) if audience == DONOR else cells["n"] < 0
    rows = []
    columns = {d: [_plain(v) for v in cells[d].tolist()] for d in dims}
    for i, (n, value, is_hidden) in enumerate(
        zip(cells["n"].tolist(), cells["value"].tolist(), hidden.tolist(), strict=True)
    ):
        keys = {d: columns[d][i] for d in dims}
        rows.append(
            {
                "keys": {d: (None if v == TOTAL else v) for d, v in keys.items()},
                "labels": {d: labels(d, v) for d, v in keys.items()},
                "total": any(v == TOTAL for v in keys.values()),
                "n": None if is_hidden else int(n),
                "value": None if is_hidden else _value(measure, value),
                "suppressed": bool(is_hidden),
            }
        )
    # Totals last, cells in a stable order (by label).
    rows.sort(
        key=lambda r: (
            r["total"],
            [r["labels"][d] if r["keys"][d] is not None else "\uffff" for d in dims],
        )
    )
    return {
        "dimensions": dims,
        "dimension_labels": [str(Dimension(d).label) for d in dims],
        "rows": rows,
        "suppressed_cells": int(hidden.sum()),
    }


def _footnotes(audience: str, k: int, lop_first) -> list[str]:
    notes = [
        _(
            "People are counted once per period (quarter, fiscal year, life of project), each "
            "de-duplicated over its own dates; the life-of-project figure is never a sum of years."
        ),
        _(
            "Reached: at least one attendance or online activity in the period, by its date. "
            "Trained: a completed course (attendance ≥ the course minimum and the post-test "
            "passed) whose last session or completion falls in the period; sensitisation-only "
            "events are excluded."
        ),
        _(
            "Knowledge gain uses only people with both a pre-test and a post-test; people with a "
            "pre-test of 100% are left out of individual gains."
        ),
    ]
    if audience == DONOR:
        notes.append(
            _(
                "Cells below %(k)s people (and the cells that would let one be worked out from "
                "the totals) are suppressed and marked; they are counted in the totals."
            )
            % {"k": k}
        )
    else:
        notes.append(_("Program staff view: figures are not suppressed. Do not share."))
    if lop_first is None:
        notes.append(_("Life of project counts from the first record in the system."))
    return notes
