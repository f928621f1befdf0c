"""Syncing feeds: idempotent upserts, one canonical vacancy per post, missing and closing rules,
and failures that change nothing. Documents are built here in the partner posting schema."""

import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from recruitment.enums import FeedKind, FeedRunStatus, VacancyStatus
from recruitment.models import Feed, Organisation, Vacancy, VacancySource
from tests.factories import make_organisation
from workflows.feeds.sync import vacancy_feed_sync_run
from workflows.models import FeedRun, VacancyStatusChange

FUTURE = (timezone.now() + timedelta(days=30)).replace(microsecond=0)


def item(external_id, **overrides):
    return {
        "external_id": external_id,
        "title": f"Programme Officer {external_id}",
        "closes_at": FUTURE.isoformat(),
        "grade": "P3",
        "duty_stations": [{"city": "Nairobi", "country": "KE"}],
        **overrides,
    }


def document(*items) -> bytes:
    return json.dumps({"vacancies": list(items)}).encode()


@pytest.fixture
def unicef(db):
    return make_organisation(slug="unicef")


@pytest.fixture
def feed(unicef):
    return Feed.objects.create(kind=FeedKind.PARTNER, organisation=unicef, url="")


def sync(feed, content):
    return vacancy_feed_sync_run(feed_id=feed.pk, content=content, trigger="command")


def rows():
    """Everything a sync writes, for equality across runs."""
    return {
        "vacancies": sorted(
            Vacancy.objects.values_list(
                "pk", "title", "status", "grade", "closes_at", "fingerprint", "updated_at"
            )
        ),
        "sources": sorted(
            VacancySource.objects.values_list(
                "vacancy_id", "external_id", "content_hash", "missing_count"
            )
        ),
        "stations": sorted(
            Vacancy.duty_stations.through.objects.values_list("vacancy_id", "dutystation_id")
        ),
        "changes": VacancyStatusChange.objects.count(),
    }


def test_sync_creates_published_vacancies_with_sources(feed, unicef):
    run = sync(feed, document(item("A"), item("B", grade="NOB")))

    assert (run.status, run.counts()) == (
        FeedRunStatus.SUCCEEDED,
        {"created": 2, "updated": 0, "unchanged": 0, "missing": 0, "closed": 0, "rejected": 0},
    )
    assert sorted(
        Vacancy.objects.values_list("title", "grade", "status", "organisation__slug")
    ) == [
        ("Programme Officer A", "P-3", "published", "unicef"),
        ("Programme Officer B", "NO-B", "published", "unicef"),
    ]
    assert sorted(VacancySource.objects.values_list("external_id", "feed_id")) == [
        ("A", feed.pk),
        ("B", feed.pk),
    ]
    assert sorted(VacancyStatusChange.objects.values_list("from_status", "to_status")) == [
        ("", "published"),
        ("", "published"),
    ]


def test_sync_same_document_twice_leaves_identical_rows(feed):
    content = document(item("A"), item("B"), item("C"))
    sync(feed, content)
    before = rows()

    run = sync(feed, content)

    assert rows() == before
    assert run.counts() == {
        "created": 0, "updated": 0, "unchanged": 3, "missing": 0, "closed": 0, "rejected": 0,
    }  # fmt: skip


def test_sync_changed_item_updates_its_vacancy(feed):
    sync(feed, document(item("A"), item("B")))

    run = sync(feed, document(item("A", title="Senior Programme Officer"), item("B")))

    assert run.counts()["updated"] == 1
    assert sorted(Vacancy.objects.values_list("title", flat=True)) == [
        "Programme Officer B",
        "Senior Programme Officer",
    ]


def test_sync_missing_item_is_counted_then_closed_after_n_misses(feed, settings):
    settings.FEED_MISSING_CLOSE_AFTER = 2
    sync(feed, document(item("A"), item("B")))

    first = sync(feed, document(item("A")))
    status_after_first = Vacancy.objects.get(sources__external_id="B").status
    second = sync(feed, document(item("A")))

    assert (first.missing, first.closed, status_after_first) == (1, 0, "published")
    assert (second.missing, second.closed) == (1, 1)
    vacancy = Vacancy.objects.get(sources__external_id="B")
    assert vacancy.status == VacancyStatus.CLOSED
    assert list(
        vacancy.status_changes.values_list("from_status", "to_status", "reason_code", "actor")
    ) == [("", "published", "feed", None), ("published", "closed", "feed_missing", None)]


def test_sync_missing_item_past_its_deadline_closes_at_once(feed):
    sync(feed, document(item("A"), item("B")))
    Vacancy.objects.filter(sources__external_id="B").update(
        closes_at=timezone.now() - timedelta(hours=1)
    )

    run = sync(feed, document(item("A")))

    assert (run.missing, run.closed) == (1, 1)
    assert Vacancy.objects.get(sources__external_id="B").status == VacancyStatus.CLOSED


