"""Background jobs of the registry (registered with lms.background)."""

from django.core.files.storage import storages

from lms.background import JobContext, JobFailed, register
from lms.services.participant_import import import_participants


@register("lms.import_participants", input_files=("path",))
def import_participants_job(
    ctx: JobContext, *, path: str, filename: str = "", dry_run: bool = False
) -> dict:
    # The upload held personal data: lms.background removes it once the job has finished.
    with storages["private"].open(path, "rb") as fh:
        data = fh.read()
    result = import_participants(
        data=data,
        filename=filename,
        dry_run=dry_run,
        progress=ctx.progress,
        on_written=lambda written: ctx.result_written(written.as_dict()),
    )
    if not result.ok:
        raise JobFailed(
            f"{len(result.errors)} problem(s) in the file; nothing was written.",
            result=result.as_dict(),
        )
    return result.as_dict()
