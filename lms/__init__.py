"""Integridad LMS: the Django project and the core registry of people and roles."""

from lms.celery import app as celery_app

__all__ = ["celery_app"]
