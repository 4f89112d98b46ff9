"""Background jobs of certificates (registered with lms.background): a workshop's bulk issue."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from attendance.models import Workshop
from certificates.services import bulk_issue
from lms import background
from lms.background import JobContext, JobFailed, register
from lms.models import Job

ISSUE_WORKSHOP = "certificates.issue_workshop"


@register(ISSUE_WORKSHOP)
def issue_workshop_job(
    ctx: JobContext, *, workshop: str, language: str | None = None, workers: int | None = None
) -> dict:
    """Safe to run again after a crash: bulk_issue keeps what is issued and rendered."""
    found = Workshop.objects.filter(code=workshop).first()
    if found is None:
        raise JobFailed(_("No workshop has the code %(code)s.") % {"code": workshop})
    return bulk_issue(found, language=language, progress=ctx.progress, workers=workers).as_dict()


def issue_workshop_start(
    *,
    workshop: Workshop,
    user=None,
    language: str | None = None,
    workers: int | None = None,
    on_progress=None,
) -> Job:
    """Start (or, inline, run) the bulk issue of a workshop from any door: admin, API, command."""
    return background.enqueue(
        ISSUE_WORKSHOP,
        params={"workshop": workshop.code, "language": language, "workers": workers},
        user=user,
        label=_("Certificates for workshop %(code)s") % {"code": workshop.code},
        on_progress=on_progress,
    )


def issue_workshop_job_for(*, job_id, workshop: Workshop, user) -> Job | None:
    """A bulk-issue job of this workshop that the user may follow (theirs, or any with
    lms.view_job)."""
    jobs = Job.objects.filter(name=ISSUE_WORKSHOP, params__workshop=workshop.code)
    if not user.has_perm("lms.view_job"):
        jobs = jobs.filter(created_by=user)
    try:
        return jobs.filter(pk=job_id).first()
    except ValidationError:  # a malformed id in the address is simply no job
        return None
