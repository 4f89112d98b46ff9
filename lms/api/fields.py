"""Guards for text that reaches a query: PostgreSQL refuses a NUL character (a 500, not a 404).

DRF's CharField already refuses NUL; lookups in the URL, related fields found by a slug and raw
query parameters do not, so the API uses these instead.
"""

from django.core.validators import ProhibitNullCharactersValidator
from django.utils.encoding import smart_str
from rest_framework import serializers

# URL path segments for `lookup_value_regex`: DRF's defaults, without NUL ("%00").
LOOKUP_SLUG = r"[^/.\x00]+"  # like DRF's default: no dots either
LOOKUP_ANY = r"[^/\x00]+"


class SlugRelatedField(serializers.SlugRelatedField):
    """DRF's SlugRelatedField; a value with a NUL character matches nothing."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=smart_str(data))
        return super().to_internal_value(data)


def query_text(request, name: str, default: str | None = None) -> str | None:
    """A query parameter as text, refused (400) when it carries a NUL character."""
    value = request.query_params.get(name, default)
    if value is not None and "\x00" in value:
        raise serializers.ValidationError({name: [ProhibitNullCharactersValidator.message]})
    return value
