"""python manage.py verify_credential FILE [--did FILE] [--status-list FILE ...]: check an Open
Badges 3.0 credential offline.

FILE is the credential (downloaded from the verification page or My learning, or extracted from
the PDF). The keys are this site's published keys, or those of a DID document (e.g. a saved
/.well-known/did.json). Saved status lists (/credentials/status/...) are checked with the same
keys and their bits read. Exit status 1 when the credential is not valid, revoked or suspended.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from certificates.keys import keys_from_did_document
from certificates.management.checks_output import write_claims, write_verdict
from certificates.openbadges import credential_check


def _read_json(path: str, what: str) -> dict:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CommandError(
            _("Cannot read the %(what)s %(path)s: %(error)s")
            % {"what": what, "path": path, "error": exc}
        ) from exc
    if not isinstance(document, dict):
        raise CommandError(_("%(path)s is not a JSON object.") % {"path": path})
    return document


class Command(BaseCommand):
    help = _("Check an Open Badges credential's signature and status offline.")

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help=_("The credential (JSON)."))
        parser.add_argument(
            "--did", metavar="FILE", help=_("Check against the keys of this DID document.")
        )
        parser.add_argument(
            "--status-list",
            metavar="FILE",
            action="append",
            default=[],
            help=_("A saved status list credential (repeat for revocation and suspension)."),
        )

    def handle(self, *args, file, did, status_list, **options):
        credential = _read_json(file, _("credential"))
        keys = keys_from_did_document(_read_json(did, _("DID document"))) if did else None
        lists = {}
        for path in status_list:
            document = _read_json(path, _("status list"))
            lists[str(document.get("id", ""))] = document
        check = credential_check(credential, keys=keys, status_lists=lists)
        write_verdict(self, valid=check.valid, kid=check.kid, problem=check.problem)
        labels = {
            "id": _("Identifier"),
            "holder_name": _("Awarded to"),
            "course": _("Course"),
            "valid_from": _("Issued on"),
            "issuer": _("Issuer"),
        }
        write_claims(self, check.claims, labels)
        answers = {True: _("set"), False: _("not set"), None: _("not checked (no list given)")}
        for purpose, bit in check.status.items():
            line = _("Status %(purpose)s: %(answer)s") % {
                "purpose": purpose,
                "answer": answers[bit],
            }
            self.stdout.write(self.style.ERROR(line) if bit else line)
        if not check.standing:
            raise SystemExit(1)
