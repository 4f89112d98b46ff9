"""python manage.py verify_audit [--head SEQ:HASH ...]: recompute the audit trail's hash chain.

Exit status 0 when every event holds (and every published head is still in the chain), 1 with
the first broken event named otherwise. Cron-friendly: prints one summary line when all is well.
"""

from django.core.management.base import BaseCommand, CommandError

from lms.services.audit import Head, verify_chain


class Command(BaseCommand):
    help = "Recompute the audit trail's hash chain and name the first event that does not hold."

    def add_arguments(self, parser):
        parser.add_argument(
            "--head",
            action="append",
            default=[],
            metavar="SEQ:HASH",
            help="A chain head published earlier (e.g. in an email or a donor report); "
            "it must still be in the chain. Repeatable.",
        )
        parser.add_argument(
            "--heads-file",
            help="A file of published heads, one SEQ:HASH per line (# starts a comment).",
        )

    def handle(self, *args, head, heads_file, **options):
        texts = list(head)
        if heads_file:
            with open(heads_file, encoding="utf-8") as fh:
                texts += [line.split("#")[0] for line in fh]
        try:
            heads = [Head.parse(t) for t in texts if t.strip()]
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        result = verify_chain(heads=heads)
        if not result.ok:
            self.stderr.write(
                f"BROKEN at event #{result.broken_seq}: {result.problem} "
                f"({result.checked} events read)."
            )
            raise SystemExit(1)
        summary = f"OK: {result.checked} events, head {result.head or 'none (empty trail)'}"
        if result.heads_checked:
            summary += f"; {len(result.heads_checked)} published head(s) found in the chain"
        if result.redacted:
            summary += f"; {result.redacted} reason(s) erased for privacy"
        self.stdout.write(summary + ".")
