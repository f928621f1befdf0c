"""JSON-LD adapter: JobPosting in HTML and .jsonld documents, and UNjobs vacancy pages."""

import gzip
from datetime import UTC, datetime, timedelta, timezone

import pytest

from recruitment.enums import DeadlineStatus
from workflows.feeds import rss
from workflows.feeds.base import FeedParseError, RejectedItem, RejectReason
from workflows.feeds.jsonld import parse

from .documents import FETCHED_AT, fixture_bytes, shared_bytes

EAT = timezone(timedelta(hours=3))
SAST = timezone(timedelta(hours=2))


def _parse_fixture(name, **options):
    return parse(fixture_bytes("jsonld", name), fetched_at=FETCHED_AT, **options)


def test_parse_reads_a_job_posting_from_an_html_graph():
    result = _parse_fixture("posting_page.html")

    assert [
        (
            e.external_id,
            e.url,
            e.organisation_name,
            e.organisation_slug,
            e.organisation_job_number,
            e.grade,
            e.number_of_posts,
            e.category,
            e.duty_stations,
            e.opens_at,
            e.closes_at,
            e.description,
        )
        for e in result.entries
    ] == [
        (
            "https://careers.example.org/jobs/JPO-2026-014",
            "https://careers.example.org/jobs/JPO-2026-014",
            "WFP - World Food Programme",
            "wfp",
            "JPO-2026-014",
            "P-2",
            2,
            "Programme and Policy",
            (("Nairobi", "KE"), ("Mogadishu", "SO")),
            datetime(2026, 3, 1, tzinfo=UTC),
            datetime(2026, 3, 31, 23, 59, tzinfo=EAT),
            "<p>Support the <b>school meals</b> programme.</p>",
        )
    ]
    assert [(r.identifier, r.code) for r in result.rejected] == [("script[2]", "invalid_json_ld")]


def test_parse_reads_a_jsonld_list_and_rejects_postings_without_title():
    result = _parse_fixture("postings.jsonld")

    assert [
        (e.external_id, e.organisation_slug, e.contract_type, e.duty_stations, e.closes_at,
         e.closes_at_zone_assumed)
        for e in result.entries
    ] == [
        ("https://jobs.example.org/fao/2026/118", "fao", "temporary", (("Rome", "IT"),),
         datetime(2026, 3, 25, 23, 59, 59, tzinfo=UTC), True),
    ]  # fmt: skip
    assert result.rejected == (
        RejectedItem(
            "FAO-2026-119", (RejectReason("missing_title", "the JobPosting has no title", "title"),)
        ),
    )


def test_parse_reads_an_unjobs_page_with_windows_zone_deadlines():
    (entry,) = _parse_fixture("unjobs_vacancy_windows_zone.html").entries

    assert (
        entry.external_id,
        entry.url,
        entry.title,
        entry.organisation_slug,
        entry.organisation_job_number,
        entry.post_numbers,
        entry.grade,
        entry.contract_type,
        entry.category,
        entry.duty_stations,
        entry.opens_at,
        entry.closes_at,
        entry.closes_at_zone,
        entry.closes_at_status,
    ) == (
        "1800000000001",
        "https://unjobs.org/vacancies/1800000000001",
        "Health Officer (Junior Professional Officer), Maputo, Mozambique",
        "unicef",
        "596001",
        ("141001",),
        "P-2",
        "fixed_term",
        "Health",
        (("Maputo", "MZ"),),
        datetime(2026, 3, 2, tzinfo=SAST),
        datetime(2026, 4, 2, 23, 59, 59, tzinfo=SAST),
        "Africa/Johannesburg",
        DeadlineStatus.PARSED,
    )
    assert "<script" not in entry.description
    assert "onclick" not in entry.description


def test_parse_reads_detached_labels_and_keeps_the_earliest_deadline():
    (entry,) = _parse_fixture("unjobs_vacancy_detached_labels.html").entries

    assert (
        entry.organisation_slug,
        entry.organisation_job_number,
        entry.grade,
        entry.grade_raw,
        entry.contract_type,
        entry.opens_at,
        entry.closes_at,
        entry.closes_at_raw,
        entry.raw["deadlines"],
    ) == (
        "unfpa",
        "32001",
        "NO-B",
        "NOB",
        "fixed_term",
        # "Posting Date 03/16/2026" shows the page writes month first.
        datetime(2026, 3, 16, 9, tzinfo=UTC),
        datetime(2026, 4, 10, 17, tzinfo=UTC),
        "04/10/2026, 05:00 PM",
        ["April 14, 2026", "04/10/2026, 05:00 PM"],
    )


def test_parse_falls_back_to_the_unjobs_closing_day_in_the_page_script():
    (entry,) = _parse_fixture("unjobs_vacancy_epoch_only.html").entries

    assert (
        entry.duty_stations,
        entry.opens_at,
        entry.closes_at,
        entry.closes_at_raw,
        entry.closes_at_zone_assumed,
    ) == (
        (("Dili", "TL"),),
        datetime(2026, 3, 4, tzinfo=UTC),
        datetime(2026, 3, 25, 23, 59, 59, tzinfo=UTC),
        "1774396800000",
        True,
    )


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (fixture_bytes("jsonld", "not_a_vacancy.html"), "no_job_posting"),
        (b'{"@type": "Organization", "name": "UNICEF"}', "no_job_posting"),
        (b"{not json", "invalid_json"),
        (gzip.compress(b"<html>" * 100), "compressed_body"),
        (bytes(range(256)) * 20, "not_text"),
    ],
)
def test_parse_fails_documents_without_any_job_posting(content, code):
    with pytest.raises(FeedParseError) as error:
        parse(content, fetched_at=FETCHED_AT)

    assert error.value.code == code


