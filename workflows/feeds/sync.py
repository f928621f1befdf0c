"""Syncing a feed: fetch (outside any transaction) → parse (pure) → upsert → close missing.

One canonical vacancy per post: a new source joins an existing vacancy of the same organisation
with the same job number, or, without one, with the same fingerprint (normalised title,
organisation, first duty station and deadline day). A failed fetch or an unreadable document
changes nothing; a vacancy missing from a complete, successful fetch is closed only after its
deadline or after FEED_MISSING_CLOSE_AFTER misses in a row, and only when no other source still
shows it.
"""

import hashlib
import json
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.text import slugify

from recruitment.bulk import copy_rows, reserve_ids
from recruitment.enums import (
    FeedKind,
    FeedRunStatus,
    FundingStatus,
    OrganisationKind,
    VacancyStatus,
)
from recruitment.models import DutyStation, Feed, Organisation, Vacancy, VacancySource
from workflows.feeds import reliefweb
from workflows.feeds.base import PARSERS, FeedEntry, FeedParseError, RejectedItem
from workflows.feeds.fetch import FetchError, fetch_document
from workflows.feeds.normalise import match_key
from workflows.models import FeedRun, VacancyStatusChange
from workflows.outbox import alerts_after_commit, outbox_webhooks_create
from workflows.services import vacancy_transition

logger = logging.getLogger(__name__)

# (city folded to lower case, country code) -> DutyStation id
Stations = dict[tuple[str, str], int]

MAX_PAGES = 50
# Adapters whose documents link to a next page.
NEXT_PAGE = {FeedKind.RELIEFWEB: reliefweb.next_page_url}
SUCCESSFUL = (FeedRunStatus.SUCCEEDED, FeedRunStatus.NOT_MODIFIED)
MAX_REJECTED_ITEMS_KEPT = 500
# Advisory-lock namespace of feed syncs (the second key is the feed id).
LOCK_NAMESPACE = 7301


@dataclass
class _Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    missing: int = 0
    closed: int = 0
    rejected: list[dict[str, object]] = field(default_factory=list)


