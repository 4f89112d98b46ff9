"""Public verification: the page /v/<identifier> and the JSON at /api/v1/verify/<identifier>.

Included at the root without a language prefix: the QR code on paper carries a fixed address.
"""

from django.urls import path

from certificates import verify_views

app_name = "verify"

urlpatterns = [
    path("v/", verify_views.verify_form, name="form"),
    path("v/<str:identifier>", verify_views.verify_certificate, name="certificate"),
    path("api/v1/verify/<str:identifier>", verify_views.verify_api, name="api"),
]