# Real UNjobs pages and the constructed JSON-LD from ../shared/feeds ------------------------------

UNJOBS = "real/unjobs/unjobs_vacancy_{}.html"


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (
            "1770017547374",
            ("unicef", "589340", "P-2", "fixed_term", (("Addis Ababa", "ET"),),
             datetime(2026, 3, 2, 23, 59, 59, tzinfo=EAT), "Africa/Nairobi", False),
        ),
        (
            "1771268161982",  # UNHCR: labels detached from values, grade "PR2"
            ("unhcr", "", "P-2", None, (("Tehran", "IR"),),
             datetime(2026, 3, 16, 23, 59, 59, tzinfo=UTC), "UTC", True),
        ),
        (
            "1771530068521",  # UNFPA: "03/05/2026, 05:25 PM" and "Wednesday, 4 March 2026"
            ("unfpa", "31979", "P-5", "consultancy", (("Abuja", "NG"),),
             datetime(2026, 3, 4, 23, 59, 59, tzinfo=UTC), "UTC", True),
        ),
        (
            "1771601229492",  # UNDP: no deadline text; UNjobs' own closing day
            ("undp", "", None, None, (("Kathmandu", "NP"),),
             datetime(2026, 3, 17, 23, 59, 59, tzinfo=UTC), "UTC", True),
        ),
        (
            "1771682554309",
            ("unicef", "590983", "P-2", "fixed_term", (("Accra", "GH"),),
             datetime(2026, 3, 20, 23, 59, 59, tzinfo=UTC), "Atlantic/Reykjavik", False),
        ),
        (
            "1774533615523",  # the same post, archived, deadline extended
            ("unicef", "590983", "P-2", "fixed_term", (("Accra", "GH"),),
             datetime(2026, 3, 29, 23, 59, 59, tzinfo=UTC), "Atlantic/Reykjavik", False),
        ),
    ],
)  # fmt: skip
def test_parse_real_unjobs_pages(page, expected):
    result = parse(shared_bytes(UNJOBS.format(page)), fetched_at=FETCHED_AT)
    (entry,) = result.entries

    assert (entry.external_id, result.rejected) == (page, ())
    assert (
        entry.organisation_slug,
        entry.organisation_job_number,
        entry.grade,
        entry.contract_type,
        entry.duty_stations,
        entry.closes_at,
        entry.closes_at_zone,
        entry.closes_at_zone_assumed,
    ) == expected


def test_parse_real_unfpa_page_keeps_both_conflicting_deadlines_raw():
    (entry,) = parse(shared_bytes(UNJOBS.format("1771530068521")), fetched_at=FETCHED_AT).entries

    assert (entry.opens_at, entry.closes_at_raw, entry.raw["deadlines"]) == (
        datetime(2026, 2, 19, 11, 28, tzinfo=UTC),
        "Wednesday, 4 March 2026",
        ["03/05/2026, 05:25 PM", "Wednesday, 4 March 2026"],
    )


def test_parse_real_unicef_590983_pages_share_the_deduplication_key():
    keys = set()
    for page in ("1771682554309", "1774533615523"):
        (entry,) = parse(shared_bytes(UNJOBS.format(page)), fetched_at=FETCHED_AT).entries
        keys.add((entry.organisation_slug, entry.organisation_job_number))
    (feed_entry,) = [
        e
        for e in rss.parse(
            shared_bytes("real/unicef_pageup_rss_filtered_cinfoposte.xml"), fetched_at=FETCHED_AT
        ).entries
        if e.organisation_job_number == "590983"
    ]
    (constructed,) = parse(
        shared_bytes("constructed/schema_org_jobposting_un_jpo.CONSTRUCTED.jsonld"),
        fetched_at=FETCHED_AT,
    ).entries

    assert keys == {("unicef", "590983")}
    assert (feed_entry.organisation_slug, constructed.organisation_slug) == ("unicef", "unicef")
    assert constructed.organisation_job_number == "590983"


def test_parse_real_http_403_body_fails_the_document():
    with pytest.raises(FeedParseError) as error:
        parse(
            shared_bytes("real/unjobs/unjobs_org_listing_undp_HTTP403_undecoded_body.html"),
            fetched_at=FETCHED_AT,
        )

    assert error.value.code == "not_text"


def test_parse_constructed_jsonld_posting():
    (entry,) = parse(
        shared_bytes("constructed/schema_org_jobposting_un_jpo.CONSTRUCTED.jsonld"),
        fetched_at=FETCHED_AT,
    ).entries

    assert (
        entry.external_id,
        entry.grade,
        entry.contract_type,
        entry.duty_stations,
        entry.opens_at,
        entry.closes_at,
    ) == (
        "590983",
        "P-2",
        "temporary",
        (("Accra", "GH"),),
        datetime(2026, 2, 20, tzinfo=UTC),
        datetime(2026, 3, 20, 23, 59, tzinfo=UTC),
    )
