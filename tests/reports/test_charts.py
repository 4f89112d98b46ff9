"""The report's SVG charts: labelled for screen readers, figures printed on the bars, suppressed
cells drawn as such without their value, and every label escaped."""

from lxml import etree

from reports.charts import bar_chart, gain_chart, report_charts, report_context, trend_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str):
    return etree.fromstring(svg.encode())


def texts(svg: str) -> list[str]:
    return [t.text for t in parse(svg).iter(f"{SVG}text")]


def test_a_bar_chart_is_an_accessible_image_with_its_figures(english):
    svg = bar_chart([("Female", 12, False), ("Male", 1530, False)], title="Trained by sex")
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Trained by sex"
    # The description reads the figures out for a screen reader.
    assert root.find(f"{SVG}desc").text == "Female: 12; Male: 1,530."
    assert {"Female", "Male", "12", "1,530"} <= set(texts(svg))


def test_a_suppressed_cell_is_marked_and_has_no_bar_length_or_value(english):
    svg = bar_chart(
        [("Poder Judicial", None, True), ("Contraloría", 40, False)], title="By institution"
    )
    shown = texts(svg)
    assert "suppressed" in shown
    assert "Contraloría" in shown and "40" in shown
    root = parse(svg)
    hatched = [r for r in root.iter(f"{SVG}rect") if (r.get("fill") or "").startswith("url(")]
    assert len(hatched) == 1
    assert "Poder Judicial: suppressed" in root.find(f"{SVG}desc").text


def test_labels_are_escaped():
    label = '<script>alert("x")</script>'
    svg = bar_chart([(label, 3, False)], title=label)
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    # Still well-formed, and the label reads as written.
    assert label in texts(svg)
    assert parse(svg).find(f"{SVG}title").text == label
    trend = trend_chart([(label, 1, 2, False)], title=label)
    assert "<script>" not in trend and label in texts(trend)


def test_the_trend_shows_actual_and_target_by_quarter(english):
    svg = trend_chart(
        [
            ("FY2026 Q1", None, 20.0, True),
            ("FY2026 Q2", 35, 20.0, False),
            ("FY2026 Q3", None, 25.0, False),  # not begun yet: no bar
        ],
        title="Trend",
    )
    shown = texts(svg)
    assert {"FY2026 Q1", "FY2026 Q2", "FY2026 Q3", "Actual", "Target"} <= set(shown)
    assert "35" in shown and "20" in shown and "25" in shown
    assert "suppressed" in shown
    desc = parse(svg).find(f"{SVG}desc").text
    assert "FY2026 Q1: actual suppressed, target 20" in desc
    assert "FY2026 Q2: actual 35, target 20" in desc


def test_the_knowledge_gain_figure(english):
    svg = gain_chart(
        {"n_matched": 24, "mean_pre": 45.2, "mean_post": 78.1, "hake_gain": 0.6}, title="Gain"
    )
    shown = texts(svg)
    assert "45.2 %" in shown and "78.1 %" in shown
    assert "Normalized gain <g> = 0.60 (medium), 24 people with both tests" in shown
    hidden = gain_chart({"suppressed": True, "n_matched": None}, title="Gain")
    assert "Suppressed" in " ".join(texts(hidden))


def test_the_report_charts_use_the_one_way_breakdowns_of_the_first_people_indicator(english):
    def table(dimension, label, rows):
        return {
            "dimensions": [dimension],
            "dimension_labels": [label],
            "suppressed_cells": 0,
            "rows": [
                {"labels": {dimension: name}, "total": total, "value": value, "suppressed": hide}
                for name, value, hide, total in rows
            ],
        }

    report = {
        "indicators": [
            {
                "code": "HRS",
                "name": "Hours",
                "people_level": False,
                "period": "FY2026",
                "breakdowns": [table("sex", "Sex", [("Female", 99, False, False)])],
                "periods": [],
            },
            {
                "code": "EG.3.2-1",
                "name": "People trained",
                "people_level": True,
                "period": "FY2026",
                "breakdowns": [
                    table(
                        "sex",
                        "Sex",
                        [
                            ("Female", 30, False, False),
                            ("Male", None, True, False),
                            ("Total", 41, False, True),
                        ],
                    ),
                    table("region", "Region", [("Cusco", 12, False, False)]),
                ],
                "periods": [
                    {
                        "kind": "quarter",
                        "label": "Q1",
                        "actual": 41,
                        "target": 50,
                        "suppressed": False,
                        "to_date": False,
                    },
                    {
                        "kind": "year",
                        "label": "FY",
                        "actual": 41,
                        "target": 200,
                        "suppressed": False,
                        "to_date": False,
                    },
                ],
            },
        ],
        "knowledge_gain": {"n_matched": 0, "suppressed": False},
    }
    charts = report_charts(report)
    titles = [c["title"] for c in charts]
    assert titles[0] == "EG.3.2-1 People trained, by sex (FY2026)"
    assert titles[1] == "EG.3.2-1 People trained, by region (FY2026)"
    assert "EG.3.2-1 People trained: actual and target by quarter" in titles
    by_sex = texts(charts[0]["svg"])
    # The total is not a bar; the hours indicator's breakdown is not charted.
    assert "Total" not in by_sex and "99" not in by_sex
    assert {"Female", "30", "Male", "suppressed"} <= set(by_sex)
    assert titles[-1] == "Knowledge gain: mean pre-test and post-test scores"


def test_periods_still_running_are_marked_to_date_and_later_ones_not_started(english):
    def period(label, actual, to_date, suppressed=False):
        return {
            "kind": "quarter",
            "key": label,
            "label": label,
            "to_date": to_date,
            "n": actual,
            "actual": actual,
            "target": 10.0,
            "percent_of_target": None,
            "suppressed": suppressed,
            "reported": None,
            "restated": False,
        }

    report = {
        "parameters": {"audience": "donor", "by": [], "k": 10},
        "generated_at": "2026-11-23T16:50:36+00:00",
        "audit_head": {"seq": 7, "hash": "ab" * 32},
        "indicators": [
            {
                "code": "ACT-1",
                "version": 1,
                "name": "Reached",
                "definition": "",
                "level": "Output",
                "unit": "People",
                "measure_label": "Unique people reached",
                "people_level": True,
                "baseline": None,
                "baseline_note": "",
                "period": "FY2027",
                "breakdowns": [],
                "periods": [
                    period("FY2026 Q4", 12, False),
                    period("FY2027 Q1", 30, True),
                    period("FY2027 Q2", None, True, suppressed=True),
                    period("FY2027 Q3", None, True),
                ],
            }
        ],
        "knowledge_gain": {},
        "footnotes": [],
    }
    context = report_context(report)
    rows = {p["label"]: p for p in context["indicators"][0]["periods"]}
    assert [rows[k]["to_date"] for k in rows] == [False, True, True, False]
    assert [rows[k]["not_started"] for k in rows] == [False, False, False, True]
    assert context["chain_head"] == "7:" + "ab" * 32
    assert context["generated_label"] == "2026-11-23 11:50:36 (UTC-0500)"
    trend = texts(context["charts"][0]["svg"])
    assert "FY2027 Q1 (to date)" in trend and "FY2027 Q3" in trend
