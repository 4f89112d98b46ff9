"""Certificate identifiers: 128 random bits, Crockford base32, two check characters.

    K7QM-3X9D-WT2R-8HNB-E5VC-1YZA-04GP

26 characters carry the 128 bits from ``secrets`` (the first one only 3 of them); 2 more are a
check on those 26 (10 bits of SHA-256), so a mistyped identifier is told apart from an unknown one
without a database look-up. Crockford's alphabet has no I, L, O or U: I and L are read as 1 and O
as 0 (the usual misreadings); U is refused. Case, spaces and dashes do not matter.
"""

import hashlib
import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BODY_LENGTH = 26
LENGTH = BODY_LENGTH + 2
_VALUE = {char: index for index, char in enumerate(ALPHABET)}
_VALUE.update({"O": 0, "I": 1, "L": 1})
_SEPARATORS = re.compile(r"[\s\-_.·]+")


class MalformedIdentifier(ValueError):
    """Not an identifier this system could have issued (wrong length, letters or check)."""


def _encode(number: int, length: int) -> str:
    chars = []
    for _ in range(length):
        number, digit = divmod(number, 32)
        chars.append(ALPHABET[digit])
    return "".join(reversed(chars))


def _check(body: str) -> str:
    digest = hashlib.sha256(body.encode("ascii")).digest()
    return _encode(int.from_bytes(digest[:2], "big") >> 6, 2)


def new_identifier() -> str:
    body = _encode(int.from_bytes(secrets.token_bytes(16), "big"), BODY_LENGTH)
    return body + _check(body)


def normalize(text: str) -> str:
    """The canonical form of what someone typed or scanned; MalformedIdentifier if it cannot be."""
    compact = _SEPARATORS.sub("", text or "").upper()
    if len(compact) != LENGTH:
        raise MalformedIdentifier("length")
    try:
        canonical = "".join(ALPHABET[_VALUE[char]] for char in compact)
    except KeyError as exc:
        raise MalformedIdentifier("alphabet") from exc
    if _VALUE[canonical[0]] > 7:  # 26 characters hold 130 bits; the first two are always 0
        raise MalformedIdentifier("range")
    body, check = canonical[:BODY_LENGTH], canonical[BODY_LENGTH:]
    if _check(body) != check:
        raise MalformedIdentifier("check")
    return canonical


def display_identifier(identifier: str) -> str:
    """Groups of four for print and speech: K7QM-3X9D-WT2R-8HNB-E5VC-1YZA-04GP."""
    return "-".join(identifier[i : i + 4] for i in range(0, len(identifier), 4))


def identifier_bytes(identifier: str) -> bytes:
    """The 128 random bits of a canonical identifier (the check characters are derived)."""
    number = 0
    for char in identifier[:BODY_LENGTH]:
        number = number * 32 + _VALUE[char]
    return number.to_bytes(16, "big")


def identifier_from_bytes(data: bytes) -> str:
    """The canonical identifier whose random bits these are."""
    if len(data) != 16:
        raise MalformedIdentifier("length")
    body = _encode(int.from_bytes(data, "big"), BODY_LENGTH)
    return body + _check(body)


def verification_url(identifier: str) -> str:
    """What the QR code encodes and the PDF prints: https://<host>/v/<identifier>."""
    from django.conf import settings

    return f"{settings.LMS_PUBLIC_URL.rstrip('/')}/v/{identifier}"
