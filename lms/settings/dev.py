"""Local development and `make demo`: debug on, a fixed throw-away secret."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
LMS_ALLOW_DEMO_DATA = env.bool("LMS_ALLOW_DEMO_DATA", default=True)
# Two-factor authentication stays required here too (the demo logins get the published demo
# authenticator); LMS_OTP_REQUIRED=0 tries the demo without it. Production cannot switch it off.
LMS_OTP_REQUIRED = env.bool("LMS_OTP_REQUIRED", default=True)
# A signing key for the QR codes is created in LMS_ISSUER_KEY_DIR when there is none.
LMS_ISSUER_KEY_AUTOCREATE = env.bool("LMS_ISSUER_KEY_AUTOCREATE", default=True)
# And a test CA with the PDF signer's and timestamp authority's certificates in LMS_PDF_SIGNING_DIR.
LMS_PDF_SIGNING_AUTOCREATE = env.bool("LMS_PDF_SIGNING_AUTOCREATE", default=True)
# runserver serves static files from the apps; whitenoise only needs the folder to exist.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
