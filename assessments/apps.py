from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"
    verbose_name = _("Assessments and completion")

    def ready(self):
        from assessments import signals  # noqa: F401  (completion follows its inputs)
        from assessments.completion import completions_deferred
        from assessments.services import merge_attempts
        from assessments.views import quiz_block_context
        from courses.panels import register_quiz_renderer
        from lms.bulk import register_bulk_context
        from lms.services.merge import register_merge_resolver

        register_quiz_renderer(quiz_block_context)
        # Imports, rosters and seeding decide each completion once, at the end of their work.
        register_bulk_context(completions_deferred)
        # Attempt numbers are per person: a merge renumbers the duplicate's after the kept's.
        register_merge_resolver("assessments.attempt", merge_attempts)
