"""Full-text search and the search filters of vacancies, candidates and applications."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from recruitment import services
from recruitment.enums import ApplicationStatus, Modality, Role, VacancyStatus
from recruitment.models import Application, DutyStationClassification, Organisation, Vacancy
from recruitment.vacancy_search import vacancy_search
from tests.conftest import client_for
from tests.factories import (
    make_application,
    make_candidate,
    make_duty_station,
    make_organisation,
    make_placement,
    make_scheme,
    make_user,
    make_vacancy,
)

pytestmark = pytest.mark.django_db

VACANCIES = "/api/v1/vacancies/"
CANDIDATES = "/api/v1/candidates/"
APPLICATIONS = "/api/v1/applications/"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [item["id"] for item in response.json()["results"]]


def invalid(fields: dict) -> dict:
    return {"code": "validation_error", "detail": "The request is not valid; see `fields`.",
            "fields": fields}  # fmt: skip


@pytest.fixture
def searchable(organisation_x):
    """Vacancies that each match one word in one place (title, organisation, station, text)."""
    who = make_organisation(slug="who", name="World Health Organization", acronym="WHO")
    juba = make_duty_station(city="Juba", country="SS")
    by_title = make_vacancy(organisation=organisation_x, title="Nutrition Specialist")
    by_organisation = make_vacancy(organisation=who, title="Programme Officer")
    by_station = make_vacancy(organisation=organisation_x, title="Programme Officer")
    by_station.duty_stations.set([juba])
    by_text = make_vacancy(
        organisation=organisation_x, title="Programme Officer",
        description="<p>Lead the <b>nutrition</b> surveys.</p>",
    )  # fmt: skip
    draft = make_vacancy(organisation=organisation_x, title="Nutrition Officer",
                         status=VacancyStatus.DRAFT)  # fmt: skip
    return {"title": by_title, "organisation": by_organisation, "station": by_station,
            "text": by_text, "draft": draft}  # fmt: skip


def test_vacancy_search_matches_title_organisation_station_and_description(anonymous, searchable):
    nutrition = anonymous.get(VACANCIES, {"q": "nutritional"})  # stemmed: nutrit
    health = anonymous.get(VACANCIES, {"q": "world health"})
    juba = anonymous.get(VACANCIES, {"q": "juba"})

    # Newest first; the draft matches the words but is not visible to an anonymous caller.
    assert ids(nutrition) == [searchable["text"].pk, searchable["title"].pk]
    assert ids(health) == [searchable["organisation"].pk]
    assert ids(juba) == [searchable["station"].pk]


def test_vacancy_search_web_syntax_phrase_and_exclusion(anonymous, searchable):
    response = anonymous.get(VACANCIES, {"q": "programme -juba -health"})

    assert ids(response) == [searchable["text"].pk]


def test_vacancy_search_vector_follows_organisation_and_station_changes(anonymous, searchable):
    Organisation.objects.filter(slug="who").update(name="Global Wellness Body")
    searchable["station"].duty_stations.set([])

    assert ids(anonymous.get(VACANCIES, {"q": "wellness"})) == [searchable["organisation"].pk]
    assert ids(anonymous.get(VACANCIES, {"q": "juba"})) == []


def test_vacancy_search_is_shared_with_saved_searches(searchable):
    found = vacancy_search(Vacancy.objects.all(), {"q": "nutrition", "open": "true"})

    assert sorted(found.values_list("id", flat=True)) == [
        searchable["title"].pk, searchable["text"].pk,
    ]  # fmt: skip


def test_saved_search_accepts_text_query(candidate_a, searchable):
    response = client_for(candidate_a).post(
        "/api/v1/saved-searches/",
        {"name": "Nutrition", "criteria": {"q": "nutrition", "open": "true", "hardship": ["E"]}},
    )

    assert response.status_code == 201
    assert response.json()["criteria"] == {"q": "nutrition", "open": "true", "hardship": ["E"]}


def test_vacancy_filters_category_modality_language_open(anonymous, organisation_x):
    remote = make_vacancy(organisation=organisation_x, modality=Modality.REMOTE,
                          category="Programme", required_languages=["en", "fr"])  # fmt: skip
    hybrid = make_vacancy(organisation=organisation_x, modality=Modality.HYBRID,
                          category="Operations", required_languages=["en"])  # fmt: skip
    past = make_vacancy(organisation=organisation_x, closes_in=timedelta(days=-1),
                        category="Programme")  # fmt: skip

    assert ids(anonymous.get(VACANCIES, {"modality": ["remote", "hybrid"]})) == [
        hybrid.pk, remote.pk,
    ]  # fmt: skip
    assert ids(anonymous.get(VACANCIES, {"category": "programme"})) == [past.pk, remote.pk]
    assert ids(anonymous.get(VACANCIES, {"language": "fr"})) == [remote.pk]
    assert ids(anonymous.get(VACANCIES, {"open": "true"})) == [hybrid.pk, remote.pk]
    assert ids(anonymous.get(VACANCIES, {"open": "false"})) == [past.pk]


def test_vacancy_filters_all_at_once(anonymous, organisation_x):
    """Many criteria in one request: only the vacancy that meets all of them; each other
    vacancy misses exactly one."""
    jpo = make_scheme(code="jpo")
    juba = make_duty_station(city="Juba", country="SS")
    DutyStationClassification.objects.create(
        duty_station=juba, hardship="E", family_status="non_family", effective_from=date(2020, 1, 1)
    )
    wanted = {"title": "Nutrition Specialist", "scheme": jpo, "grade": "P-2",
              "category": "Programme", "modality": Modality.ON_SITE,
              "required_languages": ["en", "fr"]}  # fmt: skip
    match = make_vacancy(organisation=organisation_x, **wanted)
    misses = [
        make_vacancy(organisation=organisation_x, **{**wanted, "title": "Logistics Officer"}),
        make_vacancy(organisation=organisation_x, **{**wanted, "grade": "P-4"}),
        make_vacancy(organisation=organisation_x, **{**wanted, "required_languages": ["en"]}),
        make_vacancy(organisation=organisation_x, **{**wanted, "scheme": None}),
        make_vacancy(organisation=organisation_x, closes_in=timedelta(days=-1), **wanted),
        make_vacancy(organisation=make_organisation(slug="wfp"), **wanted),
        make_vacancy(organisation=organisation_x, **wanted),  # not in Juba
    ]
    for vacancy in [match, *misses[:-1]]:
        vacancy.duty_stations.set([juba])
    criteria = {"q": "nutrition", "organisation": organisation_x.slug, "scheme": "jpo",
                "grade": ["P-2", "P-3"], "category": "programme", "country": "ss",
                "hardship": "E", "modality": "on_site", "open": "true", "language": "fr",
                "closes_after": timezone.now().isoformat()}  # fmt: skip

    assert ids(anonymous.get(VACANCIES, criteria)) == [match.pk]
    assert ids(anonymous.get(VACANCIES, {**criteria, "hardship": "A"})) == []


def test_vacancy_filters_current_hardship_and_family_status(anonymous, organisation_x):
    juba = make_duty_station(city="Juba", country="SS")
    geneva = make_duty_station(city="Geneva", country="CH")
    # Juba was C, and is E since last month: only the classification in force counts.
    DutyStationClassification.objects.create(
        duty_station=juba, hardship="C", family_status="family", effective_from=date(2020, 1, 1)
    )
    DutyStationClassification.objects.create(
        duty_station=juba, hardship="E", family_status="non_family",
        effective_from=timezone.localdate() - timedelta(days=30),
    )  # fmt: skip
    DutyStationClassification.objects.create(
        duty_station=geneva, hardship="H", family_status="family", effective_from=date(2020, 1, 1)
    )
    in_juba = make_vacancy(organisation=organisation_x)
    in_juba.duty_stations.set([juba])
    in_geneva = make_vacancy(organisation=organisation_x)
    in_geneva.duty_stations.set([geneva])

    assert ids(anonymous.get(VACANCIES, {"hardship": ["D", "E"]})) == [in_juba.pk]
    assert ids(anonymous.get(VACANCIES, {"hardship": "C"})) == []
    assert ids(anonymous.get(VACANCIES, {"family_status": "family"})) == [in_geneva.pk]
    assert ids(anonymous.get(VACANCIES, {"country": "ss"})) == [in_juba.pk]


def test_vacancy_filters_reject_bad_values(anonymous):
    response = anonymous.get(VACANCIES, {"hardship": "Z", "open": "perhaps", "q": "x" * 201})

    assert response.status_code == 400
    assert response.json() == invalid({
        "hardship": ["Select a valid choice. Z is not one of the available choices."],
        "open": ["Select a valid choice. perhaps is not one of the available choices."],
        "q": ["Ensure this value has at most 200 characters (it has 201)."],
    })  # fmt: skip


# --- candidates -------------------------------------------------------------------------------


def _profile(user, **fields):
    profile = user.candidate_profile
    services.candidate_profile_update(profile=profile, data=fields)
    return profile


@pytest.fixture
def profiles(db):
    today = timezone.localdate()
    epidemiologist = _profile(
        make_candidate(), skills=["epidemiology", "stata"],
        education=[{"level": "doctorate", "field_of_study": "Public health"}],
        experience=[{"title": "Epidemiologist", "employer": "WHO",
                     "start_date": today - timedelta(days=365 * 8)}],
        languages=[{"language": "fr", "skill": "overall", "level": "C1", "scale": "cefr"}],
    )  # fmt: skip
    logistician = _profile(
        make_candidate(), skills=["logistics"],
        education=[{"level": "bachelor", "field_of_study": "Engineering"}],
        experience=[{"title": "Supply Chain Officer", "employer": "WFP",
                     "start_date": today - timedelta(days=365 * 3),
                     "end_date": today - timedelta(days=365)}],
        languages=[{"language": "fr", "skill": "overall", "level": "basic", "scale": "inspira"}],
    )  # fmt: skip
    newcomer = _profile(
        make_candidate(), skills=[],
        education=[{"level": "master", "field_of_study": "Nutrition"}],
        languages=[{"language": "fr", "skill": "reading", "level": "III", "scale": "un"}],
    )  # fmt: skip
    return {"epidemiologist": epidemiologist, "logistician": logistician, "newcomer": newcomer}


def test_candidate_search_over_skills_experience_and_education(recruiter, profiles):
    client = client_for(recruiter)

    assert ids(client.get(CANDIDATES, {"q": "epidemiology"})) == [profiles["epidemiologist"].pk]
    assert ids(client.get(CANDIDATES, {"q": "supply chain"})) == [profiles["logistician"].pk]
    assert ids(client.get(CANDIDATES, {"q": "nutrition master"})) == [profiles["newcomer"].pk]


def test_candidate_search_follows_replaced_lists(recruiter, profiles):
    services.candidate_profile_update(
        profile=profiles["logistician"],
        data={"experience": [{"title": "Cartographer", "start_date": date(2020, 1, 1)}]},
    )

    assert ids(client_for(recruiter).get(CANDIDATES, {"q": "cartographer"})) == [
        profiles["logistician"].pk
    ]
    assert ids(client_for(recruiter).get(CANDIDATES, {"q": "supply"})) == []


def test_candidate_filters_language_level_degree_and_experience(recruiter, profiles):
    client = client_for(recruiter)
    p = profiles

    # B2 on the common scale: CEFR C1 and UN III pass, Inspira basic does not.
    assert ids(client.get(CANDIDATES, {"language": "fr", "language_level": "B2"})) == [
        p["newcomer"].pk, p["epidemiologist"].pk,
    ]  # fmt: skip
    assert ids(client.get(CANDIDATES, {"language": "FR"})) == [
        p["newcomer"].pk, p["logistician"].pk, p["epidemiologist"].pk,
    ]  # fmt: skip
    assert ids(client.get(CANDIDATES, {"degree_level": "master"})) == [
        p["newcomer"].pk, p["epidemiologist"].pk,
    ]  # fmt: skip
    assert ids(client.get(CANDIDATES, {"min_years_experience": 2})) == [
        p["logistician"].pk, p["epidemiologist"].pk,
    ]  # fmt: skip
    assert ids(client.get(CANDIDATES, {"min_years_experience": 5})) == [p["epidemiologist"].pk]


def test_candidate_filter_eligible_for_a_vacancy(recruiter, profiles, organisation_x):
    vacancy = make_vacancy(organisation=organisation_x)
    other = make_vacancy(organisation=organisation_x)
    for name, eligible in (("epidemiologist", True), ("logistician", False)):
        Application.objects.create(candidate=profiles[name], vacancy=vacancy,
                                   eligibility_snapshot={"eligible": eligible})  # fmt: skip
    Application.objects.create(candidate=profiles["newcomer"], vacancy=other,
                               eligibility_snapshot={"eligible": True})  # fmt: skip

    response = client_for(recruiter).get(CANDIDATES, {"eligible_for": vacancy.pk})

    assert ids(response) == [profiles["epidemiologist"].pk]


def test_candidate_filters_all_at_once(recruiter, profiles, organisation_x):
    """Every criterion in one request: only the profile that meets all of them, each other
    profile missing at least one (they all speak French and applied)."""
    vacancy = make_vacancy(organisation=organisation_x)
    for name in profiles:
        Application.objects.create(candidate=profiles[name], vacancy=vacancy,
                                   eligibility_snapshot={"eligible": True})  # fmt: skip
    for profile, citizenships in zip(
        profiles.values(), (["NO", "SE"], ["NO"], ["NO"]), strict=True
    ):
        _profile(profile.user, citizenships=citizenships)
    criteria = {"q": "public health", "citizenship": "no", "language": "fr",
                "language_level": "B2", "degree_level": "master", "min_years_experience": 5,
                "eligible_for": vacancy.pk}  # fmt: skip
    client = client_for(recruiter)

    assert ids(client.get(CANDIDATES, criteria)) == [profiles["epidemiologist"].pk]
    assert ids(client.get(CANDIDATES, {**criteria, "citizenship": "SE"})) == [
        profiles["epidemiologist"].pk
    ]
    assert ids(client.get(CANDIDATES, {**criteria, "citizenship": "DK"})) == []
    assert ids(client.get(CANDIDATES, {**criteria, "q": "nutrition"})) == []
    assert ids(client.get(CANDIDATES, {**criteria, "q": "", "min_years_experience": 0})) == [
        profiles["newcomer"].pk, profiles["epidemiologist"].pk,
    ]  # fmt: skip


def test_candidate_filter_level_needs_language(recruiter, profiles):
    response = client_for(recruiter).get(CANDIDATES, {"language_level": "B2"})

    assert response.status_code == 400
    assert response.json() == invalid({"language_level": ["Give `language` too."]})


def test_candidate_filters_are_for_recruiters_only(partner_x, profiles):
    response = client_for(partner_x).get(CANDIDATES, {"q": "epidemiology"})

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


# --- applications and updated_since -----------------------------------------------------------


def test_application_filter_days_in_stage(recruiter, organisation_x):
    vacancy = make_vacancy(organisation=organisation_x)
    waiting = make_application(candidate=make_candidate(), vacancy=vacancy)
    moved = make_application(candidate=make_candidate(), vacancy=vacancy,
                             status=ApplicationStatus.SCREENING)  # fmt: skip
    fresh = make_application(candidate=make_candidate(), vacancy=vacancy)
    now = timezone.now()
    Application.objects.filter(pk=waiting.pk).update(created_at=now - timedelta(days=20))
    Application.objects.filter(pk=moved.pk).update(
        created_at=now - timedelta(days=40), status_changed_at=now - timedelta(days=3)
    )
    client = client_for(recruiter)

    assert ids(client.get(APPLICATIONS, {"min_days_in_stage": 10})) == [waiting.pk]
    assert ids(client.get(APPLICATIONS, {"max_days_in_stage": 10})) == [fresh.pk, moved.pk]


def test_updated_since_on_a_list_without_a_filterset(recruiter):
    old = make_placement()
    new = make_placement()
    cutoff = timezone.now() - timedelta(hours=1)
    type(old).objects.filter(pk=old.pk).update(updated_at=cutoff - timedelta(days=1))

    response = client_for(recruiter).get("/api/v1/placements/", {"updated_since": cutoff})

    assert ids(response) == [new.pk]


def test_updated_since_rejects_a_bad_instant(anonymous):
    response = anonymous.get(VACANCIES, {"updated_since": "yesterday"})

    assert response.status_code == 400
    assert response.json() == invalid({"updated_since": ["Enter a valid date/time."]})


def test_partner_sees_no_foreign_drafts_in_search(partner_y, organisation_x):
    make_user(role=Role.PARTNER, organisation=organisation_x)
    make_vacancy(organisation=organisation_x, title="Nutrition Officer", status=VacancyStatus.DRAFT)

    assert ids(client_for(partner_y).get(VACANCIES, {"q": "nutrition"})) == []


def test_vacancy_matching_fields_are_written_and_shown(recruiter, organisation_x):
    response = client_for(recruiter).post(VACANCIES, {
        "organisation": "unicef", "title": "GIS Officer", "description": "",
        "closes_at": (timezone.now() + timedelta(days=9)).isoformat(),
        "modality": "remote", "skills": ["GIS", " sql ", "gis"], "required_languages": ["fr"],
    })  # fmt: skip

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["modality"], body["skills"], body["required_languages"]) == (
        "remote", ["gis", "sql"], ["fr"],
    )  # fmt: skip
    assert ids(client_for(recruiter).get(VACANCIES, {"q": "gis"})) == [body["id"]]


def test_candidate_sets_skills_and_preferred_countries(candidate_a):
    response = client_for(candidate_a).patch(
        "/api/v1/candidates/me/",
        {"skills": ["Stata", "GIS"], "preferred_countries": ["ke", "SS"]},
    )

    assert response.status_code == 200, response.json()
    assert (response.json()["skills"], response.json()["preferred_countries"]) == (
        ["gis", "stata"], ["KE", "SS"],
    )  # fmt: skip
