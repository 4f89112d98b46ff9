"""The monthly donor report by email: for each active subscription, the donor view (small cells
suppressed) of the quarter of the month just ended, as a PDF, in the subscription's language.

``send_monthly_reports()`` is idempotent: a subscription records the month it last received
(``last_sent_month``), so a second run for the same month sends nothing. A failing recipient
is reported and does not stop the others.
"""

import datetime as dt
import logging
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format

from reports.exports import filename
from reports.models import Dimension, ReportSubscription
from reports.periods import fiscal_year_of, quarter_of
from reports.services import DONOR, participation_report

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
PDF_CONTENT_TYPE = "application/pdf"


def previous_month(today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    first = today.replace(day=1) - dt.timedelta(days=1)
    return f"{first.year:04d}-{first.month:02d}"


def parse_month(text: str) -> dt.date:
    """The first day of a "YYYY-MM" month; ValueError otherwise."""
    found = MONTH.match(text or "")
    if not found:
        raise ValueError(text)
    return dt.date(int(found[1]), int(found[2]), 1)


@dataclass
class Delivery:
    month: str
    sent: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already sent for this month
    failed: list[tuple[str, str]] = field(default_factory=list)  # (email, error)
    planned: list[str] = field(default_factory=list)  # dry run


def _report_pdf(report: dict) -> bytes:
    # WeasyPrint is heavy: loaded only when a report is actually rendered.
    from reports.pdf import report_pdf

    return report_pdf(report)


def render_monthly_email(subscription: ReportSubscription, report: dict, month: str) -> tuple:
    """(subject, body) in the subscription's language."""
    parameters = report["parameters"]
    period = f"FY{parameters['fiscal_year']}" + (
        f" Q{parameters['quarter']}" if parameters.get("quarter") else ""
    )
    with translation.override(subscription.language):
        by = ", ".join(str(Dimension(d).label) for d in parameters.get("by") or [])
        context = {
            "subscription": subscription,
            "period_label": period,
            "month": date_format(parse_month(month), "YEAR_MONTH_FORMAT"),
            "indicators": len(report["indicators"]),
            "by": by,
            "k": parameters.get("k"),
            "generated_at": report["generated_at"],
            "audit_hash": (report.get("audit_head") or {}).get("hash", ""),
        }
        subject = render_to_string("reports/email/monthly_subject.txt", context)
        body = render_to_string("reports/email/monthly_body.txt", context)
    return " ".join(subject.split()), body.strip() + "\n"


def send_monthly_reports(*, month: str | None = None, dry_run: bool = False) -> Delivery:
    """Email the report of ``month`` ("YYYY-MM"; default: the previous month) to every active
    subscription that has not received it yet."""
    month = month or previous_month()
    day = parse_month(month)
    fy, quarter = fiscal_year_of(day), quarter_of(day)
    delivery = Delivery(month=month)
    cache: dict[tuple, tuple[dict, bytes]] = {}
    for subscription in ReportSubscription.objects.filter(active=True).order_by("pk"):
        if subscription.last_sent_month and subscription.last_sent_month >= month:
            delivery.skipped.append(subscription.email)
            continue
        if dry_run:
            delivery.planned.append(subscription.email)
            continue
        try:
            with transaction.atomic():
                # Locked: two runs at once (cron and a retry) cannot both send.
                locked = ReportSubscription.objects.select_for_update().get(pk=subscription.pk)
                if locked.last_sent_month and locked.last_sent_month >= month:
                    delivery.skipped.append(locked.email)
                    continue
                by = [d for d in locked.disaggregate_by or [] if d in Dimension.values][:3]
                key = (locked.language, tuple(by))
                if key not in cache:
                    with translation.override(locked.language):
                        report = participation_report(
                            fy=fy, quarter=quarter, by=by, audience=DONOR
                        ).as_dict()
                        cache[key] = (report, _report_pdf(report))
                report, pdf = cache[key]
                subject, body = render_monthly_email(locked, report, month)
                message = EmailMessage(
                    subject=subject,
                    body=body,
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[locked.email],
                )
                message.attach(filename(report, "pdf"), pdf, PDF_CONTENT_TYPE)
                message.send()
                locked.last_sent_month = month
                locked.save(update_fields=["last_sent_month"])
            delivery.sent.append(locked.email)
        except Exception as exc:  # one recipient's failure must not stop the others
            logging.getLogger(__name__).exception("Donor report to %s failed", subscription.email)
            delivery.failed.append((subscription.email, f"{type(exc).__name__}: {exc}"))
    return delivery
