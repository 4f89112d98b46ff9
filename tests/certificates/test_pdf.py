"""The certificate PDF as a verifier and a holder meet it: checked with tools nobody here wrote.

The QR code is decoded by zxing-cpp from a 150 dpi render made by poppler's pdftoppm, the text is
read by pdftotext and the metadata by pdfinfo.
"""

import re
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from assessments.models import Completion
from certificates import rendering
from certificates.identifiers import verification_url
from certificates.models import Certificate
from certificates.services import bulk_issue, certificate_issue, certificate_pdf_bytes
from certificates.signed_qr import verify_qr
from tests.certificates.factories import completed_workshop, default_templates

pytestmark = pytest.mark.django_db

DPI = 150


def issue(workshop, n=0, **kwargs) -> Certificate:
    completion = Completion.objects.filter(registration__workshop=workshop).order_by("pk")[n]
    return certificate_issue(completion=completion, **kwargs).certificate


def pdf_file(tmp_path: Path, data: bytes, name="c") -> Path:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    return path


def text_of(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", pdf, "-"], capture_output=True, text=True, check=True
    ).stdout


def qr_codes(pdf: Path):
    prefix = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", "-singlefile", pdf, prefix], check=True)
    return zxingcpp.read_barcodes(Image.open(f"{prefix}.png"))


def signed_qr_of(certificate: Certificate, codes) -> bool:
    """The one QR code is the certificate's address with a payload that verifies."""
    [text] = [code.text for code in codes]
    address, _payload = text.split("#")
    check = verify_qr(text)
    return (
        address == f"HTTPS://LMS.TEST/V/{certificate.identifier}"
        and check.valid
        and (
            check.claims["identifier"] == certificate.identifier
            and check.claims["holder_name"] == certificate.holder_name
        )
    )


def info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    return dict(re.findall(r"^([^:]+):\s*(.*)$", out, flags=re.M))


@pytest.fixture
def templates():
    return default_templates()


def test_qr_decodes_to_the_verification_url_and_the_name_keeps_its_accents(tmp_path, templates):
    workshop = completed_workshop(names=[("María José", "Ñúñez Huamán")], people=1)
    certificate = issue(workshop)
    pdf = pdf_file(tmp_path, certificate_pdf_bytes(certificate))

    codes = qr_codes(pdf)
    # The QR carries the address and, after '#', the signed claims (tests/certificates/
    # test_signed_qr.py checks them with pycose); the printed address stays the short one.
    assert signed_qr_of(certificate, codes)
    assert verification_url(certificate.identifier) == (
        f"https://lms.test/v/{certificate.identifier}"
    )
    assert codes[0].format == zxingcpp.BarcodeFormat.QRCode
    assert "Q" in str(codes[0].ec_level).upper()
    # The symbol (without its quiet zone) is at least 35 mm wide on paper.
    xs = [p.x for p in (codes[0].position.top_left, codes[0].position.top_right)]
    assert (max(xs) - min(xs)) / DPI * 25.4 >= 35

    text = text_of(pdf)
    assert "María José Ñúñez Huamán" in text
    assert certificate.display_identifier in text
    assert verification_url(certificate.identifier) in text
    assert "LIM-2026-021" in text and "Lima" in text
    assert "Ética Pública y Prevención de la Corrupción" in text
    assert "12 horas" in text
    assert "Ana Pérez Ñahui" in text and "Directora" in text


def test_pdf_metadata_names_the_holder_course_issuer_and_identifier(tmp_path, templates):
    certificate = issue(completed_workshop(people=1))
    meta = info(pdf_file(tmp_path, certificate_pdf_bytes(certificate)))
    assert certificate.holder_name in meta["Title"]
    assert certificate.course_title in meta["Title"]
    assert meta["Author"] == "Programa Nacional de Integridad"
    assert verification_url(certificate.identifier) in meta["Subject"]
    assert meta["Keywords"] == certificate.display_identifier
    assert meta["Page size"].startswith("841.89 x 595.276")  # A4 landscape


def test_spanish_dates_and_an_english_certificate_from_the_english_design(tmp_path, templates):
    workshop = completed_workshop(people=2)
    spanish = text_of(pdf_file(tmp_path, certificate_pdf_bytes(issue(workshop, 0)), "es"))
    assert re.search(r"del \d+ (de \w+ )?al \d+ de \w+ de 20\d\d", spanish), spanish
    assert "Emitido el" in spanish

    english = issue(workshop, 1, language="en")
    text = text_of(pdf_file(tmp_path, certificate_pdf_bytes(english), "en"))
    assert "Certificate of completion" in text
    assert re.search(r"from \d+ (\w+ )?to \d+ \w+ 20\d\d", text), text
    assert "Issued on" in text


