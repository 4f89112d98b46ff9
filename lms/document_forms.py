"""The Wagtail document form (WAGTAILDOCS_DOCUMENT_FORM_BASE): Wagtail checks a document's
extension only; this also checks its content and size (lms.uploads)."""

from django.conf import settings
from wagtail.documents.forms import BaseDocumentForm

from lms.uploads import DOCUMENT, validate_upload


class DocumentForm(BaseDocumentForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        # Only a new upload is checked: an edit that keeps the file has nothing to read.
        if upload and "file" in self.changed_data:
            validate_upload(
                upload,
                field=self.fields["file"].label,
                types=DOCUMENT,
                max_bytes=settings.WAGTAILDOCS_MAX_UPLOAD_SIZE,
            )
        return upload
