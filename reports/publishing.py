"""Recording what was reported to the donor: the current donor-view figure of each active
indicator for a period, kept as a ``ReportedValue``. When the same figure computed later differs
(late attendance, a corrected score), the Indicator Tracking Table shows it as restated, next to
the value reported first."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from reports.models import Indicator, ReportedValue
from reports.services import DONOR, participation_report


@transaction.atomic
def report_publish(*, fy: int, quarter: int | None = None, actor=None) -> list[ReportedValue]:
    """Record the donor-audience figure of every active indicator for FY ``fy`` (its quarter
    ``quarter``, or the whole year). Raises ValidationError on bad parameters."""
    report = participation_report(fy=fy, quarter=quarter, audience=DONOR).as_dict()
    key = report["parameters"]["period"]["key"]
    by_code = {(i.code, i.version): i for i in Indicator.objects.filter(active=True)}
    now = timezone.now()
    recorded = []
    for item in report["indicators"]:
        indicator = by_code.get((item["code"], item["version"]))
        period = next((p for p in item["periods"] if p["key"] == key), None)
        if indicator is None or period is None:
            continue
        value = None if period["actual"] is None else Decimal(str(period["actual"]))
        row = ReportedValue(
            indicator=indicator,
            fiscal_year=fy,
            quarter=quarter,
            value=value,
            suppressed=bool(period["suppressed"]),
            reported_at=now,
            reported_by=actor,
        )
        row.full_clean(exclude=["value"] if value is None else None)
        row.save()
        recorded.append(row)
    return recorded
