"""Two-factor authentication on django-otp: an authenticator app (TOTP) plus single-use backup
codes. Who must use it, what a session still owes, enrolment, code checks, turning off and reset.

Staff, trainers and administrators must use it (``LMS_OTP_REQUIRED``); participants and donors may.
The site views, the middleware, the API token and ``otp_reset`` only call these functions.
"""

import base64
import math
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import quote, urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lms.roles import Role

# Roles that reach personal data or the admin: they cannot work with a password alone.
REQUIRED_ROLES = (Role.PROGRAM_ADMIN, Role.PROGRAM_STAFF, Role.TRAINER)
TOTP_DEVICE_NAME = "authenticator"
BACKUP_DEVICE_NAME = "backup codes"

# Published on purpose (README, seed_demo): the demo logins' authenticator secret. Only
# ``demo_totp_device_ensure`` uses it, and only where demo data is allowed.
DEMO_TOTP_SECRET = "HMUU25B3HKQPFOCTSP6MAGICKWTULSDO"  # noqa: S105  (published: demo only)
DEMO_TOTP_KEY = base64.b32decode(DEMO_TOTP_SECRET).hex()


class Step(StrEnum):
    SETUP = "setup"  # must use two-factor authentication and has no authenticator yet
    VERIFY = "verify"  # has an authenticator: the code is still missing in this session


# --- Selectors --------------------------------------------------------------------------------


def otp_required_for(user) -> bool:
    """Staff, superusers and the admin, staff and trainer roles (unless switched off for tests)."""
    if not settings.LMS_OTP_REQUIRED or not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return user.groups.filter(name__in=[role.value for role in REQUIRED_ROLES]).exists()


def totp_device_for(user) -> TOTPDevice | None:
    """The user's confirmed authenticator, if any (one at a time: a new one replaces it)."""
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def session_is_verified(user) -> bool:
    """True once a code was given in this session (django-otp's middleware sets is_verified)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def pending_step(user) -> Step | None:
    """What this session still owes before pages that need a login open, or None."""
    if not user.is_authenticated or session_is_verified(user):
        return None
    if totp_device_for(user) is not None:
        return Step.VERIFY
    if otp_required_for(user):
        return Step.SETUP
    return None


# --- Code checks ------------------------------------------------------------------------------


def normalise_code(code: str) -> str:
    """Codes are typed with spaces or dashes ("123 456", "abcd-efgh"); backup codes are lowercase."""
    return "".join(code.split()).replace("-", "").lower()


def is_totp_code(code: str) -> bool:
    return code.isdigit() and len(code) == 6


@dataclass(frozen=True)
class CodeCheck:
    device: Device | None = None  # the device that accepted the code
    retry_after: int = 0  # seconds to wait: too many wrong codes in a row

    @property
    def ok(self) -> bool:
        return self.device is not None

    @property
    def used_backup_code(self) -> bool:
        return isinstance(self.device, StaticDevice)

    def message(self) -> str:
        if self.retry_after:
            return _(
                "Too many wrong codes. Wait %(seconds)d seconds, then try again with the code "
                "your app shows at that moment."
            ) % {"seconds": self.retry_after}
        return _(
            "That code is not right. Codes change every 30 seconds: type the one your app "
            "shows now, or one of your backup codes."
        )


def _check_on(device: Device | None, code: str) -> CodeCheck:
    if device is None:
        return CodeCheck()
    allowed, info = device.verify_is_allowed()
    if not allowed:
        locked_until = (info or {}).get("locked_until")
        wait = (locked_until - timezone.now()).total_seconds() if locked_until else 1
        return CodeCheck(retry_after=max(1, math.ceil(wait)))
    # verify_token counts a failure on the device (throttling) and consumes a backup code.
    return CodeCheck(device=device) if device.verify_token(code) else CodeCheck()


def _count_failure(*, user, request) -> None:
    """A wrong code is a failed login too: django-axes counts it for this account and address."""
    if request is not None:
        user_login_failed.send(
            sender=__name__, credentials={"username": user.get_username()}, request=request
        )


def otp_code_check(*, user, code: str, request=None) -> CodeCheck:
    """Check an authenticator code (six digits) or a backup code against the user's devices.

    A code goes to the one device it is meant for, so a wrong code counts once: on that device
    (each failure doubles the wait before the next try) and as a failed login (django-axes).
    """
    code = normalise_code(code)
    model = TOTPDevice if is_totp_code(code) else StaticDevice
    with transaction.atomic():
        device = (
            model.objects.select_for_update()
            .filter(user=user, confirmed=True)
            .order_by("-pk")
            .first()
        )
        result = _check_on(device, code)
    if not result.ok:
        _count_failure(user=user, request=request)
    return result


# --- Services ---------------------------------------------------------------------------------


def totp_setup_start(*, user) -> TOTPDevice:
    """The authenticator being set up: the same one on every visit, so a scanned code stays good.

    A confirmed authenticator stays in force until the new one is confirmed.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
        device.full_clean()
        device.save()
    return device


