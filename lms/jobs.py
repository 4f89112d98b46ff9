"""Background jobs of the registry (registered with lms.background)."""

from django.core.files.storage import storages

from lms.background import JobContext, JobFailed, register
from lms.services.participant_import import import_participants


@register("lms.import_participants")
def import_participants_job(
    ctx: JobContext, *, path: str, filename: str = "", dry_run: bool = False
) -> dict:
    storage = storages["private"]
    with storage.open(path, "rb") as fh:
        data = fh.read()
    result = import_participants(
        data=data, filename=filename, dry_run=dry_run, progress=ctx.progress
    )
    # The upload held personal data: it is kept only until the job has read it to the end.
    storage.delete(path)
    if not result.ok:
        raise JobFailed(
            f"{len(result.errors)} problem(s) in the file; nothing was written.",
            result=result.as_dict(),
        )
    return result.as_dict()
