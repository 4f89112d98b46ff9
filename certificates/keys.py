"""Issuer keys: the Ed25519 keys that sign certificates, kept outside the database.

Keys live in ``LMS_ISSUER_KEY_DIR`` (one ``<kid>.pem`` PKCS#8 private key per key, with a
``<kid>.json`` sidecar holding its validity window; ``<kid>.pub.pem`` for a key whose private
half lives elsewhere, e.g. in a hardware module) and/or in the ``LMS_ISSUER_KEY`` environment
variable (a PEM private key). The key id (``kid``) is the first 8 bytes of SHA-256 of the raw
32-byte public key, base64url without padding (11 characters). Signing goes through the
``Signer`` protocol, so a key service can replace the local keys (``LMS_ISSUER_SIGNER``);
see docs/verification.md.
"""

import base64
import hashlib
import json
import os
import threading
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol, runtime_checkable
from urllib.parse import quote, urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

KID_BYTES = 8
MULTICODEC_ED25519_PUB = b"\xed\x01"
_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


class IssuerKeyMissing(RuntimeError):
    """No key may sign now (none configured, or every window has closed)."""


@runtime_checkable
class Signer(Protocol):
    """What signing needs: a key service (HSM, cloud KMS) implements these three members."""

    kid: str
    public_key_bytes: bytes  # the raw 32-byte Ed25519 public key

    def sign(self, data: bytes) -> bytes:  # a 64-byte Ed25519 signature
        ...


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def kid_for(public_key_bytes: bytes) -> str:
    """The key id: base64url of the first 8 bytes of SHA-256 of the raw public key."""
    return b64url(hashlib.sha256(public_key_bytes).digest()[:KID_BYTES])


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@dataclass(frozen=True)
class IssuerKey:
    """One key of the keyring; a Signer when its private half is here."""

    kid: str
    public_key_bytes: bytes
    not_before: datetime | None = None  # None: since always
    not_after: datetime | None = None  # None: until retired
    published: bool = True
    private_key: Ed25519PrivateKey | None = None
    source: str = ""

    def sign(self, data: bytes) -> bytes:
        if self.private_key is None:
            raise IssuerKeyMissing(
                _("The private half of issuer key %(kid)s is not available here.")
                % {"kid": self.kid}
            )
        return self.private_key.sign(data)

    def verify(self, signature: bytes, data: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key_bytes).verify(signature, data)
        except (InvalidSignature, ValueError):
            return False
        return True

    def covers(self, moment: datetime) -> bool:
        if self.not_before is not None and moment < self.not_before:
            return False
        return self.not_after is None or moment < self.not_after

    def jwk(self) -> dict:
        """The public key as a JWK (RFC 8037 OKP); nbf/exp are this site's window, in seconds."""
        jwk = {
            "kty": "OKP",
            "crv": "Ed25519",
            "x": b64url(self.public_key_bytes),
            "kid": self.kid,
            "use": "sig",
            "alg": "EdDSA",
        }
        if self.not_before is not None:
            jwk["nbf"] = int(self.not_before.timestamp())
        if self.not_after is not None:
            jwk["exp"] = int(self.not_after.timestamp())
        return jwk

    @classmethod
    def from_jwk(cls, jwk: dict) -> "IssuerKey":
        if (jwk.get("kty"), jwk.get("crv")) != ("OKP", "Ed25519"):
            raise ValueError("not an Ed25519 JWK")
        raw = b64url_decode(jwk["x"])
        if len(raw) != 32:
            raise ValueError("an Ed25519 public key has 32 bytes")

        def moment(name):
            return datetime.fromtimestamp(jwk[name], tz=UTC) if name in jwk else None

        return cls(
            kid=jwk.get("kid") or kid_for(raw),
            public_key_bytes=raw,
            not_before=moment("nbf"),
            not_after=moment("exp"),
        )

    def multibase(self) -> str:
        """``z`` + base58btc of the multicodec ed25519-pub prefix and the raw key (Multikey)."""
        return "z" + base58(MULTICODEC_ED25519_PUB + self.public_key_bytes)


def base58(data: bytes) -> str:
    """Bitcoin's base58 alphabet (multibase ``z``): leading zero bytes become ``1``."""
    number = int.from_bytes(data, "big")
    chars = []
    while number:
        number, digit = divmod(number, 58)
        chars.append(_BASE58[digit])
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + "".join(reversed(chars))


