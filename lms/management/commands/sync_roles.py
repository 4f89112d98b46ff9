"""python manage.py sync_roles: re-apply the role table of lms.roles to the role groups."""

from django.core.management.base import BaseCommand

from lms.roles import sync_roles


class Command(BaseCommand):
    help = "Create the role groups and reset their permissions to the table in lms/roles.py."

    def handle(self, *args, **options):
        for role, count in sync_roles().items():
            self.stdout.write(f"{role}: {count} permissions")
