"""Importing participants from CSV/XLSX: every row written, or none, with errors a person can fix.

Files are built here, byte by byte, the way Excel, LibreOffice and Google Sheets write them.
"""

import datetime as dt
import io
from io import StringIO
from unittest import mock

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from lms import background
from lms.background import run_job_task
from lms.models import Job, Person
from lms.services.imports import participants_import_start
from lms.services.participant_import import import_participants
from tests.factories import PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

FIELDS = (
    "document_type",
    "document_number",
    "given_names",
    "family_names",
    "sex",
    "birth_date",
    "email",
    "phone",
    "institution",
    "position",
    "region",
)
SPANISH = {
    "document_type": "Tipo de documento",
    "document_number": "Número de documento",
    "given_names": "Nombres",
    "family_names": "Apellidos",
    "sex": "Sexo",
    "birth_date": "Fecha de nacimiento",
    "email": "Correo electrónico",
    "phone": "Teléfono",
    "institution": "Institución",
    "position": "Cargo",
    "region": "Departamento",
}
ENGLISH = {
    "document_type": "Document type",
    "document_number": "Document number",
    "given_names": "Given names",
    "family_names": "Family names",
    "sex": "Sex",
    "birth_date": "Birth date",
    "email": "Email",
    "phone": "Phone",
    "institution": "Institution",
    "position": "Position",
    "region": "Region",
}

JOSE = {
    "document_type": "DNI",
    "document_number": "44443333",
    "given_names": "José",
    "family_names": "Ñañez Quispe",
    "sex": "M",
    "birth_date": "1980-05-17",
    "email": "jose.nanez@example.pe",
    "phone": "987654321",
    "institution": "Poder Judicial",
    "position": "Juez",
    "region": "15",
}
MARIA = {
    "document_type": "DNI",
    "document_number": "10117410-2",
    "given_names": "María Elena",
    "family_names": "Huamán Mamani",
    "sex": "F",
    "birth_date": "17/05/1985",
    "email": "maria.huaman@example.pe",
    "phone": "+51 912 345 678",
    "institution": "MP",
    "position": "Fiscal",
    "region": "Loreto",
}
ROSA = {
    "document_type": "1",
    "document_number": "12345678",
    "given_names": "Rosa",
    "family_names": "Ccori Apaza",
    "sex": "Femenino",
    "birth_date": "",
    "email": "",
    "phone": "",
    "institution": "Contraloría General de la República",
    "position": "Auditor/a de control",
    "region": "Cusco",
}


def person(base: dict, **changes) -> dict:
    return {**base, **changes}


def table(people: list[dict], headers: dict, fields=FIELDS) -> list[list]:
    return [[headers[f] for f in fields], *[[p.get(f, "") for f in fields] for p in people]]


def csv_bytes(
    people: list[dict],
    *,
    headers: dict = SPANISH,
    fields=FIELDS,
    delimiter: str = ";",
    encoding: str = "utf-8",
) -> bytes:
    lines = [delimiter.join(str(c) for c in r) for r in table(people, headers, fields)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for r in rows:
        sheet.append(r)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(data: bytes, filename: str = "participantes.csv", **kwargs):
    return import_participants(data=data, filename=filename, **kwargs)


def errors(result) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in result.errors]


# --- Files that import ---------------------------------------------------------------------------


def test_utf8_csv_with_semicolons_creates_the_people_as_written():
    result = run(csv_bytes([JOSE, MARIA, ROSA]))

    assert result.ok, errors(result)
    assert (result.total_rows, result.created, result.updated, result.unchanged) == (3, 3, 0, 0)
    jose = Person.objects.get(document_type="1", document_number="44443333")
    assert (jose.given_names, jose.family_names) == ("José", "Ñañez Quispe")
    assert jose.sex == "M"
    assert jose.birth_date == dt.date(1980, 5, 17)
    assert jose.email == "jose.nanez@example.pe"
    assert jose.phone == "987654321"
    assert jose.institution.code == "poder-judicial"
    assert jose.position.code == "juez"
    assert jose.region.code == "15"
    maria = Person.objects.get(document_number="10117410")
    assert maria.phone == "+51 912 345 678"
    assert maria.institution.code == "ministerio-publico"
    assert maria.region.code == "16"
    rosa = Person.objects.get(document_number="12345678")
    assert rosa.sex == "F"
    assert rosa.birth_date is None
    assert rosa.email == ""
    assert rosa.position.code == "auditor"
    # The imported people can be found without accents, like people saved one by one.
    assert jose.search_text == "jose nanez quispe 44443333"


