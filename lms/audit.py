"""Audited changes of the registry: accounts' roles and access flags (merges record themselves)."""

from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from lms.auditing import track
from lms.models import User
from lms.services.audit import audit_record

track(User, "user", fields=["is_active", "is_staff", "is_superuser"], delete=True)


def _roles(user) -> list[str]:
    return sorted(user.groups.values_list("name", flat=True))


def _affected(instance, reverse: bool, pk_set) -> list:
    if not reverse:
        return [instance]
    if pk_set is None:  # group.user_set.clear()
        return list(instance.user_set.all())
    return list(User.objects.filter(pk__in=pk_set))


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="audit-user-roles")
def roles_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """A role given or taken away, from the user's side or the group's side."""
    if action.startswith("pre_"):
        instance._audit_roles = [
            (user, _roles(user)) for user in _affected(instance, reverse, pk_set)
        ]
        return
    pending, instance._audit_roles = getattr(instance, "_audit_roles", []), []
    for user, before in pending:
        after = _roles(user)
        if before != after:
            audit_record(
                "user.roles",
                object_type="lms.user",
                object_id=str(user.pk),
                before={"roles": before},
                after={"roles": after},
            )
