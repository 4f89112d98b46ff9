"""Roles as groups set from lms.roles, and the email login account."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from lms.models import User
from lms.roles import ROLE_PERMISSIONS, Role, sync_roles, user_roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def permissions_of(group: Group) -> set[str]:
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


# --- Role groups -----------------------------------------------------------------------------------


def test_the_five_role_groups_exist_after_migrate_with_their_permissions():
    names = set(Group.objects.values_list("name", flat=True))

    assert {role.value for role in Role} <= names
    assert len(Role) == 5
    for role, perms in ROLE_PERMISSIONS.items():
        assert permissions_of(Group.objects.get(name=role.value)) == perms, role


def test_what_each_role_can_do():
    staff = UserFactory(role=Role.PROGRAM_STAFF)
    trainer = UserFactory(role=Role.TRAINER)
    donor = UserFactory(role=Role.DONOR)
    admin = UserFactory(role=Role.PROGRAM_ADMIN)

    assert staff.has_perms(["lms.view_person", "lms.import_person", "lms.merge_person"])
    assert staff.has_perm("lms.view_sensitive_data")
    assert not staff.has_perm("lms.delete_person")
    assert admin.has_perm("lms.delete_person")
    assert trainer.has_perm("wagtailadmin.access_admin")
    for perm in ("lms.view_person", "lms.view_sensitive_data", "lms.view_job"):
        assert not trainer.has_perm(perm), perm
    assert not donor.has_perm("lms.view_person")
    assert not donor.has_perm("wagtailadmin.access_admin")


def test_user_roles_lists_the_roles_held():
    user = UserFactory(role=Role.TRAINER)
    user.groups.add(Group.objects.get(name=Role.PARTICIPANT.value))

    assert user_roles(user) == [Role.TRAINER, Role.PARTICIPANT]
    assert user_roles(UserFactory()) == []


def test_sync_roles_resets_a_hand_edited_group():
    staff = Group.objects.get(name=Role.PROGRAM_STAFF.value)
    staff.permissions.remove(Permission.objects.get(codename="import_person"))
    staff.permissions.add(Permission.objects.get(codename="delete_person"))
    Group.objects.get(name=Role.DONOR.value).delete()

    counts = sync_roles()

    assert permissions_of(staff) == ROLE_PERMISSIONS[Role.PROGRAM_STAFF]
    donor = Group.objects.get(name=Role.DONOR.value)
    assert permissions_of(donor) == ROLE_PERMISSIONS[Role.DONOR]
    assert counts[Role.PROGRAM_STAFF.value] == len(ROLE_PERMISSIONS[Role.PROGRAM_STAFF])


def test_sync_roles_command_reports_each_role():
    trainer = Group.objects.get(name=Role.TRAINER.value)
    trainer.permissions.add(Permission.objects.get(codename="view_person"))
    out = StringIO()

    call_command("sync_roles", stdout=out)

    assert permissions_of(trainer) == ROLE_PERMISSIONS[Role.TRAINER]
    for role in Role:
        assert f"{role.value}: {len(ROLE_PERMISSIONS[role])} permissions" in out.getvalue()


def test_sync_roles_leaves_other_groups_alone():
    editors = Group.objects.create(name="Editores de la web")
    editors.permissions.add(Permission.objects.get(codename="view_person"))

    sync_roles()

    assert permissions_of(editors) == {"lms.view_person"}


# --- The login account -------------------------------------------------------------------------------


def test_email_is_the_login_and_is_stored_lower_case():
    user = User.objects.create_user("Rosa.Quispe@Example.PE", password="una clave larga 2025")

    assert user.email == "rosa.quispe@example.pe"
    assert User.USERNAME_FIELD == "email"
    assert "username" not in {f.name for f in User._meta.get_fields()}
    assert authenticate(username="ROSA.QUISPE@example.pe", password="una clave larga 2025") == user
    assert authenticate(username="rosa.quispe@example.pe", password="wrong") is None


def test_an_email_is_required():
    with pytest.raises(ValueError):
        User.objects.create_user("", password="x")


def test_same_email_in_other_case_is_refused_by_the_manager():
    User.objects.create_user("a@x.pe", password="x")

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("A@x.pe", password="y")

    assert User.objects.filter(email__iexact="a@x.pe").count() == 1


def test_same_email_in_other_case_is_refused_by_the_database():
    User.objects.create_user("a@x.pe", password="x")

    # Even a write that skips the manager's lower-casing.
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="A@x.pe")

    assert User.objects.filter(email__iexact="a@x.pe").count() == 1


def test_same_email_in_other_case_is_a_validation_error_in_forms():
    User.objects.create_user("a@x.pe", password="x")
    other = User(email="A@X.pe")
    other.set_password("una clave larga 2025")

    with pytest.raises(ValidationError):
        other.full_clean()


def test_create_superuser():
    boss = User.objects.create_superuser("Boss@Programa.pe", password="una clave larga 2025")

    boss.refresh_from_db()
    assert boss.email == "boss@programa.pe"
    assert boss.is_staff
    assert boss.is_superuser
    assert boss.is_active
    assert boss.check_password("una clave larga 2025")
    assert boss.has_perm("lms.view_sensitive_data")


def test_createsuperuser_command():
    call_command(
        "createsuperuser",
        "--noinput",
        "--email",
        "Admin@Programa.pe",
        stdout=StringIO(),
    )

    admin = User.objects.get(email="admin@programa.pe")
    assert admin.is_superuser
    assert not admin.has_usable_password()
