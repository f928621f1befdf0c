"""The benchmark's raw-SQL ceilings (bench/urls.py) answer what the API answers, so each
throughput ratio compares the same work done with and without DRF and the ORM."""

from datetime import timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone

from recruitment import services
from recruitment.enums import ApplicationStatus, Grade
from recruitment.models import AccessLogEntry, ApiToken, Application, RateLimitCounter
from tests.conftest import client_for
from tests.factories import make_candidate, make_duty_station, make_vacancy

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.urls")]

LIMIT = 2  # pages of two, so that every list has a next page


def candidate(*, citizenship: str, level: str, skills: list[str]):
    user = make_candidate()
    services.candidate_profile_update(profile=user.candidate_profile, data={
        "citizenships": [citizenship], "skills": skills,
        "languages": [{"language": "fr", "skill": "overall", "level": level, "scale": "cefr"}],
        "experience": [{"title": "Nutrition Officer",
                        "start_date": timezone.localdate() - timedelta(days=2000)}],
    })  # fmt: skip
    return user.candidate_profile


@pytest.fixture
def world(organisation_x):
    juba = make_duty_station(city="Juba", country="SS")
    vacancies = [
        make_vacancy(organisation=organisation_x, title=f"Nutrition Officer {number}",
                     grade=Grade.P2, skills=["nutrition", "sql"], required_languages=["fr"])
        for number in range(3)
    ]  # fmt: skip
    make_vacancy(organisation=organisation_x, title="Nutrition Officer (closed)",
                 closes_in=timedelta(days=-1))  # fmt: skip
    for vacancy in vacancies:
        vacancy.duty_stations.set([juba])
    hot = vacancies[0]
    profiles = [
        candidate(citizenship="NO", level="C1", skills=["nutrition"]),
        candidate(citizenship="NO", level="B2", skills=["nutrition", "sql"]),
        candidate(citizenship="NO", level="A2", skills=[]),
        candidate(citizenship="SE", level="C2", skills=["sql"]),
    ]
    for number, profile in enumerate(profiles):
        Application.objects.create(
            candidate=profile, vacancy=hot, status=ApplicationStatus.SUBMITTED,
            eligibility_snapshot={"eligible": number % 2 == 0},
        )  # fmt: skip
    return hot


def pairs(hot, viewer) -> list[tuple[str, str]]:
    search = f"q=nutrition+juba&open=true&limit={LIMIT}"
    candidates = f"citizenship=NO&language=fr&language_level=B2&limit={LIMIT}"
    return [
        (f"/api/v1/vacancies/?{search}", f"/ceiling/vacancies/?{search}"),
        (f"/api/v1/vacancies/{hot.pk}/", f"/ceiling/vacancies/{hot.pk}/"),
        (f"/api/v1/candidates/?{candidates}",
         f"/ceiling/candidates/?{candidates}&viewer={viewer.pk}"),
        (f"/api/v1/vacancies/{hot.pk}/shortlist/?limit={LIMIT}",
         f"/ceiling/vacancies/{hot.pk}/shortlist/?limit={LIMIT}"),
        (f"/api/v1/applications/?vacancy={hot.pk}&limit={LIMIT}",
         f"/ceiling/applications/?vacancy={hot.pk}&limit={LIMIT}"),
    ]  # fmt: skip


def results(body: dict) -> object:
    """What both answer alike: the ceilings build no `next` link."""
    return body["results"] if "next" in body else body


def test_each_ceiling_answers_what_the_api_answers(world, recruiter):
    client = client_for(recruiter)
    for api, ceiling in pairs(world, recruiter):
        answered = client.get(api)
        assert answered.status_code == 200, (api, answered.content)
        expected = results(answered.json())
        assert expected not in ([], {}), api  # the data covers every scenario

        assert results(client.get(ceiling).json()) == expected, ceiling


def test_a_ceiling_logs_the_reads_and_counts_the_caller_as_the_api_does(world, recruiter):
    client = client_for(recruiter)
    path = (
        f"/ceiling/candidates/?citizenship=NO&language=fr&language_level=B2&viewer={recruiter.pk}"
    )
    client.get(path.replace("/ceiling/", "/api/v1/"))
    by_api = sorted(AccessLogEntry.objects.values_list("resource_id", "viewer_id", "viewer_role"))
    counted = hits_per_key()

    client.get(path)

    logged = sorted(AccessLogEntry.objects.values_list("resource_id", "viewer_id", "viewer_role"))
    assert logged == sorted(by_api * 2)
    assert counted == {f"caller:user:{recruiter.pk}": 1, "ip:127.0.0.1": 1}
    assert hits_per_key() == {key: 2 for key in counted}


def hits_per_key() -> dict[str, int]:
    """Hits per rate-limit key, whichever windows they fell in."""
    return dict(RateLimitCounter.objects.values("key").annotate(hits=Sum("hits")).values_list(
        "key", "hits"))  # fmt: skip


def test_a_ceiling_refuses_a_token_the_api_refuses(world, recruiter):
    client = client_for(recruiter)
    for token in ApiToken.objects.filter(user=recruiter):
        services.api_token_revoke(token=token)

    assert client.get(f"/ceiling/vacancies/{world.pk}/").status_code == 401
    assert client.get(f"/api/v1/vacancies/{world.pk}/").status_code == 401
