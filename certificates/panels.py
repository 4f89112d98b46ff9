"""A participant's certificates: the "My certificates" section of My learning and the downloads
(the PDF and the Open Badges 3.0 credential).

The download is for the holder (while the certificate is valid) and for the staff and trainers who
see it in the admin; anyone else gets "not found", so nothing tells them it exists.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from certificates.identifiers import verification_url
from certificates.models import Certificate
from certificates.openbadges import (
    CREDENTIAL_MEDIA_TYPE,
    certificate_credential,
    credential_bytes,
    credential_certificate,
    credential_filename,
)
from certificates.selectors import certificates_for, find_identifier, pdf_filename
from certificates.services import certificate_pdf_bytes


def pdf_response(data: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    """A PDF that only its addressee should keep: never cached by a shared cache."""
    response = HttpResponse(data, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def credential_response(credential: dict, certificate: Certificate) -> HttpResponse:
    """An Open Badges 3.0 credential as a file to keep (signed now: never cached)."""
    response = HttpResponse(credential_bytes(credential), content_type=CREDENTIAL_MEDIA_TYPE)
    filename = credential_filename(certificate)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def my_certificates(request, person):
    """Replaced certificates are left out: the one that replaced them is listed."""
    certificates = (
        Certificate.objects.filter(person=person)
        .exclude(status=Certificate.Status.SUPERSEDED)
        .order_by("-issued_at", "-pk")
    )
    rows = [
        {
            "certificate": certificate,
            "verify_url": verification_url(certificate.identifier),
            "download_url": reverse("certificates:download", args=[certificate.identifier])
            if certificate.status == Certificate.Status.VALID
            else "",
            "credential_url": reverse("certificates:credential", args=[certificate.identifier])
            if certificate.status == Certificate.Status.VALID
            else "",
        }
        for certificate in certificates
    ]
    return 30, "certificates/panels/my_certificates.html", {"rows": rows}


def _may_download(user, certificate: Certificate) -> bool:
    if certificate.person.user_id == user.pk:
        return certificate.status == Certificate.Status.VALID
    return certificates_for(user, own=False).filter(pk=certificate.pk).exists()


@login_required
@require_GET
def download_pdf(request, identifier: str):
    canonical = find_identifier(identifier)
    certificate = (
        Certificate.objects.select_related("person", "course", "template")
        .filter(identifier=canonical)
        .first()
        if canonical
        else None
    )
    if certificate is None or not _may_download(request.user, certificate):
        raise Http404
    return pdf_response(certificate_pdf_bytes(certificate), pdf_filename(certificate))


@login_required
@require_GET
def download_credential(request, identifier: str):
    """The Open Badges 3.0 credential, with the salted hash of the holder's email address: for
    the holder to present (the public copy on the verification page leaves it out)."""
    canonical = find_identifier(identifier)
    pk = Certificate.objects.filter(identifier=canonical).values_list("pk", flat=True).first()
    certificate = credential_certificate(pk) if canonical and pk else None
    if certificate is None or not _may_download(request.user, certificate):
        raise Http404
    return credential_response(certificate_credential(certificate), certificate)
