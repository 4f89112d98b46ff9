"""Celery beat entry point of the course pages: Wagtail's scheduled publishing."""

from celery import shared_task
from django.core.management import call_command


@shared_task(name="courses.publish_scheduled")
def publish_scheduled() -> None:
    """Publish (and unpublish) the pages and snippets whose scheduled time has come.

    Wagtail keeps this logic in its ``publish_scheduled`` command only: it is called in this
    process, as cron would run it.
    """
    call_command("publish_scheduled", verbosity=0)
