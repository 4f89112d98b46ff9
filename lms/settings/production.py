"""Production: refuses to start without a real SECRET_KEY; HTTPS and secure cookies on."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import LOGGING, STORAGES, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters."
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
# Certificates print and encode this address: it must be the public HTTPS one.
LMS_PUBLIC_URL = env(
    "LMS_PUBLIC_URL", default=f"https://{ALLOWED_HOSTS[0]}" if ALLOWED_HOSTS else ""
)
if not LMS_PUBLIC_URL.startswith("https://"):
    raise ImproperlyConfigured("LMS_PUBLIC_URL must be the site's https:// address.")
# Certificates are signed only with a key someone configured (never one made up on the fly):
# without one, issuing a PDF stops and says how to create it (docs/verification.md).
LMS_ISSUER_KEY_AUTOCREATE = False
# Likewise the PDF signature's key and certificates (certificates.W002 warns when they are missing).
LMS_PDF_SIGNING_AUTOCREATE = False

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

# Static files: hashed names (cached for a year by browsers and proxies) and pre-compressed copies,
# written by `collectstatic` and served by whitenoise from the web process.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# One JSON object per log line unless LOG_FORMAT=text (lms/settings/base.py).
LOG_FORMAT = env("LOG_FORMAT", default="json")
if LOG_FORMAT not in LOGGING["formatters"]:
    raise ImproperlyConfigured(f"LOG_FORMAT must be 'text' or 'json', not {LOG_FORMAT!r}.")
LOGGING["handlers"]["console"]["formatter"] = LOG_FORMAT
