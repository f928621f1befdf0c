"""Query discipline: every list and detail answers in a fixed number of SQL queries whatever
the page size or the number of nested rows (counted at 1 and at 100)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recruitment import services
from recruitment.enums import ApplicationStatus, FeedKind, OutboxKind, Role
from recruitment.models import (
    Application,
    DutyStation,
    Feed,
    Organisation,
    Scheme,
    Vacancy,
    VacancySource,
)
from tests.conftest import client_for
from tests.factories import (
    make_candidate,
    make_outbox_message,
    make_placement,
    make_saved_search,
    make_user,
    make_vacancy,
)

pytestmark = pytest.mark.django_db

MOST_QUERIES = 5
# The same for every request: token authentication reads the token with its user, and the
# rate limits (caller, IP, and the view's strict scope) are counted in one statement.
AUTHENTICATION = 1 + 1


def count_queries(client, path, params=None) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params or {})
    assert response.status_code == 200, response.json()
    return len(queries), response.json()


def test_vacancy_list_and_detail(recruiter, organisation_x):
    stations = [DutyStation.objects.create(city=f"City {i}", country="KE") for i in range(100)]
    feed = Feed.objects.create(kind=FeedKind.RSS, organisation=organisation_x)
    for i in range(100):
        vacancy = make_vacancy(organisation=organisation_x, title=f"Officer {i}")
        vacancy.duty_stations.set(stations[:2])
        VacancySource.objects.create(vacancy=vacancy, feed=feed, external_id=str(i),
                                     content_hash="x")  # fmt: skip
    rich = Vacancy.objects.order_by("id").first()
    rich.duty_stations.set(stations)
    poor = Vacancy.objects.order_by("id").last()
    poor.duty_stations.set(stations[:1])
    client = client_for(recruiter)

    one, body_one = count_queries(client, "/api/v1/vacancies/", {"limit": 1})
    hundred, body_hundred = count_queries(client, "/api/v1/vacancies/", {"limit": 100})
    many, _ = count_queries(client, f"/api/v1/vacancies/{rich.pk}/")
    few, _ = count_queries(client, f"/api/v1/vacancies/{poor.pk}/")
    searched, _ = count_queries(client, "/api/v1/vacancies/", {"limit": 100, "q": "officer"})

    assert (len(body_one["results"]), len(body_hundred["results"])) == (1, 100)
    # One statement: the page, each row's duty stations and sources built as JSON with it.
    assert one == hundred == searched == many == few == AUTHENTICATION + 1
    assert hundred <= MOST_QUERIES


def test_candidate_list_and_detail(recruiter):
    for i in range(100):
        user = make_candidate()
        services.candidate_profile_update(profile=user.candidate_profile, data={
            "education": [{"level": "master"}],
            "experience": [{"title": f"Officer {i}", "start_date": date(2020, 1, 1)}],
            "languages": [{"language": "en", "skill": "overall", "level": "C1", "scale": "cefr"}],
        })  # fmt: skip
    client = client_for(recruiter)

    one, body_one = count_queries(client, "/api/v1/candidates/", {"limit": 1})
    hundred, body_hundred = count_queries(client, "/api/v1/candidates/", {"limit": 100})
    detail, _ = count_queries(client, f"/api/v1/candidates/{body_one['results'][0]['id']}/")
    filtered, _ = count_queries(
        client, "/api/v1/candidates/", {"limit": 100, "language": "en", "language_level": "B2",
                                        "min_years_experience": 1, "q": "officer"},
    )  # fmt: skip

    assert (len(body_one["results"]), len(body_hundred["results"])) == (1, 100)
    # the page with its nested lists (one statement), the access log's append (GDPR)
    assert one == hundred == filtered == detail == AUTHENTICATION + 2
    assert hundred <= MOST_QUERIES


def test_application_list_and_detail(recruiter, organisation_x):
    vacancies = [make_vacancy(organisation=organisation_x) for _ in range(2)]
    for i in range(100):
        profile = make_candidate().candidate_profile
        Application.objects.create(candidate=profile, vacancy=vacancies[i % 2],
                                   status=ApplicationStatus.SCREENING)  # fmt: skip
    client = client_for(recruiter)

    one, body = count_queries(client, "/api/v1/applications/", {"limit": 1})
    hundred, _ = count_queries(client, "/api/v1/applications/", {"limit": 100})
    of_vacancy, _ = count_queries(
        client, "/api/v1/applications/", {"limit": 100, "vacancy": vacancies[0].pk}
    )
    detail, _ = count_queries(client, f"/api/v1/applications/{body['results'][0]['id']}/")

    assert one == hundred == of_vacancy == AUTHENTICATION + 1
    assert detail == AUTHENTICATION + 1  # the same statement for one application
    assert hundred <= MOST_QUERIES


def test_shortlist(recruiter, organisation_x):
    vacancy = make_vacancy(organisation=organisation_x, skills=["gis"])
    for _ in range(100):
        Application.objects.create(candidate=make_candidate().candidate_profile, vacancy=vacancy)
    client = client_for(recruiter)
    path = f"/api/v1/vacancies/{vacancy.pk}/shortlist/"

    one, body_one = count_queries(client, path, {"limit": 1})
    hundred, body_hundred = count_queries(client, path, {"limit": 100})

    assert (len(body_one["results"]), len(body_hundred["results"])) == (1, 100)
    assert one == hundred == AUTHENTICATION + 3  # vacancy, weights, ranking
    assert hundred <= MOST_QUERIES


def test_placement_list_and_detail(recruiter):
    for _ in range(100):
        make_placement()
    client = client_for(recruiter)

    one, body = count_queries(client, "/api/v1/placements/", {"limit": 1})
    hundred, _ = count_queries(client, "/api/v1/placements/", {"limit": 100})
    detail, _ = count_queries(client, f"/api/v1/placements/{body['results'][0]['id']}/")

    assert one == hundred
    assert hundred <= MOST_QUERIES
    assert detail <= MOST_QUERIES


@pytest.mark.parametrize(
    ("path", "role"),
    [
        ("/api/v1/organisations/", None),
        ("/api/v1/duty-stations/", None),
        ("/api/v1/schemes/", None),
        ("/api/v1/feeds/", Role.RECRUITER),
        ("/api/v1/notifications/", Role.CANDIDATE),
        ("/api/v1/outbox-messages/", Role.ADMIN),
        ("/api/v1/saved-searches/", Role.CANDIDATE),
    ],
)
def test_reference_and_other_lists(path, role):
    user = make_user(role=role) if role else None
    organisation = Organisation.objects.create(slug="base", name="Base", kind="un_agency")
    for i in range(100):
        Organisation.objects.create(slug=f"org-{i}", name=f"Org {i}", kind="un_agency")
        DutyStation.objects.create(city=f"City {i}", country="KE")
        Scheme.objects.create(code=f"scheme-{i}", name=f"Scheme {i}")
        Feed.objects.create(kind=FeedKind.RSS, organisation=organisation, url=f"https://e.org/{i}")
        if user is not None and role == Role.CANDIDATE:
            make_outbox_message(
                recipient=user, kind=OutboxKind.EMAIL, event_type="application.received"
            )
            make_saved_search(user=user, name=f"Search {i}")
        elif role == Role.ADMIN:
            make_outbox_message()
    client = client_for(user)

    one, body_one = count_queries(client, path, {"limit": 1})
    hundred, body_hundred = count_queries(client, path, {"limit": 100})

    assert (len(body_one["results"]), len(body_hundred["results"])) == (1, 100)
    assert one == hundred
    assert hundred <= MOST_QUERIES
