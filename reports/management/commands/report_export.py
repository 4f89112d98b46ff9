"""python manage.py report_export --fy 2026 [--quarter 2] [--by sex,institution]
[--audience donor|staff] [--format pdf|csv|xlsx|json|iati] --output FILE

The participation report as a background job (reports.export): run here without a broker, or on
a Celery worker, followed until it finishes. The job keeps its copy in the private storage; this
command writes it to FILE and prints its size and SHA-256.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from lms import background
from lms.models import Job
from reports.jobs import FORMATS, report_export_bytes, report_export_start
from reports.services import AUDIENCES, DONOR


def _errors_text(errors: dict) -> str:
    return "; ".join(f"--{name}: {' '.join(messages)}" for name, messages in errors.items())


class Command(BaseCommand):
    help = _("Write the participation report to a file through the background-job queue.")

    def add_arguments(self, parser):
        parser.add_argument("--fy", type=int, required=True, help=_("Fiscal year, e.g. 2026."))
        parser.add_argument("--quarter", type=int, help=_("Fiscal quarter 1–4 (1 = Oct–Dec)."))
        parser.add_argument(
            "--by", default="", help=_("Breakdowns to cross, comma-separated: sex,institution.")
        )
        parser.add_argument("--audience", default=DONOR, help=", ".join(AUDIENCES))
        parser.add_argument("--format", dest="fmt", default="pdf", help=", ".join(FORMATS))
        parser.add_argument("--output", type=Path, required=True, help=_("File to write."))
        parser.add_argument(
            "--no-progress", action="store_true", help=_("Do not draw a progress bar.")
        )

    def handle(self, *args, fy, quarter, by, audience, fmt, output, no_progress, **options):
        if not output.parent.is_dir():
            raise CommandError(_("--output: no such folder: %(path)s") % {"path": output.parent})
        bar = tqdm(total=0, unit=_("step"), disable=no_progress, file=self.stderr._out, leave=False)

        def show(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        try:
            job = report_export_start(
                fy=fy,
                quarter=quarter,
                by=[part.strip() for part in by.split(",") if part.strip()],
                audience=audience,
                fmt=(fmt or "").lower(),
                on_progress=show,
            )
        except ValidationError as exc:
            raise CommandError(_errors_text(exc.message_dict)) from exc
        if not job.is_finished:
            self.stderr.write(
                _("Queued as job %(id)s on %(backend)s; following it…")
                % {"id": job.pk, "backend": job.backend}
            )
            job = background.wait(job, on_progress=show)
        bar.close()
        if job.status != Job.Status.SUCCEEDED:
            errors = (job.result or {}).get("errors")
            raise CommandError(
                f"{job.error} {_errors_text(errors)}" if errors else job.error, returncode=1
            )
        data = report_export_bytes(job)
        output.write_bytes(data)
        self.stdout.write(
            self.style.SUCCESS(
                _("%(path)s: %(bytes)s bytes, SHA-256 %(sha256)s (job %(id)s).")
                % {
                    "path": output,
                    "bytes": job.result["size"],
                    "sha256": job.result["sha256"],
                    "id": job.pk,
                }
            )
        )
