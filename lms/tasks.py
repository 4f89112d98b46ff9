"""Celery beat entry points of the registry (CELERY_BEAT_SCHEDULE): retention and the audit head.

Each calls the service its management command calls, so cron running the commands does the same.
"""

import logging

from celery import shared_task
from django.conf import settings

from lms.services.audit import audit_head_email
from lms.services.privacy import retention_apply

logger = logging.getLogger(__name__)


@shared_task(name="lms.apply_retention")
def apply_retention() -> dict:
    """Remove what is past its retention period (``manage.py apply_retention``)."""
    return retention_apply().counts


@shared_task(name="lms.email_audit_head")
def email_audit_head() -> dict:
    """Email the audit trail's head to LMS_AUDIT_HEAD_RECIPIENTS (``audit_head --email``)."""
    recipients = list(settings.LMS_AUDIT_HEAD_RECIPIENTS)
    if not recipients:
        # Logged every day rather than failing: the schedule is the same on every installation.
        logger.warning("Audit head not emailed: LMS_AUDIT_HEAD_RECIPIENTS is empty.")
        return {"head": "", "sent": 0}
    return {"head": audit_head_email(recipients=recipients), "sent": len(recipients)}
