"""The email that tells a holder their certificate was issued (plain text, the PDF attached).

Callers decide *when* to send (certificates.services.certificate_holder_notify, once, after the
commit); this module only decides what the email says.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from certificates.identifiers import verification_url
from certificates.models import Certificate
from certificates.selectors import pdf_filename


def render_certificate_email(certificate: Certificate) -> tuple[str, str]:
    """(subject, body) in the certificate's language."""
    person = certificate.person
    with translation.override(certificate.language or settings.LANGUAGE_CODE):
        my_learning_url = ""
        if person.user_id:
            my_learning_url = settings.LMS_PUBLIC_URL.rstrip("/") + reverse("learning:my_learning")
        context = {
            "certificate": certificate,
            "person": person,
            "verify_url": verification_url(certificate.identifier),
            "my_learning_url": my_learning_url,
        }
        subject = render_to_string("certificates/email/issued_subject.txt", context)
        body = render_to_string("certificates/email/issued_body.txt", context)
    return " ".join(subject.split()), body.strip() + "\n"


def send_certificate_email(certificate: Certificate, pdf: bytes) -> None:
    subject, body = render_certificate_email(certificate)
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[certificate.person.email],
    )
    message.attach(pdf_filename(certificate), pdf, "application/pdf")
    message.send()
