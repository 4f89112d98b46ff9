"""Roles as code: each role is a group whose permissions are set from this table on migrate.

The table is the source of truth; `python manage.py sync_roles` re-applies it (edits made by hand
in the admin are reset). Object-level rules (a trainer only reaches their own workshops) live in
the selectors and permission classes of each app, not here.
"""

from enum import StrEnum

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group
from django.db import DEFAULT_DB_ALIAS


class Role(StrEnum):
    PROGRAM_ADMIN = "Administración del programa"
    PROGRAM_STAFF = "Personal del programa"
    TRAINER = "Capacitador/a"
    PARTICIPANT = "Participante"
    DONOR = "Donante"


_REGISTRY_READ = {
    "lms.view_person",
    "lms.view_institution",
    "lms.view_position",
    "lms.view_region",
    "lms.view_consenttext",
    "lms.view_mergelog",
    "lms.view_job",
}
_LEARNING_READ = {"courses.view_enrolment", "courses.view_lessonprogress"}
_LEARNING_WRITE = {"courses.add_enrolment"}
_WORKSHOPS_READ = {
    "attendance.view_workshop",
    "attendance.view_session",
    "attendance.view_registration",
    "attendance.view_attendancerecord",
    "attendance.view_attendancecorrection",
    "attendance.view_attendancestatus",
}
_WORKSHOPS_WRITE = {
    "attendance.view_all_workshops",
    "attendance.add_workshop",
    "attendance.change_workshop",
    "attendance.add_session",
    "attendance.change_session",
    "attendance.delete_session",
    "attendance.add_registration",
    "attendance.change_registration",
    "attendance.add_attendancerecord",
    "attendance.change_attendancerecord",
    "attendance.add_attendancecorrection",
}
# Question bank and assessments: trainers write them (and staff, who also decide completions).
_ASSESSMENTS_AUTHOR = {
    "assessments.view_question",
    "assessments.add_question",
    "assessments.change_question",
    "assessments.view_assessment",
    "assessments.add_assessment",
    "assessments.change_assessment",
    "assessments.view_workshopscore",
    "assessments.add_workshopscore",
    "assessments.change_workshopscore",
    "assessments.view_completion",
}
_ASSESSMENTS_STAFF = {
    "assessments.view_attempt",
    "assessments.add_completionoverride",
    "assessments.view_completionoverride",
    "assessments.delete_question",
    "assessments.delete_assessment",
    "assessments.delete_workshopscore",
}
# Certificates: staff issue (also without a completion, with a reason), suspend, revoke, reinstate,
# re-issue and edit the designs. No one deletes a certificate: it changes status instead.
_CERTIFICATES_STAFF = {
    "certificates.view_certificate",
    "certificates.add_certificate",
    "certificates.change_certificate",
    "certificates.view_certificatetemplate",
    "certificates.add_certificatetemplate",
    "certificates.change_certificatetemplate",
}
_REGISTRY_WRITE = {
    "lms.add_person",
    "lms.change_person",
    "lms.merge_person",
    "lms.import_person",
    "lms.view_sensitive_data",
    "lms.view_consent",
    "lms.add_consent",
    "lms.change_consent",
    "lms.add_institution",
    "lms.change_institution",
    "lms.add_position",
    "lms.change_position",
}
# Donor reports: donors read aggregates (small cells suppressed); staff also see the unsuppressed
# view, record what was reported, and keep the indicator catalogue and the subscriptions.
_REPORTS_DONOR = {"reports.view_donor_report"}
_REPORTS_STAFF = {
    "reports.view_donor_report",
    "reports.view_staff_report",
    "reports.publish_report",
    *(
        f"reports.{action}_{model}"
        for action in ("add", "change", "delete", "view")
        for model in ("indicator", "indicatortarget", "reportsubscription")
    ),
    "reports.view_reportedvalue",
}
# The audit trail: staff read it (the history of any record); administrators check the chain.
_AUDIT_READ = {"lms.view_auditevent"}
_ADMIN_ONLY = {
    "lms.verify_auditevent",
    "lms.delete_person",
    "lms.delete_institution",
    "lms.delete_position",
    "lms.add_consenttext",
    "lms.change_consenttext",
    "lms.add_user",
    "lms.change_user",
    "lms.view_user",
    "auth.view_group",
    "auth.change_group",
    "authtoken.view_token",
    "authtoken.add_token",
    "authtoken.delete_token",
    "wagtailcore.view_site",
    "attendance.add_attendancestatus",
    "attendance.change_attendancestatus",
    "attendance.delete_attendancestatus",
    "certificates.delete_certificatetemplate",
}

