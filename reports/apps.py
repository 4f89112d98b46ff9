from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("Donor reports")

    def ready(self):
        from lms.bulk import register_bulk_context
        from lms.services.merge import register_merge_resolver
        from reports import signals
        from reports.facts import facts_deferred

        register_bulk_context(facts_deferred)
        register_merge_resolver("reports.fact", signals.merge_facts)
