"""Eligibility through the API: explained per rule, stored on applying, refused when failed."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from recruitment.models import Application, CandidateProfile, Education, EligibilityRuleSet
from tests.conftest import client_for
from tests.factories import make_duty_station, make_scheme, make_vacancy

JPO_RULES = {
    "nationalities": {"allowed": ["NO"]},
    "age": {"max": 31, "measured_at": "closing_date"},
    "education": [{"degree": "master", "years": 0}],
}


@pytest.fixture
def jpo_vacancy(organisation_x):
    scheme = make_scheme(code="jpo")
    EligibilityRuleSet.objects.create(
        scheme=scheme, version=3, effective_from=date(2026, 1, 1), rules=JPO_RULES
    )
    vacancy = make_vacancy(organisation=organisation_x, scheme=scheme, grade="P-2")
    vacancy.duty_stations.add(make_duty_station(city="Accra", country="GH"))
    return vacancy


def set_profile(user, *, citizenships, born, degree="master"):
    profile = CandidateProfile.objects.get(user=user)
    profile.citizenships, profile.date_of_birth = citizenships, born
    profile.save()
    Education.objects.create(profile=profile, level=degree, completed_on=date(2020, 6, 1))
    return profile


def years_ago(years):
    today = timezone.localdate()
    return today.replace(year=today.year - years) - timedelta(days=10)


def test_eligibility_explains_each_rule_for_the_calling_candidate(candidate_a, jpo_vacancy):
    set_profile(candidate_a, citizenships=["NO"], born=years_ago(28))

    response = client_for(candidate_a).get(f"/api/v1/vacancies/{jpo_vacancy.pk}/eligibility/")

    assert response.status_code == 200
    body = response.json()
    assert (body["eligible"], body["rule_set"]) == (True, 3)
    assert [(check["rule"], check["passed"]) for check in body["checks"]] == [
        ("nationalities", True),
        ("age", True),
        ("education", True),
    ]


def test_apply_stores_the_eligibility_snapshot(candidate_a, jpo_vacancy):
    set_profile(candidate_a, citizenships=["NO"], born=years_ago(28))
    expected = client_for(candidate_a).get(f"/api/v1/vacancies/{jpo_vacancy.pk}/eligibility/")

    response = client_for(candidate_a).post("/api/v1/applications/", {"vacancy": jpo_vacancy.pk})

    assert response.status_code == 201
    assert response.json()["eligibility_snapshot"] == expected.json()
    assert Application.objects.get().eligibility_snapshot == expected.json()


def test_apply_when_ineligible_is_400_with_the_failed_checks(candidate_a, jpo_vacancy):
    set_profile(candidate_a, citizenships=["SE"], born=years_ago(35))

    response = client_for(candidate_a).post("/api/v1/applications/", {"vacancy": jpo_vacancy.pk})

    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["rule_set"]) == ("ineligible", 3)
    assert [check["rule"] for check in body["failed_checks"]] == ["nationalities", "age"]
    assert Application.objects.count() == 0


def test_apply_when_ineligible_under_an_override_scheme_is_kept_for_review(
    candidate_a, jpo_vacancy
):
    jpo_vacancy.scheme.allows_recruiter_override = True
    jpo_vacancy.scheme.save()
    set_profile(candidate_a, citizenships=["SE"], born=years_ago(28))

    response = client_for(candidate_a).post("/api/v1/applications/", {"vacancy": jpo_vacancy.pk})

    assert response.status_code == 201
    assert response.json()["eligibility_snapshot"]["eligible"] is False


def test_eligibility_is_for_candidates_only(recruiter, jpo_vacancy):
    response = client_for(recruiter).get(f"/api/v1/vacancies/{jpo_vacancy.pk}/eligibility/")

    assert response.status_code == 403


def test_eligibility_of_a_draft_vacancy_is_404(candidate_a, organisation_x):
    draft = make_vacancy(organisation=organisation_x, status="draft")

    response = client_for(candidate_a).get(f"/api/v1/vacancies/{draft.pk}/eligibility/")

    assert response.status_code == 404


def test_eligibility_without_rules_is_eligible_with_no_checks(candidate_a, organisation_x):
    vacancy = make_vacancy(organisation=organisation_x)

    response = client_for(candidate_a).get(f"/api/v1/vacancies/{vacancy.pk}/eligibility/")

    assert response.json() == {"eligible": True, "rule_set": None, "checks": []}
