"""Response headers every API answer carries (the rest come from Django's SecurityMiddleware)."""

API_PREFIX = "/api/v1/"
# JSON is never a document to render: no scripts, no frames, nothing loaded (OWASP API8).
API_CSP = "default-src 'none'; frame-ancestors 'none'"


class ApiResponseHeadersMiddleware:
    """API answers forbid rendering and framing, and are never cached: most carry personal data,
    and a shared cache must not hand one caller's answer to another."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(API_PREFIX):
            response.headers.setdefault("Content-Security-Policy", API_CSP)
            response.headers.setdefault("Cache-Control", "no-store")
        return response
