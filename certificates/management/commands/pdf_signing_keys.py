"""python manage.py pdf_signing_keys generate|show: the key and certificates that sign the PDFs.

generate [--issuer NAME] [--force]: a CA of this installation ("<issuer> test CA") and, issued by
it, the PDF signer's certificate (ECDSA P-256) and a local timestamp authority's, written to
LMS_PDF_SIGNING_DIR. A CA that readers already trust (or one you distribute) replaces it: put its
signer.key.pem and signer.chain.pem there instead, and set LMS_PDF_TSA_URL. show: the certificates
in use.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from certificates import pdfsigning


class Command(BaseCommand):
    help = _("Create or show the key and certificates that sign certificate PDFs.")

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        generate = commands.add_parser("generate", help=_("Create a CA, signer and TSA."))
        generate.add_argument("--issuer", default="", help=_("The signer's name."))
        generate.add_argument(
            "--force", action="store_true", help=_("Replace the files already there.")
        )
        commands.add_parser("show", help=_("Show the certificates in use."))

    def handle(self, *args, action, **options):
        directory = pdfsigning.signing_dir()
        if action == "generate":
            existing = directory / pdfsigning.SIGNER_KEY
            if existing.exists() and not options["force"]:
                raise CommandError(
                    _(
                        "%(path)s exists; --force replaces it (PDFs signed before still verify "
                        "against the old CA)."
                    )
                    % {"path": existing}
                )
            for path in pdfsigning.generate(directory=directory, issuer=options["issuer"]):
                self.stdout.write(_("Wrote %(path)s") % {"path": path})
            return
        try:
            signer = pdfsigning.pdf_signer()
        except pdfsigning.PdfSigningMissing as exc:
            raise CommandError(str(exc)) from exc
        certificate = signer.signer.signing_cert
        self.stdout.write(
            _("Signer: %(subject)s, issued by %(issuer)s, valid until %(until)s")
            % {
                "subject": certificate.subject.human_friendly,
                "issuer": certificate.issuer.human_friendly,
                "until": certificate.not_valid_after.isoformat(),
            }
        )
        self.stdout.write(
            _("Timestamps: %(tsa)s")
            % {
                "tsa": settings.LMS_PDF_TSA_URL
                or _("local authority (%(dir)s)") % {"dir": directory}
            }
        )
