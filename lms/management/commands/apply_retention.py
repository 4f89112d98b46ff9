"""python manage.py apply_retention [--dry-run]: remove what is past its retention period.

Run it daily (cron, a systemd timer or Celery beat); periods are the LMS_RETENTION_* settings
(docs/privacy.md). Prints one count per rule; a second run right after finds nothing more.
"""

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from lms.services.privacy import retention_apply


class Command(BaseCommand):
    help = _("Remove personal data past its retention period (see docs/privacy.md).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Only count what would be removed.")
        )

    def handle(self, *args, dry_run: bool, **options) -> None:
        result = retention_apply(dry_run=dry_run)
        for name, count in result.counts.items():
            self.stdout.write(f"{name}: {count}")
        total = sum(result.counts.values())
        if dry_run:
            self.stdout.write(_("Dry run: %(n)d item(s) would be removed.") % {"n": total})
        else:
            self.stdout.write(self.style.SUCCESS(_("%(n)d item(s) removed.") % {"n": total}))
