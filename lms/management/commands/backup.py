"""python manage.py backup FOLDER: the database and every stored file, with a manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lms.services.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database and the stored files (media and private) into a new folder."

    def add_arguments(self, parser):
        parser.add_argument("destination", help="Folder in which the backup's folder is created.")

    def handle(self, *args, destination, **options):
        target = Path(destination)
        if not target.is_dir():
            raise CommandError(_("%(folder)s is not a folder.") % {"folder": target})
        try:
            folder = backup_create(target)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(folder))
