"""Public verification: what a typed or scanned identifier says, counting, and the failure limit.

Nothing about the verifier is kept beyond the rate limit: a count of failed look-ups under an HMAC
of the client address, forgotten when the window passes. Found certificates count their
verifications (a number and a time), never who asked.
"""

import atexit
import datetime as dt
import logging
import math
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from certificates.identifiers import (
    LENGTH,
    MalformedIdentifier,
    display_identifier,
    normalize,
)
from certificates.models import Certificate, ReasonCategory
from lms.models import AnonymisationBasis, Person

logger = logging.getLogger(__name__)

_SEPARATORS = frozenset("-_.·")
_RATE_SALT = "certificates.verification.failures"

# Only what a certificate prints (and its status) is ever read: the status note and the person stay
# in the database, so no template or serializer can show them by mistake.
PUBLIC_FIELDS = (
    "identifier",
    "status",
    "status_changed_at",
    "status_category",
    "holder_name",
    "course_title",
    "contact_hours",
    "workshop_code",
    "region_name",
    "started_on",
    "completed_on",
    "issuer_name",
    "issued_at",
    "valid_until",
    "replaced_by__identifier",
)


class LookupState(models.TextChoices):
    VALID = "valid", gettext_lazy("Valid")
    EXPIRED = "expired", gettext_lazy("Expired")
    SUSPENDED = "suspended", gettext_lazy("Suspended")
    REVOKED = "revoked", gettext_lazy("Revoked")
    SUPERSEDED = "superseded", gettext_lazy("Replaced")
    UNKNOWN = "unknown", gettext_lazy("Not found")
    MALFORMED = "malformed", gettext_lazy("Mistyped identifier")


@dataclass(frozen=True)
class Lookup:
    """The answer to one look-up: a certificate's state, or why there is none."""

    text: str
    state: str
    identifier: str = ""
    certificate: Certificate | None = None
    problem: str = ""

    @property
    def found(self) -> bool:
        return self.certificate is not None

    @property
    def failed(self) -> bool:
        return self.state in (LookupState.UNKNOWN, LookupState.MALFORMED)

    @property
    def label(self) -> str:
        return LookupState(self.state).label

    @property
    def display_identifier(self) -> str:
        return display_identifier(self.identifier) if self.identifier else ""

    @property
    def holder_removed(self) -> str:
        """Why the holder's data was erased ("request" or "retention"), or "" if it was not. The
        certificate then prints no name (lms.services.privacy.person_anonymise)."""
        return (getattr(self.certificate, "holder_anonymised", "") or "") if self.found else ""

    @property
    def holder_removed_text(self) -> str:
        if self.holder_removed == AnonymisationBasis.RETENTION:
            return _(
                "The holder's personal data was removed at the end of its retention period, so "
                "the name on the certificate can no longer be checked here."
            )
        if self.holder_removed:
            return _(
                "The holder's personal data was removed at their request, so the name on the "
                "certificate can no longer be checked here."
            )
        return ""

    @property
    def reason_category(self) -> str:
        """Why it was suspended or revoked (a category; the free-text note is never shown)."""
        if self.found and self.state in (LookupState.SUSPENDED, LookupState.REVOKED):
            return self.certificate.status_category
        return ""

    @property
    def reason_label(self) -> str:
        code = self.reason_category
        return ReasonCategory(code).label if code in ReasonCategory.values else code

    @property
    def replaced_by(self) -> str:
        """Identifier of the certificate that replaces this one (only when superseded)."""
        if self.state != LookupState.SUPERSEDED:
            return ""
        newer = getattr(self.certificate, "replaced_by", None)
        return newer.identifier if newer is not None else ""

    @property
    def detail(self) -> str:
        """What is wrong with a mistyped identifier, in words a verifier can act on."""
        if self.state != LookupState.MALFORMED:
            return ""
        if self.problem == "length":
            count = sum(1 for c in self.text if not (c.isspace() or c in _SEPARATORS))
            return ngettext(
                "A certificate identifier has %(length)d letters and digits; this one has "
                "%(count)d.",
                "A certificate identifier has %(length)d letters and digits; this one has "
                "%(count)d.",
                count,
            ) % {"length": LENGTH, "count": count}
        if self.problem == "alphabet":
            return _(
                "It contains a character that identifiers never use: they have only digits and "
                "the letters A to Z, without U."
            )
        return _("Its check characters do not match, so at least one character is wrong.")


def verification_lookup(text: str) -> Lookup:
    """What the identifier someone typed or scanned says; one indexed query when well-formed."""
    try:
        identifier = normalize(text)
    except MalformedIdentifier as exc:
        return Lookup(text=text, state=LookupState.MALFORMED, problem=str(exc))
    # Only whether (and why) the holder was anonymised is read from the person, never more.
    anonymised = Person.objects.filter(pk=OuterRef("person_id"), anonymised_at__isnull=False)
    certificate = (
        Certificate.objects.select_related("replaced_by")
        .only(*PUBLIC_FIELDS)
        .annotate(holder_anonymised=Subquery(anonymised.values("anonymised_basis")[:1]))
        .filter(identifier=identifier)
        .first()
    )
    if certificate is None:
        return Lookup(text=text, state=LookupState.UNKNOWN, identifier=identifier)
    return Lookup(
        text=text,
        state=LookupState(certificate.state),
        identifier=identifier,
        certificate=certificate,
    )


