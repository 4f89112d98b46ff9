"""The PDF signature of certificates (PAdES B-T): the issuer's X.509 signing certificate and an
RFC 3161 signature timestamp, so Adobe Reader, pdfsig or pyHanko can check a PDF offline.

The PDF itself is prepared by ``certificates.pdfwriter`` (a signature field, a placeholder and the
SHA-256 of the bytes it covers), in worker processes that never see a key; this module turns that
digest into the CMS SignedData that fills the placeholder. Keys and certificates are PEM files in
``LMS_PDF_SIGNING_DIR``: ``signer.key.pem`` (ECDSA P-256: pdfsig does not accept Ed25519),
``signer.chain.pem`` (the signer's certificate first, then its CA), and, unless a timestamp
authority is set (``LMS_PDF_TSA_URL``), ``tsa.key.pem``/``tsa.chain.pem`` for a local one.
Development and tests create a throw-away CA and these files when they are missing
(``LMS_PDF_SIGNING_AUTOCREATE``); production stops and says how to create them.
"""

import asyncio
import datetime as dt
import hashlib
import os
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from asn1crypto import algos, cms, core, keys, pem, tsp, x509
from cryptography import x509 as pyca_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.sign import general, signers
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

SIGNER_KEY = "signer.key.pem"
SIGNER_CHAIN = "signer.chain.pem"
TSA_KEY = "tsa.key.pem"
TSA_CHAIN = "tsa.chain.pem"
DIGEST = "sha256"


class PdfSigningMissing(RuntimeError):
    """No key or certificate to sign PDFs with is configured."""


def _der_length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def _attribute_set(encoded: list[bytes]) -> cms.CMSAttributes:
    """A DER SET OF already encoded attributes (DER sorts its members by their encoding)."""
    body = b"".join(sorted(encoded))
    return cms.CMSAttributes.load(b"\x31" + _der_length(len(body)) + body)


class _Signer(signers.SimpleSigner):
    """The CMS SignedData of a PDF signature, PAdES B-T: signed attributes content type, message
    digest and signing-certificate-v2 (no signing-time: the timestamp dates it), and the
    timestamp token over the signature as unsigned attribute. pyHanko's signer parses the private
    key and encodes every structure again for each signature (most of its 84 ms per PDF); here
    the key is parsed and everything constant encoded once, and the rest written as DER."""

    @cached_property
    def _private_key(self) -> ec.EllipticCurvePrivateKey:
        return serialization.load_der_private_key(self.signing_key.dump(), password=None)

    @cached_property
    def _constant(self) -> dict:
        digest_algorithm = algos.DigestAlgorithm({"algorithm": DIGEST}).dump()
        return {
            "attributes": [
                general.simple_cms_attribute("content_type", "data").dump(),
                general.simple_cms_attribute(
                    "signing_certificate_v2",
                    general.as_signing_certificate_v2(self.signing_cert, DIGEST),
                ).dump(),
            ],
            # SignedData up to its certificates: version 1, the digest algorithm, and the
            # encapsulated content type "data" without content (a detached signature).
            "head": b"\x02\x01\x01"
            + _tlv(0x31, digest_algorithm)
            + _tlv(0x30, _tlv(0x06, DATA_OID))
            + _tlv(0xA0, _certificate_set([self.signing_cert, *self.cert_registry])),
            "signer_head": _signer_head(self.signing_cert, digest_algorithm),
            "signature_algorithm": algos.SignedDigestAlgorithm(
                {"algorithm": "sha256_ecdsa"}
            ).dump(),
        }

    async def sign_pades_digest(self, digest: bytes, timestamper: TimeStamper) -> bytes:
        constant = self._constant
        message_digest = general.simple_cms_attribute("message_digest", digest).dump()
        attributes = _attribute_set([*constant["attributes"], message_digest]).dump()
        signature = self._private_key.sign(attributes, ec.ECDSA(hashes.SHA256()))
        token = await timestamper.async_timestamp(hashlib.sha256(signature).digest(), DIGEST)
        unsigned = _tlv(0x30, _tlv(0x06, TIMESTAMP_TOKEN_OID) + _tlv(0x31, token.dump()))
        signer_info = _signer_info(constant, attributes, signature, _tlv(0xA1, unsigned))
        signed_data = _tlv(0x30, constant["head"] + _tlv(0x31, signer_info))
        return _tlv(0x30, _tlv(0x06, SIGNED_DATA_OID) + _tlv(0xA0, signed_data))


