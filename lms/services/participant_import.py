"""Import participants from CSV/XLSX: all rows valid and written, or nothing written.

One engine behind three doors (admin upload, API, ``manage.py import_participants``). A person
is found by (document type, number): existing people are updated, new ones created. An empty
cell never erases what the registry already holds.
"""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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
from lms.models import PERSON_FIELDS, DocumentType, Institution, Person, Position, Region, Sex
from lms.validators import (
    fold,
    make_search_text,
    normalize_document_number,
    normalize_name,
    validate_birth_date,
)

COLUMNS = (
    Column("document_type", ("tipo_documento", "tipo_de_documento", "tipo_doc")),
    Column(
        "document_number",
        ("numero_documento", "numero_de_documento", "nro_documento", "documento", "dni"),
        required=True,
    ),
    Column("given_names", ("nombres", "nombre"), required=True),
    Column("family_names", ("apellidos", "apellido"), required=True),
    Column("sex", ("sexo",)),
    Column("birth_date", ("fecha_nacimiento", "fecha_de_nacimiento")),
    Column("email", ("correo", "correo_electronico", "e_mail")),
    Column("phone", ("telefono", "celular")),
    Column("institution", ("institucion", "entidad")),
    Column("position", ("cargo",)),
    Column("region", ("ubigeo", "departamento")),
)
# What an import may change on a person it finds: everything but the document itself.
UPDATABLE = tuple(f for f in PERSON_FIELDS if f not in ("document_type", "document_number"))
PHONE_RE = re.compile(r"^\+?[0-9 ()\-.]{6,30}$")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
BATCH = 500
WRITE_ATTEMPTS = 2

Progress = Callable[[int, int], None]


@dataclass
class ImportResult(ImportOutcome):
    total_rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    source_format: str = ""
    warnings: list[str] = field(default_factory=list)


FEMININE_ENDING = re.compile(r"an?\b")  # what follows the "/" in "abogado/a"


def _feminine(words: str) -> str:
    return words[:-1] + "a" if words.endswith("o") else words + "a"


def _variants(*labels: str) -> set[str]:
    """Folded spellings of a label: 'Juez / jueza' -> {'juez / jueza', 'juez', 'jueza'},
    'Abogado/a' -> {'abogado/a', 'abogado', 'abogada'}."""
    out = set()
    for label in labels:
        if not label:
            continue
        folded = fold(label)
        out.add(folded)
        out.add(" ".join(re.sub(r"/\s*an?\b", "", folded).split()))  # "abogado/a" -> "abogado"
        out.add(" ".join(re.sub(r"(\w+)/\s*a\b", lambda m: _feminine(m[1]), folded).split()))
        parts = [part.strip() for part in folded.split("/")]
        for part, following in zip(parts, [*parts[1:], ""], strict=True):
            # "a o servidor" is the tail of "funcionario/a o servidor/a", not a name of its own
            # (it used to make a bare "a" mean "public official").
            if not part or FEMININE_ENDING.match(part):
                continue
            out.add(part)
            if FEMININE_ENDING.match(following):
                out.add(_feminine(part))  # "auditor/a de control" -> "auditora" too
    return out


