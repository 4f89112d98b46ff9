"""The signed QR payload, checked by tools nobody here wrote: zxing-cpp reads the QR from a
150 dpi render, pycose verifies the COSE_Sign1 against the key served at /.well-known/jwks.json.
Our own verify_qr and the management commands must agree with them."""

import json
import random
import subprocess
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
import zxingcpp
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.core.management import call_command
from django.utils import timezone, translation
from PIL import Image
from pycose.keys import OKPKey
from pycose.keys.curves import Ed25519
from pycose.messages import Sign1Message

from assessments.models import Completion
from certificates import keys as issuer_keys
from certificates.checks import issuer_key_configured
from certificates.identifiers import verification_url
from certificates.models import Certificate
from certificates.pdfwriter import qr_version
from certificates.services import certificate_issue, certificate_pdf_bytes
from certificates.signed_qr import (
    certificate_qr_text,
    decode_payload,
    encode_payload,
    verify_qr,
)
from tests.certificates.factories import completed_workshop, default_templates

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("keydir")]

DPI = 150
LONG_NAME = ("María de los Ángeles", "Quispe Huamán de la Cruz")
# 90 characters, as long as the catalogue's longest titles.
LONG_COURSE = (
    "Ética pública, integridad y prevención de la corrupción en la contratación pública regional"
)


@pytest.fixture
def templates():
    return default_templates()


def issue(workshop, n=0) -> Certificate:
    completion = Completion.objects.filter(registration__workshop=workshop).order_by("pk")[n]
    return certificate_issue(completion=completion).certificate


def long_certificate() -> Certificate:
    certificate = issue(completed_workshop(names=[LONG_NAME], people=1))
    Certificate.objects.filter(pk=certificate.pk).update(course_title=LONG_COURSE)
    certificate.refresh_from_db()
    return certificate


def qr_codes(tmp_path: Path, data: bytes):
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", "-singlefile", pdf, tmp_path / "c"])
    return zxingcpp.read_barcodes(Image.open(tmp_path / "c.png"))


def served_jwks(client) -> dict:
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    return json.loads(response.content)


def pycose_verifies(cose: bytes, jwk: dict) -> bool:
    """pycose's answer, with the key from the JWKS; any exception is a rejection."""
    key = OKPKey(crv=Ed25519, x=issuer_keys.b64url_decode(jwk["x"]))
    try:
        message = Sign1Message.decode(cose)
        message.key = key
        return bool(message.verify_signature())
    except Exception:  # whatever pycose raises, the message was refused
        return False


# --- The certificate's QR ------------------------------------------------------------------------


def test_the_pdf_qr_carries_the_address_with_a_payload_pycose_verifies(tmp_path, templates, client):
    certificate = long_certificate()
    codes = qr_codes(tmp_path, certificate_pdf_bytes(certificate))
    assert len(codes) == 1
    text = codes[0].text
    address, payload = text.split("#")
    assert address == f"HTTPS://LMS.TEST/V/{certificate.identifier}"
    assert payload and payload == payload.upper()
    assert "Q" in str(codes[0].ec_level).upper()
    # A realistic long name and a 90-character course still fit version 16 at level Q.
    assert int(codes[0].extra["Version"]) <= 16
    assert qr_version(text) <= 16
    xs = [p.x for p in (codes[0].position.top_left, codes[0].position.top_right)]
    assert (max(xs) - min(xs)) / DPI * 25.4 >= 35

    # The independent verifier, with the key as a verifier gets it: from the served JWKS.
    cose = decode_payload(text)
    [jwk] = served_jwks(client)["keys"]
    assert pycose_verifies(cose, jwk)
    header = {
        attribute.identifier: getattr(value, "identifier", value)
        for attribute, value in Sign1Message.decode(cose).phdr.items()
    }
    assert header == {1: -8, 4: issuer_keys.b64url_decode(jwk["kid"])}  # EdDSA, kid

    check = verify_qr(text)
    assert check.valid, check.problem
    assert check.kid == jwk["kid"]
    assert check.claims == {
        "identifier": certificate.identifier,
        "holder_name": "María de los Ángeles Quispe Huamán de la Cruz",
        "course": LONG_COURSE,
        "contact_hours": 12,
        "completed_on": certificate.completed_on,
        "issuer": "did:web:lms.test",
    }
    # The printed address stays the short one.
    assert verification_url(certificate.identifier) == (
        f"https://lms.test/v/{certificate.identifier}"
    )


