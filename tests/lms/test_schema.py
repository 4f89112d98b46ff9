"""The OpenAPI schema is valid and generates without warnings (CI's deploy check relies on it)."""

from io import StringIO

from django.core.management import call_command


def test_schema_is_valid_without_warnings(db):
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    schema = out.getvalue()
    assert "/api/v1/participants/{public_id}/self-identification/" in schema
    assert "WGAnswerEnum" in schema
