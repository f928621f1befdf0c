"""`manage.py sync_feed --kind KIND --file PATH [--organisation SLUG] [--feed ID]`: ingest a
local document through the same code path as a scheduled sync; ends with one line of JSON."""

import json
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from recruitment.enums import FeedKind
from recruitment.models import Feed, Organisation
from workflows.feeds.sync import vacancy_feed_sync_run


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: Any) -> None:  # noqa: ANN401
        parser.add_argument("--kind", required=True, choices=FeedKind.values)
        parser.add_argument("--file", required=True, type=Path)
        parser.add_argument("--organisation", help="Slug; without it the feed is aggregated.")
        parser.add_argument("--feed", type=int, help="An existing feed's id.")

    def handle(self, *args: object, **options: Any) -> None:  # noqa: ANN401
        started = time.monotonic()

        def progress(message: str) -> None:
            sys.stderr.write(f"[{time.monotonic() - started:6.2f}s] {message}\n")

        try:
            content = options["file"].read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {options['file']}: {error.strerror}") from None
        progress(f"read {len(content):,} bytes from {options['file']}")
        feed = self._feed(options)
        progress(f"parsing and applying as {feed.kind} feed {feed.pk}")
        run = vacancy_feed_sync_run(feed_id=feed.pk, content=content, trigger="command")
        if run is None:
            raise CommandError("another sync of this feed is running; try again")
        if run.status == "failed":
            raise CommandError(f"the document could not be read: {run.error}")
        progress(f"run {run.pk} {run.status}")
        self.stdout.write(json.dumps(run.counts()))

    def _feed(self, options: dict[str, Any]) -> Feed:
        if options["feed"]:
            feed = Feed.objects.filter(pk=options["feed"]).first()
            if feed is None or feed.kind != options["kind"]:
                raise CommandError(f"no {options['kind']} feed {options['feed']}")
            return feed
        organisation = None
        if options["organisation"]:
            organisation = Organisation.objects.filter(slug=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"no organisation {options['organisation']!r}")
        # Local documents of one kind and organisation count as one feed, so the missing and
        # closing rules apply across them.
        feed, _ = Feed.objects.get_or_create(
            kind=options["kind"],
            organisation=organisation,
            url="",
            defaults={"name": f"local {options['kind']} documents", "enabled": False},
        )
        return feed
