"""Bulk enrolment from a file or a pasted list, with the registry's import engine: all or nothing."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from courses.models import CoursePage, Enrolment
from courses.services import enrol
from lms.importing import (
    Column,
    ImportFileError,
    ImportOutcome,
    NumericCell,
    RowError,
    cell,
    map_columns,
    read_table,
)
from lms.models import DocumentType, Person
from lms.services.participant_import import CodeLists
from lms.validators import fold, normalize_document_number

COLUMNS = (
    Column("document_type", ("tipo_documento", "tipo_de_documento", "tipo_doc")),
    Column(
        "document_number",
        ("numero_documento", "numero_de_documento", "documento", "dni"),
        required=True,
    ),
)


@dataclass
class EnrolmentImportResult(ImportOutcome):
    total_rows: int = 0
    enrolled: int = 0
    already: int = 0


def enrol_from_file(
    *, course: CoursePage, data: bytes, filename: str, user
) -> EnrolmentImportResult:
    result = EnrolmentImportResult()
    try:
        table = read_table(data, filename)
        colmap = map_columns(table.headers, COLUMNS)
    except ImportFileError as exc:
        result.errors = exc.errors
        return result
    codes = CodeLists()
    people: list[Person] = []
    for row_no, cells in table.rows:
        if not any(c.strip() for c in cells):
            continue
        result.total_rows += 1
        raw_type = cell(cells, colmap, "document_type")
        doc_type = codes.document_types.get(fold(raw_type)) if raw_type else DocumentType.DNI.value
        raw_number = cell(cells, colmap, "document_number")
        if doc_type is None:
            result.errors.append(
                RowError(
                    row_no,
                    colmap.header_names.get("document_type", ""),
                    _("Unknown document type “%(v)s”.") % {"v": raw_type},
                )
            )
            continue
        if (
            doc_type == DocumentType.DNI
            and isinstance(raw_number, NumericCell)
            and len(raw_number) < 8
        ):
            raw_number = raw_number.zfill(8)
        try:
            number = normalize_document_number(doc_type, raw_number)
        except ValidationError as exc:
            result.errors.append(
                RowError(row_no, colmap.header_names["document_number"], " ".join(exc.messages))
            )
            continue
        person = Person.objects.filter(document_type=doc_type, document_number=number).first()
        if person is None:
            result.errors.append(
                RowError(
                    row_no,
                    colmap.header_names["document_number"],
                    _("No participant with this document is registered; import them first."),
                )
            )
            continue
        people.append(person)
    if not result.total_rows and not result.errors:
        result.errors.append(RowError(2, "", _("The file has a header but no data rows.")))
    if result.errors:
        return result
    with transaction.atomic():
        for person in people:
            before = Enrolment.objects.filter(person=person, course=course).exists()
            enrol(person=person, course=course, source=Enrolment.Source.BULK, enrolled_by=user)
            result.already += before
            result.enrolled += not before
    return result
