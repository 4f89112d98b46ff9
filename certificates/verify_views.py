"""Public certificate verification: the form, the page a QR code opens, the JSON answer, and the
issuer's public keys at /.well-known/ (JWKS and did:web document).

Thin views over certificates.verification. Every answer is kept out of shared caches and search
engines and sends no referrer onwards; the page a QR code opens is kept rendered in the site's own
cache until the certificate changes (certificates.verification). LMS_VERIFY_MIN_SECONDS, when set,
pads every answer to that time.
"""

import json
import math
import time
from functools import wraps

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from certificates import keys as issuer_keys
from certificates import openbadges
from certificates.identifiers import MalformedIdentifier, normalize, verification_url
from certificates.panels import credential_response
from certificates.verification import (
    Lookup,
    LookupState,
    page_cache_key,
    verification_count,
    verification_failure_record,
    verification_lookup,
    verification_page_cached,
    verification_page_keep,
    verification_retry_after,
)
from lms.models import AnonymisationBasis

TEMPLATE = "certificates/verify.html"


# --- Shared by the page and the API ---------------------------------------------------------


def _client_address(request: HttpRequest) -> str:
    """The verifier's address, only to limit failed look-ups (see LMS_TRUSTED_PROXIES)."""
    proxies = settings.LMS_TRUSTED_PROXIES
    if proxies:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        # Each trusted proxy appends the address it saw; what lies further left is unchecked.
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _explicit_language(request: HttpRequest) -> str:
    language = request.GET.get("lang", "")
    return language if language in dict(settings.LANGUAGES) else ""


def _public(view):
    """Language from ?lang=, private headers, and the same minimum time for every answer."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        started = time.monotonic()
        language = _explicit_language(request) or translation.get_language()
        with translation.override(language):
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        response.headers["Content-Language"] = language
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        response.headers["Referrer-Policy"] = "no-referrer"
        # A known identifier must not answer faster or slower than an unknown one.
        remaining = settings.LMS_VERIFY_MIN_SECONDS - (time.monotonic() - started)
        if remaining > 0:
            time.sleep(remaining)
        return response

    return wrapped


# --- Pages ------------------------------------------------------------------------------------


def _with_language(request: HttpRequest, url: str) -> str:
    language = _explicit_language(request)
    return f"{url}?lang={language}" if language else url


def _language_links(request: HttpRequest) -> list[dict]:
    links = []
    current = translation.get_language()
    for code, _name in settings.LANGUAGES:
        query = QueryDict(mutable=True)
        query.update({k: v for k, v in request.GET.items() if k != "lang"})
        query["lang"] = code
        links.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": f"{request.path}?{query.urlencode()}",
                "current": code == current,
            }
        )
    return links


def _page(
    request: HttpRequest, *, lookup: Lookup | None = None, status: int = 200, retry_after: int = 0
) -> HttpResponse:
    typed = request.GET.get("id", "")
    if lookup is not None and lookup.state == LookupState.MALFORMED:
        typed = lookup.text
    elif lookup is not None and lookup.state == LookupState.UNKNOWN:
        typed = lookup.display_identifier
    replaced_by = lookup.replaced_by if lookup is not None else ""
    context = {
        "lookup": lookup,
        "certificate": lookup.certificate if lookup is not None else None,
        "typed": typed,
        "lang": _explicit_language(request),
        "language_links": _language_links(request),
        "replaced_url": _with_language(request, reverse("verify:certificate", args=[replaced_by]))
        if replaced_by
        else "",
        "retry_after": retry_after,
        "retry_minutes": math.ceil(retry_after / 60),
    }
    response = render(request, TEMPLATE, context, status=status)
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response


@require_GET
@_public
def verify_form(request: HttpRequest) -> HttpResponse:
    """The form; a typed identifier goes to its canonical page (case, spaces, dashes tolerated)."""
    text = request.GET.get("id", "")
    if not text.strip():
        return _page(request)
    address = _client_address(request)
    if wait := verification_retry_after(address):
        return _page(request, status=429, retry_after=wait)
    try:
        identifier = normalize(text)
    except MalformedIdentifier:
        verification_failure_record(address)
        return _page(request, lookup=verification_lookup(text), status=400)
    return redirect(_with_language(request, reverse("verify:certificate", args=[identifier])))


def _page_key(request: HttpRequest, identifier: str) -> str | None:
    """Where the rendered page of this address is kept; None for an address with other query
    parameters (its language links carry them) or a language not offered."""
    lang = request.GET.get("lang", "")
    if set(request.GET) - {"lang"} or len(request.GET.getlist("lang")) > 1:
        return None
    if lang and lang not in dict(settings.LANGUAGES):
        return None
    path = "V" if request.path.startswith("/V/") else "v"
    return page_cache_key(identifier, path, lang, translation.get_language())


@require_GET
@_public
def verify_certificate(request: HttpRequest, identifier: str) -> HttpResponse:
    """The page the QR code opens: the certificate's state and what it certifies."""
    address = _client_address(request)
    key = _page_key(request, identifier)
    kept, wait = verification_page_cached(key, address)
    if wait:
        return _page(request, status=429, retry_after=wait)
    if kept is not None:
        verification_count(kept["pk"])
        return HttpResponse(kept["content"], content_type=kept["content_type"])
    lookup = verification_lookup(identifier)
    if lookup.identifier and lookup.identifier != identifier:
        canonical = reverse("verify:certificate", args=[lookup.identifier])
        return redirect(_with_language(request, canonical), permanent=True)
    if lookup.failed:
        verification_failure_record(address)
        # /v/ is unprefixed (lms.middleware.UNPREFIXED), so a 404 stays a 404.
        status = 400 if lookup.state == LookupState.MALFORMED else 404
        return _page(request, lookup=lookup, status=status)
    verification_count(lookup.certificate.pk)
    response = _page(request, lookup=lookup)
    if key is not None:
        verification_page_keep(
            key, lookup.certificate.pk, response.content, response["Content-Type"]
        )
    return response