@contextmanager
def _feed_lock(feed_id: int) -> Iterator[bool]:
    """A session-level advisory lock, held across the fetch (which runs outside transactions)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, feed_id])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, feed_id])


def fingerprint(entry: FeedEntry, organisation_id: int) -> str:
    """The conservative identity of a post without a job number; '' when a part is missing."""
    if entry.closes_at is None or not entry.duty_stations or not entry.title:
        return ""
    city, country = entry.duty_stations[0]
    parts = [
        str(organisation_id),
        match_key(entry.title),
        match_key(city),
        country,
        entry.closes_at.date().isoformat(),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _rejected_dicts(items: Sequence[RejectedItem]) -> list[dict[str, object]]:
    return [
        {
            "id": item.identifier,
            "reasons": [
                {"code": reason.code, "message": reason.message, "field": reason.field}
                for reason in item.reasons
            ],
        }
        for item in items
    ]


def _fetch_pages(feed: Feed) -> list[bytes] | None:
    """Every page of the feed's document, or None when the server says it is not modified.

    Raises FetchError: the run then fails and changes nothing.
    """
    next_page = NEXT_PAGE.get(feed.kind)
    pages: list[bytes] = []
    url: str | None = feed.url
    while url is not None:
        if len(pages) == MAX_PAGES:
            raise FetchError("too_many_pages", f"more than {MAX_PAGES} pages")
        first = not pages
        result = fetch_document(
            url,
            etag=feed.etag if first else "",
            last_modified=feed.last_modified if first else "",
        )
        if result.not_modified:
            return None
        if first:
            feed.etag, feed.last_modified = result.etag, result.last_modified
        pages.append(result.content)
        url = next_page(result.content) if next_page else None
    return pages


def _parse(feed: Feed, pages: list[bytes], fetched_at: datetime) -> tuple[list, list]:
    """All entries and rejected items of the pages. Raises FeedParseError."""
    entries: list[FeedEntry] = []
    rejected: list[RejectedItem] = []
    for page in pages:
        parsed = PARSERS[feed.kind](page, fetched_at=fetched_at)
        entries.extend(parsed.entries)
        rejected.extend(parsed.rejected)
    return entries, rejected


def _document_hash(pages: list[bytes]) -> str:
    digest = hashlib.sha256()
    for page in pages:
        digest.update(hashlib.sha256(page).digest())
    return digest.hexdigest()


def vacancy_feed_sync_run(
    *,
    feed_id: int,
    content: bytes | None = None,
    run_id: int | None = None,
    trigger: str = "schedule",
) -> FeedRun | None:
    """Sync one feed: fetch its URL (or ingest `content`), parse, upsert, close what is gone.

    Records a FeedRun with the counts and each rejected item's reasons, and the feed's health.
    Returns None when another sync of the feed holds its lock (the caller may retry later).
    Safe to repeat: an unchanged document leaves every row as it was (content hashes). A
    document byte-for-byte like the last one (or a 304) is not parsed again at all.
    """
    with _feed_lock(feed_id) as acquired:
        if run_id is not None:
            run = FeedRun.objects.get(pk=run_id)
        else:
            run = FeedRun.objects.create(feed_id=feed_id, trigger=trigger)
        if not acquired:
            _finish(run, FeedRunStatus.SKIPPED, error="another sync of this feed is running")
            return None
        feed = Feed.objects.select_related("organisation").get(pk=feed_id)
        fetched_at = timezone.now()
        counts = _Counts()
        try:
            pages = [content] if content is not None else _fetch_pages(feed)
            document_hash = _document_hash(pages) if pages is not None else feed.document_hash
            if document_hash and document_hash == feed.document_hash:
                status = FeedRunStatus.NOT_MODIFIED
                with transaction.atomic():
                    _apply_same_document(feed, fetched_at, counts)
            else:
                status = FeedRunStatus.SUCCEEDED
                entries, rejected = _parse(feed, pages or [], fetched_at)
                counts.rejected = _rejected_dicts(rejected)
                with transaction.atomic():
                    _apply(feed, entries, fetched_at, counts)
        except (FetchError, FeedParseError) as error:
            _record_failure(feed, run, error)
            return run
        feed.document_hash = document_hash
        for name in ("created", "updated", "unchanged", "missing", "closed"):
            setattr(run, name, getattr(counts, name))
        run.rejected = len(counts.rejected)
        run.rejected_items = counts.rejected[:MAX_REJECTED_ITEMS_KEPT]
        _record_success(feed, run, status)
        # Counts nested: "created" is a LogRecord attribute and may not be passed as an extra.
        logger.info(
            "feed synced", extra={"feed_id": feed.pk, "run_id": run.pk, "counts": run.counts()}
        )
        return run


def _apply_same_document(feed: Feed, now: datetime, counts: _Counts) -> None:
    """What `_apply` would do with the very document of the last successful run: every source
    it showed is seen again, those it lacked miss once more, its rejections stand."""
    counts.unchanged = VacancySource.objects.filter(feed=feed, missing_count=0).update(
        last_seen_at=now
    )
    last = (
        FeedRun.objects.filter(feed=feed, status__in=SUCCESSFUL)
        .exclude(finished_at=None)
        .order_by("-id")
        .values("rejected_items")
        .first()
    )
    counts.rejected = last["rejected_items"] if last else []
    _mark_missing(feed, _load_sources(feed, missing_count__gt=0), now, counts)


def _finish(run: FeedRun, status: str, *, error_code: str = "", error: str = "") -> None:
    run.status, run.error_code, run.error = status, error_code, error
    run.finished_at = timezone.now()
    run.save()


def _record_success(feed: Feed, run: FeedRun, status: str) -> None:
    feed.last_success_at = timezone.now()
    feed.last_error, feed.consecutive_failures = "", 0
    feed.save(
        update_fields=[
            "etag", "last_modified", "document_hash", "last_success_at", "last_error",
            "consecutive_failures", "updated_at",
        ]
    )  # fmt: skip
    _finish(run, status)


def _record_failure(feed: Feed, run: FeedRun, error: FetchError | FeedParseError) -> None:
    """The run failed and the feed's health shows it; subscribers hear of it. Nothing else
    changed: no vacancy is closed by a failed fetch."""
    message = getattr(error, "message", "") or str(error)
    with transaction.atomic():
        Feed.objects.filter(pk=feed.pk).update(
            last_error=message[:2000],
            consecutive_failures=F("consecutive_failures") + 1,
            updated_at=timezone.now(),
        )
        _finish(run, FeedRunStatus.FAILED, error_code=error.code, error=message[:2000])
        outbox_webhooks_create(
            event_type="feed.run_failed",
            payload={"feed_id": feed.pk, "run_id": run.pk, "error_code": error.code},
            organisation_id=feed.organisation_id,
        )
    logger.warning(
        "feed sync failed", extra={"feed_id": feed.pk, "run_id": run.pk, "code": error.code}
    )


class _Source(NamedTuple):
    """What a sync needs of a stored source (plain tuples: 10,000 model instances cost)."""

    pk: int
    external_id: str
    content_hash: str
    vacancy_id: int
    missing_count: int


def _load_sources(feed: Feed, **filters: object) -> list[_Source]:
    return [
        _Source(*row)
        for row in VacancySource.objects.filter(feed=feed, **filters).values_list(
            "pk", "external_id", "content_hash", "vacancy_id", "missing_count"
        )
    ]


class _Organisations:
    """Resolves each entry's organisation: the feed's own, or for aggregated feeds the one the
    item names (alias table; an unknown name creates an organisation flagged for review)."""

    def __init__(self, feed: Feed) -> None:
        self.feed = feed
        self.by_slug = {org.slug: org for org in Organisation.objects.all()}

    def for_entry(self, entry: FeedEntry) -> Organisation | None:
        if self.feed.organisation is not None:
            return self.feed.organisation
        slug = entry.organisation_slug or slugify(entry.organisation_name)[:80]
        if not slug:
            return None
        if slug not in self.by_slug:
            self.by_slug[slug] = Organisation.objects.create(
                slug=slug,
                name=(entry.organisation_name or slug)[:200],
                kind=OrganisationKind.INTERNATIONAL,
                needs_review=True,
            )
        return self.by_slug[slug]


def _duty_station_ids(entries: Sequence[FeedEntry]) -> Stations:
    """Ids of the entries' duty stations (city, country), creating the missing ones."""
    wanted = {
        (city.strip(), country)
        for entry in entries
        for city, country in entry.duty_stations
        if city.strip() and country
    }
    if not wanted:
        return {}

    def known() -> dict[tuple[str, str], int]:
        query = Q()
        for city, country in wanted:
            query |= Q(city__iexact=city, country=country)
        return {
            (city.casefold(), str(country)): pk
            for pk, city, country in DutyStation.objects.filter(query).values_list(
                "pk", "city", "country"
            )
        }

    ids = known()
    missing = [(c, k) for c, k in wanted if (c.casefold(), k) not in ids]
    if missing:
        DutyStation.objects.bulk_create(
            [DutyStation(city=city, country=country) for city, country in missing],
            ignore_conflicts=True,
        )
        ids = known()
    return ids


