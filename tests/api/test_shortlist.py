"""GET /api/v1/vacancies/{id}/shortlist/: explainable ranking, weights as data, scoping."""

from datetime import timedelta

import pytest
from django.utils import timezone

from recruitment import services
from recruitment.enums import ApplicationStatus, Grade
from recruitment.models import Application, MatchWeights
from tests.conftest import client_for
from tests.factories import (
    make_candidate,
    make_duty_station,
    make_scheme,
    make_vacancy,
)

pytestmark = pytest.mark.django_db

WEIGHTS = {"eligibility": 30, "languages": 15, "experience": 20, "education": 10, "skills": 20,
           "duty_station": 5}  # fmt: skip


def url(vacancy) -> str:
    return f"/api/v1/vacancies/{vacancy.pk}/shortlist/"


def component(value, weight, total=100):
    return {"value": value, "weight": weight, "points": round(value * weight * 100 / total, 2)}


def applicant(vacancy, *, eligible=True, status=ApplicationStatus.SUBMITTED, **profile):
    user = make_candidate()
    services.candidate_profile_update(profile=user.candidate_profile, data=profile)
    return Application.objects.create(
        candidate=user.candidate_profile, vacancy=vacancy, status=status,
        eligibility_snapshot={"eligible": eligible},
        nominated_at=timezone.now() if status == ApplicationStatus.NOMINATED else None,
    )  # fmt: skip


@pytest.fixture
def vacancy(organisation_x):
    nairobi = make_duty_station(city="Nairobi", country="KE")
    vacancy = make_vacancy(organisation=organisation_x, grade=Grade.P3,
                           skills=["gis", "logistics", "python", "sql"],
                           required_languages=["en", "fr"])  # fmt: skip
    vacancy.duty_stations.set([nairobi])
    return vacancy


@pytest.fixture
def applicants(vacancy):
    today = timezone.localdate()
    strong = applicant(
        vacancy, skills=["gis", "python", "sql", "stata"], preferred_countries=["KE"],
        education=[{"level": "master"}],
        experience=[{"title": "GIS Officer", "start_date": today - timedelta(days=3650)}],
        languages=[{"language": "en", "skill": "overall", "level": "C2", "scale": "cefr"},
                   {"language": "fr", "skill": "overall", "level": "B1", "scale": "cefr"}],
    )  # fmt: skip
    middling = applicant(
        vacancy, skills=["logistics"], preferred_countries=["CH"],
        education=[{"level": "bachelor"}],
        experience=[{"title": "Logistician", "start_date": today - timedelta(days=730)}],
        languages=[{"language": "en", "skill": "overall", "level": "fluent", "scale": "inspira"},
                   {"language": "fr", "skill": "overall", "level": "A2", "scale": "cefr"}],
    )  # fmt: skip
    ineligible = applicant(vacancy, eligible=False, skills=["gis"])
    withdrawn = applicant(vacancy, status=ApplicationStatus.WITHDRAWN, skills=["gis"])
    return {"strong": strong, "middling": middling, "ineligible": ineligible,
            "withdrawn": withdrawn}  # fmt: skip


def entry(application, score, experience_years, **components):
    return {
        "application": application.pk,
        "candidate": application.candidate_id,
        "status": application.status,
        "score": score,
        "experience_years": experience_years,
        "components": components,
    }


def test_shortlist_ranks_active_applicants_with_reasons(recruiter, vacancy, applicants):
    response = client_for(recruiter).get(url(vacancy))

    assert response.status_code == 200
    a = applicants
    assert response.json() == {
        "vacancy": vacancy.pk,
        "weights": WEIGHTS,
        "grade_minimum_years": 5,
        "results": [
            entry(a["strong"], 95.0, 10.0,
                  eligibility=component(1.0, 30), languages=component(1.0, 15),
                  experience=component(1.0, 20), education=component(1.0, 10),
                  skills=component(0.75, 20), duty_station=component(1.0, 5)),
            entry(a["middling"], 57.17, 2.0,
                  eligibility=component(1.0, 30), languages=component(0.5, 15),
                  experience=component(0.4, 20), education=component(0.667, 10),
                  skills=component(0.25, 20), duty_station=component(0.0, 5)),
            # Ineligible and with nothing else: only the neutral duty-station preference.
            entry(a["ineligible"], 10.0, 0.0,
                  eligibility=component(0.0, 30), languages=component(0.0, 15),
                  experience=component(0.0, 20), education=component(0.0, 10),
                  skills=component(0.25, 20), duty_station=component(1.0, 5)),
        ],
    }  # fmt: skip


