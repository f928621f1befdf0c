"""What every API request and answer goes through before and after its view: NUL characters
in query strings are refused, and answers carry the API's own headers (the rest come from
Django's SecurityMiddleware)."""

from django.http import JsonResponse

API_PREFIX = "/api/v1/"
NUL = "\x00"
# JSON is never a document to render: no scripts, no frames, nothing loaded (OWASP API8).
API_CSP = "default-src 'none'; frame-ancestors 'none'"


class ApiBoundaryMiddleware:
    """Refuses NUL in query strings (PostgreSQL text cannot hold it: a query with it would be a
    500). API answers forbid rendering and framing, and are never cached: most carry personal
    data, and a shared cache must not hand one caller's answer to another."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if any(NUL in key or NUL in "".join(values) for key, values in request.GET.lists()):
            response = JsonResponse(
                {"code": "parse_error", "detail": "Query parameters may not contain NUL (%00)."},
                status=400,
            )
        else:
            response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", API_CSP)
        response.headers.setdefault("Cache-Control", "no-store")
        return response
