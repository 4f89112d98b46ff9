"""API authentication: a browser session counts only once its two-factor step is done."""

from django.utils.translation import gettext as _
from drf_spectacular.authentication import SessionScheme
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import PermissionDenied

from lms.two_factor import pending_step


class OTPSessionAuthentication(SessionAuthentication):
    """Refuses (403) a session that passed the password but not yet the code.

    Token requests are not concerned: a token is only handed out with a code
    (``POST /api/v1/auth/token/``) to those who use two-factor authentication.
    """

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None and pending_step(request._request.user) is not None:
            raise PermissionDenied(
                _(
                    "Two-factor authentication is not complete for this session: enter your code "
                    "on the site first, or use an API token."
                )
            )
        return result


class OTPSessionScheme(SessionScheme):
    """The OpenAPI schema shows it as the usual session cookie."""

    target_class = "lms.api.authentication.OTPSessionAuthentication"