def test_utf8_csv_with_bom_and_commas_reads_the_first_header():
    data = b"\xef\xbb\xbf" + csv_bytes([JOSE, MARIA], delimiter=",", headers=ENGLISH)

    result = run(data)

    assert result.ok, errors(result)
    assert result.created == 2
    assert set(Person.objects.values_list("given_names", flat=True)) == {"José", "María Elena"}


def test_windows_1252_csv_keeps_enye_accents_and_curly_apostrophes():
    # Excel's "CSV" on a Spanish Windows; Word's autocorrect turns ' into ’ (0x92 in cp1252).
    data = csv_bytes([JOSE, person(MARIA, family_names="D’Ángelo Huamán")], encoding="cp1252")
    assert "Ñañez".encode("cp1252") in data
    assert b"D\x92\xc1ngelo" in data

    result = run(data)

    assert result.ok, errors(result)
    assert Person.objects.get(document_number="44443333").family_names == "Ñañez Quispe"
    assert Person.objects.get(document_number="10117410").family_names == "D’Ángelo Huamán"


def test_utf16_tab_separated_export_is_read():
    data = csv_bytes([JOSE], delimiter="\t", encoding="utf-16")

    result = run(data, filename="export.txt")

    assert result.ok, errors(result)
    assert Person.objects.get().family_names == "Ñañez Quispe"


def test_xlsx_restores_the_leading_zero_a_numeric_dni_cell_lost():
    rows = table([person(JOSE, birth_date=""), person(MARIA, birth_date="")], SPANISH)
    rows[1][1] = 1234567  # typed 01234567, Excel kept the number 1234567
    rows[1][5] = dt.datetime(1980, 5, 17)  # a real date cell
    rows[1][7] = 987654321  # a phone typed as a number
    rows[1][10] = 15  # a region code typed as a number
    rows[2][1] = 10117410

    result = run(xlsx_bytes(rows), filename="participantes.xlsx")

    assert result.ok, errors(result)
    assert result.source_format == "xlsx"
    jose = Person.objects.get(document_number="01234567")
    assert jose.family_names == "Ñañez Quispe"
    assert jose.birth_date == dt.date(1980, 5, 17)
    assert jose.phone == "987654321"
    assert jose.region.code == "15"
    assert Person.objects.filter(document_number="10117410").exists()


def test_xlsx_numeric_ubigeo_that_lost_its_zero_is_still_found():
    rows = table([person(JOSE, region="")], SPANISH)
    rows[1][10] = 70101  # district 070101 (Callao) stored as a number

    result = run(xlsx_bytes(rows), filename="p.xlsx")

    assert result.ok, errors(result)
    assert Person.objects.get().region.code == "0701"


def test_xlsx_formula_cell_is_never_evaluated_and_the_file_is_refused():
    rows = table([JOSE, MARIA], SPANISH)
    rows[2][7] = "=1+2"  # a formula in the phone column of the second data row

    result = run(xlsx_bytes(rows), filename="p.xlsx")

    assert not result.ok
    assert [(row, column) for row, column, _m in errors(result)] == [(3, "Teléfono")]
    assert "=1+2" in result.errors[0].message  # reported as typed, not as its value 3
    assert Person.objects.count() == 0


def test_csv_formula_in_a_name_is_refused():
    result = run(csv_bytes([JOSE, person(MARIA, given_names='=HYPERLINK("http://x.pe")')]))

    assert [(row, column) for row, column, _m in errors(result)] == [(3, "Nombres")]
    assert Person.objects.count() == 0


@pytest.mark.parametrize("headers", [SPANISH, ENGLISH], ids=["spanish", "english"])
def test_spanish_and_english_headers(headers):
    result = run(csv_bytes([JOSE], headers=headers))

    assert result.ok, errors(result)
    jose = Person.objects.get()
    assert (jose.document_number, jose.institution.code, jose.region.code) == (
        "44443333",
        "poder-judicial",
        "15",
    )


