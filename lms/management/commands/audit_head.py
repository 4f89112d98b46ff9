"""python manage.py audit_head [--email]: print (and email) the audit trail's current head.

Publish the head somewhere the database cannot reach (a daily email to people outside the
platform's operations, a donor report): if the newest events are later removed, the published
head is no longer in the chain and ``verify_audit --head SEQ:HASH`` says so.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lms.services.audit import audit_head_email, chain_head_text


class Command(BaseCommand):
    help = "Print the audit trail's head (SEQ:HASH); with --email, send it to the recipients."

    def add_arguments(self, parser):
        parser.add_argument(
            "--email",
            action="store_true",
            help="Email the head to LMS_AUDIT_HEAD_RECIPIENTS (or --to).",
        )
        parser.add_argument("--to", action="append", default=[], help="A recipient. Repeatable.")

    def handle(self, *args, email, to, **options):
        self.stdout.write(chain_head_text())
        if not email:
            return
        recipients = to or list(settings.LMS_AUDIT_HEAD_RECIPIENTS)
        if not recipients:
            raise CommandError("No recipients: set LMS_AUDIT_HEAD_RECIPIENTS or pass --to.")
        audit_head_email(recipients=recipients)
        self.stdout.write(f"Sent to {len(recipients)} recipient(s).")