def test_a_name_beyond_the_stamp_fonts_is_rendered_whole_and_still_verifies(tmp_path, templates):
    workshop = completed_workshop(names=[("Ǧorge", "Ǩuno Ʃánchez")], people=1)
    certificate = issue(workshop)
    pdf = pdf_file(tmp_path, certificate_pdf_bytes(certificate))
    assert "Ǧorge Ǩuno Ʃánchez" in text_of(pdf)
    assert signed_qr_of(certificate, qr_codes(pdf))


def test_a_very_long_name_shrinks_to_fit_on_one_line(tmp_path, templates):
    long_name = ("María del Rosario Guadalupe", "Fernández-Villanueva de la Torre y Quispe Mamani")
    certificate = issue(completed_workshop(names=[long_name], people=1))
    pdf = pdf_file(tmp_path, certificate_pdf_bytes(certificate))
    bbox = subprocess.run(
        ["pdftotext", "-bbox", pdf, "-"], capture_output=True, text=True, check=True
    ).stdout
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"[^>]*>([^<]+)<', bbox)
    name_words = [w for w in words if w[3] in ("María", "Mamani")]
    assert len(name_words) == 2
    first, last = name_words
    assert first[1] == last[1]  # same line
    assert float(first[0]) > 20 and float(last[2]) < 842 - 20  # inside the page frame


def test_workshop_certificates_share_one_design_and_an_edit_makes_a_new_one(
    tmp_path, templates, django_assert_max_num_queries
):
    workshop = completed_workshop(people=3)
    first, second = issue(workshop, 0), issue(workshop, 1)
    assert rendering.design_for(first) is rendering.design_for(second)

    template = templates["es"]
    template.title = "Constancia de aprobación"
    template.save()
    third = Certificate.objects.select_related("template").get(pk=issue(workshop, 2).pk)
    assert rendering.design_for(third) is not rendering.design_for(first)
    assert "Constancia de aprobación" in text_of(pdf_file(tmp_path, certificate_pdf_bytes(third)))


def test_bulk_issue_with_worker_processes_gives_the_same_verifiable_pdfs(tmp_path, templates):
    workshop = completed_workshop(people=21)
    result = bulk_issue(workshop, workers=2)
    assert (result.issued, result.rendered) == (21, 21)
    certificates = list(Certificate.objects.filter(registration__workshop=workshop))
    assert len({c.pdf_sha256 for c in certificates}) == 21
    sample = certificates[7]
    pdf = pdf_file(tmp_path, certificate_pdf_bytes(sample))
    assert signed_qr_of(sample, qr_codes(pdf))
    assert sample.holder_name in text_of(pdf)


def test_the_stamped_certificate_looks_like_a_whole_weasyprint_render(tmp_path, templates):
    """The fast path must not change the look: same fonts, sizes, colours and places."""
    from PIL import ImageChops

    certificate = issue(completed_workshop(names=[("María José", "Ñúñez Huamán")], people=1))
    images = []
    for name, data in (
        ("stamped", rendering.render_certificate(certificate)),
        ("whole", rendering.render_full(certificate)),
    ):
        pdf = pdf_file(tmp_path, data, name)
        subprocess.run(
            ["pdftoppm", "-r", "60", "-gray", "-png", "-singlefile", pdf, tmp_path / name],
            check=True,
        )
        images.append(Image.open(tmp_path / f"{name}.png").convert("L"))
    difference = ImageChops.difference(*images)
    width, height = difference.size
    differing = sum(difference.histogram()[97:])
    assert differing / (width * height) < 0.0005, f"{differing} of {width * height} pixels differ"
    # And the comparison can see a difference: a certificate of someone else differs.
    other = pdf_file(
        tmp_path,
        rendering.render_full(issue(completed_workshop(code="CUS-2026-001", people=1))),
        "other",
    )
    subprocess.run(
        ["pdftoppm", "-r", "60", "-gray", "-png", "-singlefile", other, tmp_path / "other"],
        check=True,
    )
    changed = ImageChops.difference(images[0], Image.open(tmp_path / "other.png").convert("L"))
    assert sum(changed.histogram()[97:]) > 10 * differing


def test_a_design_wording_cannot_reach_python_objects_through_its_placeholders(templates):
    """A design's wording is staff input: a placeholder with attribute lookups (format-string
    injection, which could walk to SECRET_KEY) stays as typed; plain placeholders still work."""
    template = templates["es"]
    workshop = completed_workshop(people=1)
    certificate = issue(workshop, 0)
    template.body = (
        "curso {course} ({hours} h) {course.__class__.__init__} {hours.__class__} {region!r} {0}"
    )
    html = str(rendering._body(certificate, template))
    assert "<strong>" in html and certificate.course_title in html
    assert "{course.__class__.__init__}" in html
    assert "{hours.__class__}" in html and "{region!r}" in html and "{0}" in html
    assert "slot wrapper" not in html and "<class" not in html
