"""python manage.py demo_otp [--qr]: the current code of the published demo authenticator.

Only demo logins (seed_demo) have that authenticator; the code is computed from the secret
printed in the README, so this reveals nothing that is not already public.
"""

import io

import qrcode
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lms.two_factor import DEMO_TOTP_SECRET, demo_totp_code, demo_totp_uri


class Command(BaseCommand):
    help = _("Print the current two-factor code of the demo logins (demo data only).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--qr",
            action="store_true",
            help=_("Also draw the demo secret as a QR code to scan with an authenticator app."),
        )

    def handle(self, *args, qr: bool = False, **options) -> None:
        if not settings.LMS_ALLOW_DEMO_DATA:
            raise CommandError(_("There are no demo logins here (LMS_ALLOW_DEMO_DATA is off)."))
        if qr:
            code = qrcode.QRCode(border=2)
            code.add_data(demo_totp_uri())
            drawing = io.StringIO()
            code.print_ascii(out=drawing, invert=True)
            self.stdout.write(drawing.getvalue())
            self.stdout.write(_("Secret: %(secret)s") % {"secret": DEMO_TOTP_SECRET})
        self.stdout.write(demo_totp_code())