def test_the_qr_address_opens_the_verification_page_with_the_checker(templates, client):
    certificate = issue(completed_workshop(people=1))
    address = certificate_qr_text(certificate).split("#")[0]
    response = client.get(address.replace("HTTPS://LMS.TEST", ""))
    assert response.status_code == 200
    page = response.content.decode()
    assert certificate.holder_name in page
    assert 'id="qr-check"' in page and "/static/certificates/verify_qr.js" in page
    assert 'data-jwks="/.well-known/jwks.json"' in page
    assert "<script>" not in page  # no inline script: the CSP allows none


def test_every_single_byte_change_is_rejected_by_pycose_and_by_verify_qr(templates, client):
    certificate = issue(completed_workshop(people=1))
    text = certificate_qr_text(certificate)
    address = text.split("#")[0]
    cose = decode_payload(text)
    [jwk] = served_jwks(client)["keys"]
    keys = issuer_keys.keys_from_jwks({"keys": [jwk]})
    assert pycose_verifies(cose, jwk) and verify_qr(text, keys=keys).valid
    accepted = []
    for position in range(len(cose)):
        for flip in (0x01, 0x80, 0xFF):
            changed = bytearray(cose)
            changed[position] ^= flip
            # A change that leaves the CBOR undecodable counts as rejected too.
            ours = verify_qr(f"{address}#{encode_payload(bytes(changed))}", keys=keys)
            assert ours.problem or not ours.valid
            if ours.valid or pycose_verifies(bytes(changed), jwk):
                accepted.append((position, flip))
    assert not accepted


def test_a_changed_payload_character_or_a_payload_from_another_certificate_is_rejected(
    templates,
    english,
):
    workshop = completed_workshop(people=2)
    first, second = issue(workshop, 0), issue(workshop, 1)
    text = certificate_qr_text(first)
    # A character of the base32 text changed (the deflate stream breaks, or the signature).
    position = len(text) - 20
    swapped = "A" if text[position] != "A" else "B"
    damaged = verify_qr(text[:position] + swapped + text[position + 1 :])
    assert not damaged.valid and damaged.problem
    # A genuine payload behind another certificate's address.
    other = certificate_qr_text(second).split("#")[0] + "#" + text.split("#")[1]
    mixed = verify_qr(other)
    assert not mixed.valid
    assert "identifier" in mixed.problem
    assert not verify_qr(text.split("#")[0]).valid  # no payload at all


def test_a_qr_too_dense_to_scan_carries_the_plain_address(templates):
    certificate = issue(completed_workshop(people=1))
    # Text that does not compress: the name and title as long as the fields allow.
    letters = random.Random(9).choices("abcdefghijklmnñopqrstuvwxyzáéíóú ", k=500)
    certificate.holder_name = "".join(letters[:250])
    certificate.course_title = "".join(letters[250:])
    assert certificate_qr_text(certificate) == verification_url(certificate.identifier)


def test_a_damaged_payload_is_explained_in_the_active_language(templates):
    text = certificate_qr_text(issue(completed_workshop(people=1)))
    broken = text[:-3] + ("AAA" if not text.endswith("AAA") else "BBB")
    with translation.override("en"):
        english = verify_qr(broken).problem
    with translation.override("es"):
        spanish = verify_qr(broken).problem
    assert "damaged" in english or "signature" in english
    assert "dañados" in spanish or "firma" in spanish


# --- Keys: rotation, windows, publication --------------------------------------------------------