def _vacancy_fields(entry: FeedEntry, organisation: Organisation) -> dict[str, object]:
    return {
        "organisation": organisation,
        "title": entry.title[:300],
        "reference": entry.organisation_job_number[:100],
        "grade": entry.grade,
        "grade_raw": entry.grade_raw[:100],
        "category": entry.category[:120],
        "contract_type": entry.contract_type,
        "number_of_posts": min(entry.number_of_posts, 32767),
        "opens_at": entry.opens_at,
        "closes_at": entry.closes_at,
        "closes_at_raw": entry.closes_at_raw[:200],
        "closes_at_zone": entry.closes_at_zone[:64],
        "closes_at_status": entry.closes_at_status,
        "description": entry.description,  # sanitised by the adapter (FeedEntry's contract)
        "fingerprint": fingerprint(entry, organisation.pk),
    }


UPDATABLE = [
    "organisation", "title", "reference", "grade", "grade_raw", "category", "contract_type",
    "number_of_posts", "opens_at", "closes_at", "closes_at_raw", "closes_at_zone",
    "closes_at_status", "description", "fingerprint", "updated_at",
]  # fmt: skip
# Columns written by COPY for a new vacancy (nullable ones left out are NULL).
VACANCY_COLUMNS = (
    "id", "organisation_id", "title", "reference", "grade", "grade_raw", "category",
    "contract_type", "number_of_posts", "opens_at", "closes_at", "closes_at_raw",
    "closes_at_zone", "closes_at_status", "description", "fingerprint", "status",
    "status_changed_at", "funding_status", "created_at", "updated_at", "blind_review",
)  # fmt: skip
SOURCE_COLUMNS = (
    "vacancy_id", "feed_id", "external_id", "url", "raw_payload", "content_hash",
    "first_seen_at", "last_seen_at", "missing_count", "created_at", "updated_at",
)  # fmt: skip
CHANGE_COLUMNS = (
    "vacancy_id", "from_status", "to_status", "reason", "reason_code", "forced", "created_at",
    "updated_at",
)  # fmt: skip

