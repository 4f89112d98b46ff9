"""Merge two records of the same person: every related record moves to the one kept.

The walk is generic over Person's reverse relations, so records added by later apps (workshop
registrations, attendance, certificates) move too. An app whose related model has a uniqueness
rule that a plain move could break registers a resolver with ``register_merge_resolver``.
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from lms.models import MergeLog, Person
from lms.services.audit import audit_record, person_ref

# resolver(kept, duplicate) -> number of rows moved; it must leave no row pointing at duplicate.
MergeResolver = Callable[[Person, Person], int]
_RESOLVERS: dict[str, MergeResolver] = {}

# Fields copied from the duplicate when the kept record has them empty.
FILLABLE_FIELDS = (
    "sex",
    "birth_date",
    "email",
    "phone",
    "institution",
    "position",
    "region",
    "user",
)


class MergeConflict(ValidationError):
    pass


def register_merge_resolver(model_label: str, resolver: MergeResolver) -> None:
    _RESOLVERS[model_label.lower()] = resolver


def _snapshot(person: Person) -> dict:
    data = model_to_dict(person, exclude=["search_text"])
    data.update(
        id=person.pk,
        public_id=str(person.public_id),
        full_name=person.full_name,
        birth_date=person.birth_date.isoformat() if person.birth_date else None,
        created_at=person.created_at.isoformat(),
    )
    return data


def merge_preview(*, kept: Person, duplicate: Person) -> dict[str, int]:
    """How many records of each kind would move (for the confirmation screen)."""
    counts = {}
    for relation in Person._meta.related_objects:
        accessor = relation.related_model._default_manager
        n = accessor.filter(**{relation.field.name: duplicate}).count()
        if n:
            counts[str(relation.related_model._meta.verbose_name_plural)] = n
    return counts


@transaction.atomic
def person_merge(*, kept: Person, duplicate: Person, actor, reason: str) -> MergeLog:
    if kept.pk == duplicate.pk:
        raise MergeConflict(_("A record cannot be merged into itself."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why these two records are the same person.")})
    # Lock both rows in a fixed order so two concurrent merges cannot interleave.
    locked = {
        p.pk: p
        for p in Person.objects.select_for_update()
        .filter(pk__in=[kept.pk, duplicate.pk])
        .order_by("pk")
    }
    kept, duplicate = locked[kept.pk], locked[duplicate.pk]
    snapshot = _snapshot(duplicate)

    filled = []
    for name in FILLABLE_FIELDS:
        empty = getattr(kept, name) in (None, "", "X") if name != "user" else kept.user_id is None
        if empty and getattr(duplicate, name) not in (None, "", "X"):
            filled.append(name)
    # The one-to-one login must leave the duplicate before it can join the kept record.
    moved_user = duplicate.user if "user" in filled else None
    if duplicate.user_id and kept.user_id:
        raise MergeConflict(
            _("Both records have a login account (%(a)s, %(b)s); deactivate one first.")
            # Emails, not names: the two accounts of one person usually share the name.
            % {"a": kept.user.email, "b": duplicate.user.email}
        )

    moved: dict[str, int] = {}
    for relation in Person._meta.related_objects:
        model = relation.related_model
        label = model._meta.label_lower
        if relation.one_to_one:
            obj = model._default_manager.filter(**{relation.field.name: duplicate}).first()
            if obj is None:
                continue
            if model._default_manager.filter(**{relation.field.name: kept}).exists():
                raise MergeConflict(
                    _("Both records have %(what)s; remove one before merging.")
                    % {"what": model._meta.verbose_name}
                )
        if label in _RESOLVERS:
            n = _RESOLVERS[label](kept, duplicate)
        else:
            try:
                with transaction.atomic():
                    n = model._default_manager.filter(**{relation.field.name: duplicate}).update(
                        **{relation.field.name: kept}
                    )
            except IntegrityError as exc:
                raise MergeConflict(
                    _("Both records have %(what)s that cannot be combined automatically.")
                    % {"what": model._meta.verbose_name_plural}
                ) from exc
        if n:
            moved[label] = n

    duplicate_id = duplicate.pk
    duplicate.delete()
    for name in filled:
        setattr(kept, name, moved_user if name == "user" else getattr(duplicate, name))
    kept.full_clean()
    kept.save()
    log = MergeLog.objects.create(
        kept=kept,
        duplicate_snapshot={**snapshot, "id": duplicate_id},
        moved=moved,
        filled_fields=filled,
        reason=reason.strip(),
        actor=actor,
    )
    # The snapshot of the removed record is personal: the trail keeps references and counts.
    audit_record(
        "person.merge",
        obj=log,
        subject=person_ref(kept),
        before={"duplicate": person_ref(duplicate_id)},
        after={"kept": person_ref(kept), "moved": moved, "filled_fields": filled},
        reason=log.reason,
        actor=actor,
    )
    return log