class CodeLists:
    """Everything a row may refer to, loaded once per import (no query per row)."""

    def __init__(self):
        self.document_types = {}
        for choice in DocumentType:
            for key in _variants(choice.value, choice.value.zfill(2), str(choice.label)):
                self.document_types[key] = choice.value
        self.document_types.update(
            {
                "dni": "1",
                "ce": "4",
                "carne de extranjeria": "4",
                "pasaporte": "7",
                "passport": "7",
                "otro": "0",
                "other": "0",
            }
        )
        self.sexes = {
            **dict.fromkeys(("f", "femenino", "female", "mujer", "woman"), Sex.FEMALE),
            **dict.fromkeys(("m", "masculino", "male", "hombre", "man"), Sex.MALE),
            **dict.fromkeys(
                ("x", "no informa", "no reportado", "not reported", "prefiere no decir"),
                Sex.NOT_REPORTED,
            ),
        }
        self.institutions = self._index(
            Institution.objects.all(), ("code", "name", "name_en", "short_name")
        )
        self.positions = self._index(Position.objects.all(), ("code", "name", "name_en"))
        self.regions: dict[str, int] = {}
        self.region_by_code: dict[str, int] = {}
        for region in Region.objects.all():
            self.region_by_code[region.code] = region.pk
            if region.level == Region.Level.DEPARTMENT:
                for key in (fold(region.name), fold(region.iso_code)):
                    self.regions[key] = region.pk

    @staticmethod
    def _index(queryset, attrs) -> dict[str, int]:
        index = {}
        for obj in queryset:
            keys = _variants(*(getattr(obj, a) for a in attrs))
            keys.update(
                fold(a) for a in (getattr(obj, "aliases", "") or "").split(",") if a.strip()
            )
            for key in keys:
                index.setdefault(key, obj.pk)
        return index


def document_from_cells(
    cells: list[str], colmap, codes: CodeLists
) -> tuple[tuple[str, str] | None, list[tuple[str, str]]]:
    """((type, number) or None, problems) from a row's document columns, for the imports that
    find people by document (attendance, scores). No type means DNI; a DNI that a spreadsheet
    stored as a number gets its leading zeros back."""
    problems: list[tuple[str, str]] = []
    raw_type = cell(cells, colmap, "document_type")
    doc_type = codes.document_types.get(fold(raw_type)) if raw_type else DocumentType.DNI.value
    if doc_type is None:
        problems.append(
            (
                "document_type",
                _("Unknown document type “%(v)s”: use DNI, CE, pasaporte or otro (or 1, 4, 7, 0).")
                % {"v": raw_type},
            )
        )
    raw_number = cell(cells, colmap, "document_number")
    if doc_type == DocumentType.DNI and isinstance(raw_number, NumericCell) and len(raw_number) < 8:
        raw_number = raw_number.zfill(8)
    try:
        number = normalize_document_number(doc_type or "0", raw_number)
    except ValidationError as exc:
        problems.append(("document_number", " ".join(exc.messages)))
        return None, problems
    return ((doc_type, number) if doc_type is not None else None), problems


def _parse_date(value: str) -> dt.date:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    raise ValidationError(
        _("“%(value)s” is not a date: use YYYY-MM-DD or DD/MM/YYYY.") % {"value": value}
    )


