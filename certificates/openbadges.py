"""Open Badges 3.0: each certificate as a signed ``OpenBadgeCredential``, and its status lists.

The credential (W3C Verifiable Credentials 2.0) is built from what the certificate froze at issue
and signed on demand with the current issuer key (``eddsa-rdfc-2022``, certificates.dataintegrity):
the same certificate always says the same thing, only the proof's time and key change. The issuer
is the site's ``did:web``; the holder is named as printed and identified by a salted SHA-256 of
their email address, never the address itself. Two ``BitstringStatusListEntry`` entries point
at the revocation and suspension lists of the certificate's block (``StatusList``), which are
derived from the certificates' states on every request, so they cannot drift from them.
docs/verification.md describes the format for verifiers.
"""

import hashlib
import hmac
import json
import secrets
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from certificates import keys as issuer_keys
from certificates.dataintegrity import (
    CREDENTIALS_V2,
    OPEN_BADGES_V3,
    ProofError,
    bit_is_set,
    bitstring_decode,
    bitstring_encode,
    proof_add,
    proof_check,
    xsd_datetime,
)
from certificates.identifiers import verification_url
from certificates.keys import IssuerKey
from certificates.models import Certificate, StatusList

LIST_SIZE = 1 << 17  # 131,072 entries (16 KiB): the Bitstring Status List minimum for privacy
REVOCATION = "revocation"
SUSPENSION = "suspension"
PURPOSES = (REVOCATION, SUSPENSION)
# A replaced certificate no longer stands on its own: verifiers see it as revoked.
_SET_BY = {
    REVOCATION: (Certificate.Status.REVOKED, Certificate.Status.SUPERSEDED),
    SUSPENSION: (Certificate.Status.SUSPENDED,),
}
# Verifiers may cache a list this long (milliseconds, the spec's ``ttl``).
STATUS_LIST_TTL_MS = 300_000
CREDENTIAL_MEDIA_TYPE = "application/vc+ld+json"  # what VC 2.0 verifiers expect to be served
_PERMUTATION_BITS = 18  # a balanced Feistel network over 2^18, cycle-walked into 2^17
_HALF = _PERMUTATION_BITS // 2
_HALF_MASK = (1 << _HALF) - 1
_ROUNDS = 4


# --- Where each certificate sits in the status lists -------------------------------------------


def _permute(secret: bytes, value: int) -> int:
    """A keyed permutation of range(LIST_SIZE): a bijection nobody without the key can invert."""
    while True:
        left, right = value >> _HALF, value & _HALF_MASK
        for round_number in range(_ROUNDS):
            digest = hmac.digest(secret, bytes((round_number, right >> 8, right & 0xFF)), "sha256")
            left, right = right, left ^ (int.from_bytes(digest[:2], "big") & _HALF_MASK)
        value = (left << _HALF) | right
        if value < LIST_SIZE:  # cycle walking: stay inside the list, still one-to-one
            return value


def status_list_key(number: int) -> bytes:
    """The list's permutation key, created with the list the first time a certificate needs it."""
    row = StatusList.objects.filter(number=number).first()
    if row is None:
        try:
            with transaction.atomic():
                row = StatusList.objects.create(number=number, key=secrets.token_hex(32))
        except IntegrityError:  # another process created it first: theirs is the key
            row = StatusList.objects.get(number=number)
    return bytes.fromhex(row.key)


def status_slot(certificate_pk: int) -> tuple[int, int]:
    """(list number, position in it) of a certificate."""
    number, offset = divmod(certificate_pk - 1, LIST_SIZE)
    return number, _permute(status_list_key(number), offset)


def status_list_url(number: int, purpose: str) -> str:
    return f"{settings.LMS_PUBLIC_URL.rstrip('/')}/credentials/status/{number}/{purpose}"


def _status_entries(number: int, position: int) -> list[dict]:
    entries = []
    for purpose in PURPOSES:
        url = status_list_url(number, purpose)
        entries.append(
            {
                "id": f"{url}#{position}",
                "type": "BitstringStatusListEntry",
                "statusPurpose": purpose,
                "statusListIndex": str(position),
                "statusListCredential": url,
            }
        )
    return entries


