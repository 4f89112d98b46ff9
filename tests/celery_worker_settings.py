"""Settings of the real Celery worker that tests/test_celery_workers.py starts: the test settings,
pointed at the test process's own database, folders and broker, which it passes in the
environment (the test settings make a temporary folder per process, and xdist gives each pytest
process a database of its own)."""

import json
import os
import shutil
from pathlib import Path

from lms.settings.test import *  # noqa: F403
from lms.settings.test import STORAGES as _STORAGES
from lms.settings.test import _tmp

shutil.rmtree(_tmp)  # the folder the test settings made for this process: unused here

DATABASES = {"default": json.loads(os.environ["LMS_TEST_WORKER_DATABASE"])}
MEDIA_ROOT = Path(os.environ["MEDIA_ROOT"])
PRIVATE_ROOT = Path(os.environ["PRIVATE_ROOT"])
STORAGES = {
    **_STORAGES,
    "private": {**_STORAGES["private"], "OPTIONS": {"location": PRIVATE_ROOT, "base_url": None}},
}
LMS_ISSUER_KEY_DIR = Path(os.environ["LMS_ISSUER_KEY_DIR"])
LMS_PDF_SIGNING_DIR = Path(os.environ["LMS_PDF_SIGNING_DIR"])
CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
LMS_JOBS_BACKEND = "celery"
