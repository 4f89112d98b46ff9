"""Import one workshop's attendance from CSV/XLSX (e.g. typed from paper sign-in sheets).

All rows are valid and written, or nothing is written. A row names a person by document, a
session by number or date, and a status; every write goes through the attendance services, so
the rules for closed workshops (staff only, with a reason, correction kept) hold here too.
"""

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from attendance.models import AttendanceRecord, AttendanceStatus, Registration, Session, Workshop
from attendance.services import attendance_bulk
from lms.bulk import bulk_work
from lms.importing import (
    Column,
    ImportFileError,
    ImportOutcome,
    RowError,
    cell,
    map_columns,
    read_table,
)
from lms.models import DocumentType, Person
from lms.services.participant_import import CodeLists, document_from_cells
from lms.validators import fold

LIMA = ZoneInfo("America/Lima")
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")

COLUMNS = (
    Column("document_type", ("tipo_documento", "tipo_de_documento", "tipo_doc")),
    Column(
        "document_number",
        ("numero_documento", "numero_de_documento", "nro_documento", "documento", "dni"),
        required=True,
    ),
    Column("session", ("sesion", "numero_sesion", "fecha")),
    Column("status", ("estado", "asistencia"), required=True),
)

# Words trainers write on paper for the built-in marks, besides each mark's code and names.
BUILTIN_WORDS = {
    AttendanceStatus.PRESENT: ("present", "presente", "p"),
    AttendanceStatus.LATE: ("late", "tarde", "t", "tardanza"),
    AttendanceStatus.EXCUSED: ("excused", "justificado", "justificada", "j"),
    AttendanceStatus.ABSENT: ("absent", "ausente", "a", "falta"),
}


def status_words() -> tuple[dict[str, str], str]:
    """({folded word: code} for the offered marks, the hint listing them)."""
    words: dict[str, str] = {}
    hint = []
    for mark in AttendanceStatus.objects.filter(active=True):
        for word in (*BUILTIN_WORDS.get(mark.code, ()), mark.code, mark.name, mark.name_en):
            if word:
                words.setdefault(fold(word), mark.code)
        hint.append(mark.name)
    return words, ", ".join(hint)


@dataclass
class AttendanceImportResult(ImportOutcome):
    workshop: str = ""
    total_rows: int = 0
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    dry_run: bool = False
    source_format: str = ""
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Mark:
    row: int
    document: tuple[str, str] | None
    session: Session | None
    status: str | None


