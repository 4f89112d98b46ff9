"""W3C Data Integrity proofs (cryptosuite ``eddsa-rdfc-2022``) and Bitstring Status List bits.

Pure functions over JSON-LD documents, no Django: documents are canonicalized with RDFC-1.0
(PyLD's URDNA2015) through a loader that serves only the contexts bundled in
``certificates/contexts/`` and never the network; the signature is Ed25519 over
SHA-256(canonical proof options) followed by SHA-256(canonical document), written as multibase
base58btc (``z...``). docs/verification.md shows how to check a proof by hand.
"""

import gzip
import hashlib
import io
import json
import re
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pyld import jsonld

from certificates.keys import Signer, b64url, b64url_decode, base58, base58_decode

CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
OPEN_BADGES_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_TYPE = "DataIntegrityProof"

_CONTEXT_DIR = Path(__file__).resolve().parent / "contexts"
_CONTEXT_FILES = {
    CREDENTIALS_V2: "credentials-v2.jsonld",
    OPEN_BADGES_V3: "ob-v3p0-context-3.0.3.jsonld",
}
_contexts: dict[str, dict] = {}
# Bitstring Status List: the bitstring is gzipped, then multibase base64url (``u...``).
MULTIBASE_BASE64URL = "u"
MAX_BITSTRING_BYTES = 1 << 20  # what inflating a status list may produce


class ProofError(ValueError):
    """The document carries no proof we can check, or one that does not hold."""


def _document_loader(url: str, options=None) -> dict:
    """Only the bundled contexts: a document naming any other is refused, never fetched."""
    name = _CONTEXT_FILES.get(url)
    if name is None:
        raise jsonld.JsonLdError(
            f"context {url} is not bundled",
            "jsonld.LoadDocumentError",
            code="loading document failed",
        )
    if url not in _contexts:
        _contexts[url] = json.loads((_CONTEXT_DIR / name).read_text(encoding="utf-8"))
    return {"contextUrl": None, "documentUrl": url, "document": _contexts[url]}


@cache
def _defined_terms() -> frozenset[str]:
    """Every term the bundled contexts define, at any depth (scoped contexts included)."""
    terms: set[str] = set()

    def collect(context):
        if isinstance(context, list):
            for item in context:
                collect(item)
        elif isinstance(context, dict):
            for term, definition in context.items():
                terms.add(term)
                if isinstance(definition, dict) and "@context" in definition:
                    collect(definition["@context"])

    for url in _CONTEXT_FILES:
        collect(_document_loader(url)["document"]["@context"])
    return frozenset(terms)


def undefined_terms(document) -> list[str]:
    """Keys no bundled context defines: JSON-LD drops them, so a proof would not cover them."""
    known = _defined_terms()
    found = []

    def walk(node):
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key == "@context":
                    continue
                if not key.startswith("@") and key not in known:
                    found.append(key)
                walk(value)

    walk(document)
    return found


def canonical_nquads(document: dict) -> str:
    """The document's RDF dataset, canonicalized (RDFC-1.0) and written as N-Quads."""
    options = {
        "algorithm": "URDNA2015",
        "format": "application/n-quads",
        # A term no context defines is not dropped (unsigned): credentials v2 has an @vocab.
        "documentLoader": _document_loader,
    }
    try:
        return jsonld.normalize(document, options)
    except jsonld.JsonLdError as error:
        raise ProofError(f"the document is not valid JSON-LD for its contexts: {error}") from error


# --- The same canonical N-Quads, fast, for documents of a known shape ----------------------------
#
# Bulk issue signs hundreds of credentials a second that differ only in their values. The first
# document of each shape (its keys, its constants, where the values go) is canonicalized by PyLD
# with a marker in place of every value; later ones reuse those quads, put the escaped values back
# and label the blank nodes as RDFC-1.0 does (first-degree hashes; any tie falls back to PyLD).
# The result is compared with PyLD's for the first document of each shape, and the tests compare
# it on many more.

# Values that name vocabulary (expanded to IRIs by the context) stay part of the shape.
_SHAPE_KEYS = frozenset(
    {"type", "achievementType", "identityType", "statusPurpose", "proofPurpose", "cryptosuite"}
)
_MARK = "urn:x-lms-value:"
_MARK_RE = re.compile(r"urn:x-lms-value:(\d+)#")
_BLANK_RE = re.compile(r"_:[A-Za-z0-9]+")
_UNSAFE = re.compile(r"[\x00-\x1f\x7f]|_:")
_templates: dict[str, list[str]] = {}


def _masked(node, values: list):
    """The document's shape: every value replaced by a numbered marker (appended to values)."""
    if isinstance(node, list):
        return [_masked(item, values) for item in node]
    if isinstance(node, dict):
        return {
            key: item if key == "@context" or key in _SHAPE_KEYS else _masked(item, values)
            for key, item in node.items()
        }
    if isinstance(node, str):
        values.append(node)
        return f"{_MARK}{len(values) - 1}#"
    return node


