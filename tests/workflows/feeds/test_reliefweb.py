"""ReliefWeb adapter: API v2 list pages, paging, Post API documents, real samples."""

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from recruitment.enums import DeadlineStatus
from workflows.feeds.base import FeedParseError, RejectedItem, RejectReason
from workflows.feeds.reliefweb import next_page_url, parse

from .documents import FETCHED_AT, fixture_bytes, shared_bytes


def test_parse_reads_a_jobs_list_page():
    result = parse(fixture_bytes("reliefweb", "jobs_page_1.json"), fetched_at=FETCHED_AT)

    assert [
        (
            e.external_id,
            e.url,
            e.organisation_name,
            e.organisation_slug,
            e.grade,
            e.contract_type,
            e.category,
            e.duty_stations,
            e.closes_at,
            e.closes_at_status,
        )
        for e in result.entries
    ] == [
        (
            "5100001",
            "https://reliefweb.int/job/5100001/nutrition-specialist-p-3-juba",
            "United Nations Children's Fund",
            "unicef",
            "P-3",
            None,
            "Program/Project Management",
            (("Juba", "SS"),),
            datetime(2026, 3, 30, tzinfo=UTC),
            DeadlineStatus.PARSED,
        ),
        (
            "5100002",
            "https://reliefweb.int/node/5100002",
            "Norwegian Refugee Council",
            "nrc",
            "CONSULTANT",
            "consultancy",
            "Monitoring and Evaluation",
            # Two countries: the city is not pinned to either of them.
            (("Amman", ""), ("", "LB"), ("", "JO")),
            datetime(2026, 4, 15, 23, 59, tzinfo=timezone(timedelta(hours=2))),
            DeadlineStatus.PARSED,
        ),
        (
            "5100003",
            "https://reliefweb.int/job/5100003/roster-protection-experts",
            "Some Local NGO",
            None,
            None,
            None,
            "",
            (),
            None,
            DeadlineStatus.MISSING,
        ),
    ]
    assert result.rejected == (
        RejectedItem(
            "5100004", (RejectReason("missing_fields", "the item has no `fields` object"),)
        ),
    )
    assert (result.total, result.next_url) == (
        9,
        "https://api.reliefweb.int/v2/jobs?appname=tracker-tests&offset=4&limit=4",
    )


def test_parse_sanitises_body_html_and_falls_back_to_markdown_text():
    entries = parse(fixture_bytes("reliefweb", "jobs_page_1.json"), fetched_at=FETCHED_AT).entries

    assert [e.description for e in entries] == [
        "<p>Lead the <strong>nutrition</strong> response.</p><p>Apply online.</p>",
        "<p>Evaluate the cash programme.</p><p>Two countries.</p>",
        "",
    ]


def test_next_page_url_reads_links_next():
    assert next_page_url(fixture_bytes("reliefweb", "jobs_page_1.json")) == (
        "https://api.reliefweb.int/v2/jobs?appname=tracker-tests&offset=4&limit=4"
    )


def test_next_page_url_is_none_on_the_last_page():
    assert (
        next_page_url(json.dumps({"data": [], "links": {"self": {"href": "x"}}}).encode()) is None
    )


def test_parse_reads_a_post_api_document():
    result = parse(fixture_bytes("reliefweb", "post_api_job.json"), fetched_at=FETCHED_AT)

    assert [
        (e.external_id, e.url, e.title, e.grade, e.closes_at, e.description) for e in result.entries
    ] == [
        (
            "3f1c8a52-7d55-5a0e-9c4b-2b1f0e6d9a11",
            "https://partner.example.org/jobs/wash-officer-2026",
            "WASH Officer (NO-B) for the flood response",
            "NO-B",
            datetime(2026, 5, 31, 12, tzinfo=UTC),
            "<p>Support the <em>WASH</em> cluster.</p>",
        )
    ]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"not json", "invalid_json"),
        (b'{"items": []}', "unexpected_shape"),
        (b"[1, 2]", "unexpected_shape"),
    ],
)
def test_parse_fails_the_document_when_it_is_not_a_jobs_response(content, code):
    with pytest.raises(FeedParseError) as error:
        parse(content, fetched_at=FETCHED_AT)

    assert error.value.code == code


# Real and constructed documents from ../shared/feeds -------------------------------------------


def test_parse_constructed_v2_list_response():
    result = parse(
        shared_bytes("constructed/reliefweb_v2_jobs_list_response.CONSTRUCTED.json"),
        fetched_at=FETCHED_AT,
    )

    assert [
        (e.external_id, e.organisation_name, e.organisation_slug, e.duty_stations, e.closes_at)
        for e in result.entries
    ] == [
        ("4221508", "Qatar Charity", None, (("Nairobi", "KE"),), datetime(2026, 8, 3, tzinfo=UTC)),
        ("2", "International Rescue Committee", None, (("Kabul", "AF"),),
         datetime(2025, 1, 2, tzinfo=UTC)),
        ("3", "Norwegian Refugee Council", "nrc", (), None),
    ]  # fmt: skip
    assert (result.total, result.next_url, result.rejected) == (
        57,
        "https://api.reliefweb.int/v2/jobs?appname=EXAMPLE-APPNAME&offset=3&limit=3",
        (),
    )


@pytest.mark.parametrize(
    ("name", "external_id", "title"),
    [
        (
            "real/reliefweb_post_api_job_testdata.json",
            "9ecb3e0d-41e1-54e7-a24d-e3975111e5a2",
            "This a test document - job",
        ),
        (
            "real/reliefweb_post_api_job_testdata_unicode.json",
            "22ce51c2-d7ed-59b2-b71a-23fb56685df9",
            "This a テスト document - report",
        ),
    ],
)
def test_parse_real_post_api_test_data(name, external_id, title):
    result = parse(shared_bytes(name), fetched_at=FETCHED_AT)

    assert [(e.external_id, e.title, e.closes_at, e.closes_at_status) for e in result.entries] == [
        (external_id, title, datetime(2029, 6, 6, 1, tzinfo=UTC), DeadlineStatus.PARSED)
    ]
    assert "<script" not in result.entries[0].description
