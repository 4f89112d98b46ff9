"""python manage.py import_participants FILE [--dry-run]: all rows or none, errors on stderr."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from lms import background
from lms.models import Job
from lms.services.imports import participants_import_start


class Command(BaseCommand):
    help = _("Import participants from a CSV or XLSX file (every row is written, or none).")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Check the file and report; write nothing.")
        )
        parser.add_argument(
            "--no-progress", action="store_true", help=_("Do not draw a progress bar.")
        )

    def handle(self, *args, file: Path, dry_run: bool, no_progress: bool, **options):
        if not file.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": file})
        bar = tqdm(total=0, unit=_("step"), disable=no_progress, file=self.stderr._out, leave=False)

        def show(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        job = participants_import_start(
            data=file.read_bytes(), filename=file.name, dry_run=dry_run, on_progress=show
        )
        if not job.is_finished:
            self.stderr.write(
                _("Queued as job %(id)s on %(backend)s; following it…")
                % {"id": job.pk, "backend": job.backend}
            )
            job = background.wait(job, on_progress=show)
        bar.close()
        result = job.result or {}
        for warning in result.get("warnings", []):
            self.stderr.write(self.style.WARNING(warning))
        if job.status != Job.Status.SUCCEEDED:
            for error in result.get("errors", []):
                self.stderr.write(
                    _("row %(row)s, %(column)s: %(message)s")
                    % {
                        "row": error["row"],
                        "column": error["column"] or "-",
                        "message": error["message"],
                    }
                )
            raise CommandError(
                job.error
                if not result
                else _("%(n)s problem(s) found; nothing was written.")
                % {"n": len(result["errors"])},
                returncode=1,
            )
        summary = _(
            "%(rows)s rows: %(created)s created, %(updated)s updated, %(unchanged)s unchanged."
        ) % {
            "rows": result["total_rows"],
            "created": result["created"],
            "updated": result["updated"],
            "unchanged": result["unchanged"],
        }
        if dry_run:
            summary = _("Dry run, nothing written. ") + summary
        self.stdout.write(self.style.SUCCESS(summary))
