"""OpenAPI schema hooks: document our /api/v1/ only, not Wagtail's internal admin API."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

from lms.api.exceptions import CONFLICT_RESPONSE


def only_api_v1(endpoints, **kwargs):
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


class AutoSchema(SpectacularAutoSchema):
    """Every DELETE may also answer 409 (lms.api.exceptions: other records still refer to it)."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.method == "DELETE" and "409" not in responses:
            responses["409"] = self._get_response_for_code(
                CONFLICT_RESPONSE, "409", direction=direction
            )
        return responses
