"""Holds a session that passed the password but not yet the code at the two-factor step.

Runs after django-otp's OTPMiddleware. Until the code is given, the admin and the login page send
the user to the step (with ``?next=``); the rest of the site treats the user as a visitor, so
public pages keep working and pages that need a login ask for it, which leads to the step again.
The API decides for itself (``lms.api.authentication``): tokens were obtained with a code.
"""

from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse

from lms.two_factor import Step, pending_step

STEP_URL_NAMES = {
    Step.SETUP: "accounts:two_factor_setup",
    Step.VERIFY: "accounts:two_factor_verify",
}
# Views a half-signed-in user may reach as themself: the steps, and the ways out.
OPEN_VIEWS = {*STEP_URL_NAMES.values(), "accounts:logout", "wagtailadmin_logout"}
SEND_TO_STEP_VIEWS = {"accounts:login"}


def step_url(step: Step, *, next_url: str = "") -> str:
    url = reverse(STEP_URL_NAMES[step])
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


async def _anonymous():
    return AnonymousUser()


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        step = pending_step(request.user)
        if step is None:
            return None
        view_name = request.resolver_match.view_name if request.resolver_match else ""
        if view_name in OPEN_VIEWS:
            return None
        if request.path_info.startswith("/admin/"):
            return redirect(step_url(step, next_url=request.get_full_path()))
        if view_name in SEND_TO_STEP_VIEWS:
            return redirect(step_url(step, next_url=request.GET.get("next", "")))
        request.user = AnonymousUser()
        request.auser = _anonymous
        return None