def test_short_spanish_headers_and_unknown_columns():
    headers = {
        **SPANISH,
        "document_number": "DNI",
        "family_names": "APELLIDOS",
        "region": "Ubigeo",
    }
    fields = (*FIELDS, "notes")
    headers["notes"] = "Observaciones"

    result = run(csv_bytes([person(JOSE, notes="llegó tarde")], headers=headers, fields=fields))

    assert result.ok, errors(result)
    assert Person.objects.get().family_names == "Ñañez Quispe"
    assert any("Observaciones" in w for w in result.warnings)


@pytest.mark.parametrize(
    "value",
    ["Poder Judicial", "poder judicial", "PODER JUDICIAL", "Judiciary", "PJ", "poder-judicial"],
)
def test_institution_by_code_spanish_or_english_label_any_case(value):
    result = run(csv_bytes([person(JOSE, institution=value)]))

    assert result.ok, errors(result)
    assert Person.objects.get().institution.code == "poder-judicial"


def test_institution_ignores_accents():
    result = run(csv_bytes([person(JOSE, institution="CONTRALORIA GENERAL DE LA REPUBLICA")]))

    assert result.ok, errors(result)
    assert Person.objects.get().institution.code == "contraloria"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("Juez", "juez"),
        ("juez", "juez"),
        ("Jueza", "juez"),
        ("judge", "juez"),
        ("JUDGE", "juez"),
        ("fiscal", "fiscal"),
        ("Prosecutor", "fiscal"),
        ("Policia", "policia"),
        ("policía", "policia"),
        # "Abogado/a" in the list means both forms.
        ("Abogado", "abogado"),
        ("Abogada", "abogado"),
        ("Procuradora", "procurador"),
        ("Auditor", "auditor"),
        ("auditora de control", "auditor"),
        ("Funcionario", "funcionario"),
        ("Funcionaria", "funcionario"),
        ("Funcionaria o servidora pública", "funcionario"),
    ],
)
def test_position_by_code_spanish_or_english_label(value, code):
    result = run(csv_bytes([person(JOSE, position=value)]))

    assert result.ok, errors(result)
    assert Person.objects.get().position.code == code


@pytest.mark.parametrize("value", ["a", "A", "a publico", "a de control"])
def test_a_stray_feminine_ending_is_not_a_position(value):
    result = run(csv_bytes([person(JOSE, position=value)]))

    assert [(row, col) for row, col, _m in errors(result)] == [(2, "Cargo")]
    assert Person.objects.count() == 0


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("15", "15"),
        ("1501", "1501"),
        ("150101", "1501"),  # a district: its province
        ("lima", "15"),
        ("LIMA", "15"),
        ("PE-LOR", "16"),
        ("pe-lor", "16"),
        ("Loreto", "16"),
        ("Apurimac", "03"),
        ("Apurímac", "03"),
        ("07", "07"),
    ],
)
def test_region_by_ubigeo_iso_code_or_name(value, code):
    result = run(csv_bytes([person(JOSE, region=value)]))

    assert result.ok, errors(result)
    assert Person.objects.get().region.code == code


@pytest.mark.parametrize("value", ["1980-05-17", "17/05/1980"])
def test_both_date_formats(value):
    result = run(csv_bytes([person(JOSE, birth_date=value)]))

    assert result.ok, errors(result)
    assert Person.objects.get().birth_date == dt.date(1980, 5, 17)


@pytest.mark.parametrize("value", ["10117410-2", "10117410G", "10117410 - G", "10117410"])
def test_dni_with_its_check_character_is_stored_as_8_digits(value):
    result = run(csv_bytes([person(MARIA, document_number=value)]))

    assert result.ok, errors(result)
    assert Person.objects.get().document_number == "10117410"


def test_other_document_types():
    result = run(
        csv_bytes(
            [
                person(JOSE, document_type="CE", document_number="ab-1234567"),
                person(MARIA, document_type="Pasaporte", document_number="PE998877"),
            ]
        )
    )

    assert result.ok, errors(result)
    assert set(Person.objects.values_list("document_type", "document_number")) == {
        ("4", "AB1234567"),
        ("7", "PE998877"),
    }


# --- Files that are refused, whole --------------------------------------------------------------


@pytest.fixture
def someone_already_registered():
    return PersonFactory(document_number="87654321", email="before@example.pe")