def test_shortlist_uses_the_scheme_weights_and_limit(recruiter, organisation_x, applicants):
    vacancy = applicants["strong"].vacancy
    scheme = make_scheme(code="jpo")
    vacancy.scheme = scheme
    vacancy.save(update_fields=["scheme"])
    MatchWeights.objects.create(scheme=scheme, eligibility=0, languages=0, experience=0,
                                education=0, skills=1, duty_station=0)  # fmt: skip

    response = client_for(recruiter).get(url(vacancy), {"limit": 2})

    weights = {"eligibility": 0, "languages": 0, "experience": 0, "education": 0, "skills": 1,
               "duty_station": 0}  # fmt: skip
    body = response.json()
    assert body["weights"] == weights
    assert [(row["application"], row["score"]) for row in body["results"]] == [
        (applicants["strong"].pk, 75.0),
        (applicants["middling"].pk, 25.0),  # ties with "ineligible" at 25: lower id first
    ]


def test_partner_ranks_only_nominated_applicants_of_its_vacancies(
    partner_x, partner_y, vacancy, applicants
):
    nominated = applicant(vacancy, status=ApplicationStatus.NOMINATED)

    own = client_for(partner_x).get(url(vacancy))
    foreign = client_for(partner_y).get(url(vacancy))

    assert [row["application"] for row in own.json()["results"]] == [nominated.pk]
    assert foreign.status_code == 404
    assert foreign.json() == {"code": "not_found", "detail": "Not found."}


def test_candidates_and_anonymous_cannot_rank(candidate_a, anonymous, vacancy, applicants):
    as_candidate = client_for(candidate_a).get(url(vacancy))
    as_anonymous = anonymous.get(url(vacancy))

    assert as_candidate.status_code == 403
    assert as_candidate.json() == {
        "code": "permission_denied",
        "detail": "Only recruiters, admins and partners rank applicants.",
    }
    assert as_anonymous.status_code == 401


def test_shortlist_rejects_a_bad_limit(recruiter, vacancy):
    response = client_for(recruiter).get(url(vacancy), {"limit": 0})

    assert response.status_code == 400
    assert response.json() == {
        "code": "validation_error",
        "detail": "The request is not valid; see `fields`.",
        "fields": {"limit": ["Ensure this value is greater than or equal to 1."]},
    }


def test_shortlist_default_weights_are_the_stored_row(recruiter, vacancy, applicants):
    # The migration stores the default row; tests that flush the database remove it.
    MatchWeights.objects.update_or_create(scheme=None, defaults={
        "eligibility": 100, "languages": 0, "experience": 0, "education": 0, "skills": 0,
        "duty_station": 0,
    })  # fmt: skip

    response = client_for(recruiter).get(url(vacancy))

    assert [(row["application"], row["score"]) for row in response.json()["results"]] == [
        (applicants["strong"].pk, 100.0),
        (applicants["middling"].pk, 100.0),
        (applicants["ineligible"].pk, 0.0),
    ]


def test_experience_sums_ended_and_concurrent_open_jobs(recruiter, organisation_x):
    today = timezone.localdate()
    vacancy = make_vacancy(organisation=organisation_x, grade=Grade.P5,
                           skills=["gis", "gis", "sql"], required_languages=[])  # fmt: skip
    # 2 years ended, plus two jobs held at once since 3 and 1 years ago: 6 years in all.
    busy = applicant(vacancy, skills=["gis"], experience=[
        {"title": "Analyst", "start_date": today - timedelta(days=2555),
         "end_date": today - timedelta(days=1825)},
        {"title": "Officer", "start_date": today - timedelta(days=1095)},
        {"title": "Lecturer", "start_date": today - timedelta(days=365)},
    ])  # fmt: skip
    # A snapshot blanked by the retention purge counts as not eligible.
    purged = applicant(vacancy, skills=["sql", "gis"])
    Application.objects.filter(pk=purged.pk).update(eligibility_snapshot={})

    response = client_for(recruiter).get(url(vacancy))

    assert response.json()["results"] == [
        entry(busy, 72.0, 6.0,
              eligibility=component(1.0, 30), languages=component(1.0, 15),
              experience=component(0.6, 20), education=component(0.0, 10),
              skills=component(0.5, 20), duty_station=component(1.0, 5)),
        entry(purged, 40.0, 0.0,
              eligibility=component(0.0, 30), languages=component(1.0, 15),
              experience=component(0.0, 20), education=component(0.0, 10),
              skills=component(1.0, 20), duty_station=component(1.0, 5)),
    ]  # fmt: skip
