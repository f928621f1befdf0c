"""OpenAPI generation: every operation documents the shared error responses it can return."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from api.serializers.common import ErrorSerializer

ERROR_DESCRIPTIONS = {
    "400": "Invalid input (`validation_error`) or a broken business rule.",
    "401": "Missing, expired or revoked credentials.",
    "403": "Authenticated, but this role or token scope may not do this.",
    "404": "Not found, or outside the caller's scope.",
    "409": "Conflicts with the current state (duplicate, illegal transition).",
    "422": "The `Idempotency-Key` was used with another request body.",
    "412": "The `If-Match` version is stale; nothing was changed.",
    "429": "Too many requests; retry after the `Retry-After` header.",
}

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", str, OpenApiParameter.HEADER, required=False, pattern=r"^[!-~]{1,255}$",
    description=(
        "Makes the POST safe to retry: the first result for this key is replayed for 24 h "
        "(`Idempotent-Replayed: true`); another body with the key answers 422, a retry while "
        "the first still runs 409."
    ),
)  # fmt: skip


def idempotent(path: str, method: str) -> bool:
    """Every POST honours Idempotency-Key, except under auth/ (those answers carry tokens)."""
    return method == "POST" and "/auth/" not in path


class AutoSchema(SpectacularAutoSchema):
    """Adds 400/401/403/404/429 (409 on writes, 412 with `If-Match`) with the `Error` body to
    every operation."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ["400", "401", "403", "404", "429"]
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes.append("409")
        if idempotent(self.path, self.method):
            codes.append("422")
        if any(
            getattr(parameter, "name", None) == "If-Match"
            for parameter in self.get_override_parameters()
        ):
            codes.append("412")
        for code in codes:
            if code not in responses:
                response = OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code])
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return responses

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if idempotent(self.path, self.method):
            parameters.append(IDEMPOTENCY_KEY)
        return parameters
