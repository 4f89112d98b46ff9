"""API error answers: DRF's own, plus 409 Conflict for a delete that other records prevent.

Deleting a record that other rows still point at with PROTECT or RESTRICT (a participant with
registrations, an institution with participants) raises ProtectedError / RestrictedError from
the ORM; without this handler every such DELETE would be a 500.
"""

from collections import Counter

from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback


def _references(objects) -> list[dict]:
    counts = Counter(obj._meta.model for obj in objects)
    return [
        {
            "model": model._meta.label_lower,
            "name": str(model._meta.verbose_name if n == 1 else model._meta.verbose_name_plural),
            "count": n,
        }
        for model, n in sorted(counts.items(), key=lambda item: item[0]._meta.label_lower)
    ]


def conflict_detail(model, references: list[dict], hint: str = "") -> str:
    listed = ", ".join(f"{ref['count']} {ref['name']}" for ref in references)
    detail = _("This %(model)s cannot be deleted: it still has %(references)s.") % {
        "model": model._meta.verbose_name,
        "references": listed,
    }
    return f"{detail} {hint}" if hint else detail


def exception_handler(exc, context):
    if isinstance(exc, ProtectedError | RestrictedError):
        objects = (
            exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
        )
        view = context.get("view")
        queryset = getattr(view, "queryset", None)
        model = queryset.model if queryset is not None else None
        references = _references(objects)
        if model is None:
            detail = _("This record cannot be deleted: other records still refer to it.")
        else:
            detail = conflict_detail(model, references, str(getattr(view, "delete_hint", "")))
        set_rollback()
        return Response(
            {"detail": detail, "code": "protected", "references": references},
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)


# For the schema (lms.api.schema.AutoSchema adds it to every DELETE).
CONFLICT_RESPONSE = OpenApiResponse(
    inline_serializer(
        "DeleteConflict",
        {
            "detail": serializers.CharField(),
            "code": serializers.CharField(),
            "references": inline_serializer(
                "DeleteConflictReference",
                {
                    "model": serializers.CharField(help_text="app_label.model"),
                    "name": serializers.CharField(),
                    "count": serializers.IntegerField(),
                },
                many=True,
            ),
        },
    ),
    description=gettext_lazy("Not deleted: other records still refer to this one (listed)."),
)
