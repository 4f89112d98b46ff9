"""`manage.py import_attendance`: a whole file of attendance is written, or none of it."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from attendance.models import AttendanceCorrection, AttendanceRecord
from attendance.services import register
from tests.attendance.factories import build_workshop
from tests.factories import PersonFactory

LIMA = ZoneInfo("America/Lima")
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=LIMA)


@pytest.fixture
def workshop(db):
    return build_workshop(code="LIM-2026-014", sessions=2, starts=START)


@pytest.fixture
def people(workshop):
    ana = PersonFactory(given_names="Ana", family_names="Ñañez Rojas", document_number="10117410")
    luis = PersonFactory(
        given_names="Luis", family_names="Quispe Mamani", document_number="40123456"
    )
    rosa = PersonFactory(given_names="Rosa", family_names="Huamán Soto", document_number="01234567")
    for person in (ana, luis, rosa):
        register(workshop=workshop, person=person)
    return {"ana": ana, "luis": luis, "rosa": rosa}


def run(path, *args, code="LIM-2026-014"):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_attendance", code, str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path, text, name="asistencia.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """numero_documento;sesion;estado
10117410;1;presente
40123456;1;T
01234567;1;Justificado
10117410;03/03/2026;AUSENTE
40123456;2026-03-03;présente
01234567;2;a
"""


def statuses(workshop):
    return {
        (r.person.given_names, r.session.number): r.status_id
        for r in AttendanceRecord.objects.filter(session__workshop=workshop).select_related(
            "person", "session"
        )
    }


@pytest.mark.usefixtures("english")
def test_good_file_records_every_row(workshop, people, tmp_path):
    out, err = run(write(tmp_path, GOOD))
    assert err == ""
    assert "6 rows: 6 recorded, 0 changed, 0 unchanged" in out
    assert statuses(workshop) == {
        ("Ana", 1): "present",
        ("Luis", 1): "late",
        ("Rosa", 1): "excused",
        ("Ana", 2): "absent",
        ("Luis", 2): "present",
        ("Rosa", 2): "absent",
    }
    assert set(AttendanceRecord.objects.values_list("method", flat=True)) == {"import"}


def test_english_headers_and_document_type_column(workshop, people, tmp_path):
    text = "document_type,document_number,session,status\nDNI,10117410-2,1,Present\n"
    run(write(tmp_path, text))
    assert statuses(workshop) == {("Ana", 1): "present"}


def test_xlsx_dni_that_lost_its_leading_zero_is_found(workshop, people, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["DNI", "Sesión", "Estado"])
    sheet.append([1234567, 1, "P"])  # 01234567 typed as a number
    sheet.append([10117410, dt.datetime(2026, 3, 3), "tarde"])
    path = tmp_path / "asistencia.xlsx"
    book.save(path)
    run(path)
    assert statuses(workshop) == {("Rosa", 1): "present", ("Ana", 2): "late"}


@pytest.mark.usefixtures("english")
def test_bad_file_writes_nothing_and_lists_each_problem(workshop, people, tmp_path):
    stranger = PersonFactory(document_number="47000001")
    text = (
        "numero_documento;sesion;estado\n"
        "10117410;1;presente\n"  # row 2: fine, but must not be written either
        "99999999;1;presente\n"  # row 3: nobody with this DNI
        "47000001;1;presente\n"  # row 4: a person, not registered here
        "40123456;5;presente\n"  # row 5: no session 5
        "40123456;10/03/2026;presente\n"  # row 6: no session that day
        "01234567;1;quizás\n"  # row 7: unknown status
        "10117410;02/03/2026;tarde\n"  # row 8: same person and session as row 2
    )
    with pytest.raises(CommandError) as excinfo:
        run(write(tmp_path, text))
    assert excinfo.value.returncode == 1
    assert "nothing was written" in str(excinfo.value)
    assert AttendanceRecord.objects.count() == 0
    _out, err = run_capturing_errors(write(tmp_path, text))
    lines = err.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "row 3, numero_documento",
        "row 4, numero_documento",
        "row 5, sesion",
        "row 6, sesion",
        "row 7, estado",
        "row 8, sesion",
    ]
    assert "99999999" in lines[0]
    assert stranger.full_name in lines[1]
    assert "quizás" in lines[4]
    assert "row 2" in lines[5]


def run_capturing_errors(path):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_attendance", "LIM-2026-014", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.usefixtures("english")
def test_missing_required_column_is_reported(workshop, people, tmp_path):
    _out, err = run_capturing_errors(write(tmp_path, "numero_documento;sesion\n10117410;1\n"))
    assert "row 1, status" in err
    assert AttendanceRecord.objects.count() == 0


@pytest.mark.usefixtures("english")
def test_reimport_is_idempotent(workshop, people, tmp_path):
    path = write(tmp_path, GOOD)
    run(path)
    first = {r.pk: (r.status_id, r.recorded_at) for r in AttendanceRecord.objects.all()}
    out, _err = run(path)
    assert {r.pk: (r.status_id, r.recorded_at) for r in AttendanceRecord.objects.all()} == first
    assert AttendanceCorrection.objects.count() == 0
    assert "0 recorded, 0 changed, 6 unchanged" in out


@pytest.mark.usefixtures("english")
def test_dry_run_writes_nothing(workshop, people, tmp_path):
    out, _err = run(write(tmp_path, GOOD), "--dry-run")
    assert AttendanceRecord.objects.count() == 0
    assert "Dry run" in out
    assert "6 recorded" in out


def test_unknown_workshop_is_refused(workshop, people, tmp_path):
    with pytest.raises(CommandError):
        run(write(tmp_path, GOOD), code="XXX-0000-000")


def test_closed_workshop_needs_staff_and_reason(workshop, people, tmp_path, staff_user):
    path = write(tmp_path, "numero_documento;sesion;estado\n10117410;1;presente\n")
    workshop.status = "closed"
    workshop.save()
    with pytest.raises(CommandError) as excinfo:
        run(path)
    assert excinfo.value.returncode == 1
    with pytest.raises(CommandError):
        run(path, "--as", staff_user.email)  # no reason
    assert AttendanceRecord.objects.count() == 0

    run(path, "--as", staff_user.email, "--reason", "Hoja de firmas en papel recibida tarde")
    record = AttendanceRecord.objects.get()
    assert record.status_id == "present"
    assert record.method == AttendanceRecord.Method.CORRECTION
    assert record.recorded_by == staff_user
    correction = record.corrections.get()
    assert correction.reason == "Hoja de firmas en papel recibida tarde"


def test_closed_workshop_refuses_a_user_without_correction_rights(
    workshop, people, tmp_path, trainer_user
):
    path = write(tmp_path, "numero_documento;sesion;estado\n10117410;1;presente\n")
    workshop.status = "closed"
    workshop.save()
    with pytest.raises(CommandError):
        run(path, "--as", trainer_user.email, "--reason", "Olvido")
    assert AttendanceRecord.objects.count() == 0
