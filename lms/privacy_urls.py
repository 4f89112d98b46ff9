from django.urls import path
from django.utils.translation import gettext_lazy as _

from lms import privacy_views as views

app_name = "privacy"

urlpatterns = [
    path("", views.overview, name="overview"),
    path(_("consents/"), views.consents, name="consents"),
    path(_("consents/<int:consent_id>/withdraw/"), views.consent_withdraw, name="consent_withdraw"),
    path(_("consents/<slug:purpose>/give/"), views.consent_give, name="consent_give"),
    path(_("self-identification/"), views.self_identification, name="self_identification"),
    path(_("download/"), views.download, name="download"),
    path(_("download/my-data.json"), views.download_json, name="download_json"),
    path(_("download/my-data.zip"), views.download_csv, name="download_csv"),
    path(_("requests/"), views.requests, name="requests"),
    path(_("requests/new/"), views.request_new, name="request_new"),
]
