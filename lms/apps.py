from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class LmsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lms"
    verbose_name = _("Participant registry")

    def ready(self):
        from django.db.models.signals import post_migrate

        from lms import checks, roles  # noqa: F401 - checks registers the deploy checks

        # Every app's jobs.py registers its background jobs (lms.background.register).
        autodiscover_modules("jobs")
        autodiscover_modules("demo")
        # Every app's audit.py declares the models whose changes go to the audit trail.
        autodiscover_modules("audit")
        post_migrate.connect(roles.sync_roles_after_migrate, sender=self)
