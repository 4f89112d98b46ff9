"""The signed QR payload: what a certificate's QR code carries after ``#``, and its check.

A COSE_Sign1 (RFC 9052, tag 18) with EdDSA (alg -8) and the key id (label 4, the 8 raw bytes
behind the JWKS ``kid``) in the protected header, over a CBOR map of small integer claims
(``CLAIMS``). The COSE bytes are raw-deflated (RFC 1951) and written in base32 (RFC 4648,
upper case, no padding): every character is in the QR alphanumeric set and safe in a URL, so the
whole address ``HTTPS://HOST/V/<IDENTIFIER>#<PAYLOAD>`` is two alphanumeric segments around a
one-byte ``#``. docs/verification.md explains how to check it by hand.
"""

import base64
import binascii
import io
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import cbor2
from django.conf import settings
from django.utils.translation import gettext as _

from certificates import keys as issuer_keys
from certificates.identifiers import (
    MalformedIdentifier,
    identifier_bytes,
    identifier_from_bytes,
    normalize,
    verification_url,
)
from certificates.keys import IssuerKey, Signer, b64url, b64url_decode
from certificates.pdfwriter import qr_version

ALG_EDDSA = -8
HEADER_ALG = 1
HEADER_KID = 4
COSE_SIGN1_TAG = 18
EPOCH = date(1970, 1, 1)
# Beyond this QR version the modules of a 35 mm symbol get too small for phone cameras: such a
# certificate's QR carries the plain address (the page still verifies it against the server).
MAX_SIGNED_QR_VERSION = 20
# Any text this long or shorter fits version 20 (702 alphanumeric characters at Q): no need to
# encode it to find out (which costs milliseconds per certificate).
_SURELY_FITS = 640
MAX_COSE_BYTES = 4096  # what inflating may produce: a decompression bomb stops here

# Claim keys (small integers keep the payload small): docs/verification.md, "Claim map".
CLAIM_IDENTIFIER = 1  # bstr(16): the identifier's 128 random bits
CLAIM_HOLDER = 2  # tstr: the holder's name as printed
CLAIM_COURSE = 3  # tstr: the course title as printed
CLAIM_HOURS = 4  # uint, or float when the hours have a fraction
CLAIM_COMPLETED = 5  # uint: completion date, days since 1970-01-01
CLAIM_ISSUER = 6  # tstr: the issuer's did:web without "did:web:" (e.g. "lms.example.pe")
CLAIMS = {
    CLAIM_IDENTIFIER: "identifier",
    CLAIM_HOLDER: "holder_name",
    CLAIM_COURSE: "course",
    CLAIM_HOURS: "contact_hours",
    CLAIM_COMPLETED: "completed_on",
    CLAIM_ISSUER: "issuer",
}
_DID_WEB = "did:web:"


# --- Signing ------------------------------------------------------------------------------------


def _hours(value: Decimal) -> int | float:
    value = Decimal(value)
    return int(value) if value == value.to_integral() else float(value)


def certificate_claims(certificate) -> dict[int, object]:
    return {
        CLAIM_IDENTIFIER: identifier_bytes(certificate.identifier),
        CLAIM_HOLDER: certificate.holder_name,
        CLAIM_COURSE: certificate.course_title,
        CLAIM_HOURS: _hours(certificate.contact_hours),
        CLAIM_COMPLETED: (certificate.completed_on - EPOCH).days,
        CLAIM_ISSUER: issuer_keys.did_web().removeprefix(_DID_WEB),
    }


def _sig_structure(protected: bytes, payload: bytes) -> bytes:
    return cbor2.dumps(["Signature1", protected, b"", payload])


