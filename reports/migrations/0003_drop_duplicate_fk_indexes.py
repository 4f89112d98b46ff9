"""Drop the indexes Django made for three of the facts' foreign keys: each is already the
leading column of an index of the model's own (fact_person_idx on person, fact_workshop_idx on
workshop then person, fact_enrolment_idx on enrolment), which serves every lookup and cascade
the foreign key's index did. The course keeps its index: no other index leads with it
(fact_report_idx leads with kind and month).

The indexes are dropped by name rather than with AlterField(db_index=False), which on SQLite
would rebuild the whole table; the state still records db_index=False. Django gives the same
names on SQLite and PostgreSQL."""

import django.db.models.deletion
from django.db import migrations, models

# (foreign key column, index Django made for it in 0001_donor_reports)
DUPLICATES = [
    ("person_id", "reports_fact_person_id_9693ad6d"),
    ("workshop_id", "reports_fact_workshop_id_e5e40fed"),
    ("enrolment_id", "reports_fact_enrolment_id_cf553938"),
]


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_report_index")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    sql=f'DROP INDEX "{index}"',
                    reverse_sql=f'CREATE INDEX "{index}" ON "reports_fact" ("{column}")',
                )
                for column, index in DUPLICATES
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="fact",
                    name="person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="lms.person",
                    ),
                ),
                migrations.AlterField(
                    model_name="fact",
                    name="workshop",
                    field=models.ForeignKey(
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="attendance.workshop",
                    ),
                ),
                migrations.AlterField(
                    model_name="fact",
                    name="enrolment",
                    field=models.ForeignKey(
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="courses.enrolment",
                    ),
                ),
            ],
        ),
    ]
