"""Pure checks and normalisation for identity data (documents, names, dates); no models here."""

import datetime as dt
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.pe import cui

DNI_RE = re.compile(r"^(\d{8})(?:-?([0-9A-Za-z]))?$")
CE_RE = re.compile(r"^[A-Z0-9]{1,12}$")
# Letters of any script, combining marks, spaces, apostrophes, hyphens and dots ("D'Ángelo").
NAME_RE = re.compile(r"^[^\W\d_]+(?:[ '’.\-][^\W\d_]*)*\.?$")
MOJIBAKE_RE = re.compile(r"[ÃÂ][\u0080-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ¡-¿]|â€")

# Which leading characters make a spreadsheet treat a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@")

DOCUMENT_TYPE_DNI = "1"
DOCUMENT_TYPE_CE = "4"


def fold(text: str) -> str:
    """Lower-case and strip accents: 'Ñúñez' -> 'nunez'. For matching, never for storing."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def make_search_text(given_names: str, family_names: str, document_number: str) -> str:
    return " ".join(fold(part) for part in (given_names, family_names, document_number) if part)


def looks_like_mojibake(text: str) -> bool:
    """True for UTF-8 read as Windows-1252/Latin-1, e.g. 'JosÃ©' for 'José'."""
    return bool(MOJIBAKE_RE.search(text or ""))


def repair_mojibake(text: str) -> str | None:
    """What the text most likely said before it was garbled, or None if that cannot be told."""
    for encoding in ("cp1252", "latin-1"):
        try:
            return text.encode(encoding).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return None


def normalize_document_number(document_type: str, raw: str) -> str:
    """Canonical document number; a DNI's check character is verified when given, then dropped."""
    value = re.sub(r"\s+", "", str(raw or "")).upper()
    if not value:
        raise ValidationError(_("The document number is required."), code="required")
    if document_type == DOCUMENT_TYPE_DNI:
        match = DNI_RE.match(value)
        if not match:
            raise ValidationError(
                _(
                    "A DNI has 8 digits, optionally followed by its check character (e.g. 10117410-2)."
                ),
                code="dni_format",
            )
        number, check = match.group(1), match.group(2)
        if check:
            expected = cui.calc_check_digits(number)  # e.g. "2G": digit and letter forms
            if check.upper() not in expected:
                raise ValidationError(
                    _(
                        "The DNI check character %(given)s does not match %(number)s (expected %(digit)s or %(letter)s)."
                    )
                    % {
                        "given": check,
                        "number": number,
                        "digit": expected[0],
                        "letter": expected[1],
                    },
                    code="dni_check",
                )
        return number
    if document_type == DOCUMENT_TYPE_CE:
        value = value.replace("-", "")
        if not CE_RE.match(value):
            raise ValidationError(
                _("A foreigner's card number has up to 12 letters and digits."), code="ce_format"
            )
        return value
    if len(value) > 20:
        raise ValidationError(
            _("The document number is longer than 20 characters."), code="max_length"
        )
    return value


def normalize_name(raw: str) -> str:
    """Trim and collapse spaces, keep the person's spelling (accents, ñ, capitals) as written."""
    value = unicodedata.normalize("NFC", " ".join(str(raw or "").split()))
    if not value:
        raise ValidationError(_("This field is required."), code="required")
    if value.startswith(FORMULA_PREFIXES):
        # Stored as text by the import, but a name can never start like a formula.
        raise ValidationError(
            _("A name cannot start with %(char)s.") % {"char": value[0]}, code="formula"
        )
    if looks_like_mojibake(value):
        repaired = repair_mojibake(value)
        hint = (
            _(" (probably “%(fixed)s”: save the file as UTF-8)") % {"fixed": repaired}
            if repaired
            else ""
        )
        raise ValidationError(
            _("“%(value)s” looks garbled by a wrong character encoding%(hint)s.")
            % {"value": value, "hint": hint},
            code="mojibake",
        )
    if not NAME_RE.match(value):
        raise ValidationError(
            _("“%(value)s” contains characters that do not belong in a name.") % {"value": value},
            code="invalid_name",
        )
    return value


def validate_birth_date(value: dt.date) -> None:
    today = timezone.localdate()
    if value > today:
        raise ValidationError(_("The birth date is in the future."), code="future")
    age = today.year - value.year - ((today.month, today.day) < (value.month, value.day))
    if age < 14 or age > 110:
        raise ValidationError(
            _("The birth date gives an age of %(age)s; expected between 14 and 110.")
            % {"age": age},
            code="implausible_age",
        )


class MaximumLengthValidator:
    """Passphrases of any sensible length, but not megabytes for the hasher to chew on."""

    def __init__(self, max_length: int = 1024):
        self.max_length = max_length

    def validate(self, password: str, user=None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                _("This password is longer than %(max)d characters.") % {"max": self.max_length},
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return _("Long passphrases are welcome, up to %(max)d characters.") % {
            "max": self.max_length
        }
