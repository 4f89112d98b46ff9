"""gunicorn settings for production (docs/deploy.md); every value can be changed by environment.

gunicorn --config deploy/gunicorn.conf.py lms.wsgi
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Threads in each process overlap the waits on PostgreSQL and Redis; processes bring the cores
# in. Each thread keeps a database connection: workers × threads (plus Celery and the admin)
# must stay under PostgreSQL's max_connections. bench/load.py measured these (docs/performance.md).
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 8))
# Bulk work (certificates, imports, reports) goes to Celery; a request that takes longer than
# this is a bug, and the worker is restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# Recycle processes now and then (memory held by a large report or import is given back).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = 200
# The TLS-terminating proxy in front sets X-Forwarded-Proto / X-Forwarded-For; only it is trusted.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Load the application before forking: one copy of the code in memory, errors at start-up.
preload_app = True

# Access and error logs as one JSON object per line, like the application's (LOG_FORMAT=json).
# The access log records no query string: verification links and tokens stay out of the logs.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)s'
if os.environ.get("LOG_FORMAT", "json") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(process)d",
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            },
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "json"},
        },
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }
