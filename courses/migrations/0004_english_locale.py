"""Content languages: Spanish (created by Wagtail from LANGUAGE_CODE) and English."""

from django.db import migrations


def add_english(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    Locale.objects.get_or_create(language_code="es")
    Locale.objects.get_or_create(language_code="en")


class Migration(migrations.Migration):
    dependencies = [("courses", "0003_course_pages_and_enrolments")]

    operations = [migrations.RunPython(add_english, migrations.RunPython.noop)]
