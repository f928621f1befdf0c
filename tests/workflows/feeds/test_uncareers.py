"""careers.un.org adapter: mixed key case, level codes, Secretariat departments."""

from datetime import UTC, datetime

import pytest

from workflows.feeds.base import FeedParseError, RejectedItem, RejectReason
from workflows.feeds.uncareers import parse

from .documents import FETCHED_AT, fixture_bytes, shared_bytes


def test_parse_reads_openings_whatever_the_key_case():
    result = parse(fixture_bytes("uncareers", "openings.json"), fetched_at=FETCHED_AT)

    assert [
        (
            e.external_id,
            e.url,
            e.title,
            e.organisation_slug,
            e.organisation_job_number,
            e.grade,
            e.grade_raw,
            e.contract_type,
            e.category,
            e.duty_stations,
            e.opens_at,
            e.closes_at,
        )
        for e in result.entries
    ] == [
        (
            "261001",
            "https://careers.un.org/jobSearchDescription/261001?language=en",
            "HUMAN RIGHTS OFFICER",
            "ohchr",
            "261001",
            "P-3",
            "P3",
            None,
            "Human Rights Affairs",
            (("Geneva", "CH"),),
            datetime(2026, 3, 3, tzinfo=UTC),
            datetime(2026, 4, 1, 23, 59, 59, tzinfo=UTC),
        ),
        (
            "261002",
            "https://careers.un.org/jobSearchDescription/261002?language=en",
            "INTERN - ECONOMIC AFFAIRS",
            # ESCAP is not in the alias table: careers.un.org posts are the Secretariat's.
            "un-secretariat",
            "261002",
            "INTERN",
            "I",
            "internship",
            "Internship",
            (("Bangkok", "TH"), ("Kathmandu", "")),
            datetime(2026, 3, 6, tzinfo=UTC),
            datetime(2026, 3, 20, 23, 59, 59, tzinfo=UTC),
        ),
    ]
    assert result.rejected == (
        RejectedItem(
            "item[2]", (RejectReason("missing_identifier", "the item has no jobId", "jobId"),)
        ),
    )
    assert result.total == 3


def test_parse_sanitises_job_descriptions():
    entries = parse(fixture_bytes("uncareers", "openings.json"), fetched_at=FETCHED_AT).entries

    # Images are not kept at all: a description needs none, and they can track readers.
    assert entries[0].description == "<p><b>Org. Setting</b></p><p>OHCHR, Geneva.</p>"


def test_parse_builds_links_from_the_template_option():
    result = parse(
        fixture_bytes("uncareers", "openings.json"),
        fetched_at=FETCHED_AT,
        job_url_template="https://example.test/jobs/{job_id}",
    )

    assert [e.url for e in result.entries] == [
        "https://example.test/jobs/261001",
        "https://example.test/jobs/261002",
    ]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (None, "source_error"),
        (b"<html>maintenance</html>", "invalid_json"),
        (b'{"data": {"rows": []}}', "unexpected_shape"),
    ],
)
def test_parse_fails_the_document_on_errors_and_other_shapes(content, code):
    content = content or fixture_bytes("uncareers", "error.json")

    with pytest.raises(FeedParseError) as error:
        parse(content, fetched_at=FETCHED_AT)

    assert error.value.code == code


def test_parse_constructed_inspira_list():
    result = parse(
        shared_bytes("constructed/inspira_careers_un_filteredV2_response.CONSTRUCTED.json"),
        fetched_at=FETCHED_AT,
    )

    assert [
        (e.external_id, e.grade, e.grade_raw, e.contract_type, e.category, e.organisation_name,
         e.duty_stations, e.closes_at)
        for e in result.entries
    ] == [
        ("250001", "P-2", "P2", None, "Programme Management",
         "Department of Economic and Social Affairs", (("Geneva", "CH"),),
         datetime(2026, 3, 31, 23, 59, 59, tzinfo=UTC)),
        ("250002", "INTERN", "I", "internship", "Internship",
         "Department of Political and Peacebuilding Affairs", (("New York", "US"), ("Paris", "FR")),
         datetime(2026, 4, 3, 23, 59, 59, tzinfo=UTC)),
    ]  # fmt: skip
    assert {e.organisation_slug for e in result.entries} == {"un-secretariat"}
    assert (result.total, result.rejected) == (2, ())
