"""A participant's own certificates (under /<lang>/my-learning/certificates/): the PDF and credential downloads."""

from django.urls import path

from certificates import panels

app_name = "certificates"

urlpatterns = [
    path("<str:identifier>/pdf/", panels.download_pdf, name="download"),
    path("<str:identifier>/credential/", panels.download_credential, name="credential"),
]
