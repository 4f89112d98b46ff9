"""python manage.py issue_certificates WORKSHOP_CODE: certificates for everyone who completed it.

The same background job as the admin's button; safe to run again (nothing is issued twice and
PDFs already stored are kept), e.g. after a crash.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from attendance.models import Workshop
from certificates.jobs import issue_workshop_start
from lms import background
from lms.models import Job


class Command(BaseCommand):
    help = _("Issue certificates to everyone who completed a workshop, and render their PDFs.")

    def add_arguments(self, parser):
        parser.add_argument("workshop", metavar="WORKSHOP_CODE")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=None,
            help=_("Language of the certificates (default: %(default)s).")
            % {"default": settings.LANGUAGE_CODE},
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help=_("Processes rendering PDFs (default: LMS_CERTIFICATE_WORKERS)."),
        )
        parser.add_argument(
            "--no-progress", action="store_true", help=_("Do not draw a progress bar.")
        )

    def handle(self, *args, workshop, language, workers, no_progress, **options):
        found = Workshop.objects.filter(code__iexact=workshop.strip()).first()
        if found is None:
            raise CommandError(_("No workshop has the code %(code)s.") % {"code": workshop})
        if workers is not None and workers < 0:
            raise CommandError(_("--workers must be 0 (one per CPU core) or more."))
        bar = tqdm(total=0, unit=_("step"), disable=no_progress, file=self.stderr._out, leave=False)

        def show(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        job = issue_workshop_start(
            workshop=found, language=language, workers=workers, on_progress=show
        )
        if not job.is_finished:
            self.stderr.write(
                _("Queued as job %(id)s on %(backend)s; following it…")
                % {"id": job.pk, "backend": job.backend}
            )
            job = background.wait(job, on_progress=show)
        bar.close()
        if job.status != Job.Status.SUCCEEDED:
            raise CommandError(
                _("The job failed: %(error)s. Run the command again to continue where it stopped.")
                % {"error": job.error},
                returncode=1,
            )
        result = job.result
        for skipped in result["skipped"]:
            self.stderr.write(
                self.style.WARNING(
                    _("Skipped %(person)s: %(reason)s.")
                    % {"person": skipped["person"], "reason": skipped["reason"]}
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "%(code)s: %(eligible)s completed; %(issued)s issued, %(already)s already "
                    "issued, %(skipped)s skipped; %(rendered)s PDFs rendered; %(notified)s "
                    "holders emailed."
                )
                % {
                    "code": result["workshop"],
                    "eligible": result["eligible"],
                    "issued": result["issued"],
                    "already": result["already_issued"],
                    "skipped": len(result["skipped"]),
                    "rendered": result["pdfs_rendered"],
                    "notified": result.get("holders_notified", 0),
                }
            )
        )
