"""Settings shared by every environment; values come from the environment (django-environ)."""

import datetime as dt
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from .storages import s3_storages

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A .env file beside manage.py is optional; real deployments set the environment.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Embedded default: everything the app writes lives under one local data folder.
DATA_DIR = Path(env("LMS_DATA_DIR", default=str(BASE_DIR / "var")))

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Project apps, in dependency order:
    # lms <- courses <- attendance <- assessments <- certificates; reports reads all.
    "lms",
    "courses",
    "attendance",
    "assessments",
    "certificates",
    "reports",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # API
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # /healthz and /readyz are answered here, before the host check and every redirect (lms.health).
    "lms.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files from the web process itself, compressed and cached for a year (whitenoise).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response (see the block below).
    "lms.security_headers.ContentSecurityPolicyMiddleware",
    "lms.security_headers.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lms.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Two-factor authentication: which device verified this session, then hold a session that
    # has the password but not the code at the two-factor step.
    "django_otp.middleware.OTPMiddleware",
    "lms.two_factor_middleware.TwoFactorMiddleware",
    "lms.auditing.AuditRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the "too many attempts" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"
ASGI_APPLICATION = "lms.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite in the data folder unless DATABASE_URL points elsewhere (e.g. postgres://...).
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers (the admin polling a job) run while a writer works; IMMEDIATE takes the
    # write lock at BEGIN so two writers queue instead of failing half-way with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "lms.User"
# Argon2id first; older hashes are upgraded on the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
# Long passphrases are welcome (up to 1,024 characters; no composition rules), short, common,
# numeric or personal ones are not.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "lms.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 1024}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sessions end after 8 hours, and when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Login throttling (django-axes) on every login: the site, the admin and the API token. After 5
# failures for one account from one address, that pair waits 15 minutes. Successful logins are
# not logged; failures are kept only as long as the lock lasts (`axes_reset` clears them).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "lms.account_views.locked_out"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "learning:my_learning"
LOGOUT_REDIRECT_URL = "/"

# --- Two-factor authentication ----------------------------------------------------------------
# An authenticator app (TOTP) plus single-use backup codes (django-otp). Staff, trainers,
# administrators and superusers must use it; participants and donors may turn it on. Not read
# from the environment: only the dev and test settings may switch the requirement off.
LMS_OTP_REQUIRED = True
LMS_OTP_BACKUP_CODES = 10
OTP_TOTP_ISSUER = "Integridad LMS"
# Throttling stays on: each wrong code in a row doubles the wait before the next try
# (1 s, 2 s, 4 s...); the right code resets it. Wrong codes also count as failed logins for
# django-axes (see above).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Lima"
USE_I18N = True
USE_TZ = True

# --- Files ----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(DATA_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(DATA_DIR / "media")))
# Uploaded import files hold personal data: they go to a folder that is never served.
PRIVATE_ROOT = Path(env("PRIVATE_ROOT", default=str(DATA_DIR / "private")))
# Media (uploads, images, documents) and the private files (certificate PDFs, import and export
# files) live on the local file system by default. LMS_STORAGE=s3 puts both in an S3-compatible
# object store (django-storages): one bucket, two prefixes, nothing public: every object is private
# and read through the application or a short-lived signed URL. Credentials come from the usual
# AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or the instance's role). See docs/deploy.md.
LMS_STORAGE = env("LMS_STORAGE", default="filesystem")
if LMS_STORAGE == "s3":
    STORAGES = s3_storages(
        bucket=env("LMS_S3_BUCKET"),
        endpoint_url=env("LMS_S3_ENDPOINT_URL", default=None),
        region=env("LMS_S3_REGION", default=None),
        url_seconds=env.int("LMS_S3_URL_SECONDS", default=300),
        encrypt=env.bool("LMS_S3_ENCRYPT", default=True),
    )
elif LMS_STORAGE == "filesystem":
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": PRIVATE_ROOT, "base_url": None},
        },
    }
else:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"LMS_STORAGE must be 'filesystem' or 's3', not {LMS_STORAGE!r}.")
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Content Security Policy -------------------------------------------------------------------
# No inline script anywhere we control: pages load scripts from /static/ only and pass data in
# data- attributes or json_script. Styles allow 'unsafe-inline' for style="" attributes and the
# <style> blocks of Wagtail, Swagger UI and Redoc (CSS cannot run code). docs/security.md,
# "Web hardening", says why each exception exists.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}
# (path prefix, directives replaced there); the first matching prefix wins.
LMS_CSP_PATH_EXCEPTIONS = [
    # The admin's sign-in and password reset pages run no inline script: they stay strict.
    ("/admin/login/", {}),
    ("/admin/password_reset/", {}),
    # Wagtail 8's admin still writes inline scripts that no nonce can reach: every chooser widget
    # (`new PageChooser(...)`, `new ImageChooser(...)`...), InlinePanel, the date pickers, and the
    # copies jQuery runs when a row is added; the preview panel frames admin pages; image uploads
    # show blob: thumbnails. Upstream: wagtail/wagtail#1288. Staff only, behind two-factor login.
    (
        "/admin/",
        {
            "script-src": ["'self'", "'unsafe-inline'"],
            "img-src": ["'self'", "data:", "blob:"],
            "frame-ancestors": ["'self'"],
        },
    ),
    # Redoc builds its search index in a Web Worker made from a blob: URL.
    ("/api/v1/redoc/", {"worker-src": ["'self'", "blob:"]}),
]
# The admin would otherwise fetch avatars from gravatar.com (leaking staff e-mail hashes) and
# ask releases.wagtail.org for new versions; the policy blocks both, so neither is attempted.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Browser features the site never uses are off; the QR scanner view turns the camera on for
# itself (lms.security_headers.permissions_policy).
LMS_PERMISSIONS_POLICY = {
    feature: []
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "serial", "hid")
}

# --- Cache ----------------------------------------------------------------------------------
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = (
        "lms.cache.RedisCache"  # one Redis client per pool (lms/cache.py)
    )

# --- Certificates ---------------------------------------------------------------------------
# The public address verifiers reach: the QR code and the PDF carry LMS_PUBLIC_URL/v/<identifier>.
LMS_PUBLIC_URL = env("LMS_PUBLIC_URL", default="http://127.0.0.1:8000")
# Processes that render certificate PDFs in a bulk issue (0: one per CPU core; 1: no extra process).
LMS_CERTIFICATE_WORKERS = env.int("LMS_CERTIFICATE_WORKERS", default=0)
# Issuer keys (Ed25519) that sign the QR payload, kept outside the database: PEM files in
# LMS_ISSUER_KEY_DIR, or one PEM private key in LMS_ISSUER_KEY, or a key service behind
# LMS_ISSUER_SIGNER (dotted path to a callable returning a certificates.keys.Signer). Only
# development and tests create a key when there is none. See docs/verification.md.
LMS_ISSUER_KEY_DIR = Path(env("LMS_ISSUER_KEY_DIR", default=str(DATA_DIR / "keys")))
LMS_ISSUER_KEY = env("LMS_ISSUER_KEY", default="")
LMS_ISSUER_SIGNER = env("LMS_ISSUER_SIGNER", default="")
LMS_ISSUER_KEY_AUTOCREATE = False
# Every certificate PDF carries a PAdES signature (docs/verification.md): a P-256 key and its
# certificate chain in LMS_PDF_SIGNING_DIR, timestamped by the RFC 3161 authority at
# LMS_PDF_TSA_URL (empty: a local one, from tsa.key.pem/tsa.chain.pem in the same folder). Only
# development and tests create a throw-away CA and these files when they are missing.
LMS_PDF_SIGNING_DIR = Path(env("LMS_PDF_SIGNING_DIR", default=str(DATA_DIR / "keys" / "pdf")))
LMS_PDF_TSA_URL = env("LMS_PDF_TSA_URL", default="")
LMS_PDF_SIGNER_NAME = env("LMS_PDF_SIGNER_NAME", default="Integridad LMS")
LMS_PDF_SIGNING_AUTOCREATE = False
# Public verification: failed look-ups allowed per client address and window, and an optional
# minimum time for every look-up (off: the answer itself says whether an identifier is known;
# docs/security.md, "Enumerating certificates").
LMS_VERIFY_FAILURES_ALLOWED = env.int("LMS_VERIFY_FAILURES_ALLOWED", default=20)
LMS_VERIFY_WINDOW_SECONDS = env.int("LMS_VERIFY_WINDOW_SECONDS", default=600)
LMS_VERIFY_MIN_SECONDS = env.float("LMS_VERIFY_MIN_SECONDS", default=0)
# The verification page is kept rendered in the cache this long (forgotten at once when the
# certificate changes; 0: rendered every time), and look-ups are counted in the process and
# written every LMS_VERIFY_COUNT_SECONDS (0: at once). See certificates/verification.py.
LMS_VERIFY_CACHE_SECONDS = env.int("LMS_VERIFY_CACHE_SECONDS", default=60)
LMS_VERIFY_COUNT_SECONDS = env.float("LMS_VERIFY_COUNT_SECONDS", default=5)

