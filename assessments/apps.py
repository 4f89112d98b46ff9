from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"
    verbose_name = _("Assessments and completion")

    def ready(self):
        from assessments import signals  # noqa: F401  (completion follows its inputs)
