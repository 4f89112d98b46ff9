"""Reads on the registry."""

from django.db.models import Q, QuerySet

from lms.models import Person
from lms.validators import fold


def person_search(*, queryset: QuerySet[Person] | None = None, query: str) -> QuerySet[Person]:
    """Every word must match a name or the document, ignoring case and accents."""
    qs = Person.objects.all() if queryset is None else queryset
    for word in fold(query).split():
        qs = qs.filter(Q(search_text__contains=word))
    return qs
