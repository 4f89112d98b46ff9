"""`manage.py check --deploy`: say before the first certificate that no key can sign it."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

from certificates import keys, pdfsigning


@register(Tags.security, deploy=True)
def issuer_key_configured(app_configs, **kwargs):
    if settings.LMS_ISSUER_KEY_AUTOCREATE:
        return []
    try:
        keys.signing_key()
    except keys.IssuerKeyMissing as exc:
        return [Warning(str(exc), id="certificates.W001")]
    return []


@register(Tags.security, deploy=True)
def pdf_signing_configured(app_configs, **kwargs):
    if settings.LMS_PDF_SIGNING_AUTOCREATE:
        return []
    try:
        pdfsigning.pdf_signer()
    except pdfsigning.PdfSigningMissing as exc:
        return [Warning(str(exc), id="certificates.W002")]
    except (OSError, ValueError) as exc:  # a file that is there but cannot be read
        return [Warning(f"{pdfsigning.signing_dir()}: {exc}", id="certificates.W002")]
    return []
