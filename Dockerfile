# syntax=docker/dockerfile:1
# One image for the web processes, the Celery worker and Celery beat (docs/deploy.md).
#   docker build -t integridad-lms .
FROM python:3.11-slim-bookworm

# WeasyPrint's pango and HarfBuzz, the certificate fonts, gettext for the translation catalogs,
# and the PostgreSQL client for `manage.py backup` / `restore` (match the server's major version).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
        fonts-dejavu-core fonts-crosextra-caladea fonts-lato gettext postgresql-client \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=lms.settings.production \
    LMS_DATA_DIR=/data \
    STATIC_ROOT=/app/static

WORKDIR /app
COPY pyproject.toml README.md ./
COPY lms lms
COPY courses courses
COPY attendance attendance
COPY assessments assessments
COPY certificates certificates
COPY reports reports
COPY locale locale
COPY deploy deploy
COPY manage.py ./
RUN pip install -e .

# Translations and the hashed, compressed static files are part of the image. The production
# settings refuse to load without a secret: a throw-away one is enough to build.
RUN python manage.py compilemessages -v 0 \
    && SECRET_KEY=build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(64))') \
       ALLOWED_HOSTS=build.invalid python manage.py collectstatic --noinput -v 0

# Never root: the data folder (SQLite when no DATABASE_URL, media, private files, keys) is a
# volume owned by this user.
RUN useradd --system --uid 10001 --home-dir /app lms && mkdir /data && chown lms:lms /data
USER lms
VOLUME ["/data"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "lms.wsgi"]
