"""Two-factor pages: set up the authenticator app, give the code after the password, and the
account's security page (status, new backup codes, turning it off where the role allows)."""

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lms.two_factor import (
    Step,
    backup_codes_left,
    backup_codes_regenerate,
    group_backup_code,
    otp_code_check,
    otp_required_for,
    pending_step,
    qr_svg,
    secret_for_typing,
    session_is_verified,
    totp_device_for,
    totp_setup_confirm,
    totp_setup_start,
    two_factor_turn_off,
)
from lms.two_factor_forms import CodeForm, SetupCodeForm
from lms.two_factor_middleware import step_url


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _verified(request, device) -> None:
    # A new session key for the now fully signed-in session (as login() does for the password).
    request.session.cycle_key()
    django_otp.login(request, device)


def _end_if_locked_out(request) -> None:
    """Too many wrong codes from here: django-axes locks the account, and the session ends."""
    if getattr(request, "axes_locked_out", False):
        logout(request)


def _codes_page(request, codes: list[str], *, next_url: str, first_time: bool):
    context = {
        "codes": [group_backup_code(code) for code in codes],
        "next": next_url,
        "first_time": first_time,
    }
    return render(request, "two_factor/backup_codes.html", context)


@never_cache
@login_required
def setup(request):
    """Scan (or type) the secret into an authenticator app and confirm with its first code."""
    user = request.user
    next_url = _next_url(request)
    # Replacing an authenticator needs the current one first.
    if totp_device_for(user) is not None and not session_is_verified(user):
        return redirect(step_url(Step.VERIFY, next_url=next_url))
    device = totp_setup_start(user=user)
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = totp_setup_confirm(
            user=user, device_id=device.pk, code=form.cleaned_data["code"], request=request
        )
        if check.ok:
            _verified(request, check.device)
            codes = backup_codes_regenerate(user=user)
            return _codes_page(request, codes, next_url=next_url, first_time=True)
        _end_if_locked_out(request)
        form.add_error(
            "code",
            check.message()
            if check.retry_after
            else _(
                "That code is not right. Check that the app shows a code for this account and "
                "type the one it shows now (codes change every 30 seconds)."
            ),
        )
    context = {
        "form": form,
        "next": next_url,
        # The SVG is drawn by qrcode from the otpauth address: no user-supplied markup.
        "qr": mark_safe(qr_svg(device.config_url, label=_("QR code for your authenticator app"))),  # noqa: S308
        "secret": secret_for_typing(device),
        "required": otp_required_for(user),
        "replacing": session_is_verified(user),
    }
    return render(request, "two_factor/setup.html", context)


@never_cache
@login_required
def verify(request):
    """The second step of a login: a code from the authenticator app, or a backup code."""
    user = request.user
    next_url = _next_url(request)
    step = pending_step(user)
    if step is None:
        return redirect(next_url)
    if step is Step.SETUP:
        return redirect(step_url(Step.SETUP, next_url=next_url))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = otp_code_check(user=user, code=form.cleaned_data["code"], request=request)
        if check.ok:
            _verified(request, check.device)
            if check.used_backup_code:
                left = backup_codes_left(user)
                messages.warning(
                    request,
                    ngettext(
                        "You used a backup code: %(count)d is left. Make new ones on your "
                        "account's security page.",
                        "You used a backup code: %(count)d are left. Make new ones on your "
                        "account's security page when you run low.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(next_url)
        _end_if_locked_out(request)
        form.add_error("code", check.message())
    return render(request, "two_factor/verify.html", {"form": form, "next": next_url})


def _security_page(request, *, turn_off_form=None, status=200):
    user = request.user
    device = totp_device_for(user)
    required = otp_required_for(user)
    context = {
        "device": device,
        "required": required,
        "backup_left": backup_codes_left(user) if device else 0,
        "turn_off_form": (turn_off_form or CodeForm()) if device and not required else None,
    }
    return render(request, "two_factor/security.html", context, status=status)


@never_cache
@login_required
def security(request):
    """Two-factor status, new backup codes, and (where the role allows) turning it off."""
    return _security_page(request)


@never_cache
@login_required
@require_POST
def backup_codes(request):
    if totp_device_for(request.user) is None:
        messages.error(request, _("Set up two-factor authentication first."))
        return redirect("accounts:security")
    codes = backup_codes_regenerate(user=request.user)
    return _codes_page(request, codes, next_url=reverse("accounts:security"), first_time=False)


@never_cache
@login_required
@require_POST
def turn_off(request):
    """Participants and donors may turn it off, with a current code (not just an open session)."""
    user = request.user
    form = CodeForm(request.POST)
    if totp_device_for(user) is None or not form.is_valid():
        return _security_page(request, turn_off_form=form, status=400)
    if otp_required_for(user):
        messages.error(
            request, _("Your role requires two-factor authentication: it cannot be turned off.")
        )
        return redirect("accounts:security")
    check = otp_code_check(user=user, code=form.cleaned_data["code"], request=request)
    if not check.ok:
        _end_if_locked_out(request)
        form.add_error("code", check.message())
        return _security_page(request, turn_off_form=form, status=400)
    try:
        two_factor_turn_off(user=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Two-factor authentication is off for your account."))
    return redirect("accounts:security")
