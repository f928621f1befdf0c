"""dramatiq actors. Thin and idempotent: each takes ids, calls one workflows function, returns."""

import logging
from datetime import timedelta

import dramatiq
from django.db.models import Max
from django.utils import timezone
from dramatiq_crontab import cron

from recruitment.models import Feed
from workflows import broker  # noqa: F401  (binds the actors below to the configured broker)
from workflows.feeds.sync import vacancy_feed_sync_run
from workflows.models import FeedRun

logger = logging.getLogger(__name__)


@dramatiq.actor(
    actor_name="workflows.sync_feed", queue_name="feeds", max_retries=0, time_limit=600_000
)
def sync_feed(feed_id: int, run_id: int | None = None) -> None:
    """Sync one feed (fetch, parse, upsert, close missing).

    Safe to run twice: a second run of an unchanged document changes nothing (content hashes),
    and two at once serialise on the feed's advisory lock (the loser records a skipped run).
    Not retried by dramatiq: a failure is recorded on the run and the schedule tries again.
    """
    if not Feed.objects.filter(pk=feed_id).exists():
        logger.warning("feed gone before its sync", extra={"feed_id": feed_id})
        return
    vacancy_feed_sync_run(feed_id=feed_id, run_id=run_id)


@cron("* * * * *")
@dramatiq.actor(actor_name="workflows.schedule_feed_syncs", queue_name="feeds", max_retries=0)
def schedule_feed_syncs() -> None:
    """Enqueue a sync of every enabled feed whose interval has passed since its last run.

    Safe to run twice: the second finds the runs the first just created and enqueues nothing.
    """
    now = timezone.now()
    feeds = (
        Feed.objects.filter(enabled=True)
        .exclude(url="")
        .annotate(last_run=Max("runs__started_at"))
        .values_list("pk", "interval_minutes", "last_run")
    )
    for feed_id, interval, last_run in feeds:
        if last_run is None or last_run <= now - timedelta(minutes=interval):
            run = FeedRun.objects.create(feed_id=feed_id, trigger="schedule")
            sync_feed.send(feed_id, run.pk)