def _parse_date(value: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    return None


class _Sessions:
    """A workshop's sessions, found by number or by their (Lima) calendar date."""

    def __init__(self, workshop: Workshop):
        sessions = list(workshop.sessions.select_related("workshop").order_by("number"))
        self.by_number = {s.number: s for s in sessions}
        self.by_date: dict[dt.date, list[Session]] = {}
        for s in sessions:
            self.by_date.setdefault(s.starts_at.astimezone(LIMA).date(), []).append(s)
        self.code = workshop.code

    def find(self, raw: str) -> tuple[Session | None, str]:
        if not raw:
            if len(self.by_number) == 1:
                return next(iter(self.by_number.values())), ""
            return None, _("Give the session number or date: this workshop has several.")
        value = raw.strip()
        if value.isdigit():
            session = self.by_number.get(int(value))
            if session is None:
                numbers = ", ".join(str(n) for n in sorted(self.by_number)) or "—"
                return None, _(
                    "Workshop %(code)s has no session %(value)s (its sessions: %(numbers)s)."
                ) % {"code": self.code, "value": value, "numbers": numbers}
            return session, ""
        day = _parse_date(value)
        if day is None:
            return None, _(
                "“%(value)s” is neither a session number nor a date (DD/MM/YYYY or YYYY-MM-DD)."
            ) % {"value": value}
        found = self.by_date.get(day, [])
        if not found:
            return None, _("Workshop %(code)s has no session on %(date)s.") % {
                "code": self.code,
                "date": day.strftime("%d/%m/%Y"),
            }
        if len(found) > 1:
            return None, _(
                "Workshop %(code)s has %(n)s sessions on %(date)s: give the session number."
            ) % {"code": self.code, "n": len(found), "date": day.strftime("%d/%m/%Y")}
        return found[0], ""


def _parse_row(cells, colmap, codes: CodeLists, sessions: _Sessions, marks, row_no: int):
    document, problems = document_from_cells(cells, colmap, codes)

    session, message = sessions.find(cell(cells, colmap, "session"))
    if message:
        problems.append(("session", message))

    raw_status = cell(cells, colmap, "status")
    words, hint = marks
    status = words.get(fold(raw_status))
    if status is None:
        problems.append(
            (
                "status",
                _("Unknown attendance status “%(v)s”: use one of %(marks)s.")
                % {"v": raw_status, "marks": hint},
            )
            if raw_status
            else ("status", _("The attendance status is required."))
        )
    return _Mark(row=row_no, document=document, session=session, status=status), problems


def import_attendance(
    *,
    workshop: Workshop,
    data: bytes,
    filename: str = "",
    dry_run: bool = False,
    recorded_by=None,
    reason: str = "",
) -> AttendanceImportResult:
    """Check every row, then write all of them in one transaction (or nothing on any error).

    Raises PermissionDenied before reading the file when the workshop is closed and the import
    is not done by program staff with a reason.
    """
    result = AttendanceImportResult(workshop=workshop.code, dry_run=dry_run)
    reason = (reason or "").strip()
    if workshop.attendance_locked and not (
        recorded_by is not None
        and recorded_by.has_perm("attendance.add_attendancecorrection")
        and reason
    ):
        raise PermissionDenied(
            _(
                "Attendance of a closed workshop can only be corrected by program staff, with a reason."
            )
        )
    try:
        table = read_table(data, filename)
        colmap = map_columns(table.headers, COLUMNS)
    except ImportFileError as exc:
        result.errors = exc.errors
        return result
    result.source_format = table.source_format
    if colmap.ignored:
        result.warnings.append(
            _("Columns ignored: %(names)s") % {"names": ", ".join(colmap.ignored)}
        )
    rows = [(n, cells) for n, cells in table.rows if any(c.strip() for c in cells)]
    result.total_rows = len(rows)
    if not rows:
        result.errors = [RowError(2, "", _("The file has a header but no data rows."))]
        return result

    codes = CodeLists()
    sessions = _Sessions(workshop)
    words = status_words()

    def header(name: str) -> str:
        return colmap.header_names.get(name, name)

    marks: list[_Mark] = []
    for row_no, cells in rows:
        mark, problems = _parse_row(cells, colmap, codes, sessions, words, row_no)
        result.errors.extend(RowError(row_no, header(c), m) for c, m in problems)
        marks.append(mark)

    # One query for the people named in the file, one for the workshop's registrations.
    numbers = {m.document[1] for m in marks if m.document}
    people = {
        (p.document_type, p.document_number): p
        for p in Person.objects.filter(document_number__in=numbers)
    }
    registration_status = dict(
        Registration.objects.filter(workshop=workshop, person__in=people.values()).values_list(
            "person_id", "status"
        )
    )
    statuses = dict(Registration.Status.choices)
    seen: dict[tuple[int, int], int] = {}
    writes: dict[Session, dict[Person, str]] = {}
    for mark in marks:
        if mark.document is None:
            continue
        person = people.get(mark.document)
        label = f"{dict(DocumentType.choices)[mark.document[0]]} {mark.document[1]}"
        if person is None:
            result.errors.append(
                RowError(
                    mark.row,
                    header("document_number"),
                    _("No participant with %(doc)s is in the registry.") % {"doc": label},
                )
            )
            continue
        status = registration_status.get(person.pk)
        if status is None:
            result.errors.append(
                RowError(
                    mark.row,
                    header("document_number"),
                    _("%(name)s (%(doc)s) is not registered in workshop %(code)s.")
                    % {"name": person.full_name, "doc": label, "code": workshop.code},
                )
            )
            continue
        if status != Registration.Status.CONFIRMED:
            result.errors.append(
                RowError(
                    mark.row,
                    header("document_number"),
                    _(
                        "The registration of %(name)s (%(doc)s) is “%(status)s”, not confirmed: attendance cannot be recorded."
                    )
                    % {"name": person.full_name, "doc": label, "status": statuses[status]},
                )
            )
            continue
        if mark.session is None:
            continue
        key = (person.pk, mark.session.pk)
        if key in seen:
            result.errors.append(
                RowError(
                    mark.row,
                    header("session"),
                    _(
                        "%(name)s already appears for session %(number)s on row %(row)s: one row per person and session."
                    )
                    % {"name": person.full_name, "number": mark.session.number, "row": seen[key]},
                )
            )
            continue
        seen[key] = mark.row
        if mark.status is not None:
            writes.setdefault(mark.session, {})[person] = mark.status

    if result.errors:
        result.errors.sort(key=lambda e: e.row)
        return result

    existing = {
        (session_id, person_id): status
        for session_id, person_id, status in AttendanceRecord.objects.filter(
            session__workshop=workshop
        ).values_list("session_id", "person_id", "status_id")
    }
    for session, session_marks in writes.items():
        for person, status in session_marks.items():
            before = existing.get((session.pk, person.pk))
            if before is None:
                result.created += 1
            elif before == status:
                result.unchanged += 1
            else:
                result.changed += 1
    if dry_run:
        return result

    with transaction.atomic(), bulk_work():
        for session in sorted(writes, key=lambda s: s.number):
            attendance_bulk(
                session=session,
                marks=writes[session],
                method=AttendanceRecord.Method.IMPORT,
                recorded_by=recorded_by,
                reason=reason,
            )
    return result
