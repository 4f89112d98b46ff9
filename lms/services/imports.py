"""Start an import from any door (admin, API, command line) as a background job."""

import hashlib
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils.translation import gettext as _

from lms import background
from lms.models import Job


def participants_import_start(
    *, data: bytes, filename: str, dry_run: bool = False, user=None, on_progress=None
) -> Job:
    digest = hashlib.sha256(data).hexdigest()
    suffix = ".xlsx" if filename.lower().endswith((".xlsx", ".xlsm")) else ".csv"
    path = storages["private"].save(f"imports/{uuid.uuid4().hex}{suffix}", ContentFile(data))
    return background.enqueue(
        "lms.import_participants",
        params={"path": path, "filename": filename, "dry_run": dry_run},
        user=user,
        label=(_("Check only: %(file)s") if dry_run else _("Import: %(file)s"))
        % {"file": f"{filename} (sha256 {digest[:12]})"},
        on_progress=on_progress,
    )