BAD_ROWS = {
    "wrong DNI check character": (
        person(MARIA, document_number="10117410-3"),
        "Número de documento",
        ["10117410", "2", "G"],
    ),
    "unknown institution": (
        person(MARIA, institution="Ministerio de la Magia"),
        "Institución",
        ["Ministerio de la Magia"],
    ),
    "unknown position": (person(MARIA, position="Astronauta"), "Cargo", ["Astronauta"]),
    "unknown region": (person(MARIA, region="Narnia"), "Departamento", ["Narnia"]),
    "mojibake": (person(MARIA, given_names="JosÃ©"), "Nombres", ["José"]),
    "impossible date": (person(MARIA, birth_date="31/02/1985"), "Fecha de nacimiento", []),
    "future birth date": (person(MARIA, birth_date="2999-01-01"), "Fecha de nacimiento", []),
    "bad email": (person(MARIA, email="maria@"), "Correo electrónico", ["maria@"]),
    "7-digit DNI": (person(MARIA, document_number="1011741"), "Número de documento", []),
    "missing family names": (person(MARIA, family_names=""), "Apellidos", []),
    "unknown sex": (person(MARIA, sex="Z"), "Sexo", ["Z"]),
}


@pytest.mark.parametrize("case", BAD_ROWS, ids=list(BAD_ROWS))
def test_one_bad_row_refuses_the_whole_file(case, someone_already_registered):
    bad, column, fragments = BAD_ROWS[case]
    update = person(
        ROSA, document_number=someone_already_registered.document_number, email="new@example.pe"
    )
    before = Person.objects.count()

    result = run(csv_bytes([JOSE, bad, update]))

    assert not result.ok
    assert [(row, col) for row, col, _m in errors(result)] == [(3, column)]
    for fragment in fragments:
        assert fragment in result.errors[0].message
    assert Person.objects.count() == before
    someone_already_registered.refresh_from_db()
    assert someone_already_registered.email == "before@example.pe"
    assert result.created == result.updated == 0


def test_every_problem_is_listed_not_only_the_first():
    rows = [
        person(JOSE, document_number="44443333-9"),
        MARIA,
        person(ROSA, institution="Nadie", region="Mordor"),
    ]

    result = run(csv_bytes(rows))

    assert [(row, col) for row, col, _m in errors(result)] == [
        (2, "Número de documento"),
        (4, "Institución"),
        (4, "Departamento"),
    ]
    assert Person.objects.count() == 0


def test_duplicate_document_in_the_file_points_to_the_earlier_row():
    # Same DNI written once with and once without its check character.
    rows = [person(MARIA, document_number="10117410-2"), JOSE, person(MARIA, given_names="Mari")]

    result = run(csv_bytes(rows))

    assert [(row, col) for row, col, _m in errors(result)] == [(4, "Número de documento")]
    assert "row 2" in result.errors[0].message
    assert Person.objects.count() == 0


def test_missing_required_column_is_reported_on_the_header_row():
    fields = tuple(f for f in FIELDS if f != "family_names")

    result = run(csv_bytes([JOSE, MARIA], fields=fields))

    assert not result.ok
    assert len(result.errors) == 1
    assert result.errors[0].row == 1
    assert "apellidos" in result.errors[0].message
    assert Person.objects.count() == 0


def test_a_column_given_twice_is_refused():
    headers = {**SPANISH, "phone": "Celular"}
    fields = (*FIELDS, "email_again")
    headers["email_again"] = "Email"

    result = run(csv_bytes([JOSE], headers=headers, fields=fields))

    assert [(e.row, e.column) for e in result.errors] == [(1, "Email")]
    assert "Correo electrónico" in result.errors[0].message
    assert Person.objects.count() == 0


@pytest.mark.parametrize("data", [b"", b"\r\n\r\n", b"   "], ids=["empty", "blank lines", "spaces"])
def test_empty_file_is_refused(data):
    result = run(data)

    assert not result.ok
    assert result.errors[0].row == 1
    assert "empty" in result.errors[0].message
    assert Person.objects.count() == 0


def test_header_only_file_is_refused():
    result = run(csv_bytes([]) + b";;;\r\n")

    assert not result.ok
    assert [(e.row, e.message) for e in result.errors] == [
        (2, "The file has a header but no data rows.")
    ]
    assert Person.objects.count() == 0


