"""Bodies built by PostgreSQL (api.json_rows) equal the serializers' output, field for field."""

from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace

import orjson
import pytest

from api.json_rows import body_column
from api.serializers.applications import APPLICATION_BODIES, ApplicationSerializer
from api.serializers.candidates import PROFILE_BODY, CandidateProfileSerializer
from api.serializers.vacancies import VACANCY_BODY, VacancySerializer
from recruitment import services
from recruitment.enums import ApplicationStatus, FeedKind, Grade, Modality, Role, VacancyStatus
from recruitment.models import (
    Application,
    CandidateProfile,
    DutyStation,
    Feed,
    Vacancy,
    VacancySource,
)
from tests.conftest import client_for
from tests.factories import make_candidate, make_scheme, make_user, make_vacancy

pytestmark = pytest.mark.django_db


def built_by_postgresql(vacancy: Vacancy) -> dict:
    text = Vacancy.objects.filter(pk=vacancy.pk).values_list(body_column(VACANCY_BODY), flat=True)
    return orjson.loads(text.get())


def test_vacancy_body_equals_the_serializer_output(organisation_x):
    vacancy = make_vacancy(
        organisation=organisation_x, scheme=make_scheme(code="jpo"), grade=Grade.P3,
        title='Officer "WASH" — Goma', description="<p>Ligne\nnouvelle \\ é</p>",
        status=VacancyStatus.PUBLISHED, modality=Modality.HYBRID, skills=["gis", "sql"],
        required_languages=["en", "fr"], planned_start_date=date(2027, 1, 4),
        closes_at=datetime(2027, 1, 31, 23, 59, 59, 250_000, tzinfo=UTC),
        opens_at=datetime(2026, 12, 1, 8, 0, tzinfo=UTC),
    )  # fmt: skip
    goma, juba = (DutyStation.objects.create(city=city, country=country)
                  for city, country in (("Goma", "CD"), ("Juba", "SS")))  # fmt: skip
    vacancy.duty_stations.set([juba, goma])
    feed = Feed.objects.create(kind=FeedKind.RSS, organisation=organisation_x)
    VacancySource.objects.create(vacancy=vacancy, feed=feed, external_id="x-1", content_hash="h",
                                 url="https://example.org/x-1")  # fmt: skip
    VacancySource.objects.filter(vacancy=vacancy).update(
        first_seen_at=datetime(2026, 11, 1, 0, 0, tzinfo=UTC),
        last_seen_at=datetime(2026, 11, 2, 3, 4, 5, 6, tzinfo=UTC),
    )
    vacancy.refresh_from_db()

    expected = VacancySerializer(vacancy).data
    assert built_by_postgresql(vacancy) == expected
    assert (expected["closes_at"], expected["sources"][0]["last_seen_at"]) == (
        "2027-01-31T23:59:59.250000Z", "2026-11-02T03:04:05.000006Z"
    )  # fmt: skip
    assert [station["city"] for station in expected["duty_stations"]] == ["Goma", "Juba"]


def test_vacancy_body_with_nothing_optional(organisation_x):
    vacancy = make_vacancy(organisation=organisation_x, closes_at=None, opens_at=None)

    body = built_by_postgresql(vacancy)

    assert body == VacancySerializer(vacancy).data
    assert (body["scheme"], body["closes_at"], body["duty_stations"], body["sources"]) == (
        None, None, [], []
    )  # fmt: skip


def test_profile_body_equals_the_serializer_output():
    user = make_candidate(given_name="Åsa", family_name="O'Neill")
    profile = user.candidate_profile
    services.candidate_profile_update(profile=profile, data={
        "date_of_birth": date(1990, 2, 3), "citizenships": ["NO", "SE"], "skills": ["gis"],
        "preferred_countries": ["KE"], "country_of_residence": "NO", "summary": "Line\n\"two\"",
        "education": [{"level": "master", "field_of_study": "GIS", "country": "SE",
                       "completed_on": date(2015, 6, 1)}, {"level": "bachelor"}],
        "experience": [{"title": "Officer", "employer": "WFP", "country": "KE",
                        "start_date": date(2016, 1, 1), "end_date": date(2018, 1, 1),
                        "is_international": True},
                       {"title": "Analyst", "start_date": date(2018, 2, 1)}],
        "languages": [{"language": "en", "skill": "overall", "level": "C1", "scale": "cefr"},
                      {"language": "fr", "skill": "reading", "level": "II", "scale": "un"}],
    })  # fmt: skip
    profile = CandidateProfile.objects.get(pk=profile.pk)
    text = CandidateProfile.objects.filter(pk=profile.pk).values_list(
        body_column(PROFILE_BODY), flat=True
    )

    expected = CandidateProfileSerializer(profile).data
    assert orjson.loads(text.get()) == expected
    assert [len(expected[name]) for name in ("education", "experience", "languages")] == [2, 2, 2]


def test_profile_body_with_empty_lists():
    profile = make_candidate().candidate_profile
    text = CandidateProfile.objects.filter(pk=profile.pk).values_list(
        body_column(PROFILE_BODY), flat=True
    )

    body = orjson.loads(text.get())
    assert body == CandidateProfileSerializer(CandidateProfile.objects.get(pk=profile.pk)).data
    assert (body["education"], body["date_of_birth"]) == ([], None)


@pytest.mark.parametrize("role", list(Role))
def test_application_body_equals_the_serializer_output_for_each_role(role, organisation_x):
    vacancy = make_vacancy(organisation=organisation_x, title="Officer — Juba")
    application = Application.objects.create(
        candidate=make_candidate().candidate_profile, vacancy=vacancy,
        status=ApplicationStatus.SHORTLISTED, evaluation_score=Decimal("85.5"),
        eligibility_snapshot={"eligible": True, "checks": [{"rule": "age", "passed": True}]},
    )  # fmt: skip
    Application.objects.filter(pk=application.pk).update(
        status_changed_at=datetime(2026, 11, 2, 3, 4, 5, 6, tzinfo=UTC)
    )
    application.refresh_from_db()
    organisation = organisation_x if role == Role.PARTNER else None
    caller = SimpleNamespace(user=make_user(role=role, organisation=organisation))
    text = Application.objects.filter(pk=application.pk).values_list(
        body_column(APPLICATION_BODIES[role]), flat=True
    )

    expected = ApplicationSerializer(application, context={"request": caller}).data
    assert orjson.loads(text.get()) == expected
    assert expected["evaluation_score"] == (
        "85.50" if role in (Role.RECRUITER, Role.ADMIN) else None
    )


@pytest.mark.parametrize("ordering", ["title", "-title", "created_at", "-updated_at"])
def test_cursor_pages_of_built_bodies_follow_the_requested_order(
    ordering, recruiter, organisation_x
):
    # Titles tie in pairs, so the cursor also needs the id to place a page's last row.
    made = [make_vacancy(organisation=organisation_x, title=f"Officer {i // 2}") for i in range(7)]
    client = client_for(recruiter)

    seen, url, params = [], "/api/v1/vacancies/", {"ordering": ordering, "limit": 3}
    while url:
        body = client.get(url, params).json()
        seen += [(row["id"], row["title"]) for row in body["results"]]
        url, params = body["next"], None

    field = ordering.lstrip("-")
    expected = sorted(made, key=lambda v: (getattr(v, field), v.pk),
                      reverse=ordering.startswith("-"))  # fmt: skip
    assert seen == [(vacancy.pk, vacancy.title) for vacancy in expected]
