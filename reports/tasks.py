"""Celery beat entry point for the monthly donor report (see send_donor_reports)."""

from celery import shared_task

from reports.emails import send_monthly_reports


@shared_task(name="reports.send_donor_reports")
def send_donor_reports(month: str | None = None) -> dict:
    delivery = send_monthly_reports(month=month)
    return {
        "month": delivery.month,
        "sent": len(delivery.sent),
        "skipped": len(delivery.skipped),
        "failed": [email for email, _error in delivery.failed],
    }