# --- The credential ----------------------------------------------------------------------------


def _text(value: str) -> str:
    """Printed text without control characters (JSON-LD libraries escape them differently)."""
    return "".join(" " if unicodedata.category(char) == "Cc" else char for char in value)


def identity_hash(value: str, salt: str) -> str:
    """Open Badges' IdentityHash: ``sha256$`` + hex SHA-256 of the value followed by the salt."""
    return "sha256$" + hashlib.sha256((value + salt).encode()).hexdigest()


def holder_salt(list_key: bytes, identifier: str) -> str:
    """Per certificate and never stored: derived from its list's key, so it stays the same and
    nobody can compute it before a credential shows it."""
    return hmac.digest(list_key, b"salt:" + identifier.encode(), "sha256")[:16].hex()


def _local_midnight(day) -> datetime:
    return datetime.combine(day, time(), tzinfo=ZoneInfo(settings.TIME_ZONE))


def _achievement_id(certificate: Certificate) -> str:
    """The course page's public address; a tag URI (RFC 4151) once it is no longer published."""
    course = certificate.course
    parts = course.get_url_parts() if course.live else None
    if parts:
        return settings.LMS_PUBLIC_URL.rstrip("/") + parts[2]
    return f"tag:{urlsplit(settings.LMS_PUBLIC_URL).hostname},2026:course/{course.pk}"


def _holder_identifiers(certificate: Certificate, *, salt: str, holder_email: bool) -> list[dict]:
    identifiers = [
        {
            "type": "IdentityObject",
            "identityType": "name",
            "hashed": False,
            "identityHash": _text(certificate.holder_name),
        }
    ]
    email = (certificate.person.email or "").strip().lower() if holder_email else ""
    if email and certificate.person.anonymised_at is None:
        identifiers.append(
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                "identityHash": identity_hash(email, salt),
                "salt": salt,
            }
        )
    return identifiers


def credential_claims(
    certificate: Certificate,
    *,
    holder_email: bool = True,
    list_key: bytes | None = None,
    achievement_id: str | None = None,
) -> dict:
    """The unsigned OpenBadgeCredential: everything but the proof.

    ``holder_email=False`` leaves out the salted hash of the holder's email address (the public
    copy): a verifier who guesses an address could otherwise confirm it. ``list_key`` and
    ``achievement_id`` save their queries when many certificates are signed together.
    """
    number, offset = divmod(certificate.pk - 1, LIST_SIZE)
    list_key = list_key or status_list_key(number)
    salt = holder_salt(list_key, certificate.identifier)
    with translation.override(certificate.language):
        value = certificate.contact_hours
        hours = number_format(int(value) if value == value.to_integral_value() else value)
        description = _("Certificate of completion of %(course)s (%(hours)s contact hours).") % {
            "course": _text(certificate.course_title),
            "hours": hours,
        }
        narrative = _(
            "Completed %(course)s, %(hours)s contact hours, meeting the issuer's attendance and "
            "assessment requirements for a certificate."
        ) % {"course": _text(certificate.course_title), "hours": hours}
    achievement = {
        "id": achievement_id or _achievement_id(certificate),
        "type": ["Achievement"],
        "achievementType": "CertificateOfCompletion",
        "name": _text(certificate.course_title),
        "description": description,
        "criteria": {"narrative": narrative},
        "inLanguage": certificate.language,
    }
    subject = {
        "type": ["AchievementSubject"],
        "identifier": _holder_identifiers(certificate, salt=salt, holder_email=holder_email),
        "achievement": achievement,
        "activityEndDate": xsd_datetime(_local_midnight(certificate.completed_on)),
    }
    if certificate.started_on:
        subject["activityStartDate"] = xsd_datetime(_local_midnight(certificate.started_on))
    credential = {
        "@context": [CREDENTIALS_V2, OPEN_BADGES_V3],
        "id": verification_url(certificate.identifier),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": _text(certificate.course_title),
        "issuer": {
            "id": issuer_keys.did_web(),
            "type": ["Profile"],
            "name": _text(certificate.issuer_name),
            "url": settings.LMS_PUBLIC_URL,
        },
        "validFrom": xsd_datetime(certificate.issued_at),
        "awardedDate": xsd_datetime(certificate.issued_at),
        "credentialSubject": subject,
        "credentialStatus": _status_entries(number, _permute(list_key, offset)),
    }
    if certificate.valid_until:
        # Valid through that day in Peru: it ends at the next midnight there.
        credential["validUntil"] = xsd_datetime(
            _local_midnight(certificate.valid_until + timedelta(days=1))
        )
    return credential


