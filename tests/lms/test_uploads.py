"""Uploads: every file is held to a size limit and its type is read from its content, so a
renamed program or text file is refused with a message that names the field and the limit."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from openpyxl import Workbook
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.documents.forms import get_document_form
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form
from wagtail.models import Collection

from attendance.registration_admin import RegistrationImportForm
from courses.admin_views import BulkEnrolForm
from lms.forms import ImportForm
from lms.uploads import CSV, SPREADSHEET, SPREADSHEET_MAX_BYTES, XLSX, validate_upload

pytestmark = pytest.mark.usefixtures("english")

EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200


def xlsx() -> bytes:
    workbook = Workbook()
    workbook.active.append(["numero_documento", "nombres"])
    workbook.active.append(["10117410", "José"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_with(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


def png(size=(4, 4)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, "white").save(buffer, "PNG")
    return buffer.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def check(name: str, data: bytes, max_bytes: int = SPREADSHEET_MAX_BYTES):
    return validate_upload(upload(name, data), field="File", types=SPREADSHEET, max_bytes=max_bytes)


def refusal(name: str, data: bytes, max_bytes: int = SPREADSHEET_MAX_BYTES) -> str:
    with pytest.raises(ValidationError) as caught:
        check(name, data, max_bytes)
    return " ".join(caught.value.messages)


# --- The checks --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("lista.xlsx", xlsx(), XLSX),
        ("LISTA.XLSX", xlsx(), XLSX),
        ("lista.csv", "numero_documento;nombres\n10117410;José\n".encode(), CSV),
        ("lista.csv", "numero_documento;nombres\r\n10117410;José\r\n".encode("cp1252"), CSV),
        ("lista.csv", "\ufeffnumero_documento\n10117410\n".encode("utf-16"), CSV),
        ("lista.txt", b"numero_documento\n10117410\n", CSV),
    ],
)
def test_real_spreadsheets_are_accepted(name, data, kind):
    assert check(name, data) == kind


def test_an_executable_renamed_xlsx_is_refused():
    message = refusal("lista.xlsx", EXECUTABLE)
    assert message == (
        "File: “lista.xlsx” is not really a XLSX file, whatever its name says. "
        "Save it again as XLSX and upload that."
    )


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("lista.xlsx", b"numero_documento;nombres\n10117410;Jose\n"),  # a CSV renamed
        ("lista.xlsx", zip_with("hola.txt")),  # a ZIP, not a workbook
        ("lista.xlsx", zip_with("[Content_Types].xml", "word/document.xml")),  # a DOCX
        ("lista.xlsx", b"PK\x03\x04 broken archive"),
        ("lista.csv", EXECUTABLE),
        ("lista.csv", ELF),
        ("lista.csv", xlsx()),  # a workbook renamed .csv
        ("lista.csv", b"%PDF-1.7\n..."),
        ("lista.csv", b"numero\x01\x02\x03\x04"),  # control characters: not text
    ],
)
def test_content_that_does_not_match_the_name_is_refused(name, data):
    assert "is not really a" in refusal(name, data)


@pytest.mark.parametrize("name", ["lista.exe", "lista.xls", "lista", "lista.pdf"])
def test_other_types_are_refused_with_what_is_accepted(name):
    assert refusal(name, b"numero_documento\n") == (
        f"File: “{name}” is not an accepted type. Upload CSV, XLSX."
    )


def test_svg_is_refused_because_it_can_carry_script():
    message = refusal("firma.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>')
    assert "SVG files are not accepted" in message


def test_a_file_over_the_limit_is_refused_with_the_limit():
    data = b"numero_documento\n" + b"10117410\n" * 1000
    assert refusal("lista.csv", data, max_bytes=1024) == (
        "File: files up to 1.0\xa0KB are accepted; “lista.csv” is 8.8\xa0KB."
    )


def test_the_spreadsheet_limit_is_20_mb():
    assert SPREADSHEET_MAX_BYTES == 20 * 1024 * 1024
    big = upload("lista.csv", b"")
    big.size = SPREADSHEET_MAX_BYTES + 1
    with pytest.raises(ValidationError) as caught:
        validate_upload(big, field="File", types=SPREADSHEET, max_bytes=SPREADSHEET_MAX_BYTES)
    assert "files up to 20.0\xa0MB are accepted" in caught.value.messages[0]


def test_the_check_leaves_the_file_ready_to_read():
    content = xlsx()  # once: a workbook records when it was written
    file = upload("lista.xlsx", content)
    file.read(10)
    validate_upload(file, field="File", types=SPREADSHEET, max_bytes=SPREADSHEET_MAX_BYTES)
    assert file.read() == content


# --- Every form and serializer that takes a file --------------------------------------------


@pytest.mark.django_db
def test_participant_import_form_refuses_a_renamed_executable():
    form = ImportForm(data={"dry_run": "on"}, files={"file": upload("personas.xlsx", EXECUTABLE)})

    assert not form.is_valid()
    assert "is not really a XLSX file" in form.errors["file"][0]
    assert form.errors["file"][0].startswith("File:")


@pytest.mark.django_db
def test_participant_import_form_accepts_a_real_workbook():
    form = ImportForm(data={}, files={"file": upload("personas.xlsx", xlsx())})

    form.is_valid()
    assert "file" not in form.errors


@pytest.mark.django_db
def test_bulk_enrolment_form_checks_the_file(english):
    form = BulkEnrolForm(data={}, files={"file": upload("dni.csv", ELF)})

    assert not form.is_valid()
    assert "is not really a CSV file" in form.errors["file"][0]


@pytest.mark.django_db
def test_registration_import_form_checks_the_file(staff_user):
    form = RegistrationImportForm(
        data={}, files={"file": upload("inscritos.xlsx", b"a;b\n1;2\n")}, user=staff_user
    )

    assert not form.is_valid()
    assert "is not really a XLSX file" in form.errors["file"][0]


@pytest.mark.django_db
def test_api_import_refuses_a_renamed_executable(staff_api):
    response = staff_api.post(
        "/api/v1/participants/import/",
        {"file": upload("personas.xlsx", EXECUTABLE)},
        format="multipart",
        headers={"accept-language": "en"},
    )

    assert response.status_code == 400
    assert "is not really a XLSX file" in response.json()["file"][0]


@pytest.mark.django_db
def test_api_import_refuses_a_file_over_the_limit(staff_api):
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=None):
        response = staff_api.post(
            "/api/v1/participants/import/",
            {"file": upload("personas.csv", b"n\n" + b"1" * SPREADSHEET_MAX_BYTES)},
            format="multipart",
            HTTP_ACCEPT_LANGUAGE="en",
        )

    assert response.status_code == 400
    assert "files up to 20.0\xa0MB are accepted" in response.json()["file"][0]


# --- Wagtail documents and images --------------------------------------------------------------


def document_form(name: str, data: bytes, user):
    form_class = get_document_form(get_document_model())
    return form_class(
        data={"title": "Material", "collection": Collection.get_first_root_node().pk},
        files={"file": upload(name, data)},
        user=user,
    )


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(email="root@example.org", password="x")


@pytest.mark.django_db
def test_a_real_pdf_document_is_accepted(superuser):
    form = document_form("guia.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", superuser)

    assert form.is_valid(), form.errors


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("guia.pdf", b"<html><script>alert(1)</script></html>"),
        ("guia.docx", EXECUTABLE),
        ("guia.xlsx", b"a,b\n"),
        ("guia.zip", b"not a zip"),
    ],
)
def test_a_document_whose_content_does_not_match_is_refused(superuser, name, data):
    form = document_form(name, data, superuser)

    assert not form.is_valid()
    assert "is not really a" in " ".join(form.errors["file"])


@pytest.mark.django_db
def test_documents_have_a_size_limit(superuser, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    form = document_form("guia.pdf", b"%PDF-1.7\n" + b"0" * 2048, superuser)

    assert not form.is_valid()


def image_form(name: str, data: bytes, user):
    form_class = get_image_form(get_image_model())
    return form_class(
        data={"title": "Firma", "collection": Collection.get_first_root_node().pk},
        files={"file": upload(name, data)},
        user=user,
    )


@pytest.mark.django_db
def test_a_png_image_is_accepted(superuser):
    assert image_form("firma.png", png(), superuser).is_valid()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("firma.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("firma.png", EXECUTABLE),
        ("firma.jpg", png()),  # a PNG named .jpg: the extension must match the content
        ("firma.gif", b"GIF89a"),
    ],
)
def test_svg_and_mislabelled_images_are_refused(superuser, name, data):
    form = image_form(name, data, superuser)

    assert not form.is_valid()
    assert form.errors["file"]


def test_wagtail_upload_limits_are_set(settings):
    assert settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE == 10 * 1024 * 1024
    assert "svg" not in settings.WAGTAILIMAGES_EXTENSIONS
    assert settings.WAGTAILDOCS_MAX_UPLOAD_SIZE == 25 * 1024 * 1024
    assert settings.WAGTAILDOCS_DOCUMENT_FORM_BASE == "lms.document_forms.DocumentForm"