def totp_setup_confirm(*, user, device_id: int, code: str, request=None) -> CodeCheck:
    """Confirm the new authenticator with a code from it; it replaces any previous one."""
    code = normalise_code(code)
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(pk=device_id, user=user, confirmed=False)
            .first()
        )
        result = _check_on(device, code)
        if result.ok:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    if not result.ok:
        _count_failure(user=user, request=request)
    return result


@transaction.atomic
def backup_codes_regenerate(*, user) -> list[str]:
    """New single-use backup codes; the old ones stop working. They are shown once only."""
    device = StaticDevice.objects.filter(user=user).order_by("pk").first()
    if device is None:
        device = StaticDevice(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
        device.full_clean()
        device.save()
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.LMS_OTP_BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    device.throttle_reset()
    return codes


@transaction.atomic
def two_factor_remove(*, user) -> int:
    """Delete every authenticator and backup code of the user; returns how many devices went.

    The administrators' reset (a lost phone): a session verified with a removed device is no
    longer verified, so someone who must use two-factor authentication sets it up again.
    """
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        removed += model.objects.filter(user=user).count()
        model.objects.filter(user=user).delete()  # a static device takes its codes with it
    return removed


def two_factor_turn_off(*, user) -> None:
    """A participant's or donor's own choice; those who must use it cannot turn it off."""
    if otp_required_for(user):
        raise ValidationError(
            _("Your role requires two-factor authentication: it cannot be turned off."),
            code="otp_required",
        )
    two_factor_remove(user=user)


# --- Presentation helpers -----------------------------------------------------------------------


def secret_for_typing(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for apps that cannot scan."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(data: str, *, label: str) -> str:
    """An inline SVG QR code (no image request, no script); made here, so safe to embed."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=4)
    code.add_data(data)
    code.make(fit=True)
    image = code.make_image(image_factory=qrcode.image.svg.SvgPathImage)
    svg = image.to_string(encoding="unicode")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)


def group_backup_code(code: str) -> str:
    return f"{code[:4]} {code[4:]}"


# --- Demo -------------------------------------------------------------------------------------


def _demo_allowed() -> None:
    if not settings.LMS_ALLOW_DEMO_DATA:
        raise ImproperlyConfigured("The published demo authenticator needs LMS_ALLOW_DEMO_DATA.")


@transaction.atomic
def demo_totp_device_ensure(*, user) -> TOTPDevice:
    """Give a demo login a confirmed authenticator with the published demo secret."""
    _demo_allowed()
    TOTPDevice.objects.filter(user=user).exclude(key=DEMO_TOTP_KEY).delete()
    device = TOTPDevice.objects.filter(user=user, key=DEMO_TOTP_KEY).first()
    if device is None:
        device = TOTPDevice(user=user, name=f"{TOTP_DEVICE_NAME} (demo)", key=DEMO_TOTP_KEY)
    device.confirmed = True
    device.throttle_reset(commit=False)
    device.full_clean()
    device.save()
    return device


def demo_totp_device_remove(*, user) -> None:
    """Demo with two-factor authentication switched off: the demo authenticator goes."""
    _demo_allowed()
    TOTPDevice.objects.filter(user=user, key=DEMO_TOTP_KEY).delete()


def demo_totp_uri() -> str:
    """One authenticator entry serves every demo login (they share the published secret)."""
    issuer = settings.OTP_TOTP_ISSUER
    params = {"secret": DEMO_TOTP_SECRET, "issuer": issuer, "digits": 6, "period": 30}
    return f"otpauth://totp/{quote(issuer)}:demo?{urlencode(params, quote_via=quote)}"


def demo_totp_code(*, at: float | None = None) -> str:
    """The demo authenticator's code at a moment (now by default): what the phone app shows."""
    generator = TOTP(bytes.fromhex(DEMO_TOTP_KEY))
    if at is not None:
        generator.time = at
    return f"{generator.token():06d}"
