"""Browser security headers on every response: the Content-Security-Policy (django-csp, with
per-path exceptions from settings) and a Permissions-Policy that views may widen."""

from collections.abc import Callable, Iterable
from functools import wraps

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

PERMISSIONS_POLICY_HEADER = "Permissions-Policy"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware; `LMS_CSP_PATH_EXCEPTIONS` swaps directives under some paths.

    Each exception is `(path prefix, {directive: sources})`; the first matching prefix wins, so
    a narrower prefix listed first keeps the strict policy (e.g. the admin login). Wagtail's
    previews may be framed by the admin.
    """

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        replace = {}
        for prefix, directives in getattr(settings, "LMS_CSP_PATH_EXCEPTIONS", ()):
            if request.path_info.startswith(prefix):
                replace.update(directives)
                break
        if getattr(request, "is_dummy", False):
            # A Wagtail preview: the page is rendered through the middleware for the admin's
            # preview panel, which frames it (Wagtail turns X-Frame-Options to SAMEORIGIN too).
            replace["frame-ancestors"] = ["'self'"]
        # A view's own @csp_replace still has the last word.
        parts.replace = {**replace, **(parts.replace or {})}
        return parts


def _allowlist(origins: Iterable[str]) -> str:
    return "(" + " ".join(o if o in ("self", "*") else f'"{o}"' for o in origins) + ")"


def permissions_policy_value(features: dict[str, Iterable[str]]) -> str:
    """`{"camera": ["self"], "microphone": []}` -> `camera=(self), microphone=()`."""
    return ", ".join(f"{name}={_allowlist(origins)}" for name, origins in features.items())


def permissions_policy(**features: Iterable[str]) -> Callable:
    """Widen the site's Permissions-Policy for one view, e.g. `permissions_policy(camera=["self"])`.

    Use with `method_decorator(..., name="dispatch")` on class-based views.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            response = view(*args, **kwargs)
            response._permissions_policy = features
            return response

        return wrapped

    return decorator


class PermissionsPolicyMiddleware:
    """Sends `LMS_PERMISSIONS_POLICY` (browser features the site never uses, switched off),
    with whatever a view widened through @permissions_policy."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        features = dict(getattr(settings, "LMS_PERMISSIONS_POLICY", {}))
        features.update(getattr(response, "_permissions_policy", {}))
        if features and PERMISSIONS_POLICY_HEADER not in response:
            response[PERMISSIONS_POLICY_HEADER] = permissions_policy_value(features)
        return response
