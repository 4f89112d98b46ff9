"""python manage.py recompute_completions: rebuild every completion decision from its inputs
(after a data repair, or to check that nothing drifted: it prints how many changed)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from assessments.completion import completions_refresh_all
from assessments.models import Completion


class Command(BaseCommand):
    help = _("Recompute every completion decision from attendance, scores, attempts and lessons.")

    def handle(self, *args, **options):
        before = dict(Completion.objects.values_list("pk", "status"))
        total = completions_refresh_all()
        after = dict(Completion.objects.values_list("pk", "status"))
        changed = sum(1 for pk, status in after.items() if before.get(pk) != status)
        self.stdout.write(
            self.style.SUCCESS(
                _("%(total)s decisions recomputed, %(changed)s changed.")
                % {"total": total, "changed": changed}
            )
        )
