"""Which changes are audited, declared per model; the events follow from saves and deletes.

Each app lists its audited models in its ``audit.py`` (discovered at start-up)::

    track(AttendanceRecord, "attendance", fields=["status", "method", "recorded_at"],
          subject=lambda r: person_ref(r.person_id))

Then every ``save()`` that creates or changes one of ``fields`` and every ``delete()`` appends an
event in the same transaction, with the values before and after (only the listed fields: they
must hold nothing personal). The actor and reason come from the surrounding
:func:`lms.services.audit.audit_context` (services set it), else the request's user (set by
:class:`AuditRequestMiddleware`), else "system". Bulk writes that skip ``save()`` record their
events themselves with :func:`lms.services.audit.audit_record_many`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save

from lms.services.audit import Change, audit_context, audit_record_many, object_ref, plain


@dataclass(frozen=True)
class Tracked:
    model: type[models.Model]
    prefix: str
    fields: tuple[str, ...]
    subject: Callable[[models.Model], str] | None
    reason: Callable[[models.Model], str] | None
    create: bool
    delete: bool

    def attnames(self) -> dict[str, str]:
        return {name: self.model._meta.get_field(name).attname for name in self.fields}

    def _plain(self, name: str, value):
        field = self.model._meta.get_field(name)
        if isinstance(field, models.DecimalField) and value is not None:
            # As stored: 8.5 in a two-decimal field is 8.50 (else a save that changes nothing
            # would look like a change).
            value = Decimal(value).quantize(Decimal(1).scaleb(-field.decimal_places))
        return plain(value)

    def values(self, instance) -> dict:
        return {
            name: self._plain(name, getattr(instance, att)) for name, att in self.attnames().items()
        }

    def stored_values(self, pk) -> dict | None:
        names = self.attnames()
        row = self.model._default_manager.filter(pk=pk).values(*names.values()).first()
        if row is None:
            return None
        return {name: self._plain(name, row[att]) for name, att in names.items()}


REGISTRY: dict[str, Tracked] = {}


def track(
    model: type[models.Model],
    prefix: str,
    *,
    fields: list[str],
    subject: Callable[[models.Model], str] | None = None,
    reason: Callable[[models.Model], str] | None = None,
    create: bool = True,
    delete: bool = True,
) -> None:
    """Audit ``model``: events ``<prefix>.create``, ``<prefix>.change`` and ``<prefix>.delete``."""
    spec = Tracked(model, prefix, tuple(fields), subject, reason, create, delete)
    label = model._meta.label_lower
    REGISTRY[label] = spec
    pre_save.connect(_remember, sender=model, weak=False, dispatch_uid=f"audit-pre-{label}")
    post_save.connect(_saved, sender=model, weak=False, dispatch_uid=f"audit-post-{label}")
    if delete:
        post_delete.connect(
            _deleted, sender=model, weak=False, dispatch_uid=f"audit-delete-{label}"
        )


def _spec(sender) -> Tracked:
    return REGISTRY[sender._meta.label_lower]


def _change(spec: Tracked, instance, action: str, before, after) -> Change:
    object_type, object_id = object_ref(instance)
    return Change(
        action=f"{spec.prefix}.{action}",
        object_type=object_type,
        object_id=object_id,
        subject=spec.subject(instance) if spec.subject else "",
        before=before,
        after=after,
        reason=spec.reason(instance) if spec.reason else None,
    )


def _remember(sender, instance, raw=False, **kwargs):
    if raw:
        return
    spec = _spec(sender)
    adding = instance._state.adding or instance.pk is None
    instance._audit_before = None if adding else spec.stored_values(instance.pk)


def _saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    spec = _spec(sender)
    before = getattr(instance, "_audit_before", None)
    instance._audit_before = None
    after = spec.values(instance)
    if created or before is None:
        if spec.create:
            audit_record_many([_change(spec, instance, "create", None, after)])
        return
    changed = {k: v for k, v in before.items() if after.get(k) != v}
    if not changed:
        return
    # Only what changed, before and after: a status change does not repeat the unchanged score.
    audit_record_many([_change(spec, instance, "change", changed, {k: after[k] for k in changed})])


def audit_created(instances) -> None:
    """The "create" events of rows inserted without save() (bulk_create), in the order given."""
    instances = list(instances)
    if instances:
        spec = _spec(type(instances[0]))
        audit_record_many(
            [_change(spec, obj, "create", None, spec.values(obj)) for obj in instances]
        )


def _deleted(sender, instance, **kwargs):
    spec = _spec(sender)
    audit_record_many([_change(spec, instance, "delete", spec.values(instance), None)])


class AuditRequestMiddleware:
    """Attribute changes made while serving a request to the request's user (also when the API
    authenticates the user later, by token: the user is read when the event is written)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit_context(request=request):
            return self.get_response(request)