# Donor reports: the US Government fiscal year starts in October (FY2026 = Oct 2025 – Sep 2026);
# counts below LMS_REPORT_MIN_CELL (and enough others to protect them) are suppressed for donors.
LMS_FISCAL_YEAR_START_MONTH = env.int("LMS_FISCAL_YEAR_START_MONTH", default=10)
LMS_REPORT_MIN_CELL = env.int("LMS_REPORT_MIN_CELL", default=10)
# The first month the program counts from (life of project), as YYYY-MM; empty: all data.
LMS_PROJECT_START = env("LMS_PROJECT_START", default="")
# IATI 2.03 activity file of the indicators' results (reports/iati.py). Identifiers follow
# org-id.guide: {registration agency}-{number}; the placeholder is the Peruvian tax register
# (PE-RUC) with a dummy number: set the implementer's RUC before publishing. The activity
# identifier must start with the reporting organisation's. Organisation types (IATI
# OrganisationType codelist): 10 government, 21 international NGO, 22 national NGO,
# 70 private sector. The funder defaults to USAID (US-GOV-1).
LMS_IATI_REPORTING_ORG_REF = env("LMS_IATI_REPORTING_ORG_REF", default="PE-RUC-20000000000")
LMS_IATI_REPORTING_ORG_NAME = env(
    "LMS_IATI_REPORTING_ORG_NAME", default="Programa de Integridad y Anticorrupción (implementador)"
)
LMS_IATI_REPORTING_ORG_TYPE = env("LMS_IATI_REPORTING_ORG_TYPE", default="22")
LMS_IATI_ACTIVITY_IDENTIFIER = env(
    "LMS_IATI_ACTIVITY_IDENTIFIER", default=f"{LMS_IATI_REPORTING_ORG_REF}-CAPACITACION"
)
LMS_IATI_FUNDING_ORG_REF = env("LMS_IATI_FUNDING_ORG_REF", default="US-GOV-1")
LMS_IATI_FUNDING_ORG_NAME = env(
    "LMS_IATI_FUNDING_ORG_NAME", default="U.S. Agency for International Development (USAID)"
)
LMS_IATI_FUNDING_ORG_TYPE = env("LMS_IATI_FUNDING_ORG_TYPE", default="10")
# The activity's actual start date (YYYY-MM-DD); empty: LMS_PROJECT_START, else the first day
# of the fiscal year reported.
LMS_IATI_ACTIVITY_START = env("LMS_IATI_ACTIVITY_START", default="")
# Behind a reverse proxy, the client address comes from X-Forwarded-For (this many proxies).
LMS_TRUSTED_PROXIES = env.int("LMS_TRUSTED_PROXIES", default=0)