def _sign(document: dict, *, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    signer = issuer_keys.signing_key(now=now)
    method = f"{issuer_keys.did_web()}#{signer.kid}"
    return proof_add(document, signer, verification_method=method, created=now)


def credential_certificate(pk: int) -> Certificate:
    """A certificate with what its credential reads (person, course) in one query."""
    return Certificate.objects.select_related("person", "course").get(pk=pk)


def certificate_credential(
    certificate: Certificate, *, holder_email: bool = True, now: datetime | None = None
) -> dict:
    """The certificate as a signed OpenBadgeCredential (a dict ready for json.dumps)."""
    return _sign(credential_claims(certificate, holder_email=holder_email), now=now)


def certificate_credentials(certificates, *, now: datetime | None = None) -> Iterator[dict]:
    """The holder's copies of many certificates (bulk issue, PDFs): the signing key, each
    list's key and each course's address are read once."""
    certificates = list(certificates)
    for start in range(0, len(certificates), 500):  # (SQLite limits an expression's size)
        # Skipped where already loaded.
        prefetch_related_objects(certificates[start : start + 500], "person", "course")
    now = now or timezone.now()
    signer = issuer_keys.signing_key(now=now)
    method = f"{issuer_keys.did_web()}#{signer.kid}"
    list_keys: dict[int, bytes] = {}
    achievements: dict[int, str] = {}
    for certificate in certificates:
        number = (certificate.pk - 1) // LIST_SIZE
        if number not in list_keys:
            list_keys[number] = status_list_key(number)
        if certificate.course_id not in achievements:
            achievements[certificate.course_id] = _achievement_id(certificate)
        claims = credential_claims(
            certificate,
            list_key=list_keys[number],
            achievement_id=achievements[certificate.course_id],
        )
        yield proof_add(claims, signer, verification_method=method, created=now)


def credential_bytes(credential: dict) -> bytes:
    return json.dumps(credential, ensure_ascii=False, indent=2).encode()


def credential_filename(certificate: Certificate) -> str:
    return f"{certificate.display_identifier}.credential.json"


# --- The status lists --------------------------------------------------------------------------


def _set_positions(number: int, purpose: str) -> list[int]:
    first = number * LIST_SIZE
    pks = Certificate.objects.filter(
        status__in=_SET_BY[purpose], pk__gt=first, pk__lte=first + LIST_SIZE
    ).values_list("pk", flat=True)
    key = status_list_key(number)
    return sorted(_permute(key, pk - 1 - first) for pk in pks)


def status_list_exists(number: int) -> bool:
    """A list exists once a certificate of its block does (its key is made when first needed)."""
    first = number * LIST_SIZE
    return Certificate.objects.filter(pk__gt=first, pk__lte=first + LIST_SIZE).exists()


def status_list_credential(number: int, purpose: str, *, now: datetime | None = None) -> dict:
    """The signed BitstringStatusListCredential of one list: bit set = revoked (or suspended).

    Signed again only when a bit or the signing key changed; until then the cached one is served.
    """
    positions = _set_positions(number, purpose)
    signer = issuer_keys.signing_key(now=now)
    digest = hashlib.sha256(json.dumps([number, purpose, positions, signer.kid]).encode())
    key = f"certificates:status-list:{digest.hexdigest()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    url = status_list_url(number, purpose)
    document = {
        "@context": [CREDENTIALS_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_keys.did_web(),
        "validFrom": xsd_datetime(now or timezone.now()),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": bitstring_encode(positions, LIST_SIZE),
            "ttl": STATUS_LIST_TTL_MS,
        },
    }
    signed = _sign(document, now=now)
    cache.set(key, signed, timeout=24 * 3600)
    return signed


# --- Checking a credential offline ----------------------------------------------------------------


@dataclass
class CredentialCheck:
    """The answer about one credential: its signature, what it claims, and its status bits."""

    valid: bool
    problem: str = ""
    kid: str = ""
    claims: dict[str, str] = field(default_factory=dict)
    # purpose -> True (bit set), False (clear), None (no status list given to check)
    status: dict[str, bool | None] = field(default_factory=dict)

    @property
    def standing(self) -> bool:
        """Valid, and neither revoked nor suspended by the lists that were checked."""
        return self.valid and not any(self.status.values())


def _issuer_id(document: dict) -> str:
    issuer = document.get("issuer")
    return str(issuer.get("id", "") if isinstance(issuer, dict) else issuer or "")


def _moment(value) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _signed_by(document: dict, keys: list[IssuerKey]) -> str:
    """The kid of the key whose proof holds on the document (ProofError otherwise)."""
    proof = document.get("proof") if isinstance(document.get("proof"), dict) else {}
    method = str(proof.get("verificationMethod", ""))
    if not method.startswith(f"{_issuer_id(document)}#"):
        raise ProofError(_("The proof's key does not belong to the issuer it names."))
    kid = method.rsplit("#", 1)[-1]
    key = next((key for key in keys if key.kid == kid), None)
    if key is None:
        raise ProofError(
            _("Signed with key %(kid)s, which the issuer does not publish.") % {"kid": kid}
        )
    proof_check(document, key.public_key_bytes)
    return kid


def credential_check(
    credential: dict,
    *,
    keys: list[IssuerKey] | None = None,
    status_lists: dict[str, dict] | None = None,
    now: datetime | None = None,
) -> CredentialCheck:
    """Check an Open Badges credential offline: the proof against ``keys`` (default: this site's
    published keys), its validity period, and its status bits in the given status lists (by URL;
    each list's own proof is checked with the same keys)."""
    keys = issuer_keys.published_keys() if keys is None else keys
    now = now or timezone.now()
    try:
        subject = credential.get("credentialSubject") or {}
        names = [i["identityHash"] for i in subject["identifier"] if i.get("hashed") is False]
        claims = {
            "id": str(credential.get("id", "")),
            "holder_name": ", ".join(str(name) for name in names),
            "course": str(subject["achievement"]["name"]),
            "valid_from": str(credential.get("validFrom", "")),
            "issuer": _issuer_id(credential),
        }
        kid = _signed_by(credential, keys)
    except (ProofError, AttributeError, KeyError, TypeError) as error:
        problem = (
            str(error) if isinstance(error, ProofError) else _("Not an Open Badges credential.")
        )
        return CredentialCheck(valid=False, problem=problem)
    check = CredentialCheck(valid=True, kid=kid, claims=claims)
    starts, ends = _moment(credential.get("validFrom")), _moment(credential.get("validUntil"))
    if starts is None or starts.tzinfo is None or starts > now:
        check.valid, check.problem = False, _("It is not valid yet.")
    elif ends is not None and (ends.tzinfo is None or ends <= now):
        check.valid, check.problem = False, _("Its validity period has ended.")
    entries = credential.get("credentialStatus", [])
    for entry in [entries] if isinstance(entries, dict) else entries:
        if not isinstance(entry, dict):
            check.valid, check.problem = False, _("Not an Open Badges credential.")
            continue
        purpose = entry.get("statusPurpose", "")
        document = (status_lists or {}).get(entry.get("statusListCredential", ""))
        if document is None:
            check.status[purpose] = None
            continue
        try:
            _signed_by(document, keys)
            if _issuer_id(document) != claims["issuer"]:
                raise ProofError(_("The status list was published by another issuer."))
            bits = bitstring_decode(document["credentialSubject"]["encodedList"])
            check.status[purpose] = bit_is_set(bits, int(entry["statusListIndex"]))
        except (ProofError, KeyError, ValueError, IndexError, OSError) as error:
            check.valid = False
            check.problem = _("Its %(purpose)s list cannot be trusted: %(error)s") % {
                "purpose": purpose,
                "error": error,
            }
    return check
