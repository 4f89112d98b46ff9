"""`manage.py check --deploy`: say before the first certificate that no issuer key can sign."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

from certificates import keys


@register(Tags.security, deploy=True)
def issuer_key_configured(app_configs, **kwargs):
    if settings.LMS_ISSUER_KEY_AUTOCREATE:
        return []
    try:
        keys.signing_key()
    except keys.IssuerKeyMissing as exc:
        return [Warning(str(exc), id="certificates.W001")]
    return []