@require_GET
@_public
def verify_credential(request: HttpRequest, identifier: str) -> HttpResponse:
    """The certificate as an Open Badges 3.0 credential, signed now, for any verifier's tools.

    The public copy names the holder as printed and leaves out the salted hash of their email
    address: only the holder's own copy (My learning, the PDF) carries it.
    """
    address = _client_address(request)
    if wait := verification_retry_after(address):
        return HttpResponse(status=429, headers={"Retry-After": str(wait)})
    lookup = verification_lookup(identifier)
    if lookup.identifier and lookup.identifier != identifier:
        canonical = reverse("verify:credential", args=[lookup.identifier])
        return redirect(canonical, permanent=True)
    if lookup.failed:
        verification_failure_record(address)
        raise Http404
    certificate = openbadges.credential_certificate(lookup.certificate.pk)
    credential = openbadges.certificate_credential(certificate, holder_email=False)
    return credential_response(credential, certificate)


# --- JSON -------------------------------------------------------------------------------------


class CertificateVerificationReasonSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="issued_in_error, completion_revised, misconduct, …")
    label = serializers.CharField()


class CertificateVerificationSerializer(serializers.Serializer):
    identifier = serializers.CharField(help_text="Canonical form: 28 characters, no dashes.")
    display_identifier = serializers.CharField(help_text="As printed: groups of four.")
    state = serializers.CharField(help_text="valid, expired, suspended, revoked or superseded.")
    state_label = serializers.CharField(help_text="The state in the requested language.")
    holder_name = serializers.CharField(
        help_text="The holder's name as printed; a placeholder when holder_anonymised is true."
    )
    holder_anonymised = serializers.BooleanField(
        help_text="True when the holder's personal data was erased (at their request or at the "
        "end of its retention period): the name can no longer be checked. The certificate "
        "itself is still answered for."
    )
    holder_anonymised_basis = serializers.ChoiceField(
        choices=AnonymisationBasis.values,
        allow_null=True,
        help_text="Why it was erased: at the holder's request, or at the end of the retention "
        "period; null when it was not.",
    )
    course = serializers.CharField()
    contact_hours = serializers.DecimalField(max_digits=5, decimal_places=1, coerce_to_string=False)
    started_on = serializers.DateField(allow_null=True)
    completed_on = serializers.DateField()
    workshop = serializers.CharField(allow_null=True, help_text="Workshop code; null online.")
    region = serializers.CharField(allow_null=True)
    issuer = serializers.CharField()
    issued_at = serializers.DateTimeField()
    valid_until = serializers.DateField(allow_null=True)
    status_changed_at = serializers.DateTimeField(allow_null=True)
    reason_category = CertificateVerificationReasonSerializer(
        allow_null=True, help_text="Only when suspended or revoked."
    )
    replaced_by = serializers.URLField(
        allow_null=True, help_text="Verification address of the newer certificate (superseded)."
    )
    verification_url = serializers.URLField()


class CertificateVerificationFailureSerializer(serializers.Serializer):
    state = serializers.CharField(help_text="unknown, malformed or refused.")
    detail = serializers.CharField()


class CertificateVerificationRefusedSerializer(CertificateVerificationFailureSerializer):
    retry_after = serializers.IntegerField(help_text="Seconds to wait (also in Retry-After).")


