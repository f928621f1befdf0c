"""The dramatiq actors, called directly (`actor.fn(...)`): syncing a feed twice leaves identical
rows, a vanished feed is logged and skipped, and the scheduler enqueues exactly the feeds due."""

import json
import logging
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone
from dramatiq import Message, Worker

from recruitment.enums import FeedKind, FeedRunStatus
from recruitment.models import Feed, Vacancy, VacancySource
from tests.factories import make_organisation, make_vacancy, make_webhook_subscription
from workflows.broker import broker
from workflows.models import FeedRun, OutboxMessage, VacancyStatusChange
from workflows.tasks import close_expired_vacancies, schedule_feed_syncs, sync_feed

ETAG = '"partner-v1"'
DOCUMENT = json.dumps(
    {
        "vacancies": [
            {
                "external_id": external_id,
                "title": f"Programme Officer {external_id}",
                "closes_at": "2030-01-31T17:00:00+01:00",
                "grade": "P3",
                "duty_stations": [{"city": "Nairobi", "country": "KE"}],
            }
            for external_id in ("A", "B")
        ]
    }
).encode()


class _PartnerFeed(BaseHTTPRequestHandler):
    """Serves DOCUMENT, with an ETag when the server's `etag` is set (304 when it matches)."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.server.requests.append(self.headers.get("If-None-Match"))
        etag = self.server.etag
        if etag and self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(DOCUMENT)))
        if etag:
            self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(DOCUMENT)


@pytest.fixture
def feed_server(settings):
    """A local HTTP server on 127.0.0.1 (loopback allowed for this test only)."""
    settings.NETWORK_ALLOW_LOOPBACK = True
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _PartnerFeed)
    httpd.etag, httpd.requests = ETAG, []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.fixture(autouse=True)
def empty_broker():
    broker.flush_all()
    yield broker
    broker.flush_all()


def queued() -> list[tuple[str, list]]:
    """(actor, args) of each message waiting in the "feeds" queue, in order."""
    messages = [Message.decode(data) for data in list(broker.queues["feeds"].queue)]
    return [(message.actor_name, list(message.args)) for message in messages]


def rows() -> dict:
    """Everything a sync writes, for equality across runs."""
    return {
        "vacancies": sorted(
            Vacancy.objects.values_list(
                "pk", "title", "status", "grade", "closes_at", "fingerprint", "updated_at"
            )
        ),
        "sources": sorted(
            VacancySource.objects.values_list(
                "pk", "vacancy_id", "external_id", "content_hash", "missing_count"
            )
        ),
        "stations": sorted(
            Vacancy.duty_stations.through.objects.values_list("vacancy_id", "dutystation_id")
        ),
        "changes": sorted(
            VacancyStatusChange.objects.values_list("vacancy_id", "from_status", "to_status")
        ),
    }


def counts(run: FeedRun) -> tuple[str, dict[str, int]]:
    run.refresh_from_db()
    return run.status, run.counts()


# --- sync_feed ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("etag", "second_status", "second_requests"),
    [
        (ETAG, FeedRunStatus.NOT_MODIFIED, [None, ETAG]),
        ("", FeedRunStatus.NOT_MODIFIED, [None, None]),  # same bytes: not parsed again
    ],
    ids=["etag", "no_etag"],
)
def test_sync_feed_twice_on_same_content_leaves_identical_rows(
    feed_server, etag, second_status, second_requests
):
    feed_server.etag = etag
    feed = Feed.objects.create(
        kind=FeedKind.PARTNER,
        organisation=make_organisation(slug="unicef"),
        url=f"http://127.0.0.1:{feed_server.server_port}/vacancies.json",
    )
    first = FeedRun.objects.create(feed=feed, trigger="api")
    second = FeedRun.objects.create(feed=feed, trigger="api")

    sync_feed.fn(feed.pk, first.pk)
    after_first = rows()
    sync_feed.fn(feed.pk, second.pk)

    assert counts(first) == (
        FeedRunStatus.SUCCEEDED,
        {"created": 2, "updated": 0, "unchanged": 0, "missing": 0, "closed": 0, "rejected": 0},
    )
    assert counts(second) == (
        second_status,
        {"created": 0, "updated": 0, "unchanged": 2, "missing": 0, "closed": 0, "rejected": 0},
    )
    assert rows() == after_first
    assert sorted(VacancySource.objects.values_list("external_id", flat=True)) == ["A", "B"]
    assert feed_server.requests == second_requests
    feed.refresh_from_db()
    assert (feed.etag, feed.consecutive_failures, feed.last_error) == (etag, 0, "")
    assert FeedRun.objects.count() == 2


@pytest.mark.django_db
def test_sync_feed_without_run_id_records_its_own_run(feed_server):
    feed = Feed.objects.create(
        kind=FeedKind.PARTNER,
        organisation=make_organisation(slug="unicef"),
        url=f"http://127.0.0.1:{feed_server.server_port}/vacancies.json",
    )

    sync_feed.fn(feed.pk)

    run = FeedRun.objects.get()
    assert (run.trigger, *counts(run)) == (
        "schedule",
        FeedRunStatus.SUCCEEDED,
        {"created": 2, "updated": 0, "unchanged": 0, "missing": 0, "closed": 0, "rejected": 0},
    )


@pytest.mark.django_db
def test_sync_feed_of_a_missing_feed_logs_and_returns(caplog):
    caplog.set_level(logging.WARNING, logger="workflows.tasks")

    result = sync_feed.fn(987654, 123456)

    assert result is None
    assert [(r.name, r.levelname, r.getMessage(), r.feed_id) for r in caplog.records] == [
        ("workflows.tasks", "WARNING", "feed gone before its sync", 987654)
    ]
    assert FeedRun.objects.count() == 0
    assert Vacancy.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_sync_feed_end_to_end_through_the_broker_and_a_worker(feed_server):
    """Enqueued after commit by the API's service, consumed by a real dramatiq worker."""
    from workflows.feeds.services import feed_sync_request

    feed = Feed.objects.create(
        kind=FeedKind.PARTNER,
        organisation=make_organisation(slug="unicef"),
        url=f"http://127.0.0.1:{feed_server.server_port}/vacancies.json",
    )
    run = feed_sync_request(feed=feed)
    worker = Worker(broker, worker_timeout=100, worker_threads=1)
    worker.start()
    try:
        broker.join("feeds", fail_fast=True, timeout=30_000)
        worker.join()
    finally:
        worker.stop()

    assert counts(run) == (
        FeedRunStatus.SUCCEEDED,
        {"created": 2, "updated": 0, "unchanged": 0, "missing": 0, "closed": 0, "rejected": 0},
    )
    assert sorted(Vacancy.objects.values_list("title", flat=True)) == [
        "Programme Officer A",
        "Programme Officer B",
    ]


