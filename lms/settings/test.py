"""Test settings: fast hashing, in-memory cache, jobs run in the calling process."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LMS_JOBS_BACKEND = env("LMS_JOBS_BACKEND", default="inline")
CELERY_BROKER_URL = ""
_tmp = tempfile.mkdtemp(prefix="lms-test-")
MEDIA_ROOT = f"{_tmp}/media"
PRIVATE_ROOT = f"{_tmp}/private"
# whitenoise reads the collected static files at start-up; the tests collect none.
STATIC_ROOT = Path(f"{_tmp}/static")
STATIC_ROOT.mkdir()
STORAGES = {
    **STORAGES,  # noqa: F405
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_ROOT, "base_url": None},
    },
}
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None}}  # noqa: F405
LMS_ALLOW_DEMO_DATA = True

# Certificates: a fixed public address, and a short equal-time floor so tests stay quick.
LMS_PUBLIC_URL = "https://lms.test"
LMS_VERIFY_MIN_SECONDS = 0.05
# Look-ups are written at once, so a test reads the count right after a request.
LMS_VERIFY_COUNT_SECONDS = 0
LMS_CERTIFICATE_WORKERS = 1
# Each test run signs with a key of its own, created on first use in its temporary folder.
LMS_ISSUER_KEY_DIR = Path(f"{_tmp}/keys")
LMS_ISSUER_KEY = ""
LMS_ISSUER_SIGNER = ""
LMS_ISSUER_KEY_AUTOCREATE = True
LMS_PDF_SIGNING_DIR = Path(f"{_tmp}/keys/pdf")
LMS_PDF_TSA_URL = ""
LMS_PDF_SIGNING_AUTOCREATE = True

# Logins in tests are not throttled (the test client's login() passes no request, which
# django-axes needs); tests of throttling switch it on.
AXES_ENABLED = False

# Most tests sign staff in with force_login and open the admin; two-factor tests switch the
# requirement on (tests/lms/test_two_factor.py). Users who set up an authenticator still verify.
LMS_OTP_REQUIRED = False

# The suite empties tables between transactional tests with TRUNCATE; on PostgreSQL the audit
# trail's guard lets that through only for a superuser session that asks for it (never the app).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c lms.audit_allow_truncate=on"  # noqa: F405