def _parse_row(cells: list[str], colmap, codes: CodeLists) -> tuple[dict, list[tuple[str, str]]]:
    """Clean one row. Returns (values, [(column, message), ...]); a value of None means 'blank'."""
    values: dict = {}
    problems: list[tuple[str, str]] = []

    def get(name):
        return cell(cells, colmap, name)

    raw_type = get("document_type")
    doc_type = codes.document_types.get(fold(raw_type)) if raw_type else DocumentType.DNI.value
    if doc_type is None:
        problems.append(
            (
                "document_type",
                _("Unknown document type “%(v)s”: use DNI, CE, pasaporte or otro (or 1, 4, 7, 0).")
                % {"v": raw_type},
            )
        )
    values["document_type"] = doc_type

    raw_number = get("document_number")
    if doc_type == DocumentType.DNI and isinstance(raw_number, NumericCell) and len(raw_number) < 8:
        raw_number = raw_number.zfill(8)  # a spreadsheet dropped the DNI's leading zeros
    try:
        values["document_number"] = normalize_document_number(doc_type or "0", raw_number)
    except ValidationError as exc:
        problems.append(("document_number", " ".join(exc.messages)))

    for name in ("given_names", "family_names"):
        try:
            values[name] = normalize_name(get(name))
        except ValidationError as exc:
            problems.append((name, " ".join(exc.messages)))

    raw = get("sex")
    if raw:
        values["sex"] = codes.sexes.get(fold(raw))
        if values["sex"] is None:
            problems.append(
                (
                    "sex",
                    _("Unknown sex “%(v)s”: use F, M or X (female, male, not reported).")
                    % {"v": raw},
                )
            )

    raw = get("birth_date")
    if raw:
        try:
            values["birth_date"] = _parse_date(raw)
            validate_birth_date(values["birth_date"])
        except ValidationError as exc:
            problems.append(("birth_date", " ".join(exc.messages)))

    raw = get("email")
    if raw:
        try:
            EmailValidator()(raw)
            values["email"] = raw.lower()
        except ValidationError:
            problems.append(("email", _("“%(v)s” is not a valid email address.") % {"v": raw}))

    raw = get("phone")
    if raw:
        if PHONE_RE.match(raw) and sum(c.isdigit() for c in raw) >= 6:
            values["phone"] = raw  # kept as text, "+51 ..." included: never evaluated
        else:
            problems.append(("phone", _("“%(v)s” is not a phone number.") % {"v": raw}))

    for name, index in (("institution", codes.institutions), ("position", codes.positions)):
        raw = get(name)
        if raw:
            values[name] = index.get(fold(raw))
            if values[name] is None:
                # Translated only when needed: gettext on every row cost ~5% of an import.
                hint = (
                    _("see the institution list in the admin")
                    if name == "institution"
                    else _("see the position list in the admin")
                )
                problems.append(
                    (name, _("Unknown value “%(v)s” (%(hint)s).") % {"v": raw, "hint": hint})
                )

    raw = get("region")
    if raw:
        values["region"] = _region(raw, codes)
        if values["region"] is None:
            problems.append(
                (
                    "region",
                    _(
                        "Unknown region “%(v)s”: use an INEI ubigeo code (e.g. 15 or 1501) or a department name."
                    )
                    % {"v": raw},
                )
            )
    return values, problems


def _region(raw: str, codes: CodeLists) -> int | None:
    code = raw.replace(" ", "")
    if code.isdigit():
        if isinstance(raw, NumericCell) and len(code) % 2:
            code = code.zfill(len(code) + 1)  # "70101" was "070101" before the spreadsheet
        if len(code) == 6:
            code = code[:4]  # a district: its province
        return codes.region_by_code.get(code)
    return codes.regions.get(fold(raw))


