"""python manage.py restore FOLDER [--force]: load a backup, then check what was restored.

Exit status 0 when every table has the rows the backup recorded and the audit trail's chain
holds up to the head of the backup; 1 with each problem named otherwise.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lms.services.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup made by `backup` into an empty database and the storages."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="The backup's folder (lms-backup-...).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace what the database and storages hold (default: refuse a non-empty database).",
        )

    def handle(self, *args, folder, force, **options):
        try:
            report = backup_restore(folder, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for problem in report.problems:
            self.stderr.write(problem)
        if not report.ok:
            raise SystemExit(1)
        self.stdout.write(
            _(
                "Restored and checked: %(tables)s tables, %(rows)s rows, %(files)s files; "
                "audit trail of %(events)s events holds, head %(head)s."
            )
            % {
                "tables": report.tables,
                "rows": report.rows,
                "files": report.files,
                "events": report.audit_events,
                "head": report.audit_head or "-",
            }
        )
