"""When the holder was sent the email that their certificate was issued. Certificates issued
before this field existed are not announced again: they count as notified when issued."""

from django.db import migrations, models
from django.db.models import F


def existing_count_as_notified(apps, schema_editor):
    Certificate = apps.get_model("certificates", "Certificate")
    Certificate.objects.filter(holder_notified_at__isnull=True).update(
        holder_notified_at=F("issued_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0002_status_lists"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="holder_notified_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="holder notified"
            ),
        ),
        migrations.RunPython(existing_count_as_notified, migrations.RunPython.noop),
    ]
