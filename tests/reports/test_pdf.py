"""The report as a PDF: a real PDF file named after its parameters, whose text holds the
indicator, the generation time, the audit chain head, the suppressed marks and the footnotes."""

import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from lms.roles import Role
from reports.charts import chain_head_label, generated_label
from reports.models import IndicatorTarget
from reports.pdf import report_pdf
from reports.services import participation_report
from tests.factories import UserFactory
from tests.reports.conftest import indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(programme, settings):
    settings.LMS_REPORT_MIN_CELL = 2
    trained = indicator("EG.3.2-1", "trained", disaggregations=["institution", "region"])
    IndicatorTarget.objects.create(indicator=trained, fiscal_year=2026, value=Decimal(10))
    indicator("ACT-HRS", "contact_hours", unit="hours")
    return programme


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
    )
    return done.stdout


def test_a_donor_downloads_the_pdf_of_the_page(client, catalogue, tmp_path):
    client.force_login(UserFactory(role=Role.DONOR))
    with translation.override("en"):
        url = reverse("reports:download")
    response = client.get(
        url, {"fy": 2026, "quarter": 3, "by": "sex", "format": "pdf"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="reporte-FY2026-Q3-donor.pdf"'
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content, tmp_path)
    assert "Participation report · FY2026Q3" in text
    assert "EG.3.2-1" in text and "ACT-HRS" in text
    assert "Indicator Tracking Table" in text
    assert "Page 1 /" in text
    assert "—s" in text  # Q1 and Q2: one person each, suppressed


def test_the_pdf_holds_the_generation_time_chain_head_and_footnotes(catalogue, tmp_path):
    with translation.override("en"):
        report = participation_report(fy=2026, by=["sex", "institution"]).as_dict()
        data = report_pdf(report)
    text = pdf_text(data, tmp_path)
    flat = " ".join(text.split())
    assert generated_label(report) in flat
    assert chain_head_label(report) in flat
    assert report["audit_head"]["seq"] > 0
    for note in report["footnotes"]:
        assert " ".join(note.split()) in flat
    assert "Knowledge gain" in flat
    assert "EG.3.2-1 by Sex × Institution, FY2026" in flat
