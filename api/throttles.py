"""Rate limits, counted in PostgreSQL (recruitment/ratelimits.py) so that every gunicorn worker
shares them: a general limit per caller and per IP, and stricter ones on login, registration,
applying and exports. A view names its strict scope with `throttle_scope`, or per action with
`throttle_scopes` ({"create": "apply"})."""

from django.conf import settings
from django.utils import timezone
from rest_framework.throttling import BaseThrottle

from recruitment.ratelimits import Rate, rate_limit_hits

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


def _scope(request, view) -> str | None:
    scopes = getattr(view, "throttle_scopes", None)
    if scopes is not None:
        return scopes.get(getattr(view, "action", None))
    return getattr(view, "throttle_scope", None)


class RateLimitThrottle(BaseThrottle):
    """Counts the request against every limit that applies, in one statement: the caller's
    (RATE_LIMIT_CALLER: a user, or an anonymous IP), the IP's whoever is logged in
    (RATE_LIMIT_IP), and the view's strict scope if it has one (login, register, apply,
    export). Remembers the states on the Django request for the RateLimit headers."""

    def limits(self, request, view) -> list[tuple[str, str, str]]:
        """(policy, key, rate) of each limit that applies."""
        limits = [
            ("caller", caller_id(request), settings.RATE_LIMIT_CALLER),
            ("ip", client_ip(request), settings.RATE_LIMIT_IP),
        ]
        scope = _scope(request, view)
        if scope is not None:
            setting, per = SCOPES[scope]
            key = client_ip(request) if per == "ip" else caller_id(request)
            limits.append((scope, key, getattr(settings, setting)))
        return [(policy, key, rate) for policy, key, rate in limits if rate]

    def allow_request(self, request, view):
        self.hits = []
        limits = self.limits(request, view) if settings.RATE_LIMITS_ENABLED else []
        if not limits:
            return True
        hits = rate_limit_hits(
            limits=[(f"{policy}:{key}", Rate.parse(rate)) for policy, key, rate in limits],
            now=timezone.now(),
        )
        self.hits = [hit for hit in hits if not hit.allowed]
        states = getattr(request._request, "rate_limits", [])
        request._request.rate_limits = [
            *states, *((policy, hit) for (policy, _, _), hit in zip(limits, hits, strict=True))
        ]  # fmt: skip
        return not self.hits

    def wait(self):
        return max((hit.reset_seconds for hit in self.hits), default=None)