# One more verification of a certificate: a count and a time, nothing about who asked. Counted in
# the process and written in one UPDATE per certificate every LMS_VERIFY_COUNT_SECONDS (0: at
# once), so a crowd scanning QR codes does not queue on one row's lock; a process that is killed
# loses at most that many seconds of counts (a statistic, never evidence).
_counts: dict[int, tuple[int, dt.datetime]] = {}
_counts_lock = threading.Lock()
_counts_written = time.monotonic()


def verification_count(certificate_pk: int) -> None:
    global _counts_written
    now = timezone.now()
    with _counts_lock:
        count, _last = _counts.get(certificate_pk, (0, now))
        _counts[certificate_pk] = (count + 1, now)
        due = time.monotonic() - _counts_written >= settings.LMS_VERIFY_COUNT_SECONDS
        if due:
            pending = dict(_counts)
            _counts.clear()
            _counts_written = time.monotonic()
    if due:
        _counts_write(pending)


def verification_counts_flush() -> None:
    """Write the counts this process still holds (at exit, and in tests)."""
    with _counts_lock:
        pending = dict(_counts)
        _counts.clear()
    _counts_write(pending)


def _counts_write(pending: dict[int, tuple[int, dt.datetime]]) -> None:
    for pk, (count, last) in pending.items():
        Certificate.objects.filter(pk=pk).update(
            verification_count=F("verification_count") + count, last_verified_at=last
        )


def _flush_at_exit() -> None:
    try:
        verification_counts_flush()
    except Exception:  # the database may be gone already: counts are a statistic
        logger.warning("Verification counts not written at exit", exc_info=True)


atexit.register(_flush_at_exit)


# --- The verification page, kept rendered ------------------------------------------------------
# The page a QR code opens is the same for everyone who opens it: kept rendered in the shared
# cache for LMS_VERIFY_CACHE_SECONDS per address variant (/v/ or /V/, ?lang=) and language, and
# forgotten the moment the certificate or its holder changes (certificates.signals): a revocation
# shows on the very next request. The time limit only bounds what no signal announces (the day a
# certificate expires).

PAGE_PATHS = ("v", "V")


def page_cache_key(identifier: str, path: str, lang: str, language: str) -> str:
    return f"certificates:verify:page:{identifier}:{path}:{lang}:{language}"


def _page_cache_keys(identifier: str) -> list[str]:
    languages = [code for code, _name in settings.LANGUAGES]
    return [
        page_cache_key(identifier, path, lang, language)
        for path in PAGE_PATHS
        for lang in ("", *languages)
        for language in languages
    ]


def verification_page_cached(key: str | None, address: str) -> tuple[dict | None, int]:
    """``(the kept page or None, seconds to wait)``: one round trip to the cache for both."""
    limit_key = rate_limit_key(address)
    keys = [limit_key, f"{limit_key}:ends"] + ([key] if key else [])
    found = cache.get_many(keys)
    failures = found.get(limit_key, 0)
    if failures >= settings.LMS_VERIFY_FAILURES_ALLOWED:
        ends = found.get(f"{limit_key}:ends")
        remaining = ends - time.time() if ends else settings.LMS_VERIFY_WINDOW_SECONDS
        return None, max(1, math.ceil(remaining))
    return (found.get(key) if key else None), 0


def verification_page_keep(key: str, certificate_pk: int, content: bytes, content_type: str):
    if settings.LMS_VERIFY_CACHE_SECONDS > 0:
        page = {"pk": certificate_pk, "content": content, "content_type": content_type}
        cache.set(key, page, timeout=settings.LMS_VERIFY_CACHE_SECONDS)


def verification_pages_forget(identifiers) -> None:
    keys = [key for identifier in identifiers for key in _page_cache_keys(identifier)]
    if keys:
        cache.delete_many(keys)


# --- Failed look-ups per client address ------------------------------------------------------


def rate_limit_key(address: str) -> str:
    """Cache key for a client address: an HMAC, so the cache never holds the address itself."""
    digest = salted_hmac(_RATE_SALT, address, algorithm="sha256").hexdigest()
    return f"certificates:verify:failures:{digest}"


def verification_retry_after(address: str) -> int:
    """Seconds this address must wait before looking up again; 0 when it may look up now."""
    key = rate_limit_key(address)
    failures = cache.get(key, 0)
    if failures < settings.LMS_VERIFY_FAILURES_ALLOWED:
        return 0
    ends = cache.get(f"{key}:ends")
    remaining = ends - time.time() if ends else settings.LMS_VERIFY_WINDOW_SECONDS
    return max(1, math.ceil(remaining))


def verification_failure_record(address: str) -> None:
    """Count a failed look-up (unknown or mistyped identifier) against the address's window."""
    key = rate_limit_key(address)
    window = settings.LMS_VERIFY_WINDOW_SECONDS
    # The window starts at the first failure and is not extended by later ones.
    if cache.add(key, 0, timeout=window):
        cache.set(f"{key}:ends", time.time() + window, timeout=window)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr: this failure opens a new window
        cache.set(key, 1, timeout=window)
        cache.set(f"{key}:ends", time.time() + window, timeout=window)
