"""Register people in a workshop from a file: the participant import first (unknown people are
created from their row, known ones updated), then one registration per row. All or nothing."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from attendance.models import Registration, Workshop
from attendance.services import register
from lms.bulk import bulk_work
from lms.importing import ImportOutcome, RowError, cell, map_columns, read_table
from lms.models import DocumentType, Person
from lms.services.participant_import import COLUMNS, CodeLists, import_participants
from lms.validators import fold, normalize_document_number


@dataclass
class RegistrationImportResult(ImportOutcome):
    rows: int = 0
    people_created: int = 0
    confirmed: int = 0
    pending: int = 0
    waitlisted: int = 0


def registrations_import(
    *, workshop: Workshop, data: bytes, filename: str, user=None, dry_run: bool = False
) -> RegistrationImportResult:
    result = RegistrationImportResult()
    if workshop.status in (Workshop.Status.CANCELLED, Workshop.Status.COMPLETED):
        result.errors = [RowError(0, "", _("This workshop no longer takes registrations."))]
        return result
    with transaction.atomic(), bulk_work():
        people = import_participants(data=data, filename=filename)
        if not people.ok:
            result.errors = people.errors
            return result
        result.rows, result.people_created = people.total_rows, people.created
        table = read_table(data, filename)
        colmap = map_columns(table.headers, COLUMNS)
        codes = CodeLists()
        for _row_no, cells in table.rows:
            if not any(c.strip() for c in cells):
                continue
            raw_type = cell(cells, colmap, "document_type")
            doc_type = (
                codes.document_types.get(fold(raw_type)) if raw_type else DocumentType.DNI.value
            )
            raw_number = cell(cells, colmap, "document_number")
            if doc_type == DocumentType.DNI and raw_number.isdigit() and len(raw_number) < 8:
                raw_number = raw_number.zfill(8)
            person = Person.objects.get(
                document_type=doc_type,
                document_number=normalize_document_number(doc_type, raw_number),
            )
            registration = register(
                workshop=workshop,
                person=person,
                source=Registration.Source.IMPORT,
                registered_by=user,
            )
            setattr(result, registration.status, getattr(result, registration.status) + 1)
        if dry_run:
            transaction.set_rollback(True)
    return result