def _escape_literal(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def _label_blank_nodes(lines: list[str]) -> str | None:
    """RDFC-1.0 with first-degree hashes only; None when two blank nodes tie (use PyLD)."""
    mentions: dict[str, list[str]] = {}
    for line in lines:
        for label in set(_BLANK_RE.findall(line)):
            mentions.setdefault(label, []).append(line)
    hashes = {}
    for label, quads in mentions.items():
        # Outside literals (ours hold no "_:" once escaped values are in: checked by the caller).
        relabelled = sorted(
            _BLANK_RE.sub(lambda m, own=label: "_:a" if m.group(0) == own else "_:z", quad)
            for quad in quads
        )
        hashes[label] = hashlib.sha256("".join(relabelled).encode()).hexdigest()
    if len(set(hashes.values())) != len(hashes):
        return None
    canonical = {
        label: f"_:c14n{n}" for n, label in enumerate(sorted(hashes, key=hashes.__getitem__))
    }
    return "".join(sorted(_BLANK_RE.sub(lambda m: canonical[m.group(0)], line) for line in lines))


def canonical_nquads_fast(document: dict) -> str:
    """canonical_nquads, without JSON-LD processing for a shape seen before."""
    values: list[str] = []
    shape = json.dumps(_masked(document, values), sort_keys=True)
    if _UNSAFE.search("".join(values)):
        return canonical_nquads(document)  # control characters, blank-node-like text: the long way
    template = _templates.get(shape)
    if template is None:
        marked = jsonld.to_rdf(
            json.loads(shape), {"format": "application/n-quads", "documentLoader": _document_loader}
        )
        template = marked.splitlines(keepends=True)
        if len(_templates) > 64:
            _templates.clear()
        _templates[shape] = template
        fresh = True
    else:
        fresh = False

    def value(match: re.Match, line: str) -> str:
        text = values[int(match.group(1))]
        # Inside a literal ("...") the text is escaped; as an IRI (<...>) it is written as is.
        return text if line[match.start() - 1] == "<" else _escape_literal(text)

    lines = [_MARK_RE.sub(lambda m, line=line: value(m, line), line) for line in template]
    result = _label_blank_nodes(lines)
    if result is None:
        return canonical_nquads(document)
    if fresh and result != canonical_nquads(document):
        _templates.pop(shape, None)
        raise ProofError("the fast canonicalization disagrees with PyLD for this shape")
    return result


def xsd_datetime(moment: datetime) -> str:
    """An XML Schema dateTime in UTC to the second, as proofs and credentials write it."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


_config_hashes: dict[str, bytes] = {}


def _hash_data(unsecured: dict, options: dict) -> bytes:
    config = {"@context": unsecured["@context"], **options}
    key = json.dumps(config, sort_keys=True)
    config_hash = _config_hashes.get(key)
    if config_hash is None:
        # One batch signs many documents with the same options: canonicalize those once.
        config_hash = hashlib.sha256(canonical_nquads(config).encode()).digest()
        if len(_config_hashes) > 256:
            _config_hashes.clear()
        _config_hashes[key] = config_hash
    return config_hash + hashlib.sha256(canonical_nquads_fast(unsecured).encode()).digest()


def proof_add(
    document: dict,
    signer: Signer,
    *,
    verification_method: str,
    created: datetime,
    purpose: str = "assertionMethod",
) -> dict:
    """A copy of the document with an ``eddsa-rdfc-2022`` DataIntegrityProof (any old one goes)."""
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    options = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": xsd_datetime(created),
        "verificationMethod": verification_method,
        "proofPurpose": purpose,
    }
    signature = signer.sign(_hash_data(unsecured, options))
    return {**unsecured, "proof": {**options, "proofValue": "z" + base58(signature)}}


def proof_check(document: dict, public_key_bytes: bytes) -> dict:
    """Check the document's single ``eddsa-rdfc-2022`` proof; its proof dict, or ProofError."""
    proof = document.get("proof")
    if not isinstance(proof, dict):
        raise ProofError("the document has no proof (or more than one)")
    if (proof.get("type"), proof.get("cryptosuite")) != (PROOF_TYPE, CRYPTOSUITE):
        raise ProofError(f"not a {PROOF_TYPE} with {CRYPTOSUITE}")
    value = proof.get("proofValue", "")
    if not isinstance(value, str) or not value.startswith("z"):
        raise ProofError("proofValue is not multibase base58btc")
    try:
        signature = base58_decode(value[1:])
    except ValueError as error:
        raise ProofError(str(error)) from error
    unsecured = {key: item for key, item in document.items() if key != "proof"}
    options = {key: item for key, item in proof.items() if key != "proofValue"}
    if unsigned := undefined_terms(document):
        raise ProofError(f"terms no context defines, which the proof does not cover: {unsigned}")
    try:
        Ed25519PublicKey.from_public_bytes(public_key_bytes).verify(
            signature, _hash_data(unsecured, options)
        )
    except (InvalidSignature, ValueError) as error:
        raise ProofError("the signature does not match the document") from error
    return proof


# --- Bitstring Status List ---------------------------------------------------------------------


def bitstring_encode(positions, size: int) -> str:
    """``encodedList``: bit i set for each position (bit 0 is the first byte's high bit)."""
    bits = bytearray(size // 8)
    for position in positions:
        bits[position >> 3] |= 0x80 >> (position & 7)
    return MULTIBASE_BASE64URL + b64url(gzip.compress(bytes(bits), mtime=0))


def bitstring_decode(encoded: str) -> bytes:
    if not encoded.startswith(MULTIBASE_BASE64URL):
        raise ValueError("encodedList is not multibase base64url")
    compressed = b64url_decode(encoded[1:])
    with gzip.GzipFile(fileobj=io.BytesIO(compressed)) as stream:
        bits = stream.read(MAX_BITSTRING_BYTES + 1)
    if len(bits) > MAX_BITSTRING_BYTES:
        raise ValueError("encodedList inflates beyond the limit")
    return bits


def bit_is_set(bits: bytes, position: int) -> bool:
    return bool(bits[position >> 3] & (0x80 >> (position & 7)))
