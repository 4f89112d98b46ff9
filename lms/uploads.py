"""Checks for every file people upload: a size limit, and a type read from the file's content
(its first bytes), never from its name alone. Forms and serializers call `validate_upload`."""

import codecs
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MB = 1024 * 1024
# Participant, registration and enrolment lists (CSV or XLSX). Wagtail documents and images
# have their limits in settings (WAGTAILDOCS_MAX_UPLOAD_SIZE, WAGTAILIMAGES_MAX_UPLOAD_SIZE).
SPREADSHEET_MAX_BYTES = 20 * MB

# Enough to tell a text file from a binary one without reading all of it.
SNIFF_BYTES = 64 * 1024

_BINARY_SIGNATURES = (
    b"PK\x03\x04",  # ZIP (XLSX, DOCX...)
    b"%PDF-",
    b"\x89PNG",
    b"\xff\xd8\xff",  # JPEG
    b"GIF8",
    b"MZ",  # Windows executable
    b"\x7fELF",  # Linux executable
    b"\xd0\xcf\x11\xe0",  # old Office (.xls, .doc)
)
# Control characters no CSV or plain text has (tab, line feed, form feed, carriage return and
# the old DOS end-of-file mark are fine).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x19\x1b-\x1f\x7f]")


def _head(upload) -> bytes:
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return head


def _zip_names(upload) -> list[str] | None:
    """The member names of a ZIP archive (read from its directory: nothing is inflated)."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)


def _is_zip(upload) -> bool:
    return _head(upload).startswith(b"PK\x03\x04") and _zip_names(upload) is not None


def _is_ooxml(upload, folder: str) -> bool:
    """An Office Open XML file: a ZIP with [Content_Types].xml and its parts in `folder`."""
    if not _head(upload).startswith(b"PK\x03\x04"):
        return False
    names = _zip_names(upload) or []
    return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)


def _is_opendocument(upload) -> bool:
    head = _head(upload)
    return head.startswith(b"PK\x03\x04") and b"mimetypeapplication/vnd.oasis" in head[:100]


def _is_text(upload) -> bool:
    """UTF-8, UTF-16 (with its byte-order mark), Windows-1252 or Latin-1 text."""
    head = _head(upload)
    if not head:
        return True
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = codecs.getincrementaldecoder("utf-16")(errors="replace").decode(head)
        return not _CONTROL.search(text)
    if head.startswith(_BINARY_SIGNATURES) or b"\x00" in head:
        return False
    try:
        # A multi-byte character cut at the end of the sample is not an error.
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        text = head.decode("latin-1")
    return not _CONTROL.search(text)


def _is_rtf(upload) -> bool:
    return _head(upload).startswith(b"{\\rtf") and _is_text(upload)


def _starts_with(*magic: bytes) -> Callable[[UploadedFile], bool]:
    return lambda upload: _head(upload).startswith(magic)


@dataclass(frozen=True)
class FileType:
    label: str  # as people know it: "XLSX", "PDF"
    extensions: tuple[str, ...]
    matches: Callable[[UploadedFile], bool]


XLSX = FileType("XLSX", (".xlsx", ".xlsm"), lambda f: _is_ooxml(f, "xl/"))
CSV = FileType("CSV", (".csv", ".txt"), _is_text)
PDF = FileType("PDF", (".pdf",), _starts_with(b"%PDF-"))
PNG = FileType("PNG", (".png",), _starts_with(b"\x89PNG\r\n\x1a\n"))
JPEG = FileType("JPEG", (".jpg", ".jpeg"), _starts_with(b"\xff\xd8\xff"))
DOCX = FileType("DOCX", (".docx",), lambda f: _is_ooxml(f, "word/"))
PPTX = FileType("PPTX", (".pptx",), lambda f: _is_ooxml(f, "ppt/"))
ODT = FileType("ODT", (".odt",), _is_opendocument)
KEYNOTE = FileType("Keynote", (".key",), _is_zip)
ZIP = FileType("ZIP", (".zip",), _is_zip)
RTF = FileType("RTF", (".rtf",), _is_rtf)
TEXT = FileType("TXT", (".txt",), _is_text)
CSV_ONLY = FileType("CSV", (".csv",), _is_text)

SPREADSHEET = (CSV, XLSX)
# Everything WAGTAILDOCS_EXTENSIONS allows, each checked by content.
DOCUMENT = (CSV_ONLY, DOCX, KEYNOTE, ODT, PDF, PPTX, RTF, TEXT, XLSX, ZIP)

# SVG is never accepted: it is a document that can carry script, not just a picture.
_SVG = (".svg", ".svgz")


def validate_upload(
    upload: UploadedFile, *, field: str, types: Sequence[FileType], max_bytes: int
) -> FileType:
    """The type of `upload`, or a ValidationError that names the field and what is allowed.

    The name's extension says which type the file claims to be; its content must agree.
    """
    if upload.size > max_bytes:
        raise ValidationError(
            _("%(field)s: files up to %(limit)s are accepted; “%(name)s” is %(size)s."),
            code="file_too_large",
            params={
                "field": field,
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(max_bytes),
            },
        )
    extension = PurePath(upload.name or "").suffix.lower()
    labels = ", ".join(dict.fromkeys(t.label for t in types))
    if extension in _SVG:
        raise ValidationError(
            _(
                "%(field)s: SVG files are not accepted, as they can carry scripts. Upload %(types)s."
            ),
            code="svg_refused",
            params={"field": field, "types": labels},
        )
    claimed = [t for t in types if extension in t.extensions]
    if not claimed:
        raise ValidationError(
            _("%(field)s: “%(name)s” is not an accepted type. Upload %(types)s."),
            code="file_type",
            params={"field": field, "name": upload.name, "types": labels},
        )
    for file_type in claimed:
        if file_type.matches(upload):
            return file_type
    raise ValidationError(
        _(
            "%(field)s: “%(name)s” is not really a %(type)s file, whatever its name says. "
            "Save it again as %(type)s and upload that."
        ),
        code="file_content",
        params={"field": field, "name": upload.name, "type": claimed[0].label},
    )
