"""A donor signs in, opens the participation report and downloads it as a PDF."""

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from tests.browser.helpers import download, log_in, pdf_text
from tests.certificates.factories import PAST, completed_workshop
from tests.factories import Role, UserFactory
from tests.reports.conftest import indicator

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def fiscal_year(day) -> int:
    """US government fiscal year: October to September."""
    return day.year + 1 if day.month >= 10 else day.year


@pytest.fixture
def programme(settings):
    settings.LMS_REPORT_MIN_CELL = 2
    completed_workshop(code="LIM-2026-041", people=4)
    indicator("EG.3.2-1", "trained")
    return UserFactory(email="donante@example.org", role=Role.DONOR)


def test_a_donor_downloads_the_pdf_report(page, programme, check, shoot, tmp_path):
    with translation.override("es"):
        dashboard = reverse("reports:dashboard")
    page.goto(dashboard)
    # Not signed in: the login page first, then back to the report.
    check(page, "donor-1-login")
    log_in(page, "donante@example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("Informe de participación")
    assert page.url.endswith(dashboard)
    check(page)

    fy = fiscal_year(PAST.date())
    page.get_by_label("Año fiscal").fill(str(fy))
    page.get_by_role("button", name="Mostrar informe").click()
    downloads = page.get_by_role("navigation", name="Descargar este informe")
    expect(downloads).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(f"FY{fy}")
    check(page)
    # The screenshot of the charts further down.
    page.locator("figure").first.scroll_into_view_if_needed()
    shoot(page, "donor-2-charts")

    filename, data = download(page, downloads.get_by_role("link", name="PDF").click)
    assert filename == f"reporte-FY{fy}-donor.pdf"
    text = pdf_text(data, tmp_path)
    assert "Informe de participación" in text
    assert f"{fy}" in text
