from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        # certificates.jobs is imported by LmsConfig.ready (every app's jobs.py); the workshop
        # menu link is registered with the other admin hooks in certificates.wagtail_hooks.
        from certificates import checks, signals  # noqa: F401 - deploy check, page cache
        from certificates.panels import my_certificates
        from courses.panels import register_learning_panel

        register_learning_panel(my_certificates)
