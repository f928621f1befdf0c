"""Rate limits, counted in PostgreSQL (recruitment/ratelimits.py) so that every gunicorn worker
shares them: a general limit per caller and per IP, and stricter ones on login, registration,
applying and exports. A view names its strict scope with `throttle_scope`, or per action with
`throttle_scopes` ({"create": "apply"})."""

from django.conf import settings
from django.utils import timezone
from rest_framework.throttling import BaseThrottle

from recruitment.ratelimits import Rate, rate_limit_hit

# Strict scopes: which setting holds the rate, and whether it counts per IP or per caller.
SCOPES = {
    "login": ("RATE_LIMIT_LOGIN", "ip"),
    "register": ("RATE_LIMIT_REGISTER", "ip"),
    "apply": ("RATE_LIMIT_APPLY", "caller"),
    "export": ("RATE_LIMIT_EXPORT", "caller"),
}


def client_ip(request) -> str:
    """The client's address: the peer, or the address the last trusted proxy saw."""
    proxies = settings.NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def caller_id(request) -> str:
    """Who is calling, for per-caller limits and idempotency keys: the user, else the IP."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_ip(request)}"


class _DatabaseThrottle(BaseThrottle):
    """Counts the request under `key(...)` against `rate(...)`; remembers the state on the
    Django request so the middleware can send RateLimit headers."""

    policy = ""

    def rate(self, request, view) -> str | None:
        raise NotImplementedError

    def key(self, request, view) -> str:
        raise NotImplementedError

    def allow_request(self, request, view):
        self.hit = None
        text = self.rate(request, view) if settings.RATE_LIMITS_ENABLED else None
        if not text:
            return True
        rate = Rate.parse(text)
        self.hit = rate_limit_hit(
            key=f"{self.policy}:{self.key(request, view)}", rate=rate, now=timezone.now()
        )
        states = getattr(request._request, "rate_limits", [])
        request._request.rate_limits = [*states, (self.policy, self.hit)]
        return self.hit.allowed

    def wait(self):
        return self.hit.reset_seconds if self.hit else None


class CallerRateThrottle(_DatabaseThrottle):
    """Every request of one caller (a user, or an anonymous IP)."""

    policy = "caller"

    def rate(self, request, view):
        return settings.RATE_LIMIT_CALLER

    def key(self, request, view):
        return caller_id(request)


class IpRateThrottle(_DatabaseThrottle):
    """Every request from one IP address, whoever is logged in."""

    policy = "ip"

    def rate(self, request, view):
        return settings.RATE_LIMIT_IP

    def key(self, request, view):
        return client_ip(request)


def _scope(request, view) -> str | None:
    scopes = getattr(view, "throttle_scopes", None)
    if scopes is not None:
        return scopes.get(getattr(view, "action", None))
    return getattr(view, "throttle_scope", None)


class StrictRateThrottle(_DatabaseThrottle):
    """The view's strict scope (login, register, apply, export), if it has one."""

    def rate(self, request, view):
        scope = _scope(request, view)
        if scope is None:
            return None
        self.policy = scope
        return getattr(settings, SCOPES[scope][0])

    def key(self, request, view):
        per = SCOPES[self.policy][1]
        return client_ip(request) if per == "ip" else caller_id(request)
