"""Public verification: the page /v/<identifier>, its Open Badges 3.0 credential and the JSON at
/api/v1/verify/<identifier>; the issuer's public keys at /.well-known/jwks.json and
/.well-known/did.json; the status lists credentials point at, under /credentials/status/.

Included at the root without a language prefix: the QR code on paper carries a fixed address.
"""

from django.urls import path

from certificates import verify_views

app_name = "verify"

urlpatterns = [
    path("v/", verify_views.verify_form, name="form"),
    path("v/<str:identifier>", verify_views.verify_certificate, name="certificate"),
    path(
        "v/<str:identifier>/credential.json",
        verify_views.verify_credential,
        name="credential",
    ),
    # What the QR code carries: /V/ upper case keeps the address in QR alphanumeric mode.
    path("V/<str:identifier>", verify_views.verify_certificate, name="certificate_qr"),
    path("api/v1/verify/<str:identifier>", verify_views.verify_api, name="api"),
    path(".well-known/jwks.json", verify_views.issuer_jwks, name="jwks"),
    path(".well-known/did.json", verify_views.issuer_did, name="did"),
    path(
        "credentials/status/<int:number>/<str:purpose>",
        verify_views.status_list,
        name="status_list",
    ),
]
