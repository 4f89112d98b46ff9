"""The indicator catalogue in the Wagtail admin (targets inline, search), the subscriptions, the
read-only reported figures, and "Record as reported to the donor": a figure that changes after
it was reported shows as restated, with the value reported first."""

import random
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from lms.roles import Role
from reports.demo import seed_catalogue
from reports.models import Indicator, ReportedValue, ReportSubscription
from reports.publishing import report_publish
from reports.services import participation_report
from tests.factories import PersonFactory, UserFactory
from tests.reports.conftest import at, attend, close, indicator, workshop

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.LMS_OTP_REQUIRED = False


@pytest.fixture
def staff(client):
    user = UserFactory(role=Role.PROGRAM_STAFF)
    client.force_login(user)
    return user


def indicator_form(**extra) -> dict:
    data = {
        "code": "PER-AC-1.1",
        "version": "1",
        "name": "Servidores públicos capacitados en ética e integridad",
        "name_en": "Public servants trained in ethics and integrity",
        "definition": "Personas únicas capacitadas por año fiscal.",
        "definition_en": "Unique people trained per fiscal year.",
        "level": "output",
        "unit": "people",
        "measure": "trained",
        "disaggregations": ["sex", "region"],
        "active": "on",
        "sort_order": "1",
        "baseline": "0",
        "baseline_note": "Línea de base 2025",
        "targets-TOTAL_FORMS": "2",
        "targets-INITIAL_FORMS": "0",
        "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "1000",
        "targets-0-fiscal_year": "2026",
        "targets-0-quarter": "",
        "targets-0-value": "400",
        "targets-1-fiscal_year": "2026",
        "targets-1-quarter": "2",
        "targets-1-value": "120",
    }
    data.update(extra)
    return data


def test_staff_add_an_indicator_with_its_targets(staff, client):
    response = client.get(reverse("report_indicators:add"))
    assert response.status_code == 200
    assert b"targets-TOTAL_FORMS" in response.content  # the inline panel of targets
    response = client.post(reverse("report_indicators:add"), indicator_form())
    assert response.status_code == 302, response.context["form"].errors
    created = Indicator.objects.get(code="PER-AC-1.1")
    assert created.disaggregations == ["sex", "region"]
    assert {(t.fiscal_year, t.quarter, t.value) for t in created.targets.all()} == {
        (2026, None, Decimal(400)),
        (2026, 2, Decimal(120)),
    }


def test_the_catalogue_is_searched_by_code_and_name(staff, client):
    gender = indicator("GNDR-8", "trained")
    gender.name = "Personas capacitadas en igualdad de género"
    gender.save()
    indicator("ACT-1", "reached")
    url = reverse("report_indicators:index")
    with translation.override("en"):
        by_code = client.get(url, {"q": "GNDR"}).content.decode()
    assert "GNDR-8" in by_code and "ACT-1" not in by_code
    by_name = client.get(url, {"q": "igualdad"}).content.decode()
    assert "GNDR-8" in by_name and "ACT-1" not in by_name
    filtered = client.get(url, {"measure": "reached"}).content.decode()
    assert "ACT-1" in filtered and "GNDR-8" not in filtered


def test_subscriptions_are_kept_in_the_admin(staff, client):
    response = client.post(
        reverse("report_subscriptions:add"),
        {
            "name": "MCC Perú",
            "email": "itt@mcc.example.org",
            "language": "en",
            "disaggregate_by": ["sex", "institution"],
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert ReportSubscription.objects.get().disaggregate_by == ["sex", "institution"]
    assert (
        "itt@mcc.example.org" in client.get(reverse("report_subscriptions:index")).content.decode()
    )


def test_reported_figures_are_read_only_even_for_staff(staff, client):
    assert client.get(reverse("reported_values:index")).status_code == 200
    response = client.get(reverse("reported_values:add"))
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def test_a_trainer_cannot_record_what_was_reported(client, db):
    client.force_login(UserFactory(role=Role.TRAINER))
    response = client.post(reverse("reports_publish"), {"fiscal_year": "2026", "quarter": "2"})
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert not ReportedValue.objects.exists()


def itt_row(code, key, **kwargs):
    report = participation_report(fy=2026, **kwargs).as_dict()
    found = next(i for i in report["indicators"] if i["code"] == code)
    return next(p for p in found["periods"] if p["key"] == key)


def test_a_figure_changed_after_it_was_reported_shows_as_restated(
    programme, staff, client, settings
):
    settings.LMS_REPORT_MIN_CELL = 1  # small crafted data: nothing suppressed
    indicator("DONE", "completions")
    indicator("REACH", "reached")
    index = client.get(reverse("reported_values:index")).content.decode()
    with translation.override("es"):  # the admin speaks the user's language, Spanish here
        button = translation.gettext("Record as reported to the donor")
    assert button in index  # the button, for staff
    response = client.post(reverse("reports_publish"), {"fiscal_year": "2026", "quarter": "2"})
    assert response.status_code == 302
    reported = ReportedValue.objects.get(indicator__code="DONE")
    assert (reported.fiscal_year, reported.quarter, reported.value) == (2026, 2, Decimal(2))
    assert reported.reported_by == staff
    assert itt_row("DONE", "FY2026Q2", quarter=2)["restated"] is False

    # A workshop of February 2026 entered late: Q2 now has a third completion.
    late = workshop("ETI-TARDE", programme["courses"]["eti"], [at(2026, 2, 20)])
    attend(late, PersonFactory(given_names="Hugo"))
    close(late)

    row = itt_row("DONE", "FY2026Q2", quarter=2)
    assert row["actual"] == 3
    assert row["restated"] is True
    assert row["reported"]["value"] == 2
    # Recording again keeps the first report as the reference.
    report_publish(fy=2026, quarter=2, actor=staff)
    assert itt_row("DONE", "FY2026Q2", quarter=2)["reported"]["value"] == 2


def test_the_demo_catalogue_loads_once(db):
    first = seed_catalogue(random.Random(1))
    counts = (Indicator.objects.count(), ReportSubscription.objects.count())
    seed_catalogue(random.Random(1))
    assert (Indicator.objects.count(), ReportSubscription.objects.count()) == counts == (9, 2)
    assert "9 en el catálogo (9 nuevos)" in first[0]
    gender = Indicator.objects.get(code="GNDR-8")
    assert gender.min_gender_hours == 3
    assert gender.targets.filter(fiscal_year=2027, quarter=None).exists()
    assert set(
        Indicator.objects.get(code="PER-AC-1.2").positions.values_list("code", flat=True)
    ) == {"juez", "fiscal", "policia"}
