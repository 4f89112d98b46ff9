"""python manage.py import_scores WORKSHOP_CODE FILE [--dry-run] [--as EMAIL]

Rows: document number, pre|post, score, maximum score. Every row is written or none; problems go
to stderr as "row N, column: message".
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assessments.scores_import import import_scores
from attendance.models import Workshop


class Command(BaseCommand):
    help = _(
        "Import a workshop's pre-/post-test scores from a CSV or XLSX file (all rows or none)."
    )

    def add_arguments(self, parser):
        parser.add_argument("workshop", metavar="WORKSHOP_CODE")
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Check the file and report; write nothing.")
        )
        parser.add_argument(
            "--as",
            dest="as_email",
            metavar="EMAIL",
            default="",
            help=_("Email of the user recording the scores (kept with each score)."),
        )

    def handle(self, *args, workshop: str, file: Path, dry_run: bool, as_email: str, **options):
        try:
            target = Workshop.objects.select_related("course").get(code__iexact=workshop.strip())
        except Workshop.DoesNotExist as exc:
            raise CommandError(_("No workshop with code %(code)s.") % {"code": workshop}) from exc
        if not file.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": file})
        user = None
        if as_email:
            user = (
                get_user_model()
                .objects.filter(email__iexact=as_email.strip(), is_active=True)
                .first()
            )
            if user is None:
                raise CommandError(_("No active user with email %(email)s.") % {"email": as_email})
        result = import_scores(
            workshop=target,
            data=file.read_bytes(),
            filename=file.name,
            dry_run=dry_run,
            recorded_by=user,
        )
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(warning))
        if not result.ok:
            for error in result.errors:
                self.stderr.write(
                    _("row %(row)s, %(column)s: %(message)s")
                    % {"row": error.row, "column": error.column or "-", "message": error.message}
                )
            raise CommandError(
                _("%(n)s problem(s) found; nothing was written.") % {"n": len(result.errors)},
                returncode=1,
            )
        summary = _(
            "%(code)s: %(rows)s rows: %(created)s recorded, %(changed)s changed, %(unchanged)s unchanged."
        ) % {
            "code": target.code,
            "rows": result.total_rows,
            "created": result.created,
            "changed": result.changed,
            "unchanged": result.unchanged,
        }
        if dry_run:
            summary = _("Dry run, nothing written. ") + summary
        self.stdout.write(self.style.SUCCESS(summary))
