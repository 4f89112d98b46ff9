"""The report's charts as inline SVG, drawn server-side from plain data (no script, no library),
and the display context the dashboard and the PDF share (``report_context``).

Every chart is ``role="img"`` with a ``<title>`` and a ``<desc>`` that reads out the figures, prints
its numbers on the bars, and draws a suppressed cell as a hatched bar marked "suppressed": its value
is never in the SVG. Labels are escaped here; the templates mark the SVG safe.
"""

import itertools
from datetime import datetime

from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from reports.models import Dimension

# (label, value or None, suppressed)
Bar = tuple[str, float | int | None, bool]

INK = "#1d2733"
MUTED = "#4f5a64"
BAR = "#1f4e79"  # against white, and white text on it: 8.7:1
TARGET = "#7b8794"  # against white: 3.7:1, enough for a graphic (WCAG 1.4.11)
POST = "#8a1c2b"  # 9.2:1
FONT = "Lato, 'DejaVu Sans', system-ui, sans-serif"
CHAR_WIDTH = 6.6  # average advance of a 12px sans-serif character
MAX_LABEL = 34

_ids = itertools.count(1)


def number(value) -> str:
    """A figure as printed: integers grouped, ratios with 2 decimals, others with 1."""
    if value is None:
        return "—"
    if isinstance(value, int) or float(value).is_integer():
        return formats.number_format(int(value), force_grouping=True)
    places = 2 if abs(value) < 1 else 1
    return formats.number_format(round(float(value), places), places, force_grouping=True)


def _short(label: str) -> str:
    label = str(label)
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def _text_width(text: str, size: float = 12) -> float:
    return len(text) * CHAR_WIDTH * size / 12


def _new_id() -> str:
    # Several charts share a page: their ids (title, desc, hatch pattern) must differ.
    return f"chart{next(_ids)}"


def _svg(uid: str, width: float, height: float, title: str, desc: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'aria-labelledby="{uid}-t {uid}-d" font-family="{FONT}" font-size="12" fill="{INK}">'
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(desc)}</desc>'
        f"<defs>{_hatch(uid)}</defs>" + "".join(body) + "</svg>"
    )


def _hatch(uid: str) -> str:
    return (
        f'<pattern id="{uid}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{MUTED}" stroke-width="2"/></pattern>'
    )


def _suppressed_rect(uid: str, x: float, y: float, width: float, height: float) -> str:
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" '
        f'fill="url(#{uid}-hatch)" stroke="{MUTED}" stroke-dasharray="3 2"/>'
    )


def _describe(rows: list[Bar]) -> str:
    parts = []
    for label, value, suppressed in rows:
        shown = _("suppressed") if suppressed else number(value)
        parts.append(f"{label}: {shown}")
    return "; ".join(parts) + "."


