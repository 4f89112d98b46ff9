"""The report page: donors, staff and administrators see the charts and tables of the donor view
(suppressed cells shown as such, their values nowhere in the page); the staff view is refused to
a donor; participants and anonymous visitors are refused; bad parameters are shown on the form."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from lxml import html

from lms.roles import Role
from reports.models import IndicatorTarget, ReportedValue
from tests.factories import UserFactory
from tests.reports.conftest import indicator

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def trained(programme, settings):
    """People trained in FY2026 (conftest ``programme``), with k = 2: by sex 2 women and 2 men
    (shown); by institution 3 judiciary and 1 comptroller (hidden, and the 3 with it, else the
    total would give the 1 away); Q1 and Q2 one person each (hidden), Q3 two."""
    settings.LMS_REPORT_MIN_CELL = 2
    ind = indicator("EG.3.2-1", "trained", disaggregations=["institution", "region"])
    IndicatorTarget.objects.create(indicator=ind, fiscal_year=2026, value=Decimal(10))
    IndicatorTarget.objects.create(indicator=ind, fiscal_year=2026, quarter=3, value=Decimal(4))
    # Q3 was reported as 3 at the time; it is 2 today: a restatement.
    ReportedValue.objects.create(
        indicator=ind,
        fiscal_year=2026,
        quarter=3,
        value=Decimal(3),
        reported_at=timezone.make_aware(dt.datetime(2026, 7, 15, 10)),
    )
    return ind


def url(name="reports:dashboard"):
    with translation.override("en"):
        return reverse(name)


def page_for(client, role, **params):
    client.force_login(UserFactory(role=role))
    return client.get(url(), params, HTTP_ACCEPT_LANGUAGE="en")


def figure(doc, title_start):
    for fig in doc.iter("figure"):
        if fig.findtext("figcaption").startswith(title_start):
            return fig
    raise AssertionError(f"no chart {title_start!r}")


def svg_texts(fig) -> list[str]:
    return [t.text_content() for t in fig.iter() if t.tag in ("text", f"{SVG}text")]


def table(doc, caption_start):
    for t in doc.iter("table"):
        caption = t.find("caption")
        if caption is not None and caption.text_content().startswith(caption_start):
            return t
    raise AssertionError(f"no table {caption_start!r}")


def rows(t) -> list[list[str]]:
    return [
        [" ".join(cell.text_content().split()) for cell in tr.iter("td", "th")]
        for tr in t.iter("tr")
    ]


def test_a_donor_sees_the_charts_and_tables(client, trained):
    response = page_for(client, Role.DONOR, fy=2026)
    assert response.status_code == 200
    doc = html.fromstring(response.content)
    by_sex = figure(doc, "EG.3.2-1 Indicador EG.3.2-1, by sex (FY2026)")
    assert by_sex.find(".//svg").get("role") == "img"
    assert {"Female", "Male"} <= set(svg_texts(by_sex))
    assert svg_texts(by_sex).count("2") == 2
    by_region = figure(doc, "EG.3.2-1 Indicador EG.3.2-1, by region")
    assert {"Lima", "4"} <= set(svg_texts(by_region))
    trend = figure(doc, "EG.3.2-1 Indicador EG.3.2-1: actual and target by quarter")
    assert {"FY2026 Q1", "FY2026 Q4", "Target"} <= set(svg_texts(trend))
    figure(doc, "Knowledge gain")
    # Charts without script, styled from the stylesheet: nothing for the CSP to block.
    assert not doc.xpath("//script") and not doc.xpath("//*[@style]")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    # Reached from the site's menu too.
    assert url() in [a.get("href") for a in doc.find_class("account-nav")[0].iter("a")]
    text = doc.text_content()
    assert "Indicator Tracking Table" in text and "Generated" in text
    # The audit chain head, as seq:hash.
    assert len(doc.find_class("chain-head")[0].text_content().split(":")[1]) == 64
    itt = {r[0 if len(r) < 8 else 4]: r for r in rows(doc.find_class("itt")[0])[1:]}
    assert itt["FY2026 Q1"][-2].startswith("—s suppressed")  # one person: suppressed
    assert itt["FY2026"][-3:] == ["10", "4", "40 %"]
    restated = itt["FY2026 Q3"]
    assert restated[-2] == "2 restated; first reported: 3 (2026-07-15)"
    assert restated[-1] == "50 %"


def test_suppressed_cells_show_as_suppressed_and_their_values_are_nowhere(client, trained):
    response = page_for(client, Role.DONOR, fy=2026)
    doc = html.fromstring(response.content)
    institution = table(doc, "EG.3.2-1 by Institution")
    cells = {r[0]: r[1] for r in rows(institution)[1:]}
    assert cells["Total"] == "4"
    hidden = {label: value for label, value in cells.items() if label != "Total"}
    assert len(hidden) == 2
    assert all(value == "—s suppressed" for value in hidden.values())
    chart = figure(doc, "EG.3.2-1 Indicador EG.3.2-1, by institution")
    shown = svg_texts(chart)
    assert shown.count("suppressed") == 2
    # The chart prints labels and the word only: no figure for a hidden cell.
    assert not [t for t in shown if any(ch.isdigit() for ch in t)]
    desc = chart.find(".//desc").text_content()
    assert all(f"{label}: suppressed" in desc for label in hidden)
    assert "suppressed" in doc.find_class("footnotes")[0].text_content()


def test_staff_see_the_figures_a_donor_does_not(client, trained):
    response = page_for(client, Role.PROGRAM_STAFF, fy=2026, audience="staff")
    assert response.status_code == 200
    doc = html.fromstring(response.content)
    cells = {r[0]: r[1] for r in rows(table(doc, "EG.3.2-1 by Institution"))[1:]}
    assert sorted(v for k, v in cells.items() if k != "Total") == ["1", "3"]
    assert "Do not share" in doc.text_content()


def test_the_staff_view_is_refused_to_a_donor(client, trained):
    response = page_for(client, Role.DONOR, fy=2026, audience="staff")
    assert response.status_code == 403
    # Nor offered on the form.
    doc = html.fromstring(page_for(client, Role.DONOR, fy=2026).content)
    assert [o.get("value") for o in doc.get_element_by_id("id_audience").iter("option")] == [
        "donor"
    ]
    assert b'value="ethnicity"' not in page_for(client, Role.DONOR, fy=2026).content


@pytest.mark.parametrize("role", [None, Role.PARTICIPANT, Role.TRAINER])
def test_participants_trainers_and_anonymous_visitors_are_refused(client, role, db):
    if role is None:
        response = client.get(url(), {"fy": 2026})
        assert response.status_code == 302 and "/account/login/" in response["Location"]
    else:
        assert page_for(client, role, fy=2026).status_code == 403


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"fy": "1990"}, "fy", "A fiscal year between 2000 and 2100, e.g. 2026."),
        ({"fy": "dos mil"}, "fy", "Enter a whole number."),
        ({"fy": "2026", "quarter": "5"}, "quarter", "Select a valid choice."),
        (
            {"fy": "2026", "by": ["sex", "region", "course", "modality"]},
            "by",
            "At most three breakdowns can be crossed.",
        ),
    ],
)
def test_bad_parameters_are_shown_on_the_form(client, db, params, field, message):
    response = page_for(client, Role.DONOR, **params)
    assert response.status_code == 400
    doc = html.fromstring(response.content)
    errors = doc.get_element_by_id(f"id_{field}").getparent().text_content()
    assert message in errors
    # No report under a form with errors, and no download links.
    assert not doc.find_class("itt") and not doc.find_class("report-downloads")


def test_the_download_links_keep_the_parameters(client, trained):
    response = page_for(client, Role.PROGRAM_STAFF, fy=2026, quarter=3, by="sex", audience="staff")
    doc = html.fromstring(response.content)
    links = {a.text: a.get("href") for a in doc.find_class("report-downloads")[0].iter("a")}
    assert set(links) == {"PDF", "XLSX", "CSV", "JSON"}
    assert links["CSV"] == url("reports:download") + (
        "?fy=2026&quarter=3&by=sex&audience=staff&format=csv"
    )


def test_the_json_download_is_the_report_of_the_page(client, trained):
    client.force_login(UserFactory(role=Role.DONOR))
    response = client.get(url("reports:download"), {"fy": 2026, "format": "json"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="reporte-FY2026-donor.json"'
    body = response.json()
    assert body["parameters"]["audience"] == "donor"
    assert body["indicators"][0]["code"] == "EG.3.2-1"
    assert client.get(url("reports:download"), {"fy": 2026, "format": "docx"}).status_code == 404
