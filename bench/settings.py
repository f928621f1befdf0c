"""Bench-only settings: the real ones plus the raw-SQL ceiling views' URLconf (bench/urls.py)."""

from recruitment.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
