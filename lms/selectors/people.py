"""Reads on the registry."""

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from lms.models import Person
from lms.validators import fold


def person_search(*, queryset: QuerySet[Person] | None = None, query: str) -> QuerySet[Person]:
    """Every word must match a name or the document, ignoring case and accents."""
    qs = Person.objects.all() if queryset is None else queryset
    for word in fold(query).split():
        qs = qs.filter(Q(search_text__contains=word))
    return qs


def registry_summary() -> dict:
    """Counts for the admin dashboard, in one query."""
    return Person.objects.aggregate(
        people=Count("pk"),
        with_account=Count("pk", filter=Q(user__isnull=False)),
        women=Count("pk", filter=Q(sex="F")),
        men=Count("pk", filter=Q(sex="M")),
        regions=Count(Substr("region__code", 1, 2), distinct=True),
    )
