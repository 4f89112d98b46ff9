"""The PDF signature (PAdES B-T) as a verifier meets it: checked by poppler's pdfsig and by
pyHanko's validator, trusting only the CA in the signing folder; a change after signing shows."""

import io
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from assessments.models import Completion
from certificates import pdfsigning, rendering
from certificates.models import Certificate
from certificates.pdfwriter import embed_signature, prepare_for_signing
from certificates.services import bulk_issue, certificate_issue, certificate_pdf_bytes
from tests.certificates.factories import completed_workshop, default_templates

pytestmark = pytest.mark.django_db


@pytest.fixture
def templates():
    return default_templates()


def issue(workshop, n=0) -> Certificate:
    completion = Completion.objects.filter(registration__workshop=workshop).order_by("pk")[n]
    return certificate_issue(completion=completion).certificate


def pdfsig(tmp_path: Path, data: bytes, name="c") -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    # pdfsig exits non-zero when a signature does not verify: the output says why.
    return subprocess.run(["pdfsig", path], capture_output=True, text=True).stdout


def validated(data: bytes):
    reader = PdfFileReader(io.BytesIO(data))
    [signature] = reader.embedded_signatures
    context = ValidationContext(
        trust_roots=[pdfsigning.pdf_signer().trust_root], allow_fetching=False
    )
    status = validate_pdf_signature(
        signature, signer_validation_context=context, ts_validation_context=context
    )
    return signature, status


def wholly_signed(status) -> bool:
    """What a verifier must require: pyHanko's bottom line alone accepts some later changes."""
    return (
        status.bottom_line
        and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        and status.modification_level == ModificationLevel.NONE
    )


def test_a_certificate_pdf_is_signed_by_the_issuer_and_timestamped(tmp_path, templates):
    data = certificate_pdf_bytes(issue(completed_workshop(people=1)))

    report = pdfsig(tmp_path, data)
    assert "Signature Validation: Signature is Valid." in report
    assert "Total document signed" in report

    signature, status = validated(data)
    assert status.intact and status.valid and status.trusted
    assert wholly_signed(status)
    timestamp = status.timestamp_validity
    assert timestamp is not None and timestamp.intact and timestamp.valid and timestamp.trusted
    # PAdES: CAdES detached, the signer's certificate bound by signing-certificate-v2, and no
    # signing-time attribute (the timestamp dates the signature).
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    attributes = [a["type"].native for a in signature.signer_info["signed_attrs"]]
    assert "signing_certificate_v2" in attributes and "signing_time" not in attributes
    assert status.signing_cert.subject.native["common_name"] == "Integridad LMS"


def test_the_whole_render_of_a_name_beyond_the_stamp_fonts_is_signed_too(tmp_path, templates):
    certificate = issue(completed_workshop(names=[("Ǧorge", "Ǩuno Ʃánchez")], people=1))
    data = certificate_pdf_bytes(certificate)
    assert "Total document signed" in pdfsig(tmp_path, data)
    assert wholly_signed(validated(data)[1])


def _info_changed(data: bytes) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    info = writer.trailer["/Info"]
    info[generic.NameObject("/Title")] = generic.TextStringObject("Certificado de otra persona")
    writer.update_container(info)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _annotation_added(data: bytes) -> bytes:
    """A red box over the page, in a new revision (pikepdf cannot append one)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    page_ref = writer.root["/Pages"]["/Kids"][0]
    page = page_ref.get_object()
    box = writer.add_object(
        generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Annot"),
                generic.NameObject("/Subtype"): generic.NameObject("/Square"),
                generic.NameObject("/Rect"): generic.ArrayObject(
                    generic.NumberObject(n) for n in (50, 50, 400, 200)
                ),
                generic.NameObject("/C"): generic.ArrayObject(
                    generic.FloatObject(n) for n in (1, 0, 0)
                ),
                generic.NameObject("/P"): page_ref,
            }
        )
    )
    page["/Annots"].append(box)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("change", [_info_changed, _annotation_added])
def test_a_change_after_signing_shows(tmp_path, templates, change):
    signed = certificate_pdf_bytes(issue(completed_workshop(people=1)))
    changed = change(signed)
    assert changed != signed

    report = pdfsig(tmp_path, changed)
    assert "Total document signed" not in report

    _signature, status = validated(changed)
    assert not wholly_signed(status)


def test_a_bulk_issue_with_worker_processes_signs_every_pdf(tmp_path, templates):
    workshop = completed_workshop(people=21)
    assert bulk_issue(workshop, workers=2).rendered == 21
    for n, certificate in enumerate(Certificate.objects.filter(registration__workshop=workshop)):
        data = certificate_pdf_bytes(certificate)
        assert wholly_signed(validated(data)[1]), certificate.identifier
        if n < 2:
            assert "Total document signed" in pdfsig(tmp_path, data, f"c{n}")


def test_without_autocreate_and_without_files_rendering_says_how_to_create_them(
    settings, tmp_path, templates
):
    certificate = issue(completed_workshop(people=1))
    settings.LMS_PDF_SIGNING_AUTOCREATE = False
    settings.LMS_PDF_SIGNING_DIR = tmp_path / "none"
    with pytest.raises(pdfsigning.PdfSigningMissing, match="pdf_signing_keys generate"):
        rendering.render_certificate(certificate)


def test_the_command_creates_the_files_and_refuses_to_overwrite_them(settings, tmp_path):
    settings.LMS_PDF_SIGNING_AUTOCREATE = False
    settings.LMS_PDF_SIGNING_DIR = tmp_path / "pdf"
    out = io.StringIO()
    call_command("pdf_signing_keys", "generate", "--issuer", "Ministerio de Prueba", stdout=out)
    assert sorted(p.name for p in (tmp_path / "pdf").iterdir()) == [
        "signer.chain.pem",
        "signer.key.pem",
        "tsa.chain.pem",
        "tsa.key.pem",
    ]
    assert oct((tmp_path / "pdf" / "signer.key.pem").stat().st_mode & 0o777) == "0o600"
    signer = pdfsigning.pdf_signer()
    assert signer.trust_root.subject.native["common_name"] == "Ministerio de Prueba test CA"
    with pytest.raises(CommandError, match="--force"):
        call_command("pdf_signing_keys", "generate", stdout=out)
    call_command("pdf_signing_keys", "show", stdout=out)
    assert "Ministerio de Prueba" in out.getvalue()


def test_the_design_preview_of_a_made_up_person_is_not_signed(templates):
    data = rendering.render_preview(templates["es"])
    assert data.startswith(b"%PDF")
    assert PdfFileReader(io.BytesIO(data)).embedded_signatures == []


def test_a_signature_larger_than_its_placeholder_is_refused(templates):
    certificate = issue(completed_workshop(people=1))
    pdf = rendering.render_certificate(certificate, sign=False)
    prepared = prepare_for_signing(pdf, certificate.issued_at)
    assert len(prepared.digest) == 32 and prepared.gap[1] - prepared.gap[0] == 2 + 2 * 8192
    with pytest.raises(ValueError, match="exceeds"):
        embed_signature(prepared.data, prepared.gap, b"\x30" * 8193)
