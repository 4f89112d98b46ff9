"""python manage.py revoke_certificate IDENTIFIER --reason TEXT [--category CODE] [--suspend]
[--by EMAIL]: revoke (or suspend) one certificate; the event records the reason and who."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from certificates.models import Certificate, ReasonCategory
from certificates.selectors import STAFF_PERMISSION, find_identifier
from certificates.services import certificate_revoke, certificate_suspend


class Command(BaseCommand):
    help = _("Revoke a certificate (or suspend it with --suspend), recording the reason.")

    def add_arguments(self, parser):
        parser.add_argument(
            "identifier",
            metavar="IDENTIFIER",
            help=_("As printed; dashes, spaces and case do not matter."),
        )
        parser.add_argument("--reason", default="", help=_("Why; recorded in its history."))
        parser.add_argument(
            "--category",
            default=None,
            help=_("Reason category: %(choices)s (default: other; under_review with --suspend).")
            % {"choices": ", ".join(ReasonCategory.values)},
        )
        parser.add_argument(
            "--suspend", action="store_true", help=_("Suspend instead of revoking.")
        )
        parser.add_argument(
            "--by", metavar="EMAIL", default="", help=_("The staff member acting (recorded).")
        )

    def handle(self, *args, identifier, reason, category, suspend, by, **options):
        canonical = find_identifier(identifier)
        if canonical is None:
            raise CommandError(
                _("%(text)s is not a certificate identifier: check the characters.")
                % {"text": identifier}
            )
        certificate = Certificate.objects.filter(identifier=canonical).first()
        if certificate is None:
            raise CommandError(_("No certificate has the identifier %(id)s.") % {"id": identifier})
        actor = None
        if by:
            actor = get_user_model().objects.filter(email__iexact=by.strip()).first()
            if actor is None:
                raise CommandError(_("No user has the email %(email)s.") % {"email": by})
            if not actor.has_perm(STAFF_PERMISSION):
                raise CommandError(
                    _("%(email)s may not change certificates.") % {"email": actor.email}
                )
        change = certificate_suspend if suspend else certificate_revoke
        default = ReasonCategory.UNDER_REVIEW if suspend else ReasonCategory.OTHER
        try:
            certificate = change(
                certificate, actor=actor, note=reason, category=category or default
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        done = _("Certificate %(id)s suspended.") if suspend else _("Certificate %(id)s revoked.")
        self.stdout.write(self.style.SUCCESS(done % {"id": certificate.display_identifier}))