def sign_claims(claims: dict[int, object], signer: Signer) -> bytes:
    """The COSE_Sign1 bytes (tagged) of the claims, signed by ``signer``."""
    protected = cbor2.dumps({HEADER_ALG: ALG_EDDSA, HEADER_KID: b64url_decode(signer.kid)})
    payload = cbor2.dumps(claims, canonical=True)
    signature = signer.sign(_sig_structure(protected, payload))
    return cbor2.dumps(cbor2.CBORTag(COSE_SIGN1_TAG, [protected, {}, payload, signature]))


def encode_payload(cose: bytes) -> str:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = packer.compress(cose) + packer.flush()
    return base64.b32encode(packed).decode("ascii").rstrip("=")


def qr_address(identifier: str) -> str:
    """The verification address in QR alphanumeric form: scheme, host and ``/V/`` upper case
    (``/V/`` is routed like ``/v/``); the printed address stays ``https://host/v/<id>``."""
    base = settings.LMS_PUBLIC_URL.rstrip("/")
    parts = urlsplit(base)
    if parts.path:  # a site under a path: only scheme and host are case-insensitive
        return f"{parts.scheme.upper()}://{parts.netloc.upper()}{parts.path}/v/{identifier}"
    return f"{base.upper()}/V/{identifier}"


def certificate_qr_text(certificate, *, signer: Signer | None = None) -> str:
    """What the certificate's QR code carries: its address and, after ``#``, the signed claims.

    Raises keys.IssuerKeyMissing when no key may sign (production without a configured key).
    """
    signer = signer or issuer_keys.signing_key()
    text = (
        qr_address(certificate.identifier)
        + "#"
        + encode_payload(sign_claims(certificate_claims(certificate), signer))
    )
    if len(text) > _SURELY_FITS and qr_version(text) > MAX_SIGNED_QR_VERSION:
        return verification_url(certificate.identifier)
    return text


# --- Checking -----------------------------------------------------------------------------------


class QrProblem(ValueError):
    """Why a QR payload is not valid (the message is for people, in the active language)."""


@dataclass
class QrCheck:
    """The answer about one QR text: valid or not, why not, and what the payload claims."""

    valid: bool
    problem: str = ""
    kid: str = ""
    claims: dict[str, object] = field(default_factory=dict)
    key: IssuerKey | None = None


_PATH_IDENTIFIER = re.compile(r"/v/([^/?#]+)$", re.IGNORECASE)


def decode_payload(text: str) -> bytes:
    """The COSE bytes of a QR text (a whole address with ``#``, or the payload alone)."""
    text = text.strip()
    if "#" in text:
        text = text.split("#", 1)[1]
    if not text:
        raise QrProblem(_("The QR code carries no signed data (nothing after '#')."))
    try:
        packed = base64.b32decode(text.upper() + "=" * (-len(text) % 8))
    except (binascii.Error, ValueError) as exc:
        raise QrProblem(_("The signed data is damaged: it is not base32 text.")) from exc
    unpacker = zlib.decompressobj(-15)
    try:
        cose = unpacker.decompress(packed, MAX_COSE_BYTES)
    except zlib.error as exc:
        raise QrProblem(_("The signed data is damaged: it cannot be decompressed.")) from exc
    if not unpacker.eof or unpacker.unconsumed_tail or unpacker.unused_data:
        raise QrProblem(_("The signed data is damaged: it cannot be decompressed."))
    return cose


def _cbor(data: bytes):
    """One CBOR item that uses every byte; anything else is damage."""
    stream = io.BytesIO(data)
    try:
        item = cbor2.CBORDecoder(stream).decode()
    except (cbor2.CBORDecodeError, ValueError, TypeError, OverflowError, RecursionError) as exc:
        raise QrProblem(_("The signed data is damaged: it is not a COSE_Sign1 message.")) from exc
    if stream.tell() != len(data):
        raise QrProblem(_("The signed data is damaged: it is not a COSE_Sign1 message."))
    return item