Item = tuple[FeedEntry, Organisation]


def _apply(feed: Feed, entries: list[FeedEntry], now: datetime, counts: _Counts) -> None:
    """Upsert the entries of one complete, successful fetch and close what went missing."""
    sources = {source.external_id: source for source in _load_sources(feed)}
    organisations = _Organisations(feed)
    hashes = {entry.external_id: entry.content_hash() for entry in entries}

    unchanged_ids: list[int] = []
    changed: list[tuple[FeedEntry, _Source, Organisation]] = []
    new: list[Item] = []
    for entry in entries:
        source = sources.get(entry.external_id)
        if source is not None and source.content_hash == hashes[entry.external_id]:
            unchanged_ids.append(source.pk)
            continue
        organisation = organisations.for_entry(entry)
        if organisation is None:
            counts.rejected.append(_organisation_unknown(entry))
        elif source is None:
            new.append((entry, organisation))
        else:
            changed.append((entry, source, organisation))
    if unchanged_ids:
        VacancySource.objects.filter(pk__in=unchanged_ids).update(last_seen_at=now, missing_count=0)
    counts.unchanged = len(unchanged_ids)
    if changed or new:
        stations = _duty_station_ids([entry for entry, *_ in changed + new])
        merged, created = _canonical_targets(new)
        # The newest word on a post wins: a re-post updates the vacancy it joins.
        _update_vacancies(
            [(entry, source.vacancy_id, org) for entry, source, org in changed] + merged,
            stations,
            now,
        )
        created_pairs = _insert_vacancies(created, stations, now)
        _update_sources(changed, hashes, now)
        _insert_sources(feed, [(entry, v) for entry, v, _ in merged] + created_pairs, hashes, now)
        counts.updated += len(changed) + len(merged)
        counts.created += len(created)
        seen_again = {vacancy_id for _, vacancy_id, _ in merged}
    else:
        seen_again = set()
    seen = set(hashes)
    # Only a source that was missing before can belong to a vacancy closed for going missing.
    seen_again |= {
        source.vacancy_id
        for source in sources.values()
        if source.missing_count and source.external_id in seen
    }
    _reopen_returned(seen_again, now)
    _mark_missing(feed, [s for s in sources.values() if s.external_id not in seen], now, counts)


def _organisation_unknown(entry: FeedEntry) -> dict[str, object]:
    return {
        "id": entry.external_id,
        "reasons": [
            {
                "code": "organisation_unknown",
                "message": "an aggregated feed's item must name its organisation",
                "field": "organisation",
            }
        ],
    }


def _canonical_key(entry: FeedEntry, organisation: Organisation) -> tuple:
    if entry.organisation_job_number:
        return ("reference", organisation.pk, entry.organisation_job_number[:100])
    print_ = fingerprint(entry, organisation.pk)
    return ("print", print_) if print_ else ("source", entry.external_id)


