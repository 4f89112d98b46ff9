"""python manage.py participation_report --fy 2026 [--quarter 2] [--by sex,institution]
--format json|csv|xlsx|pdf|iati --out PATH [--audience donor|staff] [--k 10]

Writes the participation report to a file (``--out -``: JSON or CSV to standard output) and
prints one line: the path, its size, the number of indicators and of suppressed cells.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reports import exports
from reports.services import AUDIENCES, DONOR, participation_report

FORMATS = ("json", "csv", "xlsx", "pdf", "iati")
TEXT_FORMATS = ("json", "csv", "iati")


def suppressed_cells(report: dict) -> int:
    """Suppressed figures of the report: ITT periods, breakdown cells, the gain summary."""
    count = 0
    for indicator in report["indicators"]:
        count += sum(1 for period in indicator["periods"] if period["suppressed"])
        count += sum(b["suppressed_cells"] for b in indicator["breakdowns"])
    if (report.get("knowledge_gain") or {}).get("suppressed"):
        count += 1
    return count


def render(report: dict, fmt: str) -> bytes:
    if fmt == "pdf":
        # reports.pdf needs WeasyPrint; loaded only when a PDF is asked for.
        from reports.pdf import report_pdf

        return report_pdf(report)
    return exports.render(report, fmt)[0]


class Command(BaseCommand):
    help = _("Write the donor participation report of a fiscal year (or quarter) to a file.")

    def add_arguments(self, parser):
        parser.add_argument("--fy", type=int, required=True, help=_("Fiscal year, e.g. 2026."))
        parser.add_argument("--quarter", type=int, help=_("Fiscal quarter 1–4 (1 = Oct–Dec)."))
        parser.add_argument(
            "--by", default="", help=_("Breakdowns to cross, comma-separated: sex,institution.")
        )
        parser.add_argument("--format", dest="fmt", default="json", help=", ".join(FORMATS))
        parser.add_argument(
            "--out", required=True, help=_("File to write; '-' for standard output (JSON, CSV).")
        )
        parser.add_argument("--audience", default=DONOR, help=", ".join(AUDIENCES))
        parser.add_argument(
            "--k", type=int, help=_("Smallest count shown to a donor (default: the setting).")
        )

    def handle(self, *args, fy, quarter, by, fmt, out, audience, k, **options):
        fmt = (fmt or "").lower()
        if fmt not in FORMATS:
            raise CommandError(
                _("--format: choose from %(choices)s.") % {"choices": ", ".join(FORMATS)}
            )
        if out == "-" and fmt not in TEXT_FORMATS:
            raise CommandError(_("--out: only JSON and CSV can be written to standard output."))
        if fmt == "iati" and audience != DONOR:
            raise CommandError(_("--format iati: IATI files are published, donor audience only."))
        if k is not None and k < 2:
            raise CommandError(_("--k: at least 2."))
        dims = [part.strip() for part in by.split(",") if part.strip()]
        try:
            report = participation_report(
                fy=fy, quarter=quarter, by=dims, audience=audience, k=k
            ).as_dict()
        except ValidationError as exc:
            raise CommandError(
                "; ".join(
                    f"--{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items()
                )
            ) from exc
        data = render(report, fmt)
        if out == "-":
            self.stdout.write(data.decode("utf-8"), ending="")
            target = "-"
        else:
            path = Path(out)
            if not path.parent.is_dir():
                raise CommandError(_("--out: no such folder: %(path)s") % {"path": path.parent})
            path.write_bytes(data)
            target = str(path)
        summary = _(
            "%(path)s: %(bytes)s bytes, %(indicators)s indicators, %(suppressed)s suppressed cells."
        ) % {
            "path": target,
            "bytes": len(data),
            "indicators": len(report["indicators"]),
            "suppressed": suppressed_cells(report),
        }
        # With --out -, the file is the standard output: the summary goes to stderr.
        (self.stderr if out == "-" else self.stdout).write(summary)