def _named_claims(claims: Mapping) -> dict[str, object]:
    named = {}
    for key, name in CLAIMS.items():
        if key not in claims:
            raise QrProblem(_("The signed claims are incomplete."))
        named[name] = claims[key]
    try:
        named["identifier"] = identifier_from_bytes(named["identifier"])
        named["completed_on"] = EPOCH + timedelta(days=int(named["completed_on"]))
        named["issuer"] = _DID_WEB + str(named["issuer"])
    except (MalformedIdentifier, TypeError, ValueError, OverflowError) as exc:
        raise QrProblem(_("The signed claims cannot be read.")) from exc
    return named


def verify_cose(cose: bytes, keys: list[IssuerKey]) -> QrCheck:
    """Check a COSE_Sign1 against ``keys`` (the published JWKS or the local keyring)."""
    try:
        message = _cbor(cose)
        if (
            not isinstance(message, cbor2.CBORTag)
            or message.tag != COSE_SIGN1_TAG
            or not isinstance(message.value, list | tuple)
            or len(message.value) != 4
        ):
            raise QrProblem(_("The signed data is damaged: it is not a COSE_Sign1 message."))
        protected, unprotected, payload, signature = message.value
        if not (
            isinstance(protected, bytes)
            and isinstance(unprotected, Mapping)
            and isinstance(payload, bytes)
            and isinstance(signature, bytes)
        ):
            raise QrProblem(_("The signed data is damaged: it is not a COSE_Sign1 message."))
        header = _cbor(protected) if protected else {}
        if not isinstance(header, Mapping) or header.get(HEADER_ALG) != ALG_EDDSA:
            raise QrProblem(_("The signed data does not use the EdDSA algorithm."))
        kid_bytes = header.get(HEADER_KID)
        if not isinstance(kid_bytes, bytes):
            raise QrProblem(_("The signed data does not say which key signed it."))
    except QrProblem as problem:
        return QrCheck(valid=False, problem=str(problem))
    kid = b64url(kid_bytes)
    key = next((k for k in keys if k.kid == kid), None)
    if key is None:
        problem = _("The data was signed with key %(kid)s, which the issuer does not publish.")
        return QrCheck(valid=False, problem=problem % {"kid": kid}, kid=kid)
    if len(signature) != 64 or not key.verify(signature, _sig_structure(protected, payload)):
        problem = _(
            "The signature does not match: the data was changed, or the issuer did not sign it."
        )
        return QrCheck(valid=False, problem=problem, kid=kid, key=key)
    try:
        claims = _cbor(payload)
        if not isinstance(claims, Mapping):
            raise QrProblem(_("The signed claims cannot be read."))
        named = _named_claims(claims)
    except QrProblem as problem:
        return QrCheck(valid=False, problem=str(problem), kid=kid, key=key)
    if key.not_after is not None and named["completed_on"] > key.not_after.date():
        problem = _(
            "Key %(kid)s was retired on %(date)s, before the completion date it signs for."
        ) % {"kid": kid, "date": key.not_after.date().isoformat()}
        return QrCheck(valid=False, problem=problem, kid=kid, claims=named, key=key)
    return QrCheck(valid=True, kid=kid, claims=named, key=key)


def verify_qr(text: str, *, keys: list[IssuerKey] | None = None) -> QrCheck:
    """Check a scanned QR text offline: signature, key, and that the signed identifier is the
    one in the address. ``keys`` default to this site's published keys."""
    keys = issuer_keys.published_keys() if keys is None else keys
    try:
        cose = decode_payload(text)
    except QrProblem as problem:
        return QrCheck(valid=False, problem=str(problem))
    check = verify_cose(cose, keys)
    address = text.strip().split("#", 1)[0]
    found = _PATH_IDENTIFIER.search(address)
    if check.valid and found:
        try:
            in_address = normalize(found.group(1))
        except MalformedIdentifier:
            in_address = ""
        if in_address != check.claims["identifier"]:
            check.valid = False
            check.problem = _(
                "The signed identifier is not the one in the QR code's address: the code was "
                "put together from two certificates."
            )
    return check