# The local authority's policy: an OID of our own (ITU-T X.667, from a random UUID), never a real
# authority's.
LOCAL_TSA_POLICY = "2.25.200370829235338383304194827203088278159"


def _tlv(tag: int, body: bytes) -> bytes:
    return bytes([tag]) + _der_length(len(body)) + body


def _certificate_set(certificates) -> bytes:
    """The body of a SET OF certificates: DER orders its members by their encodings."""
    return b"".join(sorted(c.dump() for c in certificates))


def _signer_head(certificate, digest_algorithm: bytes) -> bytes:
    """A SignerInfo up to its signed attributes: version 1, issuer and serial, digest."""
    signer_id = cms.IssuerAndSerialNumber(
        {"issuer": certificate.issuer, "serial_number": certificate.serial_number}
    ).dump()
    return b"\x02\x01\x01" + signer_id + digest_algorithm


def _signer_info(
    constant: dict, attributes: bytes, signature: bytes, unsigned: bytes = b""
) -> bytes:
    return _tlv(
        0x30,
        constant["signer_head"]
        + b"\xa0"
        + attributes[1:]  # the SET's body, tagged [0] IMPLICIT
        + constant["signature_algorithm"]
        + _tlv(0x04, signature)
        + unsigned,
    )


class _LocalTimeStamper(DummyTimeStamper):
    """An RFC 3161 authority in this process, with its RSA key parsed once and the token's
    constant parts (certificates, algorithm identifiers, signer identifier, attributes) encoded
    once: building the token from asn1crypto objects, as pyHanko's test authority does, costs
    more than the rest of the signature. Only the TSTInfo, two attributes and the RSA signature
    are made per token; pyHanko's public ``async_timestamp`` is the only method replaced."""

    @cached_property
    def _private_key(self) -> rsa.RSAPrivateKey:
        return serialization.load_der_private_key(self.tsa_key.dump(), password=None)

    @cached_property
    def _constant(self) -> dict[str, bytes]:
        digest_algorithm = algos.DigestAlgorithm({"algorithm": DIGEST}).dump()
        certificates = _certificate_set([self.tsa_cert, *self.certs_to_embed])
        return {
            "attributes": [
                general.simple_cms_attribute("content_type", "tst_info").dump(),
                general.simple_cms_attribute(
                    "signing_certificate", general.as_signing_certificate(self.tsa_cert)
                ).dump(),
            ],
            # SignedData up to encapContentInfo: version 3, the digest algorithm.
            "head": b"\x02\x01\x03" + _tlv(0x31, digest_algorithm),
            "certificates": _tlv(0xA0, certificates),
            "signer_head": _signer_head(self.tsa_cert, digest_algorithm),
            "signature_algorithm": algos.SignedDigestAlgorithm(
                {"algorithm": "rsassa_pkcs1v15"}
            ).dump(),
            "tsa": x509.GeneralName(name="directory_name", value=self.tsa_cert.subject),
        }

    async def async_timestamp(self, message_digest: bytes, md_algorithm: str) -> cms.ContentInfo:
        if md_algorithm != DIGEST:
            raise ValueError(f"The local timestamp authority hashes with {DIGEST} only.")
        constant = self._constant
        now = dt.datetime.now(dt.UTC)
        tst_info = tsp.TSTInfo(
            {
                "version": "v1",
                "policy": LOCAL_TSA_POLICY,
                "message_imprint": {
                    "hash_algorithm": {"algorithm": md_algorithm},
                    "hashed_message": message_digest,
                },
                "serial_number": int.from_bytes(os.urandom(8), "big"),
                "gen_time": now,
                "tsa": constant["tsa"],
            }
        ).dump()
        attributes = _attribute_set(
            [
                *constant["attributes"],
                general.simple_cms_attribute(
                    "signing_time", cms.Time({"utc_time": core.UTCTime(now)})
                ).dump(),
                general.simple_cms_attribute(
                    "message_digest", hashlib.sha256(tst_info).digest()
                ).dump(),
            ]
        ).dump()
        signature = self._private_key.sign(attributes, PKCS1v15(), hashes.SHA256())
        signer_info = _signer_info(constant, attributes, signature)
        encapsulated = _tlv(0x30, _tlv(0x06, TST_INFO_OID) + _tlv(0xA0, _tlv(0x04, tst_info)))
        signed_data = _tlv(
            0x30,
            constant["head"] + encapsulated + constant["certificates"] + _tlv(0x31, signer_info),
        )
        return cms.ContentInfo.load(
            _tlv(0x30, _tlv(0x06, SIGNED_DATA_OID) + _tlv(0xA0, signed_data))
        )


