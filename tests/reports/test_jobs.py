"""The report job (reports.export) and `manage.py report_export`: the report written as a file in
the private storage through the job API, who may ask for which audience, and bad input."""

import csv
import hashlib
import io
import json

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.utils import translation

from lms import background
from lms.models import Job
from lms.roles import Role, assign_role
from reports import exports
from reports.jobs import REPORT_EXPORT, report_export_bytes, report_export_start
from tests.reports.conftest import indicator

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _inline(settings, tmp_path):
    settings.LMS_JOBS_BACKEND = "inline"
    settings.PRIVATE_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            **settings.STORAGES["private"],
            "OPTIONS": {"location": settings.PRIVATE_ROOT, "base_url": None},
        },
    }


@pytest.fixture
def catalogue(programme):
    indicator("REACH", "reached", disaggregations=["institution"])
    indicator("DONE", "completions")
    return programme


def _stored(job: Job) -> bytes:
    with storages["private"].open(job.result["file"], "rb") as fh:
        return fh.read()


def test_the_report_job_is_registered():
    assert REPORT_EXPORT in background.registered_jobs()


def test_a_csv_export_is_written_to_private_storage_with_its_size_and_hash(
    catalogue, staff_user, settings
):
    job = report_export_start(fy=2026, quarter=2, by=["sex"], fmt="csv", user=staff_user)

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.created_by == staff_user
    assert job.name == REPORT_EXPORT
    result = job.result
    assert result["filename"] == "reporte-FY2026-Q2-donor.csv"
    assert result["file"] == f"jobs/{job.pk}/reporte-FY2026-Q2-donor.csv"
    assert result["content_type"].startswith("text/csv")
    data = _stored(job)
    assert result["size"] == len(data)
    assert result["sha256"] == hashlib.sha256(data).hexdigest()
    assert report_export_bytes(job) == data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == exports.CSV_HEADER
    assert {row[1] for row in rows[1:]} >= {"REACH", "DONE"}
    # In the private folder, which the web server never serves; not among the media.
    path = storages["private"].path(result["file"])
    assert path.startswith(str(settings.PRIVATE_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))


def test_the_same_parameters_give_the_same_figures_as_the_dashboard(catalogue, staff_user):
    job = report_export_start(fy=2026, fmt="json", user=staff_user, audience="staff")

    job.refresh_from_db()
    report = json.loads(_stored(job))
    assert report["parameters"]["audience"] == "staff"
    assert report["parameters"]["period"]["key"] == "FY2026"
    assert {i["code"] for i in report["indicators"]} == {"REACH", "DONE"}
    assert job.result["indicators"] == 2


def test_pdf_and_xlsx_exports(catalogue, donor_user):
    pdf = report_export_start(fy=2026, fmt="pdf", user=donor_user)
    xlsx = report_export_start(fy=2026, fmt="xlsx", user=donor_user)

    pdf.refresh_from_db()
    xlsx.refresh_from_db()
    assert pdf.result["content_type"] == "application/pdf"
    assert _stored(pdf).startswith(b"%PDF-")
    workbook = openpyxl.load_workbook(io.BytesIO(_stored(xlsx)))
    assert len(workbook.sheetnames) >= 2


def test_a_donor_cannot_ask_for_the_staff_view(catalogue, donor_user):
    with pytest.raises(PermissionDenied):
        report_export_start(fy=2026, audience="staff", fmt="csv", user=donor_user)

    assert not Job.objects.exists()


def test_someone_without_report_access_is_refused(participant_user):
    with pytest.raises(PermissionDenied):
        report_export_start(fy=2026, fmt="csv", user=participant_user)

    assert not Job.objects.exists()


@pytest.mark.usefixtures("english")
def test_rights_are_checked_again_when_the_job_runs(catalogue, settings, staff_user):
    settings.LMS_JOBS_BACKEND = "celery"  # queued, not run: the worker runs it later
    job = report_export_start(fy=2026, audience="staff", fmt="csv", user=staff_user)
    # Meanwhile the user became a donor only.
    staff_user.groups.clear()
    assign_role(staff_user, Role.DONOR)

    job = background.run(job.pk)

    assert job.status == Job.Status.FAILED
    assert job.error == "The program staff view is not available to you."
    assert not storages["private"].exists(f"jobs/{job.pk}")


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"fy": 1999}, "fy", "between 2000 and 2100"),
        ({"fy": 2026, "quarter": 5}, "quarter", "1, 2, 3 or 4"),
        ({"fy": 2026, "by": ["shoe_size"]}, "by", "Unknown breakdown"),
        ({"fy": 2026, "by": ["ethnicity"]}, "by", "never broken down in a donor"),
        ({"fy": 2026, "fmt": "docx"}, "format", "Choose a format"),
        ({"fy": 2026, "fmt": "iati", "audience": "staff"}, "format", "donor audience only"),
    ],
)
def test_bad_parameters_are_refused_before_any_job(params, field, words):
    with pytest.raises(ValidationError) as caught:
        report_export_start(**params)

    assert words in " ".join(caught.value.message_dict[field])
    assert not Job.objects.exists()


# --- The command -------------------------------------------------------------------------------


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with translation.override("en"):
        call_command("report_export", *args, "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_writes_the_file_through_a_job(catalogue, tmp_path):
    target = tmp_path / "fy2026.xlsx"

    out, _err = run("--fy", "2026", "--by", "sex", "--format", "xlsx", "--output", str(target))

    job = Job.objects.get(name=REPORT_EXPORT)
    assert job.status == Job.Status.SUCCEEDED
    assert job.created_by is None  # the operator at the command line
    data = target.read_bytes()
    assert data == _stored(job)
    assert f"{len(data)} bytes" in out
    assert hashlib.sha256(data).hexdigest() in out
    assert str(job.pk) in out
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet.cell(1, 1).value


def test_the_command_refuses_bad_input_and_names_it(tmp_path):
    with pytest.raises(CommandError, match="--quarter: The quarter is 1, 2, 3 or 4"):
        run("--fy", "2026", "--quarter", "7", "--output", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="--format: Choose a format from: pdf, csv"):
        run("--fy", "2026", "--format", "odt", "--output", str(tmp_path / "x.odt"))
    with pytest.raises(CommandError, match="--output: no such folder"):
        run("--fy", "2026", "--output", str(tmp_path / "missing" / "x.pdf"))

    assert not Job.objects.exists()
    assert list(tmp_path.iterdir()) == []
