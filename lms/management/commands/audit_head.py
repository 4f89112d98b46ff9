"""python manage.py audit_head [--email]: print (and email) the audit trail's current head.

Publish the head somewhere the database cannot reach (a daily email to people outside the
platform's operations, a donor report): if the newest events are later removed, the published
head is no longer in the chain and ``verify_audit --head SEQ:HASH`` says so.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lms.services.audit import chain_head


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
        head = chain_head()
        text = str(head) if head else "0:" + "0" * 64
        self.stdout.write(text)
        if not email:
            return
        recipients = to or list(settings.LMS_AUDIT_HEAD_RECIPIENTS)
        if not recipients:
            raise CommandError("No recipients: set LMS_AUDIT_HEAD_RECIPIENTS or pass --to.")
        now = timezone.localtime()
        site = settings.LMS_PUBLIC_URL
        send_mail(
            subject=f"[{settings.WAGTAIL_SITE_NAME}] Audit trail head {now:%Y-%m-%d}",
            message=(
                f"Audit trail head of {site} at {now:%Y-%m-%d %H:%M %Z}:\n\n{text}\n\n"
                "Keep this email. To check that no audit event up to this one was changed or "
                "removed, an administrator runs:\n\n"
                f"    python manage.py verify_audit --head {text}\n"
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=recipients,
        )
        self.stdout.write(f"Sent to {len(recipients)} recipient(s).")
