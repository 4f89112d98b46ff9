"""python manage.py import_registrations WORKSHOP_CODE FILE [--dry-run]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from attendance.models import Workshop
from attendance.registration_import import registrations_import


class Command(BaseCommand):
    help = _(
        "Register the people of a CSV/XLSX file in a workshop (unknown people are created); all rows or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("workshop_code")
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, workshop_code: str, file: Path, dry_run: bool, **options):
        workshop = Workshop.objects.filter(code=workshop_code).first()
        if workshop is None:
            raise CommandError(_("No workshop has the code %(code)s.") % {"code": workshop_code})
        if not file.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": file})
        result = registrations_import(
            workshop=workshop, data=file.read_bytes(), filename=file.name, dry_run=dry_run
        )
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("%(n)s problem(s) found; nothing was written.") % {"n": len(result.errors)},
                returncode=1,
            )
        self.stdout.write(
            _(
                "%(rows)s rows: %(new)s new people; %(c)s confirmed, %(p)s awaiting approval, %(w)s waitlisted."
            )
            % {
                "rows": result.rows,
                "new": result.people_created,
                "c": result.confirmed,
                "p": result.pending,
                "w": result.waitlisted,
            }
        )
