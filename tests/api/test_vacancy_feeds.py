"""Outward feeds: JobPosting JSON-LD, RSS 2.0 and JSON Feed, read back by our own adapters."""

from datetime import UTC, datetime

import pytest
from django.utils.http import http_date

from recruitment.enums import ContractType, Grade, VacancyStatus
from recruitment.models import DutyStation, EligibilityRuleSet
from tests.conftest import client_for
from tests.factories import make_organisation, make_scheme, make_vacancy
from workflows.feeds import jsonld, rss
from workflows.feeds.outward import GRADE_TERM
from workflows.services import vacancy_transition

pytestmark = pytest.mark.django_db

OPENS = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
CLOSES = datetime(2030, 1, 31, 17, 0, tzinfo=UTC)
FETCHED_AT = datetime(2026, 3, 2, tzinfo=UTC)
DESCRIPTION = "<p>Support the <b>school meals</b> programme.</p>"
BASE = "http://testserver/api/v1/vacancies/"


def _vacancy(organisation, **overrides):
    station = DutyStation.objects.get_or_create(city="Nairobi", country="KE")[0]
    defaults = {
        "title": "Programme Officer", "reference": "JPO-2026-014", "grade": Grade.P2,
        "grade_raw": "P2", "contract_type": ContractType.FIXED_TERM,
        "category": "Programme and Policy", "opens_at": OPENS, "closes_at": CLOSES,
        "description": DESCRIPTION,
    }  # fmt: skip
    vacancy = make_vacancy(organisation=organisation, **{**defaults, **overrides})
    vacancy.duty_stations.add(station)
    return vacancy


def _fields(entry):
    """What a vacancy is made of when it comes back from a feed."""
    return {
        "external_id": entry.external_id,
        "url": entry.url,
        "title": entry.title,
        "organisation_name": entry.organisation_name,
        "grade": entry.grade,
        "grade_raw": entry.grade_raw,
        "contract_type": entry.contract_type,
        "category": entry.category,
        "duty_stations": entry.duty_stations,
        "opens_at": entry.opens_at,
        "closes_at": entry.closes_at,
        "description": entry.description,
    }


def _expected(vacancy):
    return {
        "external_id": f"{BASE}{vacancy.pk}/",
        "url": f"{BASE}{vacancy.pk}/",
        "title": vacancy.title,
        "organisation_name": vacancy.organisation.name,
        "grade": vacancy.grade,
        "grade_raw": vacancy.grade_raw,
        "contract_type": vacancy.contract_type,
        "category": vacancy.category,
        "duty_stations": (("Nairobi", "KE"),),
        "opens_at": OPENS,
        "closes_at": CLOSES,
        "description": DESCRIPTION,
    }


def test_jobposting_is_schema_org_json_ld_with_eligibility(anonymous):
    scheme = make_scheme(code="jpo")
    EligibilityRuleSet.objects.create(
        scheme=scheme, version=1, effective_from=datetime(2020, 1, 1).date(),
        rules={"nationalities": {"allowed": ["NO"]}},
    )  # fmt: skip
    vacancy = _vacancy(make_organisation(slug="wfp", name="World Food Programme"), scheme=scheme)

    response = anonymous.get(f"{BASE}{vacancy.pk}/jobposting/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    assert response.json() == {
        "@context": ["https://schema.org", {"grade": GRADE_TERM}],
        "@type": "JobPosting",
        "@id": f"{BASE}{vacancy.pk}/",
        "url": f"{BASE}{vacancy.pk}/",
        "title": "Programme Officer",
        "description": DESCRIPTION,
        "datePosted": "2026-03-01T08:00:00Z",
        "validThrough": "2030-01-31T17:00:00Z",
        "hiringOrganization": {"@type": "Organization", "name": "World Food Programme"},
        "identifier": {
            "@type": "PropertyValue", "name": "World Food Programme", "value": "JPO-2026-014",
        },
        "totalJobOpenings": 1,
        "jobLocation": [{
            "@type": "Place",
            "address": {
                "@type": "PostalAddress", "addressLocality": "Nairobi", "addressCountry": "KE",
            },
        }],
        "eligibilityToWorkRequirement": "Open to nationals of Norway only.",
        "employmentType": ["FULL_TIME", "FIXED_TERM"],
        "occupationalCategory": "Programme and Policy",
        "grade": "P2",
    }  # fmt: skip


def test_jobposting_without_duty_station_states_applicant_location():
    scheme = make_scheme(code="jpo")
    EligibilityRuleSet.objects.create(
        scheme=scheme, version=1, effective_from=datetime(2020, 1, 1).date(),
        rules={"nationalities": {"allowed": ["NO", "SE"]}},
    )  # fmt: skip
    vacancy = make_vacancy(scheme=scheme, opens_at=OPENS, closes_at=CLOSES)

    body = client_for().get(f"{BASE}{vacancy.pk}/jobposting/").json()

    assert (sorted(body), body["jobLocationType"], body["applicantLocationRequirements"]) == (
        sorted([
            "@context", "@type", "@id", "url", "title", "description", "datePosted",
            "validThrough", "hiringOrganization", "identifier", "totalJobOpenings",
            "jobLocationType", "applicantLocationRequirements", "eligibilityToWorkRequirement",
        ]),
        "TELECOMMUTE",
        [
            {"@type": "Country", "name": "Norway", "identifier": "NO"},
            {"@type": "Country", "name": "Sweden", "identifier": "SE"},
        ],
    )  # fmt: skip