def base58_decode(text: str) -> bytes:
    """The inverse of ``base58``; ValueError on a character outside the alphabet."""
    number = 0
    for char in text:
        digit = _BASE58.find(char)
        if digit < 0:
            raise ValueError(f"not a base58 character: {char!r}")
        number = number * 58 + digit
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def keys_from_jwks(document: dict) -> list[IssuerKey]:
    """The Ed25519 keys of a JWK Set (others are skipped)."""
    keys = []
    for jwk in document.get("keys", []):
        try:
            keys.append(IssuerKey.from_jwk(jwk))
        except (KeyError, TypeError, ValueError):
            continue
    return keys


# --- The keyring on disk and in the environment -----------------------------------------------


def key_dir() -> Path:
    return Path(settings.LMS_ISSUER_KEY_DIR)


def parse_moment(value) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


def iso_moment(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z") if moment else None


def _sidecar(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def _from_private_pem(pem: bytes, *, source: str, window: dict) -> IssuerKey:
    private = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(private, Ed25519PrivateKey):
        raise ValueError(f"{source}: not an Ed25519 private key")
    raw = _raw_public(private.public_key())
    return IssuerKey(
        kid=kid_for(raw),
        public_key_bytes=raw,
        not_before=parse_moment(window.get("not_before")),
        not_after=parse_moment(window.get("not_after")),
        published=window.get("published", True),
        private_key=private,
        source=source,
    )


def _read_dir(directory: Path) -> list[IssuerKey]:
    keys = []
    for path in sorted(directory.glob("*.pem")):
        if path.name.endswith(".pub.pem"):
            public = serialization.load_pem_public_key(path.read_bytes())
            if not isinstance(public, Ed25519PublicKey):
                raise ValueError(f"{path}: not an Ed25519 public key")
            raw = _raw_public(public)
            window = _sidecar(path.with_name(path.name[: -len(".pub.pem")] + ".json"))
            keys.append(
                IssuerKey(
                    kid=kid_for(raw),
                    public_key_bytes=raw,
                    not_before=parse_moment(window.get("not_before")),
                    not_after=parse_moment(window.get("not_after")),
                    published=window.get("published", True),
                    source=str(path),
                )
            )
        else:
            window = _sidecar(path.with_suffix(".json"))
            keys.append(_from_private_pem(path.read_bytes(), source=str(path), window=window))
    return keys


_cache: dict[tuple, list[IssuerKey]] = {}
_lock = threading.Lock()
_changes = [0]  # bumped by this process's own rotations (a directory's mtime may not tick)


def keyring() -> list[IssuerKey]:
    """Every key this site knows, newest window first (the environment's key first of all).

    Read again whenever the directory changes (a rotation by the management command in another
    process writes new files, which changes the directory's modification time).
    """
    directory = key_dir()
    env_pem = settings.LMS_ISSUER_KEY
    try:
        stamp = directory.stat().st_mtime_ns
    except FileNotFoundError:
        stamp = None
    token = (str(directory), stamp, env_pem, _changes[0])
    with _lock:
        found = _cache.get(token)
        if found is None:
            found = _read_dir(directory) if stamp is not None else []
            found.sort(key=lambda k: k.not_before or datetime.min.replace(tzinfo=UTC), reverse=True)
            if env_pem:
                env_key = _from_private_pem(
                    env_pem.encode("ascii"), source="LMS_ISSUER_KEY", window={}
                )
                found = [env_key, *[k for k in found if k.kid != env_key.kid]]
            _cache.clear()
            _cache[token] = found
        return list(found)


def _custom_signer() -> Signer | None:
    path = settings.LMS_ISSUER_SIGNER
    return import_string(path)() if path else None


def signing_key(*, now: datetime | None = None) -> Signer:
    """The signer in use now: the configured key service, the environment's key, or the newest
    key of the directory whose window covers now. In development and tests a key is created when
    there is none (LMS_ISSUER_KEY_AUTOCREATE); elsewhere its absence stops signing."""
    custom = _custom_signer()
    if custom is not None:
        return custom
    now = now or timezone.now()
    for key in keyring():
        if key.private_key is not None and key.published and key.covers(now):
            return key
    if settings.LMS_ISSUER_KEY_AUTOCREATE:
        return key_generate()
    raise IssuerKeyMissing(
        _(
            "No issuer signing key is configured, so certificates cannot be signed. Create one "
            "with 'python manage.py issuer_keys generate' (it is written to %(dir)s), or set "
            "LMS_ISSUER_KEY or LMS_ISSUER_SIGNER; see docs/verification.md."
        )
        % {"dir": key_dir()}
    )


def published_keys() -> list[IssuerKey]:
    """The keys a verifier may check against: every published key, retired ones included."""
    keys = [key for key in keyring() if key.published]
    custom = _custom_signer()
    if custom is not None and all(k.kid != custom.kid for k in keys):
        keys.insert(0, IssuerKey(kid=custom.kid, public_key_bytes=custom.public_key_bytes))
    return keys


# --- Rotation -----------------------------------------------------------------------------------


def _write_sidecar(path: Path, key: IssuerKey) -> None:
    data = {
        "kid": key.kid,
        "not_before": iso_moment(key.not_before),
        "not_after": iso_moment(key.not_after),
        "published": key.published,
    }
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def key_generate(
    *, not_before: datetime | None = None, not_after: datetime | None = None
) -> IssuerKey:
    """A new key in the directory; it signs from ``not_before`` (default now) on."""
    directory = key_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    private = Ed25519PrivateKey.generate()
    raw = _raw_public(private.public_key())
    key = IssuerKey(
        kid=kid_for(raw),
        public_key_bytes=raw,
        not_before=not_before or timezone.now(),
        not_after=not_after,
        private_key=private,
    )
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path = directory / f"{key.kid}.pem"
    # The sidecar first: a reader never sees the key without its window.
    _write_sidecar(path.with_suffix(".json"), key)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as fh:
        fh.write(pem)
    _changes[0] += 1
    return replace(key, source=str(path))


def key_retire(kid: str, *, when: datetime | None = None, unpublish: bool = False) -> IssuerKey:
    """Stop a key signing from ``when`` (default now). It stays published, so what it signed
    still verifies, unless ``unpublish`` (a compromised key): then nothing it signed verifies."""
    for key in keyring():
        if key.kid == kid and key.source.startswith(str(key_dir())):
            break
    else:
        raise KeyError(kid)
    when = when or timezone.now()
    retired = replace(
        key,
        not_after=min(when, key.not_after) if key.not_after else when,
        published=key.published and not unpublish,
    )
    source = Path(key.source)
    stem = source.name[: -len(".pub.pem")] if source.name.endswith(".pub.pem") else source.stem
    _write_sidecar(source.with_name(stem + ".json"), retired)
    _changes[0] += 1
    return retired


# --- What is published at /.well-known/ ---------------------------------------------------------


def jwks() -> dict:
    return {"keys": [key.jwk() for key in published_keys()]}


def did_web() -> str:
    """The site's did:web, from LMS_PUBLIC_URL (a port is written %3A, a path adds segments)."""
    parts = urlsplit(settings.LMS_PUBLIC_URL)
    did = "did:web:" + quote(parts.netloc.lower(), safe="")
    segments = [quote(s, safe="") for s in parts.path.split("/") if s]
    return ":".join([did, *segments])


def did_document() -> dict:
    did = did_web()
    methods = [
        {
            "id": f"{did}#{key.kid}",
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": key.multibase(),
        }
        for key in published_keys()
    ]
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def keys_from_did_document(document: dict) -> list[IssuerKey]:
    """The Ed25519 Multikeys of a DID document (e.g. a saved /.well-known/did.json)."""
    keys = []
    for method in document.get("verificationMethod", []):
        value = method.get("publicKeyMultibase", "") if isinstance(method, dict) else ""
        if method.get("type") != "Multikey" or not value.startswith("z"):
            continue
        try:
            raw = base58_decode(value[1:])
        except ValueError:
            continue
        if raw[:2] == MULTICODEC_ED25519_PUB and len(raw) == 34:
            kid = str(method.get("id", "")).rsplit("#", 1)[-1] or kid_for(raw[2:])
            keys.append(IssuerKey(kid=kid, public_key_bytes=raw[2:]))
    return keys
