"""python manage.py anonymise_person ID --reason "..." : erase a participant's personal data.

ID is the record's number or its public identifier (UUID). The same as the admin's "Anonymise"
action (lms.services.privacy.person_anonymise): cannot be undone, idempotent, audited with the
system as the actor.
"""

import uuid

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lms.models import AnonymisationBasis, Person
from lms.services.privacy import person_anonymise


def _find(identifier: str) -> Person | None:
    identifier = identifier.strip()
    if identifier.isdigit():
        return Person.objects.filter(pk=int(identifier)).first()
    try:
        return Person.objects.filter(public_id=uuid.UUID(identifier)).first()
    except ValueError:
        return None


class Command(BaseCommand):
    help = _("Anonymise a participant: erase their personal data, keep anonymous counts.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("person", help=_("The record's number or public identifier."))
        parser.add_argument(
            "--reason", required=True, help=_("Why (kept in the audit trail; no personal data).")
        )
        parser.add_argument(
            "--basis",
            choices=AnonymisationBasis.values,
            default=AnonymisationBasis.REQUEST,
            help=_("At the person's request (default) or at the end of the retention period."),
        )

    def handle(self, *args, person: str, reason: str, basis: str, **options) -> None:
        found = _find(person)
        if found is None:
            raise CommandError(_("No participant %(id)s.") % {"id": person})
        try:
            result = person_anonymise(found, actor=None, reason=reason, basis=basis)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if result.already:
            self.stdout.write(_("Participant %(id)s was already anonymised.") % {"id": found.pk})
            return
        for label, count in sorted(result.rows.items()):
            self.stdout.write(f"  {label}: {count}")
        self.stdout.write(
            self.style.SUCCESS(_("Participant %(id)s anonymised.") % {"id": found.pk})
        )
