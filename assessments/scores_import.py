"""Import paper pre-/post-test scores of a workshop from CSV or XLSX (all rows, or none).

Rows: document number (and optionally its type), test (pre or post), score, maximum score. Same
engine and rules as the other imports: every row is checked first, problems name the row and the
column, and nothing is written unless the whole file is right. Re-importing is idempotent.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import Kind, WorkshopScore
from assessments.scores import parse_score, score_record
from attendance.models import Registration, Workshop
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

COLUMNS = (
    Column("document_type", ("tipo_documento", "tipo_de_documento", "tipo_doc")),
    Column(
        "document_number",
        ("numero_documento", "numero_de_documento", "nro_documento", "documento", "dni"),
        required=True,
    ),
    Column("test", ("prueba", "evaluacion", "tipo_prueba", "pre_post"), required=True),
    Column("score", ("puntaje", "nota", "puntos"), required=True),
    Column("max_score", ("puntaje_maximo", "maximo", "nota_maxima", "max"), required=True),
)
TEST_WORDS = {
    **dict.fromkeys(("pre", "pretest", "pre-test", "entrada", "inicial"), Kind.PRE),
    **dict.fromkeys(("post", "postest", "posttest", "post-test", "salida", "final"), Kind.POST),
}


@dataclass
class ScoresImportResult(ImportOutcome):
    workshop: str = ""
    total_rows: int = 0
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    dry_run: bool = False
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    row: int
    document: tuple[str, str] | None
    kind: str | None
    score: Decimal | None
    max_score: Decimal | None


def _parse(cells, colmap, codes: CodeLists, row_no: int) -> tuple[_Row, list[tuple[str, str]]]:
    document, problems = document_from_cells(cells, colmap, codes)
    raw_test = cell(cells, colmap, "test")
    kind = TEST_WORDS.get(fold(raw_test).replace(" ", ""))
    if kind is None:
        problems.append(
            ("test", _("Unknown test “%(v)s”: use pre or post.") % {"v": raw_test})
            if raw_test
            else ("test", _("Say which test: pre or post."))
        )
    values = {}
    for name in ("score", "max_score"):
        raw = cell(cells, colmap, name)
        if not raw:
            problems.append((name, _("Required.")))
            continue
        try:
            values[name] = parse_score(raw, name)
        except ValidationError as exc:
            problems.append((name, " ".join(exc.messages)))
    score, maximum = values.get("score"), values.get("max_score")
    if maximum is not None and maximum <= 0:
        problems.append(("max_score", _("The maximum score must be more than 0.")))
    elif score is not None and maximum is not None and score > maximum:
        problems.append(
            ("score", _("Score %(s)s is above the maximum %(m)s.") % {"s": score, "m": maximum})
        )
    return _Row(row_no, document, kind, score, maximum), problems


def import_scores(
    *, workshop: Workshop, data: bytes, filename: str = "", dry_run: bool = False, recorded_by=None
) -> ScoresImportResult:
    result = ScoresImportResult(workshop=workshop.code, dry_run=dry_run)
    try:
        table = read_table(data, filename)
        colmap = map_columns(table.headers, COLUMNS)
    except ImportFileError as exc:
        result.errors = exc.errors
        return result
    if colmap.ignored:
        result.warnings.append(
            _("Columns ignored: %(names)s") % {"names": ", ".join(colmap.ignored)}
        )
    rows = [(n, cells) for n, cells in table.rows if any(c.strip() for c in cells)]
    result.total_rows = len(rows)
    if not rows:
        result.errors = [RowError(2, "", _("The file has a header but no data rows."))]
        return result

    def header(name: str) -> str:
        return colmap.header_names.get(name, name)

    codes = CodeLists()
    parsed = []
    for row_no, cells in rows:
        row, problems = _parse(cells, colmap, codes, row_no)
        result.errors.extend(RowError(row_no, header(c), m) for c, m in problems)
        parsed.append(row)

    numbers = {r.document[1] for r in parsed if r.document}
    people = {
        (p.document_type, p.document_number): p
        for p in Person.objects.filter(document_number__in=numbers)
    }
    registrations = {
        r.person_id: r
        for r in Registration.objects.filter(workshop=workshop, person__in=people.values())
    }
    seen: dict[tuple[int, str], int] = {}
    writes = []
    for row in parsed:
        if row.document is None:
            continue
        label = f"{dict(DocumentType.choices)[row.document[0]]} {row.document[1]}"
        person = people.get(row.document)
        registration = registrations.get(person.pk) if person else None
        problem = None
        if person is None:
            problem = _("No participant with %(doc)s is in the registry.") % {"doc": label}
        elif registration is None:
            problem = _("%(name)s (%(doc)s) is not registered in workshop %(code)s.") % {
                "name": person.full_name,
                "doc": label,
                "code": workshop.code,
            }
        elif registration.status != Registration.Status.CONFIRMED:
            problem = _(
                "The registration of %(name)s (%(doc)s) is “%(status)s”, not confirmed: no score can be recorded."
            ) % {
                "name": person.full_name,
                "doc": label,
                "status": registration.get_status_display(),
            }
        if problem:
            result.errors.append(RowError(row.row, header("document_number"), problem))
            continue
        if row.kind is None or row.score is None or row.max_score is None:
            continue
        key = (registration.pk, row.kind)
        if key in seen:
            result.errors.append(
                RowError(
                    row.row,
                    header("test"),
                    _("%(name)s already has a %(test)s score on row %(row)s.")
                    % {"name": person.full_name, "test": row.kind, "row": seen[key]},
                )
            )
            continue
        seen[key] = row.row
        writes.append((registration, row))
    if result.errors:
        result.errors.sort(key=lambda e: e.row)
        return result

    existing = {
        (s.registration_id, s.kind): s
        for s in WorkshopScore.objects.filter(registration__workshop=workshop)
    }
    for registration, row in writes:
        before = existing.get((registration.pk, row.kind))
        if before is None:
            result.created += 1
        elif before.score == row.score and before.max_score == row.max_score:
            result.unchanged += 1
        else:
            result.changed += 1
    if dry_run:
        return result
    with transaction.atomic(), bulk_work():
        for registration, row in writes:
            score_record(
                registration=registration,
                kind=row.kind,
                score=row.score,
                max_score=row.max_score,
                method=WorkshopScore.Method.IMPORT,
                recorded_by=recorded_by,
            )
    return result