def test_jobposting_of_a_draft_is_not_found_for_the_public(anonymous, organisation_x):
    draft = _vacancy(organisation_x, status=VacancyStatus.DRAFT)

    response = anonymous.get(f"{BASE}{draft.pk}/jobposting/")

    assert (response.status_code, response.json()) == (
        404, {"code": "not_found", "detail": "Not found."}
    )  # fmt: skip


def test_jobposting_round_trips_through_our_jsonld_adapter(anonymous, organisation_x):
    vacancy = _vacancy(organisation_x)

    content = anonymous.get(f"{BASE}{vacancy.pk}/jobposting/").content
    result = jsonld.parse(content, fetched_at=FETCHED_AT)

    assert [_fields(e) for e in result.entries] == [_expected(vacancy)]
    assert [(e.organisation_job_number, e.number_of_posts) for e in result.entries] == [
        ("JPO-2026-014", 1)
    ]


@pytest.mark.parametrize("contract_type", list(ContractType))
def test_feeds_round_trip_every_contract_type(anonymous, organisation_x, contract_type):
    vacancy = _vacancy(organisation_x, contract_type=contract_type)

    from_rss = rss.parse(anonymous.get(f"{BASE}feed.rss").content, fetched_at=FETCHED_AT)
    from_json = jsonld.parse(anonymous.get(f"{BASE}feed.json").content, fetched_at=FETCHED_AT)

    assert [e.contract_type for e in from_rss.entries] == [contract_type]
    assert [e.contract_type for e in from_json.entries] == [contract_type]
    assert vacancy.contract_type == contract_type


def test_rss_feed_round_trips_through_our_rss_adapter(anonymous, organisation_x, organisation_y):
    first = _vacancy(organisation_x)
    second = _vacancy(
        organisation_y, title="Data Analyst", reference="", grade=Grade.P3, grade_raw="P-3",
        contract_type=ContractType.TEMPORARY, category="",
    )  # fmt: skip
    _vacancy(organisation_x, title="Draft post", status=VacancyStatus.DRAFT)

    response = anonymous.get(f"{BASE}feed.rss")
    result = rss.parse(response.content, fetched_at=FETCHED_AT)

    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert [_fields(e) for e in result.entries] == [_expected(second), _expected(first)]
    assert result.rejected == ()


def test_json_feed_round_trips_through_our_jsonld_adapter(anonymous, organisation_x):
    first = _vacancy(organisation_x)
    second = _vacancy(organisation_x, title="Data Analyst", grade=None, grade_raw="",
                      contract_type=None)  # fmt: skip

    response = anonymous.get(f"{BASE}feed.json")
    body = response.json()
    result = jsonld.parse(response.content, fetched_at=FETCHED_AT)

    assert response["Content-Type"] == "application/feed+json"
    assert (body["version"], body["title"], body["feed_url"], [i["id"] for i in body["items"]]) == (
        "https://jsonfeed.org/version/1.1",
        "Vacancies for experts and trainees in the UN system",
        f"{BASE}feed.json",
        [f"{BASE}{second.pk}/", f"{BASE}{first.pk}/"],
    )
    assert [_fields(e) for e in result.entries] == [_expected(second), _expected(first)]


def test_feeds_apply_the_vacancy_list_filters(anonymous, organisation_x, organisation_y):
    _vacancy(organisation_x)
    wanted = _vacancy(organisation_y)

    body = anonymous.get(f"{BASE}feed.json", {"organisation": "unhcr"}).json()
    invalid = anonymous.get(f"{BASE}feed.rss", {"closes_after": "soon"})

    assert [item["id"] for item in body["items"]] == [f"{BASE}{wanted.pk}/"]
    assert (invalid.status_code, invalid.json()) == (
        400,
        {
            "code": "validation_error",
            "detail": "The request is not valid; see `fields`.",
            "fields": {"closes_after": ["Enter a valid date/time."]},
        },
    )


@pytest.mark.parametrize("path", ["feed.rss", "feed.json"])
def test_feeds_answer_304_to_a_current_etag_or_date_and_200_after_a_change(
    anonymous, organisation_x, path
):
    vacancy = _vacancy(organisation_x)
    first = anonymous.get(BASE + path)
    vacancy.refresh_from_db()
    published_at = vacancy.updated_at  # before the close below moves it

    by_etag = anonymous.get(BASE + path, HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = anonymous.get(BASE + path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    vacancy_transition(vacancy_id=vacancy.pk, to_status=VacancyStatus.CLOSED, actor=None)
    after_close = anonymous.get(BASE + path, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first["Last-Modified"] == http_date(int(published_at.timestamp()))
    assert (by_etag.status_code, by_etag.content, by_etag["ETag"]) == (304, b"", first["ETag"])
    assert (by_date.status_code, by_date.content) == (304, b"")
    assert after_close.status_code == 200
    assert after_close["ETag"] != first["ETag"]


def test_rss_feed_body_is_json_error_whatever_the_accept_header(anonymous):
    response = anonymous.get(
        f"{BASE}feed.rss", {"organisation_id": "x"}, HTTP_ACCEPT="application/rss+xml"
    )

    assert (response.status_code, response["Content-Type"], response.json()) == (
        400,
        "application/json",
        {
            "code": "validation_error",
            "detail": "The request is not valid; see `fields`.",
            "fields": {"organisation_id": ["Enter a number."]},
        },
    )
