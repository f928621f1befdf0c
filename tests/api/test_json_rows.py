"""Bodies built by PostgreSQL (api.json_rows) equal the serializers' output, field for field."""

from datetime import UTC, date, datetime

import orjson
import pytest

from api.json_rows import body_column
from api.serializers.vacancies import VACANCY_BODY, VacancySerializer
from recruitment.enums import FeedKind, Grade, Modality, VacancyStatus
from recruitment.models import DutyStation, Feed, Vacancy, VacancySource
from tests.factories import make_scheme, make_vacancy

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