def test_rotation_keeps_old_payloads_valid_and_signs_new_ones_with_the_new_key(templates, client):
    workshop = completed_workshop(people=2)
    old_key = issuer_keys.key_generate(not_before=timezone.now() - timedelta(days=30))
    old_text = certificate_qr_text(issue(workshop, 0))
    assert verify_qr(old_text).kid == old_key.kid

    issuer_keys.key_retire(old_key.kid)
    new_key = issuer_keys.key_generate()
    new_text = certificate_qr_text(issue(workshop, 1))
    assert verify_qr(new_text).kid == new_key.kid != old_key.kid

    published = {jwk["kid"]: jwk for jwk in served_jwks(client)["keys"]}
    assert set(published) == {old_key.kid, new_key.kid}
    assert "exp" in published[old_key.kid] and "exp" not in published[new_key.kid]
    keys = issuer_keys.keys_from_jwks({"keys": list(published.values())})
    assert verify_qr(old_text, keys=keys).valid  # what the retired key signed still verifies
    assert verify_qr(new_text, keys=keys).valid
    assert pycose_verifies(decode_payload(old_text), published[old_key.kid])


def test_an_unknown_key_a_withdrawn_key_and_a_key_retired_before_completion_are_rejected(
    templates,
):
    certificate = issue(completed_workshop(people=1))
    private = Ed25519PrivateKey.generate()
    raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    stranger = issuer_keys.IssuerKey(
        kid=issuer_keys.kid_for(raw), public_key_bytes=raw, private_key=private
    )
    forged = verify_qr(certificate_qr_text(certificate, signer=stranger))
    assert not forged.valid and stranger.kid in forged.problem

    # A key retired (its window closed) before the completion date cannot vouch for it.
    retired = issuer_keys.key_generate(not_before=timezone.now() - timedelta(days=400))
    issuer_keys.key_retire(retired.kid, when=timezone.now() - timedelta(days=300))
    late = verify_qr(certificate_qr_text(certificate, signer=retired))
    assert not late.valid and retired.kid in late.problem

    # A withdrawn (compromised) key is no longer published: what it signed is refused.
    compromised = issuer_keys.key_generate(not_before=timezone.now() - timedelta(days=10))
    text = certificate_qr_text(certificate, signer=compromised)
    assert verify_qr(text).valid
    issuer_keys.key_retire(compromised.kid, unpublish=True)
    assert not verify_qr(text).valid


def test_the_signing_key_is_the_newest_open_window_and_production_refuses_without_one(settings):
    now = timezone.now()
    older = issuer_keys.key_generate(not_before=now - timedelta(days=10))
    newer = issuer_keys.key_generate(not_before=now - timedelta(days=1))
    issuer_keys.key_generate(not_before=now + timedelta(days=5))  # not yet
    assert issuer_keys.signing_key().kid == newer.kid
    issuer_keys.key_retire(newer.kid)
    assert issuer_keys.signing_key().kid == older.kid

    settings.LMS_ISSUER_KEY_DIR = Path(settings.LMS_ISSUER_KEY_DIR).parent / "empty"
    settings.LMS_ISSUER_KEY_AUTOCREATE = False
    with pytest.raises(issuer_keys.IssuerKeyMissing, match="issuer_keys generate"):
        issuer_keys.signing_key()
    # `check --deploy` says so before the first certificate fails.
    [warning] = issuer_key_configured(None)
    assert warning.id == "certificates.W001" and "issuer_keys generate" in warning.msg


def test_a_key_from_the_environment_signs(settings):
    private = Ed25519PrivateKey.generate()
    settings.LMS_ISSUER_KEY = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    raw = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    assert issuer_keys.signing_key().kid == issuer_keys.kid_for(raw)
    assert issuer_keys.kid_for(raw) in [k["kid"] for k in issuer_keys.jwks()["keys"]]