ROLE_PERMISSIONS: dict[Role, set[str]] = {
    Role.PROGRAM_ADMIN: {"wagtailadmin.access_admin"}
    | _REGISTRY_READ
    | _REGISTRY_WRITE
    | _LEARNING_READ
    | _LEARNING_WRITE
    | _WORKSHOPS_READ
    | _WORKSHOPS_WRITE
    | _ASSESSMENTS_AUTHOR
    | _ASSESSMENTS_STAFF
    | _CERTIFICATES_STAFF
    | _AUDIT_READ
    | _REPORTS_STAFF
    | _ADMIN_ONLY,
    Role.PROGRAM_STAFF: {"wagtailadmin.access_admin"}
    | _REGISTRY_READ
    | _REGISTRY_WRITE
    | _LEARNING_READ
    | _LEARNING_WRITE
    | _WORKSHOPS_READ
    | _WORKSHOPS_WRITE
    | _ASSESSMENTS_AUTHOR
    | _ASSESSMENTS_STAFF
    | _CERTIFICATES_STAFF
    | _AUDIT_READ
    | _REPORTS_STAFF,
    # No lms.view_job: it means "every job", and an import job's errors quote people's data.
    # Trainers follow the jobs they started themselves (the API filters on created_by).
    Role.TRAINER: {
        "wagtailadmin.access_admin",
        "lms.view_institution",
        "lms.view_position",
        "lms.view_region",
        # Object-level: a trainer only reaches the workshops they train (attendance selectors),
        # schedules new ones (and is among their trainers) and plans their sessions.
        "attendance.view_workshop",
        "attendance.add_workshop",
        "attendance.change_workshop",
        "attendance.view_session",
        "attendance.add_session",
        "attendance.change_session",
        "attendance.delete_session",
        "attendance.view_registration",
        "attendance.view_attendancerecord",
        "attendance.add_attendancerecord",
        "attendance.change_attendancerecord",
        "attendance.add_registration",
        *_ASSESSMENTS_AUTHOR,
        # Object-level too: certificates of their workshops; they issue to the completed only.
        "certificates.view_certificate",
    },
    # Participants reach their own certificates through My learning, not through a permission.
    Role.PARTICIPANT: set(),
    Role.DONOR: set(_REPORTS_DONOR),
}


def sync_roles(*, using: str = DEFAULT_DB_ALIAS, apps=global_apps) -> dict[str, int]:
    """Create the role groups and give each exactly the permissions of the table."""
    GroupModel = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
    wanted = set().union(*ROLE_PERMISSIONS.values())
    found = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.using(using).select_related("content_type")
    }
    missing = wanted - found.keys()
    if missing:
        raise LookupError(f"Permissions named in lms.roles do not exist: {sorted(missing)}")
    counts = {}
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = GroupModel.objects.using(using).get_or_create(name=role.value)
        group.permissions.set([found[p] for p in perms])
        counts[role.value] = len(perms)
    return counts


def sync_roles_after_migrate(
    sender, *, using=DEFAULT_DB_ALIAS, apps=global_apps, plan=None, **kwargs
):
    # Skip partial migrations (e.g. migrating back) where the models may not exist yet.
    try:
        apps.get_model("lms", "Person")
        apps.get_model("wagtailadmin", "Admin")
    except LookupError:
        return
    sync_roles(using=using, apps=global_apps)


def user_roles(user) -> list[Role]:
    names = set(user.groups.values_list("name", flat=True))
    return [role for role in Role if role.value in names]


def assign_role(user, role: Role) -> None:
    user.groups.add(Group.objects.get(name=role.value))
