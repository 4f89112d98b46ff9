"""A participant's own certificates (under /<lang>/my-learning/certificates/): the PDF download."""

from django.urls import path

from certificates import panels

app_name = "certificates"

urlpatterns = [
    path("<str:identifier>/pdf/", panels.download_pdf, name="download"),
]