def test_jwks_and_did_documents(client, settings):
    key = issuer_keys.key_generate()
    response = client.get("/.well-known/jwks.json")
    assert response["Content-Type"] == "application/jwk-set+json"
    assert "public" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"
    [jwk] = json.loads(response.content)["keys"]
    assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519"
    assert (jwk["kid"], jwk["use"], jwk["alg"]) == (key.kid, "sig", "EdDSA")
    raw = issuer_keys.b64url_decode(jwk["x"])
    assert len(raw) == 32 and issuer_keys.kid_for(raw) == key.kid

    response = client.get("/.well-known/did.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/did+json"
    did = json.loads(response.content)
    assert did["id"] == "did:web:lms.test"
    [method] = did["verificationMethod"]
    assert method["id"] == f"did:web:lms.test#{key.kid}"
    assert method["type"] == "Multikey" and method["controller"] == "did:web:lms.test"
    assert method["publicKeyMultibase"].startswith("z6Mk")  # ed25519-pub, base58btc
    assert did["assertionMethod"] == [method["id"]]

    settings.LMS_PUBLIC_URL = "https://certificados.example.pe:8443"
    assert issuer_keys.did_web() == "did:web:certificados.example.pe%3A8443"


# --- Management commands ---------------------------------------------------------------------


def test_issuer_keys_command_generates_lists_and_retires(keydir):
    out = StringIO()
    call_command("issuer_keys", "generate", stdout=out)
    kid = next(iter(issuer_keys.keyring())).kid
    assert kid in out.getvalue()
    assert (keydir / f"{kid}.pem").stat().st_mode & 0o077 == 0  # private: owner only
    sidecar = json.loads((keydir / f"{kid}.json").read_text())
    assert sidecar["kid"] == kid and sidecar["not_before"] and sidecar["not_after"] is None

    out = StringIO()
    call_command("issuer_keys", "list", stdout=out)
    assert kid in out.getvalue()
    call_command("issuer_keys", "retire", kid, stdout=StringIO())
    assert json.loads((keydir / f"{kid}.json").read_text())["not_after"]
    out = StringIO()
    call_command("issuer_keys", "list", stdout=out)
    assert kid in out.getvalue() and out.getvalue().count("\n") == 1


def test_verify_qr_command_says_valid_or_not_with_the_claims(templates, tmp_path, client):
    certificate = issue(completed_workshop(people=1))
    text = certificate_qr_text(certificate)
    jwks_file = tmp_path / "jwks.json"
    jwks_file.write_text(json.dumps(served_jwks(client)))

    out = StringIO()
    call_command("verify_qr", text, "--jwks", str(jwks_file), stdout=out)
    assert certificate.holder_name in out.getvalue()
    assert certificate.identifier in out.getvalue()

    out = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("verify_qr", text[:-4] + "AAAA", stdout=out)
    assert exit_.value.code == 1
    assert out.getvalue().strip()


@pytest.mark.parametrize("seed", range(4))
def test_the_fast_qr_encoder_draws_the_symbol_the_qrcode_library_draws(seed):
    """pdfwriter computes the error correction itself (the library's is the slow part of a
    large symbol): for plain and signed addresses of every length band, the same modules as
    the qrcode library's own encoder at the same version and mask."""
    import qrcode
    import qrcode.constants

    from certificates import pdfwriter

    rng = random.Random(seed)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    for _ in range(15):
        payload = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 420)))
        text = f"HTTPS://LMS.TEST/V/{payload[:28]}#{payload}"
        if rng.random() < 0.3:
            text = f"https://lms.test/v/{payload[:28]}"
        version = qr_version(text)
        reference = qrcode.QRCode(
            version=version,
            error_correction=qrcode.constants.ERROR_CORRECT_Q,
            border=0,
            mask_pattern=2,
        )
        reference.add_data(text, optimize=pdfwriter.QR_OPTIMIZE)
        reference.make(fit=False)
        assert pdfwriter.qr_matrix(text) == reference.get_matrix(), text
