"""The adapter contract: FeedEntry checks, its content hash, the result builder, the registry."""

from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from recruitment.enums import DeadlineStatus, FeedKind
from workflows.feeds import jsonld, partner, reliefweb, rss, uncareers
from workflows.feeds.base import (
    PARSERS,
    FeedEntry,
    ParseResult,
    ParseResultBuilder,
    RejectedItem,
    RejectReason,
)

ENTRY = FeedEntry(
    external_id="590983",
    url="https://careers.pageuppeople.com/671/cw/en-us/job/590983",
    title="Child Protection Officer, (P-2), Accra, Ghana",
    organisation_name="UNICEF",
    organisation_slug="unicef",
    organisation_job_number="590983",
    grade="P-2",
    grade_raw="P-2",
    duty_stations=(("Accra", "GH"),),
    opens_at=datetime(2026, 3, 5, 12, tzinfo=UTC),
    opens_at_raw="Posted 2 Days Ago",
    opens_at_status=DeadlineStatus.RELATIVE,
    closes_at=datetime(2026, 3, 20, 23, 59, 59, tzinfo=UTC),
    closes_at_raw="Mar 20 2026 Greenwich Standard Time",
    closes_at_zone="Atlantic/Reykjavik",
    closes_at_status=DeadlineStatus.PARSED,
    raw={"guid": "2528151702488335"},
)


def test_content_hash_is_stable_sha256_of_the_normalised_fields():
    # Pinned: stored hashes must not move unless base._HASH_VERSION is bumped with the change.
    assert ENTRY.content_hash() == (
        "755a170f9c1c785e0785edb5118c3b6ea31cdf1e8fd446f686658943c4dd2c17"
    )


def test_content_hash_ignores_raw_payload_and_relative_dates():
    refetched = replace(
        ENTRY,
        raw={"guid": "2528151702488335", "score": 0.7},
        opens_at=datetime(2026, 3, 6, 12, tzinfo=UTC),
        opens_at_raw="Posted 3 Days Ago",
    )

    assert refetched.content_hash() == ENTRY.content_hash()


def test_content_hash_compares_instants_not_zones():
    same_moment = replace(
        ENTRY, closes_at=datetime(2026, 3, 20, 23, 59, 59, tzinfo=ZoneInfo("Atlantic/Reykjavik"))
    )

    assert same_moment.content_hash() == ENTRY.content_hash()


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Child Protection Officer, (P-3), Accra, Ghana"},
        {"closes_at": datetime(2026, 3, 29, 23, 59, 59, tzinfo=UTC)},
        {"duty_stations": (("Tamale", "GH"),)},
        {"description": "<p>New text</p>"},
    ],
)
def test_content_hash_changes_with_content(change):
    assert replace(ENTRY, **change).content_hash() != ENTRY.content_hash()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"external_id": ""}, "external_id is empty"),
        ({"grade": "P4"}, "grade 'P4' is not a Grade value"),
        ({"contract_type": "permanent"}, "contract_type 'permanent' is not a ContractType value"),
        ({"number_of_posts": 0}, "number_of_posts must be at least 1"),
        ({"closes_at": datetime(2026, 3, 20, 23, 59)}, "closes_at must be timezone-aware"),
        ({"closes_at_status": "soon"}, "closes_at_status 'soon' is not a DeadlineStatus"),
    ],
)
def test_feed_entry_refuses_values_outside_the_enums(change, message):
    with pytest.raises(ValueError, match=message):
        replace(ENTRY, **change)


def test_parse_result_builder_rejects_a_repeated_external_id():
    builder = ParseResultBuilder()
    builder.add(ENTRY)
    builder.add(replace(ENTRY, title="Re-posted"))
    builder.reject("item[2]", "missing_title", "the item has no title", field="title")

    assert builder.build(total=3) == ParseResult(
        entries=(ENTRY,),
        rejected=(
            RejectedItem(
                "590983",
                (
                    RejectReason(
                        "duplicate_external_id",
                        "an earlier item of this document has the same id; the first one is kept",
                    ),
                ),
            ),
            RejectedItem(
                "item[2]", (RejectReason("missing_title", "the item has no title", "title"),)
            ),
        ),
        total=3,
    )


def test_parsers_registry_has_one_adapter_per_feed_kind():
    registry = dict(PARSERS)

    assert registry == {
        FeedKind.RELIEFWEB: reliefweb.parse,
        FeedKind.UNCAREERS: uncareers.parse,
        FeedKind.RSS: rss.parse,
        FeedKind.JSONLD: jsonld.parse,
        FeedKind.PARTNER: partner.parse,
    }
