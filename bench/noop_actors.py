"""A no-op actor on the configured broker, with the same middleware: dramatiq's own ceiling."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recruitment.settings")
django.setup()

import dramatiq  # noqa: E402

from workflows import broker  # noqa: E402,F401  (binds the actor to the configured broker)


@dramatiq.actor(actor_name="bench.noop", queue_name="bench-noop", max_retries=0)
def noop() -> None:
    """Does nothing: measures the broker and worker overhead alone."""
