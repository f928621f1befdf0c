"""dramatiq actors. Thin and idempotent: each takes ids, calls one workflows function, returns."""

import logging
from collections import Counter
from dataclasses import asdict
from datetime import timedelta

import dramatiq
from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from dramatiq_crontab import cron, interval

from recruitment.models import Feed
from workflows import broker  # noqa: F401  (binds the actors below to the configured broker)
from workflows.alerts import saved_search_alerts_instant, saved_search_digests, silence_alerts
from workflows.exports import export_job_run, export_jobs_purge
from workflows.feeds.sync import vacancy_feed_sync_run
from workflows.models import FeedRun
from workflows.notifications import (
    PermanentDeliveryError,
    outbox_bury_abandoned,
    outbox_deliver,
    outbox_deliver_many,
    outbox_due_ids,
)
from workflows.privacy import personal_data_purge
from workflows.services import vacancies_close_expired

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
    for feed_id, minutes, last_run in feeds:
        if last_run is None or last_run <= now - timedelta(minutes=minutes):
            run = FeedRun.objects.create(feed_id=feed_id, trigger="schedule")
            sync_feed.send(feed_id, run.pk)


@dramatiq.actor(
    actor_name="workflows.deliver_outbox_message",
    queue_name="notifications",
    max_retries=0,
    time_limit=60_000,
    throws=(PermanentDeliveryError,),
)
def deliver_outbox_message(message_id: int) -> None:
    """Deliver one outbox message (email or webhook) if it is due.

    Safe to run twice: the row is claimed with a lease, so a second run finds it delivered or
    held and does nothing. Retries are the outbox's own (backoff on the row, re-enqueued by the
    relay), not dramatiq's, so a lost broker message loses nothing.
    """
    outcome = outbox_deliver(message_id)
    logger.info("outbox message", extra={"message_id": message_id, "outcome": outcome})


@dramatiq.actor(
    actor_name="workflows.deliver_outbox_messages",
    queue_name="notifications",
    max_retries=0,
    time_limit=60_000,
)
def deliver_outbox_messages(message_ids: list[int]) -> None:
    """Deliver a batch of outbox messages (the relay's backlog), with one claim and one
    bookkeeping transaction for the batch.

    Safe to run twice: rows are claimed with a lease, so a second run skips them."""
    outcomes = Counter(outbox_deliver_many(message_ids).values())
    logger.info("outbox batch", extra={"messages": len(message_ids), **outcomes})


@interval(seconds=10)
@dramatiq.actor(actor_name="workflows.relay_outbox", queue_name="notifications", max_retries=0)
def relay_outbox() -> None:
    """Enqueue every outbox row that is due, or whose delivery lease expired, in batches of
    OUTBOX_BATCH_SIZE.

    Safe to run twice: enqueuing a row twice makes two deliveries race for one claim.
    """
    outbox_bury_abandoned()
    due = outbox_due_ids()
    size = settings.OUTBOX_BATCH_SIZE
    for start in range(0, len(due), size):
        deliver_outbox_messages.send(due[start : start + size])


@dramatiq.actor(actor_name="workflows.alert_saved_searches", queue_name="notifications")
def alert_saved_searches(vacancy_ids: list[int]) -> None:
    """Email the instant saved searches these newly published vacancies match.

    Sent once, on commit of the publication; a retry after a crash may alert twice, which the
    email's event id lets providers dedupe."""
    sent = saved_search_alerts_instant(vacancy_ids=vacancy_ids, now=timezone.now())
    logger.info("job alerts", extra={"vacancies": len(vacancy_ids), "emails": sent})


@cron("0 7 * * *")
@dramatiq.actor(actor_name="workflows.send_daily_digests", queue_name="notifications")
def send_daily_digests() -> None:
    """The daily job-alert digests. Safe to run twice: each search remembers its last digest."""
    logger.info("daily digests", extra={"emails": saved_search_digests(now=timezone.now())})


@cron("0 8 * * *")
@dramatiq.actor(actor_name="workflows.send_silence_alerts", queue_name="notifications")
def send_silence_alerts() -> None:
    """Alert recruiters of applications waiting too long. Safe to run twice: one a day each."""
    logger.info("silence alerts", extra={"emails": silence_alerts(now=timezone.now())})


@dramatiq.actor(
    actor_name="workflows.export_run", queue_name="exports", max_retries=0, time_limit=3_600_000
)
def export_run(job_id: str) -> None:
    """Write one background CSV export.

    Safe to run twice: a finished job is left as it is, and an unfinished one is written again
    from the start (the file of a crashed run was never recorded on the job)."""
    job = export_job_run(job_id=job_id)
    if job is None:
        logger.warning("export job gone before it ran", extra={"export_id": job_id})


@cron("17 * * * *")
@dramatiq.actor(actor_name="workflows.purge_exports", queue_name="exports", max_retries=0)
def purge_exports() -> None:
    """Delete expired export files and jobs. Safe to run twice: the second finds none."""
    logger.info("exports purged", extra={"jobs": export_jobs_purge(now=timezone.now())})


@cron("30 2 * * *")
@dramatiq.actor(actor_name="workflows.purge_personal_data", queue_name="default", max_retries=0)
def purge_personal_data() -> None:
    """The daily retention purge (workflows.privacy.personal_data_purge). Safe to run twice:
    erased rows no longer match, and legal holds are skipped every time."""
    result = personal_data_purge(now=timezone.now())
    logger.info("personal data purged", extra=asdict(result))


@cron("*/15 * * * *")
@dramatiq.actor(actor_name="workflows.close_expired_vacancies", queue_name="default", max_retries=0)
def close_expired_vacancies() -> None:
    """Close published vacancies past their deadline (feeds may list them for days after).
    Safe to run twice: each is re-read under its lock, so a closed one is skipped."""
    closed = vacancies_close_expired(now=timezone.now())
    logger.info("expired vacancies closed", extra={"vacancies": len(closed)})