def bar_chart(
    rows: list[Bar],
    *,
    title: str,
    unit: str = "",
    maximum: float | None = None,
    colours: list[str] | None = None,
    note: str = "",
) -> str:
    """Horizontal bars, one per row, the value printed at the end of each bar; ``note`` is a
    line of text under the bars (and read out after the figures)."""
    uid = _new_id()
    labels = [_short(label) for label, _value, _suppressed in rows]
    label_width = min(max([*(_text_width(label) for label in labels), 40]) + 12, 250)
    plot = 340
    width = label_width + plot + 110
    bar_height, gap, top = 20, 8, 8
    bars_end = top + len(rows) * (bar_height + gap)
    height = bars_end + (34 if note else 10)
    values = [v for _label, v, hidden in rows if not hidden and v is not None]
    scale_max = maximum or max([*values, 0]) or 1
    body = [
        f'<line x1="{label_width:.1f}" y1="{top - 4}" x2="{label_width:.1f}" '
        f'y2="{bars_end:.1f}" stroke="{MUTED}"/>'
    ]
    for index, ((label, value, suppressed), short) in enumerate(zip(rows, labels, strict=True)):
        y = top + index * (bar_height + gap)
        middle = y + bar_height / 2 + 4
        body.append(f'<g><title>{escape(label)}</title><text x="{label_width - 6:.1f}" ')
        body.append(f'y="{middle:.1f}" text-anchor="end">{escape(short)}</text></g>')
        if suppressed:
            body.append(_suppressed_rect(uid, label_width, y, 48, bar_height))
            body.append(
                f'<text x="{label_width + 54:.1f}" y="{middle:.1f}" fill="{MUTED}" '
                f'font-style="italic">{escape(_("suppressed"))}</text>'
            )
            continue
        length = 0 if value is None else max(plot * float(value) / scale_max, 0)
        fill = colours[index] if colours and index < len(colours) else BAR
        text = number(value) + (f" {unit}" if unit and value is not None else "")
        body.append(
            f'<rect x="{label_width:.1f}" y="{y:.1f}" width="{length:.1f}" '
            f'height="{bar_height}" fill="{fill}"/>'
        )
        if length > _text_width(text) + 10:
            body.append(
                f'<text x="{label_width + length - 5:.1f}" y="{middle:.1f}" text-anchor="end" '
                f'fill="#ffffff" font-weight="bold">{escape(text)}</text>'
            )
        else:
            body.append(
                f'<text x="{label_width + length + 5:.1f}" y="{middle:.1f}" '
                f'font-weight="bold">{escape(text)}</text>'
            )
    if note:
        body.append(
            f'<text x="10" y="{bars_end + 20:.1f}" font-weight="bold">{escape(note)}</text>'
        )
    return _svg(uid, width, height, title, " ".join([_describe(rows), note]).strip(), body)


