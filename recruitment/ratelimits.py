"""Rate-limit counters and login lockouts, kept in PostgreSQL so that every web process (and a
fresh machine with nothing but PostgreSQL) shares them. One atomic upsert per hit."""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection

from recruitment.models import RateLimitCounter

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # the lockout row's fixed window_start


@dataclass(frozen=True)
class Rate:
    """A limit: `limit` hits per `period` seconds."""

    limit: int
    period: int

    @classmethod
    def parse(cls, text: str) -> "Rate":
        """ "30/hour" → Rate(30, 3600)."""
        count, _, unit = text.partition("/")
        return cls(limit=int(count), period=PERIODS[unit.strip()])


@dataclass(frozen=True)
class Hit:
    """The state of a limit after one hit."""

    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int  # until the window ends
    period: int


# The lockout row restarts its count when its period ended before this failure.
_UPSERT_RESTARTING = (
    "INSERT INTO recruitment_ratelimitcounter AS c (key, window_start, hits, expires_at)"
    " VALUES (%s, %s, 1, %s) ON CONFLICT (key, window_start)"
    " DO UPDATE SET hits = CASE WHEN c.expires_at <= %s THEN 1 ELSE c.hits + 1 END,"
    " expires_at = EXCLUDED.expires_at RETURNING hits"
)


def _upsert(sql: str, params: list[object]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def rate_limit_hit(*, key: str, rate: Rate, now: datetime) -> Hit:
    """Count one request against `key` in the current fixed window of `rate`; allowed while the
    count stays within the limit. Concurrent hits from any process are counted exactly."""
    return rate_limit_hits(limits=[(key, rate)], now=now)[0]


def rate_limit_hits(*, limits: list[tuple[str, Rate]], now: datetime) -> list[Hit]:
    """rate_limit_hit for several limits (distinct keys) at once: one statement, one round trip,
    whatever the number of limits a request counts against."""
    windows = []
    for _, rate in limits:
        seconds = int(now.timestamp())
        start = datetime.fromtimestamp(seconds - seconds % rate.period, UTC)
        windows.append((start, start + timedelta(seconds=rate.period)))
    values = ", ".join(["(%s, %s, 1, %s)"] * len(limits))
    params = [
        value for (key, _), (start, end) in zip(limits, windows, strict=True)
        for value in (key, start, end)
    ]  # fmt: skip
    with connection.cursor() as cursor:
        # bandit B608, accepted 2026-11-28: `values` is "(%s, %s, 1, %s)" placeholders only.
        cursor.execute(
            "INSERT INTO recruitment_ratelimitcounter AS c (key, window_start, hits, expires_at)"  # nosec B608
            f" VALUES {values} ON CONFLICT (key, window_start)"
            " DO UPDATE SET hits = c.hits + 1, expires_at = EXCLUDED.expires_at"
            " RETURNING key, hits",
            params,
        )
        counts = dict(cursor.fetchall())
    return [
        Hit(
            allowed=counts[key] <= rate.limit,
            limit=rate.limit,
            remaining=max(rate.limit - counts[key], 0),
            reset_seconds=max(int((end - now).total_seconds() + 0.999), 1),
            period=rate.period,
        )
        for (key, rate), (_, end) in zip(limits, windows, strict=True)
    ]


def _login_key(email: str) -> str:
    # A hash, so that the counters table holds no email address.
    return "login-failed:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()


def login_locked_seconds(*, email: str, now: datetime) -> int:
    """Seconds the email's account stays locked after repeated failed logins (0: not locked).
    Emails without an account lock the same way, so a lock tells nothing about existence."""
    row = (
        RateLimitCounter.objects.filter(key=_login_key(email), window_start=_EPOCH)
        .values_list("hits", "expires_at")
        .first()
    )
    if row is None or row[0] < settings.LOGIN_LOCKOUT_FAILURES or row[1] <= now:
        return 0
    return max(int((row[1] - now).total_seconds() + 0.999), 1)


def login_failure_record(*, email: str, now: datetime) -> int:
    """Count a failed login; each failure restarts the lockout period. Returns the failures in a
    row (the account is locked from LOGIN_LOCKOUT_FAILURES on)."""
    expires_at = now + timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    count = _upsert(_UPSERT_RESTARTING, [_login_key(email), _EPOCH, expires_at, now])
    return count


def login_failures_clear(*, email: str) -> None:
    """A successful login forgets the failures."""
    RateLimitCounter.objects.filter(key=_login_key(email), window_start=_EPOCH).delete()


def rate_limit_counters_purge(*, now: datetime) -> int:
    """Delete counters whose window has ended; returns how many."""
    return RateLimitCounter.objects.filter(expires_at__lte=now).delete()[0]
