"""Partner bulk upload: field-by-field validation, one reason per failing field."""

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from recruitment.enums import DeadlineStatus
from workflows.feeds.base import FeedEntry, FeedParseError, RejectedItem, RejectReason
from workflows.feeds.partner import parse

from .documents import FETCHED_AT, fixture_bytes, shared_bytes


def _parse_fixture():
    return parse(
        fixture_bytes("partner", "vacancies.json"),
        fetched_at=FETCHED_AT,
        organisation_name="NORCAP",
        organisation_slug="norcap",
    )


def test_parse_accepts_valid_vacancies_as_whole_records():
    entries = _parse_fixture().entries

    assert entries[0] == FeedEntry(
        external_id="NORCAP-2026-0042",
        url="https://partner.example.org/vacancies/42",
        title="Senior Expert, Climate Services",
        organisation_name="NORCAP",
        organisation_slug="norcap",
        organisation_job_number="EXP-42",
        grade="P-4",
        grade_raw="P4",
        contract_type="secondment",
        category="Climate",
        number_of_posts=2,
        duty_stations=(("Geneva", "CH"), ("Nairobi", "KE")),
        opens_at=datetime(2026, 3, 1, 9, tzinfo=timezone(timedelta(hours=1))),
        opens_at_raw="2026-03-01T09:00:00+01:00",
        opens_at_status=DeadlineStatus.PARSED,
        closes_at=datetime(2026, 4, 15, 23, 59, tzinfo=timezone(timedelta(hours=2))),
        closes_at_raw="2026-04-15T23:59:00+02:00",
        closes_at_zone="Europe/Oslo",
        closes_at_status=DeadlineStatus.PARSED,
        description='<p>Seconded to <a href="https://wmo.int" rel="noopener noreferrer nofollow">'
        "WMO</a>.</p>",
        languages=("en", "fr"),
        raw=json.loads(fixture_bytes("partner", "vacancies.json"))["vacancies"][0],
    )
    assert [(e.external_id, e.closes_at) for e in entries] == [
        ("NORCAP-2026-0042", datetime(2026, 4, 15, 21, 59, tzinfo=UTC)),
        ("NORCAP-2026-0043", datetime(2026, 4, 30, 12, tzinfo=UTC)),
    ]


def test_parse_rejects_each_bad_vacancy_with_one_reason_per_field():
    rejected = _parse_fixture().rejected

    assert [
        (r.identifier, [(reason.field, reason.code) for reason in r.reasons]) for r in rejected
    ] == [
        (
            "NORCAP-2026-0044",
            [
                ("salary", "unknown_field"),
                ("title", "length"),
                ("closes_at", "offset_required"),
                ("opens_at", "invalid_datetime"),
                ("url", "invalid_url"),
                ("grade", "unknown_grade"),
                ("contract_type", "invalid_choice"),
                ("duty_stations[0].country", "unknown_country"),
                ("number_of_posts", "invalid_number"),
                ("languages", "invalid_languages"),
            ],
        ),
        ("vacancies[3]", [("", "not_an_object")]),
        ("NORCAP-2026-0043", [("", "duplicate_external_id")]),
        ("vacancies[5]", [("external_id", "required"), ("number_of_posts", "invalid_number")]),
    ]


def test_parse_explains_each_rejection_to_the_partner():
    rejected = _parse_fixture().rejected

    assert rejected[0].reasons[5] == RejectReason(
        "unknown_grade", "grade 'GF' is not a grade we know", "grade"
    )


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"[]", "unexpected_shape"),
        (b'{"vacancies": {}}', "unexpected_shape"),
        (b"\xff\xfe garbage", "invalid_json"),
    ],
)
def test_parse_fails_documents_without_a_vacancies_list(content, code):
    with pytest.raises(FeedParseError) as error:
        parse(content, fetched_at=FETCHED_AT)

    assert error.value.code == code


def test_parse_rejects_a_reliefweb_post_api_document_field_by_field():
    # A real document in another schema: each of its fields is named, nothing is guessed.
    document = json.loads(shared_bytes("real/reliefweb_post_api_job_testdata.json"))

    result = parse(json.dumps({"vacancies": [document]}).encode(), fetched_at=FETCHED_AT)

    assert result.entries == ()
    assert result.rejected == (
        RejectedItem(
            "vacancies[0]",
            (
                *(
                    RejectReason(
                        "unknown_field", f"{name} is not a field of the posting schema", name
                    )
                    for name in (
                        "body",
                        "career_category",
                        "closing_date",
                        "country",
                        "how_to_apply",
                        "job_experience",
                        "job_type",
                        "source",
                        "theme",
                        "uuid",
                    )
                ),
                RejectReason("required", "external_id is required", "external_id"),
                RejectReason("required", "closes_at is required", "closes_at"),
            ),
        ),
    )