def trend_chart(quarters: list[tuple[str, float | None, float | None, bool]], *, title: str) -> str:
    """Actual against target by quarter, as grouped vertical bars:
    ``[(label, actual or None, target or None, suppressed)]``."""
    uid = _new_id()
    group, bar, left, top, plot = 130, 40, 16, 40, 150
    width = left * 2 + max(len(quarters), 1) * group
    height = top + plot + 42
    figures = [v for _l, a, t, s in quarters for v in (a if not s else None, t) if v is not None]
    scale_max = max([*figures, 0]) or 1
    base = top + plot
    body = [
        f'<rect x="{left}" y="4" width="12" height="12" fill="{BAR}"/>'
        f'<text x="{left + 16}" y="14">{escape(_("Actual"))}</text>'
        f'<rect x="{left + 90}" y="4" width="12" height="12" fill="{TARGET}"/>'
        f'<text x="{left + 106}" y="14">{escape(_("Target"))}</text>',
        f'<line x1="{left}" y1="{base}" x2="{width - left}" y2="{base}" stroke="{MUTED}"/>',
    ]
    described = []
    for index, (label, actual, target, suppressed) in enumerate(quarters):
        x = left + index * group + (group - 2 * bar - 6) / 2
        if suppressed:
            body.append(_suppressed_rect(uid, x, base - 24, bar, 24))
            body.append(
                f'<text x="{x + bar / 2:.1f}" y="{base - 30}" text-anchor="middle" '
                f'fill="{MUTED}" font-size="10" font-style="italic">{escape(_("suppressed"))}</text>'
            )
        elif actual is not None:
            h = plot * float(actual) / scale_max
            body.append(
                f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar}" height="{h:.1f}" '
                f'fill="{BAR}"/><text x="{x + bar / 2:.1f}" y="{base - h - 4:.1f}" '
                f'text-anchor="middle" font-weight="bold">{escape(number(actual))}</text>'
            )
        if target is not None:
            h = plot * float(target) / scale_max
            tx = x + bar + 6
            body.append(
                f'<rect x="{tx:.1f}" y="{base - h:.1f}" width="{bar}" height="{h:.1f}" '
                f'fill="{TARGET}"/><text x="{tx + bar / 2:.1f}" y="{base - h - 4:.1f}" '
                f'text-anchor="middle">{escape(number(target))}</text>'
            )
        body.append(
            f'<text x="{left + index * group + group / 2:.1f}" y="{base + 18}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
        shown = _("suppressed") if suppressed else number(actual)
        described.append(
            _("%(period)s: actual %(actual)s, target %(target)s")
            % {"period": label, "actual": shown, "target": number(target)}
        )
    return _svg(uid, width, height, title, "; ".join(described) + ".", body)


def gain_band(gain: float | None) -> str:
    if gain is None:
        return ""
    if gain < 0.3:
        return _("low")
    if gain <= 0.7:
        return _("medium")
    return _("high")


def gain_chart(summary: dict, *, title: str) -> str:
    """Mean pre-test and post-test scores (0–100 %) and the normalized gain <g>."""
    if summary.get("suppressed") or not summary.get("n_matched"):
        note = (
            _("Suppressed: fewer people with both tests than the minimum cell size.")
            if summary.get("suppressed")
            else _("No one has both a pre-test and a post-test in this period.")
        )
        body = [f'<text x="10" y="24" fill="{MUTED}">{escape(note)}</text>']
        return _svg(_new_id(), 520, 40, title, note, body)
    rows: list[Bar] = [
        (_("Mean pre-test"), summary["mean_pre"], False),
        (_("Mean post-test"), summary["mean_post"], False),
    ]
    gain = summary.get("hake_gain")
    note = _("Normalized gain <g> = %(gain)s (%(band)s), %(n)s people with both tests") % {
        "gain": number(gain),
        "band": gain_band(gain),
        "n": number(summary["n_matched"]),
    }
    return bar_chart(rows, title=title, unit="%", maximum=100, colours=[BAR, POST], note=note)


# --- The report's charts and display values ---------------------------------------------------

CHART_DIMENSIONS = ("sex", "institution", "region")


def _one_way(indicator: dict, dimension: str) -> dict | None:
    return next((b for b in indicator["breakdowns"] if b["dimensions"] == [dimension]), None)


def breakdown_bars(breakdown: dict) -> list[Bar]:
    dimension = breakdown["dimensions"][0]
    return [
        (row["labels"][dimension], row["value"], row["suppressed"])
        for row in breakdown["rows"]
        if not row["total"]
    ]


def report_charts(report: dict) -> list[dict]:
    """[{"title", "svg"}]: bars by sex, institution and region for the first person-level
    indicator, a trend by quarter for each indicator, and the knowledge-gain summary."""
    charts = []
    people = next((i for i in report["indicators"] if i.get("people_level")), None)
    if people is not None:
        for dimension in CHART_DIMENSIONS:
            breakdown = _one_way(people, dimension)
            if breakdown is None or not breakdown_bars(breakdown):
                continue
            title = _("%(code)s %(name)s, by %(dimension)s (%(period)s)") % {
                "code": people["code"],
                "name": people["name"],
                "dimension": breakdown["dimension_labels"][0].lower(),
                "period": people["period"],
            }
            charts.append(
                {"title": title, "svg": bar_chart(breakdown_bars(breakdown), title=title)}
            )
    for indicator in report["indicators"]:
        quarters = [
            (
                f"{p['label']} ({_('to date')})" if _running(p) else p["label"],
                p["actual"],
                p["target"],
                p["suppressed"],
            )
            for p in indicator["periods"]
            if p["kind"] == "quarter"
        ]
        if not quarters:
            continue
        title = _("%(code)s %(name)s: actual and target by quarter") % {
            "code": indicator["code"],
            "name": indicator["name"],
        }
        charts.append({"title": title, "svg": trend_chart(quarters, title=title)})
    if report.get("knowledge_gain"):
        title = _("Knowledge gain: mean pre-test and post-test scores")
        charts.append({"title": title, "svg": gain_chart(report["knowledge_gain"], title=title)})
    return charts


def generated_label(report: dict) -> str:
    """The generation time as shown on the page and in the PDF: local time and UTC offset."""
    moment = timezone.localtime(datetime.fromisoformat(report["generated_at"]))
    return f"{moment:%Y-%m-%d %H:%M:%S} (UTC{moment:%z})"


def chain_head_label(report: dict) -> str:
    head = report.get("audit_head")
    return f"{head['seq']}:{head['hash']}" if head else "—"


def _percent(value) -> str:
    return "" if value is None else f"{number(value)} %"


def _not_started(period: dict) -> bool:
    # A period after today has no actual (and is not a suppressed one).
    return period["to_date"] and period["actual"] is None and not period["suppressed"]


def _running(period: dict) -> bool:
    return period["to_date"] and not _not_started(period)


def _period_row(period: dict) -> dict:
    reported = period.get("reported") or {}
    return {
        "label": period["label"],
        "kind": period["kind"],
        "to_date": _running(period),
        "not_started": _not_started(period),
        "target": "" if period["target"] is None else number(period["target"]),
        "actual": "" if period["actual"] is None else number(period["actual"]),
        "percent": _percent(period["percent_of_target"]),
        "suppressed": period["suppressed"],
        "restated": period["restated"],
        "reported_value": number(reported.get("value")) if reported else "",
        "reported_suppressed": bool(reported.get("suppressed")),
        "reported_at": (reported.get("at") or "")[:10],
    }


def _breakdown_view(indicator: dict, breakdown: dict) -> dict:
    dimensions = breakdown["dimensions"]
    return {
        "title": _("%(code)s by %(dimensions)s, %(period)s")
        % {
            "code": indicator["code"],
            "dimensions": " × ".join(breakdown["dimension_labels"]),
            "period": indicator["period"],
        },
        "dimension_labels": breakdown["dimension_labels"],
        # People counted next to a value that is not itself a count of people.
        "show_n": not indicator["people_level"],
        "suppressed_cells": breakdown["suppressed_cells"],
        "rows": [
            {
                "labels": [row["labels"][d] for d in dimensions],
                "total": row["total"],
                "value": number(row["value"]),
                "n": number(row["n"]),
                "suppressed": row["suppressed"],
            }
            for row in breakdown["rows"]
        ],
    }


def _indicator_view(indicator: dict) -> dict:
    return {
        "code": indicator["code"],
        "version": indicator["version"],
        "name": indicator["name"],
        "definition": indicator["definition"],
        "level": indicator["level"],
        "unit": indicator["unit"],
        "measure_label": indicator["measure_label"],
        "baseline": "" if indicator["baseline"] is None else number(indicator["baseline"]),
        "baseline_note": indicator["baseline_note"],
        "periods": [_period_row(p) for p in indicator["periods"]],
        "breakdowns": [_breakdown_view(indicator, b) for b in indicator["breakdowns"]],
    }


def _gain_rows(summary: dict) -> list[tuple[str, str]]:
    if not summary or summary.get("suppressed"):
        return []
    return [
        (_("Pre-tests"), number(summary["n_pre"])),
        (_("Post-tests"), number(summary["n_post"])),
        (_("People with both (matched)"), number(summary["n_matched"])),
        (_("Attrition (pre-test, no post-test)"), number(summary["attrition"])),
        (_("Post-test without pre-test"), number(summary["post_without_pre"])),
        (_("Left out of individual gains (pre-test 100%)"), number(summary["excluded_at_ceiling"])),
        (_("Mean pre-test"), _percent(summary["mean_pre"])),
        (_("Mean post-test"), _percent(summary["mean_post"])),
        (_("Mean difference (points)"), number(summary["mean_difference"])),
        (_("Improved (post > pre)"), _percent(summary["percent_improved"])),
        (_("Mastered (post ≥ mastery cut-off)"), _percent(summary["percent_mastered"])),
        (_("Normalized gain <g>"), number(summary["hake_gain"])),
        (_("Mean of individual gains"), number(summary["mean_individual_gain"])),
    ]


def report_context(report: dict) -> dict:
    """What ``reports/_report_body.html`` renders: the report, its charts, display values."""
    parameters = report["parameters"]
    gain = report.get("knowledge_gain") or {}
    return {
        "report": report,
        "parameters": parameters,
        "charts": report_charts(report),
        "indicators": [_indicator_view(i) for i in report["indicators"]],
        "gain_rows": _gain_rows(gain),
        "gain_suppressed": bool(gain.get("suppressed")),
        "gain_band": gain_band(gain.get("hake_gain")),
        "generated_label": generated_label(report),
        "chain_head": chain_head_label(report),
        "is_donor": parameters["audience"] == "donor",
        "by_labels": [str(Dimension(d).label) for d in parameters["by"]],
    }
