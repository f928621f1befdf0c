"""Registering feeds and requesting syncs (the URL passes the SSRF guard at registration too)."""

from collections.abc import Mapping

from django.db import transaction

from recruitment.models import Feed, Organisation
from workflows.models import FeedRun
from workflows.netguard import resolve_public_url

FEED_FIELDS = ("kind", "url", "name", "interval_minutes", "enabled")


def feed_create(*, organisation: Organisation | None, data: Mapping[str, object]) -> Feed:
    """Register a feed of `organisation` (None: an aggregated feed whose items name their own
    organisation). Raises UnsafeURLError when the URL reaches a non-public address."""
    resolve_public_url(str(data["url"]))
    return Feed.objects.create(
        organisation=organisation, **{key: data[key] for key in FEED_FIELDS if key in data}
    )


def feed_update(*, feed: Feed, data: Mapping[str, object]) -> Feed:
    """Change a feed's settings; a new URL is checked again and forgets the old validators.
    The next sync re-reads its document in full, as the settings shape how items are applied."""
    if "url" in data and data["url"] != feed.url:
        resolve_public_url(str(data["url"]))
        feed.etag = feed.last_modified = ""
    feed.document_hash = ""
    for key in FEED_FIELDS:
        if key in data:
            setattr(feed, key, data[key])
    feed.save()
    return feed


def feed_sync_request(*, feed: Feed, trigger: str = "api") -> FeedRun:
    """Create a pending run and enqueue its sync after commit; returns the run."""
    from workflows.tasks import sync_feed  # the actors module imports this one

    with transaction.atomic():
        run = FeedRun.objects.create(feed=feed, trigger=trigger)
        # robust: with the broker down the run stays pending and the schedule picks the feed up.
        transaction.on_commit(lambda: sync_feed.send(feed.pk, run.pk), robust=True)
    return run
