"""Certificate PDFs (first version: one WeasyPrint render per certificate; to be replaced)."""

from weasyprint import HTML

from certificates.identifiers import verification_url


def render_certificate(certificate) -> bytes:
    html = f"<h1>{certificate.holder_name}</h1><p>{verification_url(certificate.identifier)}</p>"
    return HTML(string=html).write_pdf()


def render_certificates(certificates, *, workers=None):
    for certificate in certificates:
        yield certificate, render_certificate(certificate)
