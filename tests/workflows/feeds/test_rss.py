"""RSS/Atom adapter: the project's fixtures, entity attacks, and the real agency feeds."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from recruitment.enums import DeadlineStatus
from workflows.feeds.base import FeedParseError, RejectedItem, RejectReason
from workflows.feeds.rss import parse

from .documents import FETCHED_AT, fixture_bytes, shared_bytes


def _parse_fixture(name, **options):
    return parse(fixture_bytes("rss", name), fetched_at=FETCHED_AT, **options)


def test_parse_reads_grade_contract_posts_and_station_from_unicef_titles():
    result = _parse_fixture("unicef_pageup.xml")

    assert [
        (
            e.external_id,
            e.organisation_slug,
            e.organisation_job_number,
            e.post_numbers,
            e.grade,
            e.grade_raw,
            e.contract_type,
            e.number_of_posts,
            e.duty_stations,
        )
        for e in result.entries
    ] == [
        ("1000000000000001", "unicef", "595001", ("140001",), "P-4", "P-4", "fixed_term", 1,
         (("Kabul", "AF"),)),
        ("1000000000000002", "unicef", "595002", ("140010", "140011", "140012"), "NO-B", "NO-B",
         "temporary", 3, (("Juba", "SS"),)),
        ("1000000000000003", "unicef", "595003", (), "INTERN", "Internship", "internship", 1,
         (("Oslo", "NO"),)),
        ("1000000000000004", "unicef", "595004", (), "P-2", "P-2", None, 1, (("Dakar", "SN"),)),
        ("1000000000000005", "unicef", "595005", ("88001",), "NO-B", "N0-2", "fixed_term", 1,
         (("Goma", "CD"),)),
        ("1000000000000006", "unicef", "595006", ("140099",), "P-5", "P-5", "temporary", 1, ()),
    ]  # fmt: skip
    assert result.rejected == ()


def test_parse_reads_dates_and_sanitises_descriptions():
    entries = _parse_fixture("unicef_pageup.xml").entries

    assert [(e.opens_at, e.closes_at, e.closes_at_status) for e in entries[2:4]] == [
        (datetime(2026, 3, 4, 10, tzinfo=UTC), None, DeadlineStatus.MISSING),
        (
            datetime(2026, 3, 5, 7, tzinfo=UTC),
            datetime(2026, 3, 29, 23, 59, 59, tzinfo=UTC),
            DeadlineStatus.PARSED,
        ),
    ]
    assert [e.description for e in entries[1:3]] == [
        "<p>Three WASH officers for the <b>flood</b> response.</p>",
        "<p>Support the communication team.</p><p>Six months, full time.</p>",
    ]


def test_parse_reads_workday_locations_and_relative_posting_dates():
    result = _parse_fixture("unhcr_workday.xml")

    assert [
        (e.organisation_job_number, e.duty_stations, e.opens_at, e.opens_at_status)
        for e in result.entries
    ] == [
        ("JR2700001", (("Amman", "JO"),), FETCHED_AT - timedelta(days=2), DeadlineStatus.RELATIVE),
        ("JR2700002", (("Seoul", "KR"),), FETCHED_AT - timedelta(days=1), DeadlineStatus.RELATIVE),
        (
            "JR2700003",
            (("Copenhagen", "DK"),),
            FETCHED_AT - timedelta(days=30),
            DeadlineStatus.RELATIVE,
        ),
    ]


def test_parse_anchors_relative_dates_at_the_item_date_when_asked():
    result = _parse_fixture("unhcr_workday.xml", relative_to="published")

    assert [e.opens_at for e in result.entries] == [
        datetime(2026, 3, 1, 11, tzinfo=UTC),
        datetime(2026, 3, 3, 11, tzinfo=UTC),
        datetime(2026, 2, 3, 11, tzinfo=UTC),
    ]


def test_parse_keeps_world_bank_grades_raw_without_a_un_grade():
    result = _parse_fixture("worldbank_csod.xml")

    assert [
        (e.organisation_slug, e.organisation_job_number, e.grade, e.grade_raw, e.contract_type,
         e.duty_stations)
        for e in result.entries
    ] == [
        ("world-bank", "39001", None, "", "temporary", (("Washington, DC", "US"),)),
        ("world-bank", "39002", None, "GG", None, (("Nairobi", "KE"),)),
    ]  # fmt: skip


def test_parse_rejects_broken_items_with_reasons_and_keeps_the_good_one():
    result = _parse_fixture("undp_broken.xml")

    assert [
        (e.external_id, e.grade, e.duty_stations, e.closes_at, e.closes_at_raw)
        for e in result.entries
    ] == [
        (
            "4000000000000002",
            "P-3",
            (("Dili", "TL"),),
            datetime(2026, 6, 15, 23, 59, 59, tzinfo=UTC),
            "Jun-15-26",
        )
    ]
    assert [(r.identifier, r.code) for r in result.rejected] == [
        ("4000000000000001", "several_postings_in_item"),
        ("4000000000000003", "missing_title"),
        ("item[3]", "missing_identifier"),
    ]


def test_parse_reads_atom_entries():
    result = _parse_fixture("who_taleo_atom.xml")

    assert [
        (e.title, e.organisation_slug, e.organisation_job_number, e.grade, e.contract_type,
         e.duty_stations, e.category, e.closes_at, e.closes_at_status)
        for e in result.entries
    ] == [
        ("Technical Officer (Health Emergencies) \u2013 (2601001)", "who", "2601001", "P-3",
         "fixed_term", (("Cairo", "EG"),), "Health Emergencies",
         datetime(2026, 4, 10, 22, 59, tzinfo=timezone(timedelta(hours=1))),
         DeadlineStatus.PARSED),
        ("Epidemiologist (2601002)", "who", "2601002", "NO-C", None, (), "", None,
         DeadlineStatus.AMBIGUOUS),
    ]  # fmt: skip


def test_parse_uses_the_stated_day_order_for_ambiguous_deadlines():
    result = _parse_fixture("who_taleo_atom.xml", day_first=True)

    assert result.entries[1].closes_at == datetime(2026, 4, 3, 23, 59, 59, tzinfo=UTC)


def test_parse_reads_malformed_xml_leniently_when_it_declares_no_dtd():
    result = _parse_fixture("malformed.xml")

    assert [(e.external_id, e.title, e.grade, e.duty_stations) for e in result.entries] == [
        ("posting-77", "Monitoring & Evaluation Officer, P-3, Lusaka, Zambia", "P-3",
         (("Lusaka", "ZM"),)),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("entity_bomb.xml", "xml_forbidden"),
        ("external_entity.xml", "xml_forbidden"),
        ("not_a_feed.txt", "invalid_xml"),
    ],
)
def test_parse_fails_the_document_on_entities_and_garbage(name, code):
    with pytest.raises(FeedParseError) as error:
        _parse_fixture(name)

    assert error.value.code == code


def test_parse_refuses_a_malformed_document_that_declares_entities():
    # Broken before the DTD, so the strict parser stops before it sees the entities.
    content = b"& " + fixture_bytes("rss", "entity_bomb.xml").split(b"?>", 1)[1]

    with pytest.raises(FeedParseError) as error:
        parse(content, fetched_at=FETCHED_AT)

    assert error.value.code == "invalid_xml"


def test_parse_refuses_html_as_a_feed():
    with pytest.raises(FeedParseError) as error:
        parse(b"<html><body><p>Jobs</p></body></html>", fetched_at=FETCHED_AT)

    assert error.value.code == "not_a_feed"


def test_parse_rejects_unknown_relative_anchor():
    with pytest.raises(ValueError, match="relative_to"):
        _parse_fixture("unhcr_workday.xml", relative_to="tomorrow")


# Real documents from ../shared/feeds/real ------------------------------------------------------


def test_parse_real_unicef_feed_reads_every_title():
    result = parse(shared_bytes("real/unicef_pageup_rss_filtered_cinfoposte.xml"),
                   fetched_at=FETCHED_AT)  # fmt: skip

    assert result.rejected == ()
    assert [
        (
            e.organisation_job_number,
            e.post_numbers,
            e.grade,
            e.contract_type,
            e.number_of_posts,
            e.duty_stations,
        )
        for e in result.entries
    ] == [
        ("584179", ("132723",), "P-4", "fixed_term", 1, (("Budapest", "HU"),)),
        ("591530", ("136457", "136458"), "P-3", "temporary", 2, (("Stockholm", "SE"),)),
        ("591523", (), "INTERN", "internship", 1, (("Maputo", "MZ"),)),
        ("590708", (), "INTERN", "internship", 2, (("Dar es salaam", "TZ"),)),
        ("585818", ("134662",), "P-3", "temporary", 1, (("Kharkiv", "UA"),)),
        ("584195", ("133298",), "P-4", "fixed_term", 1, (("Amman", "JO"),)),
        ("591490", ("136347",), "P-3", "temporary", 1, (("Nairobi", "KE"),)),
        ("591405", (), "INTERN", "internship", 1, (("Accra", "GH"),)),
        ("591439", (), "INTERN", "internship", 2, (("Lusaka", "ZM"),)),
        ("591466", ("136331",), "P-3", "temporary", 1, (("Nairobi", "KE"),)),
        ("591441", ("136559",), "P-4", "temporary", 1, (("Bangkok", "TH"),)),
        ("591379", ("136272",), "P-3", "temporary", 1, (("Bridgetown", "BB"),)),
        ("586127", ("131139",), "P-3", "fixed_term", 1, (("Goma", "CD"),)),
        ("591394", ("136419",), "P-3", "temporary", 1, (("Valencia", "ES"),)),
        ("585995", ("90445",), "P-4", "fixed_term", 1, (("Istanbul", "TR"),)),
        ("586061", ("87009",), "NO-C", "fixed_term", 1, (("Ankara", "TR"),)),
        ("591386", (), "P-4", "temporary", 1, ()),
        ("591370", (), "P-2", None, 1, (("Luanda", "AO"),)),
        ("591374", ("136398",), "P-3", "temporary", 1, ()),
        ("591378", ("136135",), "P-2", "temporary", 1, (("Cotonou", "BJ"),)),
        ("585369", ("134613",), "P-4", "temporary", 1, (("Kyiv", "UA"),)),
        ("591359", ("136527",), "P-3", None, 1, (("Panama City", "PA"),)),
        ("591311", ("136480",), "P-2", "temporary", 1, (("La Paz", "BO"),)),
        ("591309", ("136265",), "P-4", "temporary", 1, (("Florence", "IT"),)),
        ("591275", (), "INTERN", "internship", 1, (("Helsinki", "FI"),)),
        ("591274", ("136405",), "P-3", "temporary", 1, (("Florence", "IT"),)),
        ("591260", ("127035",), "P-3", "temporary", 1, (("Amman", "JO"),)),
        ("591224", ("136476",), "P-3", "temporary", 1, (("Geneva", "CH"),)),
        ("591226", ("136477",), "P-3", "temporary", 1, (("Geneva", "CH"),)),
        ("590983", (), "P-2", None, 1, (("Accra", "GH"),)),
        ("591176", ("8215",), "P-5", "fixed_term", 1, (("New York", "US"),)),
        ("590615", ("136039",), "P-3", "temporary", 1, (("Tindouf", "DZ"),)),
    ]
    assert {e.organisation_slug for e in result.entries} == {"unicef"}


def test_parse_real_unhcr_feed_reads_requisitions_locations_and_posting_dates():
    result = parse(
        shared_bytes("real/unhcr_workday_rss_cinfoposte.xml"),
        fetched_at=FETCHED_AT,
        relative_to="published",
    )
    first = result.entries[0]

    assert (len(result.entries), result.rejected) == (56, ())
    assert (first.title, first.organisation_job_number, first.duty_stations) == (
        "Inspector General",
        "JR2561448",
        (("Geneva", "CH"),),
    )
    # "Posted Yesterday" scraped on 25 Feb 2026 11:25:50 UTC.
    assert (first.opens_at, first.opens_at_raw, first.opens_at_status) == (
        datetime(2026, 2, 24, 11, 25, 50, tzinfo=UTC),
        "Posted Yesterday",
        DeadlineStatus.RELATIVE,
    )
    assert [e.grade for e in result.entries].count("INTERN") == 38
    assert {e.organisation_slug for e in result.entries} == {"unhcr"}
    assert {e.closes_at_status for e in result.entries} == {DeadlineStatus.MISSING}
    assert [e.duty_stations for e in result.entries if "Washington" in e.title] == [
        (("Washington", "US"),)
    ]


def test_parse_real_world_bank_feed_has_no_un_grades():
    result = parse(shared_bytes("real/worldbank_csod_rss_cinfoposte.xml"), fetched_at=FETCHED_AT)

    assert [
        (e.organisation_job_number, e.grade, e.contract_type, e.duty_stations)
        for e in result.entries
    ] == [
        ("38131", None, "temporary", (("Washington, DC", "US"),)),
        ("38126", None, None, (("Washington, DC", "US"),)),
        ("38100", None, None, (("Washington, DC", "US"),)),
        ("38114", None, None, (("Washington, DC", "US"),)),
        ("38108", None, None, (("Washington, DC", "US"),)),
        ("38041", None, None, (("Washington, DC", "US"),)),
    ]
    assert {e.organisation_slug for e in result.entries} == {"world-bank"}


def test_parse_real_broken_undp_scrape_rejects_both_glued_items():
    result = parse(
        shared_bytes("real/undp_rss_broken_scrape_cinfoposte.xml"), fetched_at=FETCHED_AT
    )

    assert result.entries == ()
    assert result.rejected == tuple(
        RejectedItem(
            guid,
            (
                RejectReason(
                    "several_postings_in_item",
                    "the title repeats 'Job title' 4 times (a listing table scraped into one "
                    "item): which posting this link points to cannot be told",
                    "title",
                ),
            ),
        )
        for guid in ("7820804324530094", "5310668057706676")
    )