# --- Audit trail ----------------------------------------------------------------------------
# Who receives the daily email with the audit trail's head (python manage.py audit_head --email).
LMS_AUDIT_HEAD_RECIPIENTS = env.list("LMS_AUDIT_HEAD_RECIPIENTS", default=[])

# --- Privacy (Law 29733; docs/privacy.md) ------------------------------------------------------
# Who receives a copy of every personal-data request and of each change of its status.
LMS_PRIVACY_CONTACT_EMAIL = env("LMS_PRIVACY_CONTACT_EMAIL", default="")
# Answer deadlines, in business days counted from the day after a request arrives. 10 is the
# number DS 003-2013-JUS art. 55 set for rectification, cancellation and opposition; check it
# against DS 016-2024-JUS (in force 2025-03-31) before relying on it: unverified here.
LMS_ARCO_DEADLINE_DAYS = {
    "rectification": env.int("LMS_ARCO_RECTIFICATION_DAYS", default=10),
    "cancellation": env.int("LMS_ARCO_CANCELLATION_DAYS", default=10),
    "opposition": env.int("LMS_ARCO_OPPOSITION_DAYS", default=10),
}
# Public holidays (YYYY-MM-DD) that do not count as business days; weekends never do.
LMS_PRIVACY_HOLIDAYS = env.list("LMS_PRIVACY_HOLIDAYS", default=[])
# Retention, applied by `python manage.py apply_retention` (run it daily). 0 turns a rule off.
LMS_RETENTION_UNCONFIRMED_SIGNUP_DAYS = env.int("LMS_RETENTION_UNCONFIRMED_SIGNUP_DAYS", default=30)
LMS_RETENTION_INVITATION_DAYS = env.int("LMS_RETENTION_INVITATION_DAYS", default=60)
LMS_RETENTION_FAILED_LOGIN_DAYS = env.int("LMS_RETENTION_FAILED_LOGIN_DAYS", default=30)
LMS_RETENTION_IMPORT_FILE_DAYS = env.int("LMS_RETENTION_IMPORT_FILE_DAYS", default=7)
LMS_RETENTION_JOB_DAYS = env.int("LMS_RETENTION_JOB_DAYS", default=90)
# Anonymise people with no activity for this many years (0: never automatically).
LMS_RETENTION_ANONYMISE_INACTIVE_YEARS = env.int(
    "LMS_RETENTION_ANONYMISE_INACTIVE_YEARS", default=0
)

# Demo data creates logins with published passwords: only where explicitly allowed.
LMS_ALLOW_DEMO_DATA = env.bool("LMS_ALLOW_DEMO_DATA", default=False)