def test_sync_item_back_before_its_deadline_reopens_its_vacancy(feed, settings):
    settings.FEED_MISSING_CLOSE_AFTER = 1
    sync(feed, document(item("A"), item("B")))
    sync(feed, document(item("A")))

    sync(feed, document(item("A"), item("B")))

    vacancy = Vacancy.objects.get(sources__external_id="B")
    assert list(vacancy.status_changes.values_list("to_status", "reason_code")) == [
        ("published", "feed"),
        ("closed", "feed_missing"),
        ("published", "feed_returned"),
    ]


def test_sync_vacancy_closed_by_a_person_stays_closed_when_back(feed, settings, unicef):
    from workflows.services import vacancy_transition

    settings.FEED_MISSING_CLOSE_AFTER = 1
    sync(feed, document(item("A")))
    vacancy = Vacancy.objects.get()
    vacancy_transition(vacancy_id=vacancy.pk, to_status="closed", actor=None, reason="filled")

    sync(feed, document(item("A")))

    assert Vacancy.objects.get().status == VacancyStatus.CLOSED


def test_sync_unreadable_document_fails_and_changes_nothing(feed):
    sync(feed, document(item("A")))
    before = rows()

    run = sync(feed, b"<html>502 Bad Gateway</html>")

    assert (run.status, run.error_code) == (FeedRunStatus.FAILED, "invalid_json")
    assert rows() == before
    feed.refresh_from_db()
    assert feed.consecutive_failures == 1


def test_sync_bad_item_is_rejected_with_reasons_and_the_rest_applied(feed):
    run = sync(feed, document(item("A"), item("B", grade="P9", closes_at="soon")))

    assert (run.created, run.rejected) == (1, 1)
    assert run.rejected_items[0]["id"] == "B"
    assert sorted(reason["field"] for reason in run.rejected_items[0]["reasons"]) == [
        "closes_at",
        "grade",
    ]


def test_sync_same_job_number_in_two_feeds_is_one_vacancy(feed, unicef):
    other = Feed.objects.create(kind=FeedKind.PARTNER, organisation=unicef, url="", name="second")

    sync(feed, document(item("A", organisation_job_number="590983")))
    run = sync(
        other, document(item("X-1", title="JPO Education", organisation_job_number="590983"))
    )

    assert (run.created, run.updated) == (0, 1)
    vacancy = Vacancy.objects.get()
    assert sorted(vacancy.sources.values_list("feed_id", "external_id")) == [
        (feed.pk, "A"),
        (other.pk, "X-1"),
    ]


def test_sync_reposted_item_without_job_number_matches_by_fingerprint(feed, unicef):
    other = Feed.objects.create(kind=FeedKind.PARTNER, organisation=unicef, url="", name="second")
    sync(feed, document(item("A", title="Programme  Officer (Health)")))

    sync(other, document(item("B-77", title="programme officer – health")))  # noqa: RUF001 (a real en dash)

    assert Vacancy.objects.count() == 1
    assert VacancySource.objects.count() == 2


def test_sync_same_title_at_another_duty_station_is_another_vacancy(feed):
    sync(feed, document(item("A", title="Driver")))

    sync(feed, document(item("A", title="Driver"), item("B", title="Driver",
                          duty_stations=[{"city": "Juba", "country": "SS"}])))  # fmt: skip

    assert Vacancy.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_sync_two_concurrent_runs_one_is_skipped(feed):
    """The advisory lock: a second sync while the first holds the lock records a skipped run."""
    from django.db import connection

    from workflows.feeds.sync import _feed_lock

    with _feed_lock(feed.pk) as acquired:
        results = []

        def other():
            results.append(vacancy_feed_sync_run(feed_id=feed.pk, content=document(item("A"))))
            connection.close()

        thread = threading.Thread(target=other)
        thread.start()
        thread.join()

    assert acquired is True
    assert results == [None]
    assert list(FeedRun.objects.values_list("status", flat=True)) == [FeedRunStatus.SKIPPED]


class _Failing(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        self.send_response(403)
        self.send_header("Content-Length", "5")
        self.end_headers()
        self.wfile.write(b"\x1f\x8b\x08\x00x")


def test_sync_failed_fetch_closes_nothing(unicef, settings):
    settings.NETWORK_ALLOW_LOOPBACK = True
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Failing)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    feed = Feed.objects.create(
        kind=FeedKind.PARTNER, organisation=unicef, url=f"http://127.0.0.1:{httpd.server_port}/"
    )
    sync(feed, document(item("A"), item("B")))
    Vacancy.objects.update(closes_at=datetime(2020, 1, 1, tzinfo=UTC))
    before = rows()

    run = vacancy_feed_sync_run(feed_id=feed.pk)
    httpd.shutdown()
    httpd.server_close()

    assert (run.status, run.error_code) == (FeedRunStatus.FAILED, "http_403")
    assert rows() == before
    assert Organisation.objects.count() == 1


def test_sync_logs_its_counts_as_structured_fields(feed, caplog):
    caplog.set_level("INFO", logger="workflows.feeds.sync")

    run = sync(feed, document(item("A")))

    assert [(r.getMessage(), r.feed_id, r.run_id, r.counts) for r in caplog.records] == [
        ("feed synced", feed.pk, run.pk, run.counts())
    ]