def _payload(lookup: Lookup) -> dict:
    certificate = lookup.certificate
    reason = lookup.reason_category
    return {
        "identifier": lookup.identifier,
        "display_identifier": lookup.display_identifier,
        "state": lookup.state,
        "state_label": lookup.label,
        "holder_name": certificate.holder_name,
        "holder_anonymised": bool(lookup.holder_removed),
        "holder_anonymised_basis": lookup.holder_removed or None,
        "course": certificate.course_title,
        "contact_hours": certificate.contact_hours,
        "started_on": certificate.started_on,
        "completed_on": certificate.completed_on,
        "workshop": certificate.workshop_code or None,
        "region": certificate.region_name or None,
        "issuer": certificate.issuer_name,
        "issued_at": certificate.issued_at,
        "valid_until": certificate.valid_until,
        "status_changed_at": certificate.status_changed_at,
        "reason_category": {"code": reason, "label": lookup.reason_label} if reason else None,
        "replaced_by": verification_url(lookup.replaced_by) if lookup.replaced_by else None,
        "verification_url": verification_url(lookup.identifier),
    }


class VerificationApi(APIView):
    """Anyone may verify a certificate; no login, no token, no session."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    # Failed look-ups are limited per address by certificates.verification, not by DRF throttles.
    throttle_classes: list = []

    @extend_schema(
        operation_id="certificate_verify",
        tags=["verification"],
        summary="Verify a certificate",
        description=(
            "The state of a certificate and what it certifies, as its verification page shows "
            "it. Case, spaces and dashes in the identifier do not matter. Too many unknown or "
            "mistyped identifiers from one address within a window answer 429 with Retry-After."
        ),
        auth=[],
        parameters=[
            OpenApiParameter(
                "identifier",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description="The identifier printed on the certificate.",
            ),
            OpenApiParameter(
                "lang",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                required=False,
                enum=[code for code, _name in settings.LANGUAGES],
                description="Language of the labels (default: Accept-Language).",
            ),
        ],
        responses={
            200: CertificateVerificationSerializer,
            400: OpenApiResponse(
                CertificateVerificationFailureSerializer,
                description="Mistyped identifier (state: malformed); nothing was looked up.",
            ),
            404: OpenApiResponse(
                CertificateVerificationFailureSerializer,
                description="No certificate has this identifier (state: unknown).",
            ),
            429: OpenApiResponse(
                CertificateVerificationRefusedSerializer,
                description="Too many failed look-ups from this address (state: refused).",
            ),
        },
    )
    def get(self, request, identifier: str) -> Response:
        address = _client_address(request)
        if wait := verification_retry_after(address):
            detail = _("Too many failed look-ups from your connection. Try again later.")
            body = {"state": "refused", "detail": detail, "retry_after": wait}
            return Response(body, status=429, headers={"Retry-After": str(wait)})
        lookup = verification_lookup(identifier)
        if lookup.state == LookupState.MALFORMED:
            verification_failure_record(address)
            return Response({"state": lookup.state, "detail": lookup.detail}, status=400)
        if lookup.state == LookupState.UNKNOWN:
            verification_failure_record(address)
            detail = _("No certificate has this identifier.")
            return Response({"state": lookup.state, "detail": detail}, status=404)
        verification_count(lookup.certificate.pk)
        return Response(CertificateVerificationSerializer(_payload(lookup)).data)


verify_api = _public(VerificationApi.as_view())


# --- The issuer's public keys -----------------------------------------------------------------


def _public_json(document: dict, content_type: str) -> HttpResponse:
    response = HttpResponse(json.dumps(document, indent=2), content_type=content_type)
    # Short-lived: a rotated key must reach verifiers' caches before it signs much.
    response.headers["Cache-Control"] = "public, max-age=300"
    # Anyone's verifier may fetch these (they are public keys), from any page.
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def issuer_jwks(request: HttpRequest) -> HttpResponse:
    """/.well-known/jwks.json: every published issuer key, retired ones included."""
    return _public_json(issuer_keys.jwks(), "application/jwk-set+json")


@require_GET
def issuer_did(request: HttpRequest) -> HttpResponse:
    """/.well-known/did.json: the site's did:web document, the same keys as Multikeys."""
    return _public_json(issuer_keys.did_document(), "application/did+json")


@require_GET
def status_list(request: HttpRequest, number: int, purpose: str) -> HttpResponse:
    """A signed Bitstring Status List: which certificates of a block are revoked (or suspended).

    Every certificate of the block has a position in it, so fetching it says nothing about which
    certificate a verifier is checking.
    """
    if purpose not in openbadges.PURPOSES or not openbadges.status_list_exists(number):
        raise Http404
    document = openbadges.status_list_credential(number, purpose)
    return _public_json(document, openbadges.CREDENTIAL_MEDIA_TYPE)
