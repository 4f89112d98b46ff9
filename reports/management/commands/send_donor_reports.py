"""python manage.py send_donor_reports [--month YYYY-MM] [--dry-run]

Emails each active report subscription the donor PDF of the quarter of the month just ended
(``--month``: that month instead). Safe to run again: a subscription that already received the
month's report is skipped, so a retry after a failure sends only what is missing. Exits with an
error when a recipient failed (after trying all of them).

Schedule it early each month, e.g. with cron (Lima time, 06:00 on the 2nd)::

    0 6 2 * *  cd /srv/lms && .venv/bin/python manage.py send_donor_reports

or with Celery beat (``lms.celery``; the task is ``reports.tasks.send_donor_reports``)::

    from celery.schedules import crontab

    CELERY_BEAT_SCHEDULE = {
        "send-donor-reports": {
            "task": "reports.send_donor_reports",
            "schedule": crontab(minute=0, hour=6, day_of_month=2),
        },
    }
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reports.emails import parse_month, send_monthly_reports


class Command(BaseCommand):
    help = _("Email the monthly donor report (PDF) to every active subscription, once a month.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--month", default=None, help=_("The month reported, YYYY-MM (default: last month).")
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("List who would receive it; send nothing.")
        )

    def handle(self, *args, month, dry_run, **options):
        if month is not None:
            try:
                parse_month(month)
            except ValueError as exc:
                raise CommandError(_("--month: a month as YYYY-MM, e.g. 2026-03.")) from exc
        delivery = send_monthly_reports(month=month, dry_run=dry_run)
        for email in delivery.planned:
            self.stdout.write(
                _("Would send %(month)s to %(email)s") % {"month": delivery.month, "email": email}
            )
        for email in delivery.sent:
            self.stdout.write(
                _("Sent %(month)s to %(email)s") % {"month": delivery.month, "email": email}
            )
        for email, error in delivery.failed:
            self.stderr.write(_("Failed: %(email)s: %(error)s") % {"email": email, "error": error})
        self.stdout.write(
            _("%(month)s: %(sent)s sent, %(skipped)s already sent, %(failed)s failed.")
            % {
                "month": delivery.month,
                "sent": len(delivery.sent),
                "skipped": len(delivery.skipped),
                "failed": len(delivery.failed),
            }
        )
        if delivery.failed:
            raise CommandError(
                _("%(n)s recipient(s) failed: %(emails)s")
                % {"n": len(delivery.failed), "emails": ", ".join(e for e, _err in delivery.failed)}
            )