def _canonical_targets(
    new: list[Item],
) -> tuple[list[tuple[FeedEntry, int, Organisation]], dict[tuple, list[Item]]]:
    """Split new entries into those joining an existing vacancy (with its id) and groups of
    entries that need a new vacancy (one vacancy per canonical key, several sources)."""
    keys = [_canonical_key(entry, organisation) for entry, organisation in new]
    references: dict[int, set[str]] = {}
    prints: set[str] = set()
    for key in keys:
        if key[0] == "reference":
            references.setdefault(key[1], set()).add(key[2])
        elif key[0] == "print":
            prints.add(key[1])
    existing: dict[tuple, int] = {}
    # One query per organisation with IN lists: an OR of thousands of pairs plans slowly.
    for organisation_id, numbers in references.items():
        rows = (
            Vacancy.objects.filter(organisation_id=organisation_id, reference__in=numbers)
            .order_by("id")
            .values_list("pk", "reference")
        )
        for pk, reference in rows:
            existing.setdefault(("reference", organisation_id, reference), pk)
    if prints:
        rows = (
            Vacancy.objects.filter(fingerprint__in=prints)
            .order_by("id")
            .values_list("pk", "fingerprint")
        )
        for pk, print_ in rows:
            existing.setdefault(("print", print_), pk)
    merged: list[tuple[FeedEntry, int, Organisation]] = []
    created: dict[tuple, list[Item]] = {}
    for key, (entry, organisation) in zip(keys, new, strict=True):
        if key in existing:
            merged.append((entry, existing[key], organisation))
        else:
            created.setdefault(key, []).append((entry, organisation))
    return merged, created


def _set_stations(vacancy_ids_entries: list[tuple[int, FeedEntry]], stations: Stations) -> None:
    through = Vacancy.duty_stations.through
    rows = sorted(
        {
            (vacancy_id, stations[(city.strip().casefold(), country)])
            for vacancy_id, entry in vacancy_ids_entries
            for city, country in entry.duty_stations
            if (city.strip().casefold(), country) in stations
        }
    )
    through.objects.filter(vacancy_id__in=[v for v, _ in vacancy_ids_entries]).delete()
    copy_rows(through, ("vacancy_id", "dutystation_id"), rows)


def _update_vacancies(
    items: list[tuple[FeedEntry, int, Organisation]], stations: Stations, now: datetime
) -> None:
    if not items:
        return
    vacancies = Vacancy.objects.in_bulk([vacancy_id for _, vacancy_id, _ in items])
    for entry, vacancy_id, organisation in items:
        vacancy = vacancies[vacancy_id]
        for name, value in _vacancy_fields(entry, organisation).items():
            setattr(vacancy, name, value)
        vacancy.updated_at = now
    Vacancy.objects.bulk_update(list(vacancies.values()), UPDATABLE, batch_size=1000)
    _set_stations([(vacancy_id, entry) for entry, vacancy_id, _ in items], stations)


def _insert_vacancies(
    created: dict[tuple, list[Item]], stations: Stations, now: datetime
) -> list[tuple[FeedEntry, int]]:
    """COPY one new vacancy per group (from its first entry) and its first status; returns
    each entry of the groups with its vacancy's id."""
    groups = list(created.values())
    ids = reserve_ids(Vacancy, len(groups))
    vacancy_rows, change_rows, station_items = [], [], []
    pairs: list[tuple[FeedEntry, int]] = []
    for vacancy_id, group in zip(ids, groups, strict=True):
        entry, organisation = group[0]
        fields = _vacancy_fields(entry, organisation)
        status = (
            VacancyStatus.PUBLISHED
            if entry.closes_at is None or entry.closes_at > now
            else VacancyStatus.CLOSED
        )
        vacancy_rows.append(
            (
                vacancy_id,
                organisation.pk,
                *(fields[name] for name in VACANCY_COLUMNS[2:16]),
                *(status, now, FundingStatus.UNCONFIRMED, now, now, False),
            )
        )
        # A vacancy's first status is part of its creation; its history starts here.
        change_rows.append((vacancy_id, "", status, "", "feed", False, now, now))
        station_items.append((vacancy_id, entry))
        pairs.extend((member, vacancy_id) for member, _ in group)
    copy_rows(Vacancy, VACANCY_COLUMNS, vacancy_rows)
    status_column = VACANCY_COLUMNS.index("status")
    alerts_after_commit(
        [row[0] for row in vacancy_rows if row[status_column] == VacancyStatus.PUBLISHED]
    )
    copy_rows(VacancyStatusChange, CHANGE_COLUMNS, change_rows)
    _set_stations(station_items, stations)
    return pairs


