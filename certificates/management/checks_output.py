"""What verify_qr and verify_credential print: the verdict, then what the document claims."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


def write_verdict(command: BaseCommand, *, valid: bool, kid: str, problem: str) -> None:
    if valid:
        command.stdout.write(
            command.style.SUCCESS(_("Valid signature (key %(kid)s).") % {"kid": kid})
        )
    else:
        command.stdout.write(
            command.style.ERROR(_("NOT valid: %(problem)s") % {"problem": problem})
        )


def write_claims(command: BaseCommand, claims: dict, labels: dict[str, str]) -> None:
    for name, value in claims.items():
        command.stdout.write(f"  {labels.get(name, name)}: {value}")
