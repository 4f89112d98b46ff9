"""Background job of reports (registered with lms.background): the participation report as a file.

The file (PDF, CSV, XLSX, JSON or IATI XML, the dashboard's parameters) goes to the private
storage, ``jobs/<job id>/``, never served; the job's result names it with its size and SHA-256.
Retention removes it with the job's data (docs/privacy.md).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.utils import translation
from django.utils.translation import gettext as _

from lms import background
from lms.background import JobContext, JobFailed, register
from lms.models import Job, User
from reports import exports
from reports.forms import DONOR_PERMISSION, may_see_staff
from reports.pdf import report_pdf
from reports.services import DONOR, STAFF, check_parameters, participation_report

REPORT_EXPORT = "reports.export"
PDF_CONTENT_TYPE = "application/pdf"
FORMATS = ("pdf", *exports.FORMATS)


def report_file(report: dict, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the report in any of FORMATS."""
    if fmt == "pdf":
        return report_pdf(report), PDF_CONTENT_TYPE, exports.filename(report, "pdf")
    return exports.render(report, fmt)


def report_export_check(
    *, fy: int, quarter: int | None, by: list[str], audience: str, fmt: str, user: User | None
) -> None:
    """PermissionDenied if ``user`` may not have this report (no user: the operator at the
    command line); ValidationError, keyed by parameter, for values no report has."""
    if user is not None:
        if not user.is_active or not user.has_perm(DONOR_PERMISSION):
            raise PermissionDenied(_("You may not see the participation report."))
        if audience == STAFF and not may_see_staff(user):
            raise PermissionDenied(_("The program staff view is not available to you."))
    check_parameters(fy, quarter, list(by), audience)
    if fmt not in FORMATS:
        raise ValidationError(
            {"format": _("Choose a format from: %(choices)s.") % {"choices": ", ".join(FORMATS)}}
        )
    if fmt == "iati" and audience != DONOR:
        raise ValidationError({"format": _("IATI files are published: donor audience only.")})


@register(REPORT_EXPORT)
def report_export_job(
    ctx: JobContext,
    *,
    fy: int,
    quarter: int | None = None,
    by: list[str] | None = None,
    audience: str = DONOR,
    fmt: str = "pdf",
    language: str | None = None,
    requested_by: int | None = None,
) -> dict:
    """Re-runnable: a second run writes the same file again in the job's folder. Messages and
    the report's labels are in the language of whoever asked."""
    with translation.override(language):
        return _report_export(
            ctx,
            fy=fy,
            quarter=quarter,
            by=list(by or []),
            audience=audience,
            fmt=fmt,
            requested_by=requested_by,
        )


def _report_export(ctx: JobContext, *, fy, quarter, by, audience, fmt, requested_by) -> dict:
    user = ctx.job.created_by
    if requested_by is not None and user is None:
        raise JobFailed(_("The user who asked for this report no longer exists."))
    try:
        # Checked again here: the user's rights may have changed since the job was queued.
        report_export_check(fy=fy, quarter=quarter, by=by, audience=audience, fmt=fmt, user=user)
    except PermissionDenied as exc:
        raise JobFailed(str(exc)) from exc
    except ValidationError as exc:
        raise JobFailed(
            _("The report's parameters are not valid."), result={"errors": exc.message_dict}
        ) from exc
    ctx.progress(0, 2)
    report = participation_report(fy=fy, quarter=quarter, by=by, audience=audience).as_dict()
    ctx.progress(1, 2)
    data, content_type, filename = report_file(report, fmt)
    stored = ctx.save_file(filename, data, content_type=content_type)
    ctx.progress(2, 2)
    return {
        **stored,
        "format": fmt,
        "parameters": {"fy": fy, "quarter": quarter, "by": by, "audience": audience},
        "indicators": len(report["indicators"]),
    }


def report_export_start(
    *,
    fy: int,
    quarter: int | None = None,
    by: list[str] | tuple = (),
    audience: str = DONOR,
    fmt: str = "pdf",
    user: User | None = None,
    on_progress=None,
) -> Job:
    """Check the request, then write the report file in the background (inline: now).

    ``user`` is who asks (recorded on the job; the staff audience needs
    ``reports.view_staff_report``); None is the operator at the command line.
    """
    by = [b for b in dict.fromkeys(by) if b]
    report_export_check(fy=fy, quarter=quarter, by=by, audience=audience, fmt=fmt, user=user)
    period = f"FY{fy}" + (f" Q{quarter}" if quarter else "")
    return background.enqueue(
        REPORT_EXPORT,
        params={
            "fy": fy,
            "quarter": quarter,
            "by": by,
            "audience": audience,
            "fmt": fmt,
            "language": translation.get_language(),
            "requested_by": user.pk if user is not None else None,
        },
        user=user,
        label=_("Participation report %(period)s (%(audience)s, %(format)s)")
        % {"period": period, "audience": audience, "format": fmt.upper()},
        on_progress=on_progress,
    )


def report_export_bytes(job: Job) -> bytes:
    """The file a succeeded export job wrote (FileNotFoundError once retention removed it)."""
    with storages["private"].open(job.result["file"], "rb") as fh:
        return fh.read()
