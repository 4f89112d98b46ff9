"""python manage.py otp_reset EMAIL: remove a user's two-factor devices (a lost phone).

The user's authenticator and backup codes go; a session verified with them is no longer verified.
Someone whose role requires two-factor authentication sets it up again at the next login, so
tell them to log in soon: until then their password alone reaches the set-up page.
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lms.models import User
from lms.two_factor import otp_required_for, two_factor_remove


class Command(BaseCommand):
    help = _("Reset a user's two-factor authentication (authenticator app and backup codes).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help=_("The user's email address."))

    def handle(self, *args, email: str, **options) -> None:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(_("No user has the email address %(email)s.") % {"email": email})
        removed = two_factor_remove(user=user)
        if not removed:
            self.stdout.write(
                _("%(email)s had no two-factor authentication; nothing to reset.")
                % {"email": user.email}
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                _("Two-factor authentication of %(email)s is reset.") % {"email": user.email}
            )
        )
        if otp_required_for(user):
            self.stdout.write(
                _(
                    "Their role requires it: they will set up a new authenticator app at their "
                    "next login."
                )
            )
