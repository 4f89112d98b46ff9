"""python manage.py verify_qr TEXT [--jwks FILE]: check a certificate QR code's signature offline.

TEXT is what the QR code holds (the whole address, or what follows '#'). The keys are this site's
published keys, or those of a JWKS file (e.g. a saved /.well-known/jwks.json). Exit status 1 when
the signature is not valid.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from certificates.keys import keys_from_jwks
from certificates.management.checks_output import write_claims, write_verdict
from certificates.signed_qr import verify_qr


class Command(BaseCommand):
    help = _("Check the signature of a certificate's QR code, offline, and show what it claims.")

    def add_arguments(self, parser):
        parser.add_argument("text", metavar="TEXT", help=_("The QR code's text."))
        parser.add_argument(
            "--jwks", metavar="FILE", help=_("Check against the keys of this JWKS file.")
        )

    def handle(self, *args, text, jwks, **options):
        keys = None
        if jwks:
            try:
                keys = keys_from_jwks(json.loads(Path(jwks).read_text(encoding="utf-8")))
            except (OSError, ValueError) as exc:
                raise CommandError(
                    _("Cannot read the JWKS file: %(error)s") % {"error": exc}
                ) from exc
        check = verify_qr(text, keys=keys)
        write_verdict(self, valid=check.valid, kid=check.kid, problem=check.problem)
        labels = {
            "identifier": _("Identifier"),
            "holder_name": _("Awarded to"),
            "course": _("Course"),
            "contact_hours": _("Contact hours"),
            "completed_on": _("Completed on"),
            "issuer": _("Issuer"),
        }
        write_claims(self, check.claims, labels)
        if not check.valid:
            raise SystemExit(1)