DATA_OID = bytes.fromhex("2a864886f70d010701")  # 1.2.840.113549.1.7.1
SIGNED_DATA_OID = bytes.fromhex("2a864886f70d010702")  # 1.2.840.113549.1.7.2
TIMESTAMP_TOKEN_OID = bytes.fromhex("2a864886f70d010910020e")  # 1.2.840.113549.1.9.16.2.14
TST_INFO_OID = bytes.fromhex("2a864886f70d0109100104")  # 1.2.840.113549.1.9.16.1.4


@dataclass
class PdfSigner:
    """Signs a PDF's digest: the CMS SignedData (DER) for its /Contents."""

    signer: _Signer
    timestamper: TimeStamper
    trust_root: x509.Certificate  # the CA at the end of signer.chain.pem

    def __post_init__(self) -> None:
        self._loops = threading.local()

    def sign_digest(self, digest: bytes) -> bytes:
        # pyHanko's API is asynchronous; one event loop per thread, reused (asyncio.run would
        # create and close one per PDF).
        loop = getattr(self._loops, "loop", None)
        if loop is None:
            loop = self._loops.loop = asyncio.new_event_loop()
        return loop.run_until_complete(self.signer.sign_pades_digest(digest, self.timestamper))


# --- Files -------------------------------------------------------------------------------------


def signing_dir() -> Path:
    return Path(settings.LMS_PDF_SIGNING_DIR)


def _certificates(path: Path) -> list[x509.Certificate]:
    return [x509.Certificate.load(der) for _t, _h, der in pem.unarmor(path.read_bytes(), True)]


def _private_key(path: Path) -> keys.PrivateKeyInfo:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return keys.PrivateKeyInfo.load(der)


def _load(directory: Path, tsa_url: str) -> PdfSigner:
    chain = _certificates(directory / SIGNER_CHAIN)
    key = _private_key(directory / SIGNER_KEY)
    if key.algorithm != "ec" or key.curve[1] != "secp256r1":
        raise PdfSigningMissing(
            _("%(path)s must be an ECDSA P-256 key.") % {"path": directory / SIGNER_KEY}
        )
    signer = _Signer(
        signing_cert=chain[0],
        signing_key=key,
        cert_registry=SimpleCertificateStore.from_certs(chain[1:]),
    )
    if tsa_url:
        timestamper = HTTPTimeStamper(tsa_url)
    else:
        tsa_chain = _certificates(directory / TSA_CHAIN)
        timestamper = _LocalTimeStamper(
            tsa_cert=tsa_chain[0],
            tsa_key=_private_key(directory / TSA_KEY),
            certs_to_embed=SimpleCertificateStore.from_certs(tsa_chain[1:]),
        )
    return PdfSigner(signer=signer, timestamper=timestamper, trust_root=chain[-1])


