"""Bench-only settings: the real ones plus the raw-SQL ceiling views' URLconf (bench/urls.py).

The rate limits stay on, so their counting is part of every measured request, but with limits
no bounded run reaches (one bench client sends far more than a real caller may)."""

from recruitment.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
RATE_LIMIT_CALLER = "100000000/minute"
RATE_LIMIT_IP = "100000000/minute"
# The bench talks plain HTTP to 127.0.0.1, as a TLS-terminating proxy would.
SECURE_SSL_REDIRECT = False
