"""PostgreSQL rate-limit counters: exact under concurrency, fixed windows."""

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection

from recruitment.models import RateLimitCounter
from recruitment.ratelimits import Rate, rate_limit_counters_purge, rate_limit_hit


def test_rate_parse():
    assert [Rate.parse(text) for text in ("30/hour", "5/minute", "1/day", "2/second")] == [
        Rate(30, 3600), Rate(5, 60), Rate(1, 86400), Rate(2, 1),
    ]  # fmt: skip


def test_rate_limit_hit_counts_in_fixed_windows(db):
    rate = Rate(2, 60)
    at = datetime(2026, 11, 28, 4, 0, 10, tzinfo=UTC)
    later = datetime(2026, 11, 28, 4, 1, 0, tzinfo=UTC)  # the next window

    hits = [rate_limit_hit(key="k", rate=rate, now=at) for _ in range(3)]
    next_window = rate_limit_hit(key="k", rate=rate, now=later)

    assert [(h.allowed, h.remaining, h.reset_seconds) for h in hits] == [
        (True, 1, 50), (True, 0, 50), (False, 0, 50),
    ]  # fmt: skip
    assert (next_window.allowed, next_window.remaining, next_window.reset_seconds) == (
        True,
        1,
        60,
    )
    assert rate_limit_counters_purge(now=later) == 1
    assert list(RateLimitCounter.objects.values_list("hits", flat=True)) == [1]


@pytest.mark.django_db(transaction=True)
def test_rate_limit_hit_is_exact_across_concurrent_connections():
    rate = Rate(10, 3600)
    now = datetime(2026, 11, 28, 4, 0, 0, tzinfo=UTC)
    start = threading.Barrier(20)
    allowed = []

    def hit():
        try:
            start.wait(timeout=30)
            allowed.append(rate_limit_hit(key="race", rate=rate, now=now).allowed)
        finally:
            connection.close()

    threads = [threading.Thread(target=hit) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(allowed) == [False] * 10 + [True] * 10
    assert list(RateLimitCounter.objects.values_list("key", "hits")) == [("race", 20)]
