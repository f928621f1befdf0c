"""Entry point of worker processes: `dramatiq workflows.worker` (and the in-process worker)."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recruitment.settings")
django.setup()

from workflows import tasks  # noqa: E402,F401  (registers the actors)
