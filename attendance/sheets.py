"""Printable sign-in sheet (PDF) of one session: the confirmed registrants, a column to sign.

Identity documents are masked to their last four digits: the sheet lies on a table where every
participant can read it, and the personal code already tells people apart.
"""

import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from weasyprint import HTML

from attendance.models import Registration, Session
from lms.models import DocumentType
from lms.validators import fold

LIMA = ZoneInfo("America/Lima")
# Rows left empty at the end for walk-ins registered on the day.
BLANK_ROWS = 5


@dataclass(frozen=True)
class SheetRow:
    number: int
    family_names: str
    given_names: str
    document: str
    code: str


def document_short_name(document_type: str) -> str:
    names = {
        DocumentType.DNI: "DNI",
        DocumentType.CE: "CE",
        DocumentType.PASSPORT: _("Passport"),
        DocumentType.OTHER: _("Other"),
    }
    return str(names.get(document_type, ""))


def mask_document(document_type: str, number: str) -> str:
    """'DNI ****7410': enough to tell two people apart at the desk, useless to anyone else."""
    tail = number[-4:] if len(number) > 4 else ""
    return f"{document_short_name(document_type)} ****{tail}".strip()


def spanish_sort_key(text: str) -> str:
    # Accents do not count, but Ñ is its own letter after N (Núñez < Nuñoz < Ñañez).
    return fold(text.lower().replace("ñ", "n{").replace("n\u0303", "n{"))


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def page_counter_css() -> str:
    """CSS `content` for "Page X of Y" in the active language, with WeasyPrint's counters."""
    label = _("Page %(page)s of %(pages)s")
    counters = {"page": "counter(page)", "pages": "counter(pages)"}
    parts = re.split(r"(%\((?:page|pages)\)s)", label)
    out = []
    for part in parts:
        key = part[2:-2] if part.startswith("%(") else None
        if key in counters:
            out.append(counters[key])
        elif part:
            out.append(_css_string(part))
    return " ".join(out)


def signin_rows(session: Session) -> list[SheetRow]:
    registrations = Registration.objects.filter(
        workshop_id=session.workshop_id, status=Registration.Status.CONFIRMED
    ).select_related("person")
    registrations = sorted(
        registrations,
        key=lambda r: (
            spanish_sort_key(r.person.family_names),
            spanish_sort_key(r.person.given_names),
            r.person.pk,
        ),
    )
    return [
        SheetRow(
            number=i,
            family_names=r.person.family_names,
            given_names=r.person.given_names,
            document=mask_document(r.person.document_type, r.person.document_number),
            code=r.code,
        )
        for i, r in enumerate(registrations, start=1)
    ]


def signin_sheet_pdf(session: Session, *, blank_rows: int = BLANK_ROWS) -> bytes:
    session = Session.objects.select_related("workshop__course", "workshop__region__parent").get(
        pk=session.pk
    )
    workshop = session.workshop
    rows = signin_rows(session)
    context = {
        "session": session,
        "workshop": workshop,
        "course": workshop.course,
        "starts": timezone.localtime(session.starts_at, LIMA),
        "ends": timezone.localtime(session.ends_at, LIMA),
        "rows": rows,
        "blank_numbers": range(len(rows) + 1, len(rows) + 1 + blank_rows),
        "page_counter": page_counter_css(),
        "running_header": _css_string(
            _("%(code)s – session %(number)s") % {"code": workshop.code, "number": session.number}
        ),
        "generated_at": timezone.localtime(timezone.now(), LIMA),
    }
    html = render_to_string("attendance/signin_sheet.html", context)
    return HTML(string=html).write_pdf()
