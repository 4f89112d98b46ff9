"""Check or rebuild the participation facts donor reports count from (docs/reports.md).

python manage.py report_facts --check     # exit 1 if the facts differ from a rebuild
python manage.py report_facts --rebuild   # recompute every fact from its sources
"""

import time

from django.core.management.base import BaseCommand, CommandError

from reports.facts import facts_check, facts_rebuild


class Command(BaseCommand):
    help = "Check (--check) or rebuild (--rebuild) the participation facts of donor reports."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--check", action="store_true", help="compare with a rebuild")
        group.add_argument("--rebuild", action="store_true", help="recompute every fact")

    def handle(self, *args, check=False, rebuild=False, **options):
        begin = time.perf_counter()
        if rebuild:
            counts = facts_rebuild()
            self.stdout.write(
                f"Rebuilt {counts['reach']} reach and {counts['outcome']} outcome facts "
                f"in {time.perf_counter() - begin:.1f} s."
            )
            return
        missing, extra = facts_check()
        if missing or extra:
            raise CommandError(
                f"The facts differ from a rebuild: {missing} missing, {extra} extra. "
                "Run `manage.py report_facts --rebuild`."
            )
        self.stdout.write(f"The facts match a rebuild ({time.perf_counter() - begin:.1f} s).")
