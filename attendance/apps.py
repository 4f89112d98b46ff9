from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "attendance"
    verbose_name = _("Workshops and attendance")

    def ready(self):
        from attendance.panels import upcoming_workshops
        from courses.panels import register_learning_panel

        register_learning_panel(upcoming_workshops)
