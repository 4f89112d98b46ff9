"""`manage.py check --deploy`: what a production installation with several processes needs."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)
UNSENT_MAIL = (
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
)


@register(Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs):
    if settings.CACHES["default"]["BACKEND"] in PER_PROCESS_CACHES:
        return [
            Warning(
                "The cache is local to each process: the limit on failed certificate look-ups "
                "and the signed status lists are not shared between web processes.",
                hint="Set CACHE_URL=redis://HOST:6379/1 (docs/deploy.md).",
                id="lms.W001",
            )
        ]
    return []


@register(deploy=True)
def mail_is_sent(app_configs, **kwargs):
    if settings.EMAIL_BACKEND in UNSENT_MAIL:
        return [
            Warning(
                "E-mail is not sent: account activation, password resets, invitations and the "
                "monthly donor reports would never reach anyone.",
                hint="Set EMAIL_URL=smtp+tls://USER:PASSWORD@HOST:587 (docs/deploy.md).",
                id="lms.W002",
            )
        ]
    return []