def _update_sources(
    changed: list[tuple[FeedEntry, _Source, Organisation]],
    hashes: dict[str, str],
    now: datetime,
) -> None:
    VacancySource.objects.bulk_update(
        [
            VacancySource(
                pk=source.pk,
                content_hash=hashes[entry.external_id],
                raw_payload=dict(entry.raw),
                url=entry.url[:1000],
                last_seen_at=now,
                missing_count=0,
                updated_at=now,
            )
            for entry, source, _ in changed
        ],
        ["content_hash", "raw_payload", "url", "last_seen_at", "missing_count", "updated_at"],
        batch_size=1000,
    )


def _insert_sources(
    feed: Feed, pairs: list[tuple[FeedEntry, int]], hashes: dict[str, str], now: datetime
) -> None:
    """COPY a source row for each (entry, vacancy id)."""
    copy_rows(
        VacancySource,
        SOURCE_COLUMNS,
        (
            (
                vacancy_id,
                feed.pk,
                entry.external_id[:300],
                entry.url[:1000],
                json.dumps(dict(entry.raw), ensure_ascii=False, default=str),
                hashes[entry.external_id],
                now,
                now,
                0,
                now,
                now,
            )
            for entry, vacancy_id in pairs
        ),
    )


def _reopen_returned(vacancy_ids: set[int], now: datetime) -> None:
    """Republish vacancies this sync closed for going missing, when they are back in the feed
    before their deadline. A vacancy closed by a person stays closed."""
    last_reason = (
        VacancyStatusChange.objects.filter(vacancy=OuterRef("pk"))
        .order_by("-id")
        .values("reason_code")[:1]
    )
    if not vacancy_ids:
        return
    returned = (
        Vacancy.objects.filter(status=VacancyStatus.CLOSED, closes_at__gt=now, pk__in=vacancy_ids)
        .annotate(last_reason=Subquery(last_reason))
        .filter(last_reason="feed_missing")
    )
    for vacancy_id in returned.values_list("pk", flat=True):
        vacancy_transition(
            vacancy_id=vacancy_id,
            to_status=VacancyStatus.PUBLISHED,
            actor=None,
            reason="back in its feed",
            reason_code="feed_returned",
        )


def _mark_missing(feed: Feed, gone: list[_Source], now: datetime, counts: _Counts) -> None:
    """Count a miss for each source absent from this complete fetch; close its vacancy once the
    deadline passed or it missed N times, unless another source still shows it."""
    if not gone:
        return
    VacancySource.objects.filter(pk__in=[source.pk for source in gone]).update(
        missing_count=F("missing_count") + 1
    )
    counts.missing = len(gone)
    threshold = settings.FEED_MISSING_CLOSE_AFTER
    candidates = (
        Vacancy.objects.filter(
            pk__in={source.vacancy_id for source in gone}, status=VacancyStatus.PUBLISHED
        )
        .exclude(sources__missing_count=0)
        .filter(
            Q(closes_at__lt=now)
            | Q(pk__in=VacancySource.objects.filter(
                feed=feed, missing_count__gte=threshold
            ).values("vacancy_id"))
        )
        .distinct()
    )  # fmt: skip
    for vacancy_id in candidates.values_list("pk", flat=True):
        vacancy_transition(
            vacancy_id=vacancy_id,
            to_status=VacancyStatus.CLOSED,
            actor=None,
            reason="missing from its feed",
            reason_code="feed_missing",
        )
        counts.closed += 1
