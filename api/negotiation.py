"""Content negotiation with a fast path for what API clients send."""

from rest_framework.negotiation import DefaultContentNegotiation

# Accept headers that choose the first renderer (JSON), as DRF's negotiation would.
PLAIN_ACCEPTS = frozenset({"", "*/*", "application/json"})


class ContentNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, which parses and ranks the Accept header's media types on every
    request. Without a `format` override, and with no Accept header, `*/*` or
    `application/json`, its answer is always the first renderer and its media type, so that
    answer is given at once. Any other request is negotiated by DRF as before (406 when no
    renderer fits)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        if (
            format_suffix is None
            and request.META.get("HTTP_ACCEPT", "").strip() in PLAIN_ACCEPTS
            and self.settings.URL_FORMAT_OVERRIDE not in request.query_params
        ):
            return renderers[0], renderers[0].media_type
        return super().select_renderer(request, renderers, format_suffix)
