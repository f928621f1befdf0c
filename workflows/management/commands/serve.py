"""`manage.py serve`: the web server, plus the worker and the scheduler in-process when no
BROKER_URL is set (the embedded mode of `make run`)."""

import os
import threading
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from dramatiq import Worker
from dramatiq_crontab import scheduler

from workflows import tasks
from workflows.broker import broker


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: Any) -> None:  # noqa: ANN401
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args: object, **options: Any) -> None:  # noqa: ANN401
        assert tasks  # imported for its actors and their schedules
        worker = None
        if not settings.BROKER_URL:
            worker = Worker(broker, worker_threads=2)
            worker.start()
            tasks.relay_outbox.send()  # what was accepted before a stop is delivered now
            threading.Thread(target=scheduler.start, name="scheduler", daemon=True).start()
            self.stdout.write("background: in-process worker and scheduler (no BROKER_URL)")
        base = f"http://{options['host']}:{options['port']}"
        self.stdout.write(
            f"API root:   {base}/api/v1/\nSwagger UI: {base}/api/docs/\nAdmin:      {base}/admin/\n"
            f"Health:     {base}/healthz  {base}/readyz\nStop with Ctrl-C."
        )
        try:
            call_command("runserver", f"{options['host']}:{options['port']}", use_reloader=False)
        finally:
            if worker is not None:
                if scheduler.running:
                    scheduler.shutdown(wait=False)
                worker.stop()
