"""OpenAPI schema hooks: document our /api/v1/ only, not Wagtail's internal admin API."""


def only_api_v1(endpoints, **kwargs):
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
