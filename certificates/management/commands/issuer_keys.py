"""python manage.py issuer_keys generate|list|retire: the Ed25519 keys that sign certificates.

generate [--not-before ISO] [--not-after ISO]: a new key in LMS_ISSUER_KEY_DIR; it becomes the
signing key once its window opens (the newest open window signs). list: every key, its window and
whether it signs now. retire KID [--at ISO] [--unpublish]: stop it signing; it stays published so
what it signed still verifies, unless --unpublish (a compromised key).
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates import keys


def _moment(text: str | None):
    if not text:
        return None
    try:
        return keys.parse_moment(text)
    except ValueError as exc:
        raise CommandError(_("Not a date and time: %(text)s") % {"text": text}) from exc


class Command(BaseCommand):
    help = _("Create, list and retire the issuer keys that sign certificates' QR codes.")

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        generate = commands.add_parser("generate", help=_("Create a new signing key."))
        generate.add_argument(
            "--not-before", help=_("When it starts signing (ISO 8601; default now).")
        )
        generate.add_argument("--not-after", help=_("When it stops signing (ISO 8601)."))
        commands.add_parser("list", help=_("Show every key and its validity window."))
        retire = commands.add_parser("retire", help=_("Stop a key signing."))
        retire.add_argument("kid", metavar="KID")
        retire.add_argument("--at", help=_("When it stops (ISO 8601; default now)."))
        retire.add_argument(
            "--unpublish",
            action="store_true",
            help=_("Also withdraw its public key: nothing it signed verifies any more."),
        )

    def handle(self, *args, action, **options):
        if action == "generate":
            key = keys.key_generate(
                not_before=_moment(options["not_before"]),
                not_after=_moment(options["not_after"]),
            )
            self.stdout.write(
                _("Created key %(kid)s in %(path)s.") % {"kid": key.kid, "path": key.source}
            )
        elif action == "retire":
            try:
                key = keys.key_retire(
                    options["kid"], when=_moment(options["at"]), unpublish=options["unpublish"]
                )
            except KeyError as exc:
                raise CommandError(
                    _("No key %(kid)s in %(dir)s.") % {"kid": options["kid"], "dir": keys.key_dir()}
                ) from exc
            self.stdout.write(
                _("Key %(kid)s signs no more from %(when)s; %(published)s.")
                % {
                    "kid": key.kid,
                    "when": keys.iso_moment(key.not_after),
                    "published": _("still published") if key.published else _("withdrawn"),
                }
            )
        else:
            self._list()

    def _list(self):
        now = timezone.now()
        try:
            current = keys.signing_key(now=now).kid if self._any_signer(now) else ""
        except keys.IssuerKeyMissing:
            current = ""
        found = keys.keyring()
        if not found:
            self.stdout.write(_("No keys in %(dir)s.") % {"dir": keys.key_dir()})
        for key in found:
            if key.kid == current:
                state = _("signing")
            elif not key.published:
                state = _("withdrawn")
            elif key.private_key is None:
                state = _("public only")
            elif key.not_before and key.not_before > now:
                state = _("not yet")
            elif key.not_after and key.not_after <= now:
                state = _("retired")
            else:
                state = _("valid")
            self.stdout.write(
                f"{key.kid}  {state:<12} {keys.iso_moment(key.not_before) or '-':<28} "
                f"{keys.iso_moment(key.not_after) or '-':<28} {key.source}"
            )

    @staticmethod
    def _any_signer(now) -> bool:
        # Listing must not create a key as a side effect (development creates one on demand).
        return any(
            k.private_key is not None and k.published and k.covers(now) for k in keys.keyring()
        )