def import_participants(
    *,
    data: bytes,
    filename: str = "",
    dry_run: bool = False,
    progress: Progress | None = None,
    on_written: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Check every row, then write all of them in one transaction (or nothing). ``on_written``
    is called inside that transaction once the rows are written (a job keeps its result there)."""
    result = ImportResult(dry_run=dry_run)
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
    total_steps = 2 * len(rows)
    report = progress or (lambda done, total: None)
    codes = CodeLists()

    parsed: list[tuple[int, dict]] = []
    seen: dict[tuple[str, str], int] = {}
    for i, (row_no, cells) in enumerate(rows, start=1):
        values, problems = _parse_row(cells, colmap, codes)
        for column, message in problems:
            result.errors.append(RowError(row_no, colmap.header_names.get(column, column), message))
        key = (values.get("document_type"), values.get("document_number"))
        if None not in key and "document_number" in values:
            if key in seen:
                result.errors.append(
                    RowError(
                        row_no,
                        colmap.header_names["document_number"],
                        _("The same document is already on row %(row)s.") % {"row": seen[key]},
                    )
                )
            else:
                seen[key] = row_no
        parsed.append((row_no, values))
        if i % 200 == 0:
            report(i, total_steps)
    report(len(rows), total_steps)
    if result.errors:
        return result

    # Two imports naming the same new person can race: the loser's INSERT waits on the unique
    # index, then fails. Its whole write is rolled back and run once more, now as an update.
    for attempt in range(1, WRITE_ATTEMPTS + 1):
        result.created = result.updated = result.unchanged = 0
        try:
            with transaction.atomic():
                _write(parsed, result, report=lambda done: report(len(rows) + done, total_steps))
                if dry_run:
                    transaction.set_rollback(True)
                elif on_written is not None:
                    on_written(result)
            break
        except IntegrityError as exc:
            if attempt < WRITE_ATTEMPTS:
                continue
            result.created = result.updated = result.unchanged = 0
            result.errors = [
                RowError(
                    0,
                    "",
                    _(
                        "The registry changed while importing (%(err)s); nothing was written. Try again."
                    )
                    % {"err": exc},
                )
            ]
    return result


def _write(
    parsed: list[tuple[int, dict]], result: ImportResult, report: Callable[[int], None]
) -> None:
    existing: dict[tuple[str, str], Person] = {}
    keys = [(v["document_type"], v["document_number"]) for _, v in parsed]
    by_type: dict[str, list[str]] = {}
    for doc_type, number in keys:
        by_type.setdefault(doc_type, []).append(number)
    for doc_type, numbers in by_type.items():
        for start in range(0, len(numbers), BATCH):
            chunk = numbers[start : start + BATCH]
            for person in Person.objects.select_for_update().filter(
                document_type=doc_type, document_number__in=chunk
            ):
                existing[(person.document_type, person.document_number)] = person

    to_create: list[Person] = []
    to_update: list[tuple[Person, tuple[str, ...]]] = []  # with the fields that changed
    for i, (_row_no, values) in enumerate(parsed, start=1):
        key = (values["document_type"], values["document_number"])
        person = existing.get(key)
        if person is None:
            person = Person(
                **{
                    k: v
                    for k, v in values.items()
                    if k not in ("institution", "position", "region")
                }
            )
            for fk in ("institution", "position", "region"):
                if values.get(fk):
                    setattr(person, f"{fk}_id", values[fk])
            person.search_text = make_search_text(
                person.given_names, person.family_names, person.document_number
            )
            to_create.append(person)
        else:
            changed: list[str] = []
            for name in UPDATABLE:
                if values.get(name) in (None, ""):
                    continue  # an empty cell never erases what is stored
                attr = f"{name}_id" if name in ("institution", "position", "region") else name
                if getattr(person, attr) != values[name]:
                    setattr(person, attr, values[name])
                    changed.append(name)
            if changed:
                search_text = make_search_text(
                    person.given_names, person.family_names, person.document_number
                )
                if search_text != person.search_text:
                    person.search_text = search_text
                    changed.append("search_text")
                to_update.append((person, tuple(changed)))
            else:
                result.unchanged += 1
        if i % 500 == 0:
            report(i // 2)  # matching is half of the write phase, saving the other half
    Person.objects.bulk_create(to_create, batch_size=BATCH)
    report((len(parsed) + len(to_create)) // 2)
    if to_update:
        now = timezone.now()
        by_fields: dict[tuple[str, ...], list[Person]] = {}
        for person, changed in to_update:
            person.updated_at = now
            by_fields.setdefault((*changed, "updated_at"), []).append(person)
        for names, people in by_fields.items():
            _update_fields(people, names)
    result.created = len(to_create)
    result.updated = len(to_update)
    report(len(parsed))


def _update_fields(people: list[Person], names: tuple[str, ...]) -> None:
    """Write these fields of these people: one parametrised UPDATE per person, sent in batches.

    The ORM's bulk_update() builds a CASE WHEN expression per row and field, which costs about
    0.2 ms per cell in Python: 10,000 changed rows took 25 s (see docs/performance.md). Values
    are adapted by the fields themselves (get_db_prep_save), exactly as bulk_update() and save()
    do.
    """
    connection = connections[router.db_for_write(Person)]
    fields = [Person._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    sql = "UPDATE {table} SET {columns} WHERE {pk} = %s".format(  # noqa: S608 - names from _meta
        table=quote(Person._meta.db_table),
        columns=", ".join(f"{quote(f.column)} = %s" for f in fields),
        pk=quote(Person._meta.pk.column),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(people), BATCH):
            cursor.executemany(
                sql,
                [
                    [f.get_db_prep_save(getattr(p, f.attname), connection) for f in fields] + [p.pk]
                    for p in people[start : start + BATCH]
                ],
            )