def _needed(tsa_url: str) -> list[str]:
    return [SIGNER_KEY, SIGNER_CHAIN] + ([] if tsa_url else [TSA_KEY, TSA_CHAIN])


_cache: dict[tuple, PdfSigner] = {}
_lock = threading.Lock()


def pdf_signer() -> PdfSigner:
    """The signer of certificate PDFs, read once (again when the files change)."""
    directory, tsa_url = signing_dir(), settings.LMS_PDF_TSA_URL
    needed = [directory / name for name in _needed(tsa_url)]
    with _lock:
        if not all(path.exists() for path in needed):
            if not settings.LMS_PDF_SIGNING_AUTOCREATE:
                raise PdfSigningMissing(
                    _(
                        "No key and certificate to sign certificate PDFs are configured. Create "
                        "them with 'python manage.py pdf_signing_keys generate' (they are written "
                        "to %(dir)s), or put a P-256 key and its certificate chain issued by your "
                        "CA there and set LMS_PDF_TSA_URL; see docs/verification.md."
                    )
                    % {"dir": directory}
                )
            generate(directory=directory)
        token = (str(directory), tsa_url, *(path.stat().st_mtime_ns for path in needed))
        found = _cache.get(token)
        if found is None:
            _cache.clear()
            found = _cache[token] = _load(directory, tsa_url)
        return found


# --- A self-made CA, for development, tests and installations without one ----------------------


def _name(common_name: str) -> pyca_x509.Name:
    return pyca_x509.Name([pyca_x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(subject, public_key, issuer, issuer_key, *, ca=False, usage=None, years=10):
    now = dt.datetime.now(dt.UTC)
    builder = (
        pyca_x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(pyca_x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(pyca_x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(pyca_x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            pyca_x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=not ca and usage is None,  # the signer: non-repudiation
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )
    if not ca:
        builder = builder.add_extension(
            pyca_x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    if usage is not None:
        builder = builder.add_extension(pyca_x509.ExtendedKeyUsage(usage), critical=True)
    return builder.sign(issuer_key, hashes.SHA256())


def _write(path: Path, data: bytes, mode: int) -> None:
    tmp = path.with_name(path.name + ".tmp")
    descriptor = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(descriptor, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


def _key_pem(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _cert_pem(*certificates) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certificates)


def generate(*, directory: Path | None = None, issuer: str = "") -> list[Path]:
    """A CA of this installation ("<issuer> test CA") and, issued by it, the PDF signer's
    certificate (P-256) and a timestamp authority's (RSA-2048: pyHanko's local TSA signs with RSA
    only). The CA's private key is not kept: nothing else is issued by it."""
    directory = directory or signing_dir()
    issuer = issuer or settings.LMS_PDF_SIGNER_NAME
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name(f"{issuer} test CA")
    ca = _certificate(ca_name, ca_key.public_key(), ca_name, ca_key, ca=True, years=20)
    signer_key = ec.generate_private_key(ec.SECP256R1())
    signer = _certificate(_name(issuer), signer_key.public_key(), ca_name, ca_key)
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tsa = _certificate(
        _name(f"{issuer} timestamps"),
        tsa_key.public_key(),
        ca_name,
        ca_key,
        usage=[ExtendedKeyUsageOID.TIME_STAMPING],
    )
    written = []
    for name, data, mode in (
        (SIGNER_KEY, _key_pem(signer_key), 0o600),
        (SIGNER_CHAIN, _cert_pem(signer, ca), 0o644),
        (TSA_KEY, _key_pem(tsa_key), 0o600),
        (TSA_CHAIN, _cert_pem(tsa, ca), 0o644),
    ):
        _write(directory / name, data, mode)
        written.append(directory / name)
    return written