# --- schedule_feed_syncs ------------------------------------------------------------------------


@pytest.fixture
def schedule(db):
    """Feeds in every scheduling situation; `ran` feeds get one finished run at the given age."""
    unicef = make_organisation(slug="unicef")

    def feed(name, *, interval=60, enabled=True, url="http://93.184.216.34/jobs.rss", ran=None):
        created = Feed.objects.create(
            kind=FeedKind.RSS,
            organisation=unicef,
            name=name,
            url=url,
            interval_minutes=interval,
            enabled=enabled,
        )
        if ran is not None:
            run = FeedRun.objects.create(
                feed=created, status=FeedRunStatus.SUCCEEDED, finished_at=timezone.now()
            )
            FeedRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - ran)
        return created

    return {
        "never_run": feed("never run"),
        "old_run": feed("old run", ran=timedelta(minutes=61)),
        "recent_run": feed("recent run", ran=timedelta(minutes=10)),
        "short_interval": feed("short interval", interval=5, ran=timedelta(minutes=10)),
        "disabled": feed("disabled", enabled=False),
        "disabled_old_run": feed("disabled, old run", enabled=False, ran=timedelta(days=2)),
        "local_document": feed("local document", url=""),
    }


def test_schedule_feed_syncs_enqueues_exactly_the_enabled_feeds_due(schedule):
    runs_before = set(FeedRun.objects.values_list("pk", flat=True))

    schedule_feed_syncs.fn()

    new_runs = FeedRun.objects.exclude(pk__in=runs_before)
    due = [schedule[name].pk for name in ("never_run", "old_run", "short_interval")]
    assert sorted(new_runs.values_list("feed_id", "trigger", "status")) == [
        (feed_id, "schedule", FeedRunStatus.RUNNING) for feed_id in sorted(due)
    ]
    assert sorted(queued()) == sorted(
        ("workflows.sync_feed", [run.feed_id, run.pk]) for run in new_runs
    )


def test_schedule_feed_syncs_twice_in_a_row_enqueues_nothing_the_second_time(schedule):
    schedule_feed_syncs.fn()
    runs_after_first = sorted(FeedRun.objects.values_list("pk", flat=True))
    broker.flush_all()

    schedule_feed_syncs.fn()

    assert queued() == []
    assert sorted(FeedRun.objects.values_list("pk", flat=True)) == runs_after_first


def test_schedule_feed_syncs_with_no_feeds_enqueues_nothing(db):
    schedule_feed_syncs.fn()

    assert queued() == []
    assert FeedRun.objects.count() == 0


@pytest.mark.django_db
def test_close_expired_vacancies_closes_published_vacancies_past_their_deadline(recruiter):
    organisation = make_organisation()
    subscription = make_webhook_subscription(owner=recruiter, event_types=("vacancy.closed",))
    expired = make_vacancy(organisation=organisation, closes_in=timedelta(minutes=-1))
    others = [
        make_vacancy(organisation=organisation, closes_in=timedelta(minutes=1)),  # still open
        make_vacancy(organisation=organisation, closes_in=None),  # no deadline: stays open
        make_vacancy(organisation=organisation, status="draft", closes_in=timedelta(days=-1)),
        make_vacancy(organisation=organisation, status="closed", closes_in=timedelta(days=-1)),
    ]

    close_expired_vacancies.fn()
    close_expired_vacancies.fn()  # the second run finds nothing

    assert list(Vacancy.objects.order_by("id").values_list("pk", "status")) == [
        (expired.pk, "closed"),
        *((v.pk, v.status) for v in others),
    ]
    assert sorted(
        VacancyStatusChange.objects.values_list(
            "vacancy_id", "from_status", "to_status", "actor_id", "reason_code"
        )
    ) == [(expired.pk, "published", "closed", None, "deadline_passed")]
    assert list(
        OutboxMessage.objects.values_list("subscription_id", "event_type", "payload__vacancy_id")
    ) == [(subscription.pk, "vacancy.closed", expired.pk)]
