"""python manage.py send_reminders [--hours 48]: run hourly (cron or Celery beat)."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from attendance.services import reminders_send


class Command(BaseCommand):
    help = _(
        "Email a reminder (with the calendar invitation) to confirmed participants of workshops starting soon."
    )

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=48)

    def handle(self, *args, hours: int, **options):
        sent = reminders_send(within=dt.timedelta(hours=hours))
        self.stdout.write(_("%(n)s reminder(s) sent.") % {"n": sent})