def test_empty_xlsx_is_refused():
    result = run(xlsx_bytes([]), filename="vacío.xlsx")

    assert not result.ok
    assert Person.objects.count() == 0


def test_xlsx_error_rows_are_numbered_as_excel_shows_them():
    rows = table([JOSE, MARIA, person(ROSA, institution="???")], ENGLISH)

    result = run(xlsx_bytes(rows), filename="p.xlsx")

    assert [(row, col) for row, col, _m in errors(result)] == [(4, "Institution")]
    assert Person.objects.count() == 0


def test_old_xls_workbook_is_refused_with_advice():
    result = run(b"\xd0\xcf\x11\xe0 not really an xls", filename="lista.xls")

    assert not result.ok
    assert "xlsx" in result.errors[0].message.lower()


# --- Running the same import again -------------------------------------------------------------


def test_same_file_twice_keeps_one_record_per_person():
    data = csv_bytes([JOSE, MARIA, ROSA])
    first = run(data)

    second = run(data)

    assert (first.created, first.unchanged) == (3, 0)
    assert second.ok
    assert (second.created, second.updated, second.unchanged) == (0, 0, 3)
    assert Person.objects.count() == 3


def test_reimport_with_a_changed_email_updates_that_person_only():
    run(csv_bytes([JOSE, MARIA]))
    jose_id = Person.objects.get(document_number="44443333").public_id

    result = run(csv_bytes([person(JOSE, email="JOSE@PJ.GOB.PE"), MARIA]))

    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    jose = Person.objects.get(document_number="44443333")
    assert jose.public_id == jose_id
    assert jose.email == "jose@pj.gob.pe"


def test_blank_cells_never_erase_what_the_registry_holds():
    run(csv_bytes([JOSE]))

    result = run(csv_bytes([person(JOSE, email="", phone="", institution="", region="", sex="")]))

    assert (result.updated, result.unchanged) == (0, 1)
    jose = Person.objects.get()
    assert jose.email == "jose.nanez@example.pe"
    assert jose.phone == "987654321"
    assert jose.institution.code == "poder-judicial"
    assert jose.region.code == "15"
    assert jose.sex == "M"


def test_reimport_updates_a_person_registered_by_hand():
    existing = PersonFactory(document_number="44443333", given_names="Jose", email="")

    result = run(csv_bytes([JOSE]))

    assert (result.created, result.updated) == (0, 1)
    existing.refresh_from_db()
    assert existing.given_names == "José"
    assert existing.email == "jose.nanez@example.pe"
    assert existing.search_text.startswith("jose nanez quispe")


def test_dry_run_reports_counts_and_writes_nothing():
    PersonFactory(document_number="44443333", email="old@example.pe")

    result = run(csv_bytes([JOSE, MARIA, ROSA]), dry_run=True)

    assert result.ok
    assert result.dry_run
    assert (result.total_rows, result.created, result.updated) == (3, 2, 1)
    assert Person.objects.count() == 1
    assert Person.objects.get().email == "old@example.pe"


def test_progress_reaches_its_total():
    seen = []

    run(csv_bytes([JOSE, MARIA, ROSA]), progress=lambda done, total: seen.append((done, total)))

    assert seen
    assert seen[-1][0] == seen[-1][1] > 0
    assert [d for d, _t in seen] == sorted(d for d, _t in seen)


# --- manage.py import_participants --------------------------------------------------------------


def test_command_imports_a_file(tmp_path):
    path = tmp_path / "participantes.csv"
    path.write_bytes(csv_bytes([JOSE, MARIA]))
    out, err = StringIO(), StringIO()

    call_command("import_participants", str(path), "--no-progress", stdout=out, stderr=err)

    assert "2 rows: 2 created, 0 updated, 0 unchanged" in out.getvalue()
    assert Person.objects.count() == 2


def test_command_dry_run_says_so_and_writes_nothing(tmp_path):
    path = tmp_path / "participantes.csv"
    path.write_bytes(csv_bytes([JOSE, MARIA]))
    out = StringIO()

    call_command("import_participants", str(path), "--dry-run", "--no-progress", stdout=out)

    assert "Dry run" in out.getvalue()
    assert "2 created" in out.getvalue()
    assert Person.objects.count() == 0