# --- Background jobs --------------------------------------------------------------------------
# Without a broker, jobs run in the calling process; with one, they go to Celery workers.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Acks late: a job's message stays "unacked" in Redis until its job has finished. A worker that
# is killed (SIGKILL, OOM, power loss) cannot hand it back; Redis delivers it again only once it
# has been unacked for the visibility timeout. Short: a killed job restarts sooner. But a job
# still running after the timeout is delivered to a second worker as well, so the timeout must be
# longer than the longest job (a national bulk issue takes minutes, see docs/performance.md).
# Running twice is harmless (jobs are re-runnable; bulk_issue is safe alongside itself), only
# wasted work. Kombu's default is one hour.
LMS_CELERY_VISIBILITY_TIMEOUT = env.int("LMS_CELERY_VISIBILITY_TIMEOUT", default=1800)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": LMS_CELERY_VISIBILITY_TIMEOUT,
    # How often a worker looks for messages past the timeout (kombu's default sweep is every
    # 100 s): about a tenth of the timeout, between 1 and 30 s.
    "unacked_restore_interval": min(30, max(1, LMS_CELERY_VISIBILITY_TIMEOUT // 10)),
    "unacked_restore_throttle": 1,
    # Separate installations (or test runs) sharing one Redis database keep apart all their keys,
    # the unacked ones included.
    "global_keyprefix": env("LMS_CELERY_KEY_PREFIX", default=""),
}
CELERY_TASK_DEFAULT_QUEUE = env("LMS_CELERY_QUEUE", default="celery")
# A worker that loses Redis stops its running jobs: their messages go back to the queue, and a
# job would otherwise run twice at once (Celery 6's default).
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
LMS_JOBS_BACKEND = env("LMS_JOBS_BACKEND", default="celery" if CELERY_BROKER_URL else "inline")
# Periodic work, in Lima time (CELERY_TIMEZONE), run by `celery -A lms beat` (one beat process
# per installation) and executed by the workers. Each task calls the same service as its
# command, so cron can run the commands instead (docs/architecture.md).
CELERY_BEAT_SCHEDULE = {
    "retention-daily": {
        "task": "lms.apply_retention",
        "schedule": crontab(hour=3, minute=30),
    },
    "audit-head-daily": {
        "task": "lms.email_audit_head",
        "schedule": crontab(hour=6, minute=15),
    },
    "donor-reports-monthly": {
        # The report of the month just ended; a second run in the month sends nothing more.
        "task": "reports.send_donor_reports",
        "schedule": crontab(day_of_month=2, hour=7, minute=0),
    },
    "publish-scheduled-pages": {
        # Wagtail's scheduled publishing and unpublishing of pages.
        "task": "courses.publish_scheduled",
        "schedule": crontab(minute="*/10"),
    },
}

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Integridad LMS"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
# Spanish is the source language of content; English pages are translations of Spanish ones.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = [("es", "Español"), ("en", "English")]
WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
# Uploads: documents are checked by content too (lms.uploads); Wagtail checks an image's content
# against its extension itself. Never SVG: an SVG can carry script.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "lms.document_forms.DocumentForm"
WAGTAILDOCS_MAX_UPLOAD_SIZE = 25 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# 40 megapixels: a full-page certificate background at 300 dpi is under 9.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        # Session authentication that refuses a session still owing its two-factor code.
        "lms.api.authentication.OTPSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["lms.api.permissions.ModelPermissions"],
    "DEFAULT_SCHEMA_CLASS": "lms.api.schema.AutoSchema",
    # ProtectedError / RestrictedError on a DELETE: 409 with what still refers to the record.
    "EXCEPTION_HANDLER": "lms.api.exceptions.exception_handler",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "user": "600/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Integridad LMS API",
    "DESCRIPTION": "Participant registry, courses, workshops, certificates and reports.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Swagger UI and Redoc are served from this server (drf-spectacular-sidecar), never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["lms.api.schema.only_api_v1"],
    # One schema name per shared choice set (the six Washington Group questions share one scale).
    "ENUM_NAME_OVERRIDES": {
        "WGAnswerEnum": "lms.models.people.WGAnswer",
        "EthnicityEnum": "lms.models.people.Ethnicity",
    },
}

# --- Logging --------------------------------------------------------------------------------
# LOG_FORMAT=json (production's default) writes one JSON object per line to stderr, for the
# container runtime or journald to collect; "text" is for people reading a terminal.
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(process)d",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "timestamp": False,
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # Wagtail's own small tasks (reference index) run immediately; their chatter is noise.
    # Wagtail also records page actions in its own log (admin "History"); on the console they
    # would drown seed_demo's output.
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        # django-axes logs every failed login with the address at INFO; lock-outs are warnings.
        "axes": {"level": "WARNING"},
        "wagtail": {"level": env("WAGTAIL_LOG_LEVEL", default="WARNING")},
    },
}
if LOG_FORMAT not in LOGGING["formatters"]:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"LOG_FORMAT must be 'text' or 'json', not {LOG_FORMAT!r}.")
# Celery workers and beat log through the configuration above instead of replacing it.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
# EMAIL_URL=smtp+tls://USER:PASSWORD@HOST:587 sets the SMTP backend, host, port, login and TLS.
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Integridad LMS <no-reply@localhost>")