def test_command_with_a_bad_file_lists_rows_and_exits_1(tmp_path):
    path = tmp_path / "participantes.csv"
    path.write_bytes(csv_bytes([person(JOSE, document_number="44443333-9"), MARIA]))
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError) as exc:
        call_command("import_participants", str(path), "--no-progress", stdout=out, stderr=err)

    assert exc.value.returncode == 1
    assert "nothing was written" in str(exc.value)
    assert "row 2, Número de documento:" in err.getvalue()
    assert Person.objects.count() == 0


def test_command_with_a_missing_file(tmp_path):
    with pytest.raises(CommandError) as exc:
        call_command("import_participants", str(tmp_path / "nope.csv"), "--no-progress")

    assert "nope.csv" in str(exc.value)


# --- POST /api/v1/participants/import/ ---------------------------------------------------------

IMPORT_URL = "/api/v1/participants/import/"


def upload(data: bytes, name: str = "participantes.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_api_import_returns_counts(staff_api, staff_user):
    response = staff_api.post(
        IMPORT_URL, {"file": upload(csv_bytes([JOSE, MARIA]))}, format="multipart"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["ok"] is True
    assert (body["total_rows"], body["created"], body["updated"]) == (2, 2, 0)
    assert Person.objects.count() == 2

    job = Job.objects.get()
    assert job.name == "lms.import_participants"
    assert job.status == Job.Status.SUCCEEDED
    assert job.total > 0
    assert job.done == job.total
    assert job.created_by == staff_user
    assert job.result["created"] == 2
    assert "participantes.csv" in job.label
    # The upload held personal data: nothing of it stays on disk once imported.
    assert job.params["path"].startswith("imports/")
    assert not storages["private"].exists(job.params["path"])


def test_api_import_xlsx(staff_api):
    data = xlsx_bytes(table([JOSE, MARIA], ENGLISH))

    response = staff_api.post(
        IMPORT_URL, {"file": upload(data, "participants.xlsx")}, format="multipart"
    )

    assert response.status_code == 200, response.content
    assert response.json()["created"] == 2


def test_api_import_bad_file_is_400_with_row_errors(staff_api):
    data = csv_bytes([JOSE, person(MARIA, institution="Ministerio de la Magia")])

    response = staff_api.post(IMPORT_URL, {"file": upload(data)}, format="multipart")

    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False
    assert len(body["errors"]) == 1
    error = body["errors"][0]
    assert set(error) == {"row", "column", "message"}
    assert (error["row"], error["column"]) == (3, "Institución")
    assert "Ministerio de la Magia" in error["message"]
    assert Person.objects.count() == 0
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert job.result["errors"] == body["errors"]


def test_api_import_dry_run(staff_api):
    response = staff_api.post(
        IMPORT_URL,
        {"file": upload(csv_bytes([JOSE, MARIA])), "dry_run": "true"},
        format="multipart",
    )

    assert response.status_code == 200
    assert response.json()["dry_run"] is True
    assert response.json()["created"] == 2
    assert Person.objects.count() == 0


def test_api_import_without_a_file_is_400(staff_api):
    response = staff_api.post(IMPORT_URL, {}, format="multipart")

    assert response.status_code == 400
    assert "file" in response.json()


@pytest.mark.parametrize("role_user", ["trainer_user", "participant_user", "donor_user"])
def test_api_import_is_forbidden_to_other_roles(role_user, request, client_for):
    client = client_for(request.getfixturevalue(role_user))

    response = client.post(IMPORT_URL, {"file": upload(csv_bytes([JOSE]))}, format="multipart")

    assert response.status_code == 403
    assert Person.objects.count() == 0
    assert Job.objects.count() == 0


def test_api_import_anonymous_is_refused(api_client):
    response = api_client.post(IMPORT_URL, {"file": upload(csv_bytes([JOSE]))}, format="multipart")

    assert response.status_code in (401, 403)
    assert Person.objects.count() == 0


def test_api_import_on_a_worker_is_202_and_followed_through_the_job(
    staff_api, settings, django_capture_on_commit_callbacks
):
    settings.LMS_JOBS_BACKEND = "celery"
    data = csv_bytes([JOSE, MARIA])

    with (
        mock.patch.object(run_job_task, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = staff_api.post(IMPORT_URL, {"file": upload(data)}, format="multipart")

    assert response.status_code == 202, response.content
    job_id = response.json()["id"]
    assert response.json()["status"] == "pending"
    delay.assert_called_once_with(job_id)
    assert Person.objects.count() == 0

    run_job_task(job_id)  # the worker picks the message up

    job = staff_api.get(f"/api/v1/jobs/{job_id}/").json()
    assert (job["status"], job["percent"]) == ("succeeded", 100)
    assert job["result"]["created"] == 2
    assert Person.objects.count() == 2


class WorkerKilled(BaseException):
    """What the worker's death looks like from inside the job: nothing after it runs."""


def queued_import(settings, django_capture_on_commit_callbacks, data: bytes) -> Job:
    settings.LMS_JOBS_BACKEND = "celery"
    with (
        mock.patch.object(run_job_task, "delay"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        job = participants_import_start(data=data, filename="participantes.csv")
    return job


def test_an_import_killed_after_its_write_finishes_when_delivered_again(
    settings, django_capture_on_commit_callbacks
):
    job = queued_import(settings, django_capture_on_commit_callbacks, csv_bytes([JOSE, MARIA]))

    # The worker dies once the people are written, before the job is marked finished.
    with (
        mock.patch.object(background, "_finish", side_effect=WorkerKilled),
        pytest.raises(WorkerKilled),
    ):
        run_job_task(str(job.pk))
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING
    assert Person.objects.count() == 2

    run_job_task(str(job.pk))  # the broker delivers the message again

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.attempts == 1  # not imported a second time
    # The counts of the run that wrote, not "2 unchanged".
    assert (job.result["created"], job.result["unchanged"]) == (2, 0)
    assert Person.objects.count() == 2
    assert not storages["private"].exists(job.params["path"])


def test_an_import_killed_before_its_upload_is_removed_removes_it_when_delivered_again(
    settings, django_capture_on_commit_callbacks
):
    job = queued_import(settings, django_capture_on_commit_callbacks, csv_bytes([JOSE]))

    with (
        mock.patch.object(background, "_remove_inputs", side_effect=WorkerKilled),
        pytest.raises(WorkerKilled),
    ):
        run_job_task(str(job.pk))
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert storages["private"].exists(job.params["path"])

    run_job_task(str(job.pk))

    assert not storages["private"].exists(job.params["path"])
    job.refresh_from_db()
    assert (job.status, job.attempts, job.result["created"]) == (Job.Status.SUCCEEDED, 1, 1)


def test_a_refused_import_delivered_again_keeps_its_errors(
    settings, django_capture_on_commit_callbacks
):
    job = queued_import(
        settings, django_capture_on_commit_callbacks, csv_bytes([{**JOSE, "email": "no"}])
    )
    run_job_task(str(job.pk))
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    first_error, first_result = job.error, job.result
    assert first_result["errors"]
    assert not storages["private"].exists(job.params["path"])  # removed after a failure too

    run_job_task(str(job.pk))

    job.refresh_from_db()
    assert (job.status, job.error, job.result, job.attempts) == (
        Job.Status.FAILED,
        first_error,
        first_result,
        1,
    )
    assert Person.objects.count() == 0


def test_a_workbook_that_would_inflate_past_the_limit_is_refused_before_reading(monkeypatch):
    """A zip bomb: small on disk, huge once uncompressed. Nothing is decompressed or written."""
    import zipfile

    from lms import importing

    monkeypatch.setattr(importing, "MAX_XLSX_UNCOMPRESSED", 1024 * 1024)
    good = xlsx_bytes(table([person(JOSE)], SPANISH))
    buffer = io.BytesIO(good)
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (3 * 1024 * 1024))
    bomb = buffer.getvalue()
    assert len(bomb) < 64 * 1024  # small on disk

    result = run(bomb, filename="participantes.xlsx")

    assert not result.ok
    [(row, _column, message)] = errors(result)
    assert row == 1 and "3 MB" in message and "1 MB" in message and "CSV" in message
    assert not Person.objects.exists()
    # The same workbook without the padding is read as usual.
    assert run(good, filename="participantes.xlsx").ok
