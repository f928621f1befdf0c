"""API tests of /api/v1/reports/: the annual report, funnels and parity tables on known data."""

import re
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recruitment.enums import (
    ApplicationStatus,
    ChecklistItemKind,
    ContractType,
    Gender,
    HardshipClass,
    Modality,
    PlacementStatus,
    Role,
)
from recruitment.models import (
    Application,
    DutyStation,
    DutyStationClassification,
    Placement,
    PlacementChecklistItem,
)
from tests.conftest import client_for
from tests.factories import (
    make_application,
    make_candidate,
    make_organisation,
    make_placement,
    make_scheme,
    make_user,
    make_vacancy,
)
from workflows.models import ApplicationStatusChange, PlacementStatusChange

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/"
FORBIDDEN = {"code": "permission_denied", "detail": "Your role may not do this."}
NOT_AUTHENTICATED = {
    "code": "not_authenticated",
    "detail": "Authentication credentials were not provided.",
}
INVALID = "The request is not valid; see `fields`."


def at(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def created(obj, moment):
    type(obj).objects.filter(pk=obj.pk).update(created_at=moment)


def move(application, from_status, to_status, moment):
    change = ApplicationStatusChange.objects.create(
        application=application, from_status=from_status, to_status=to_status
    )
    created(change, moment)


def placement_move(placement, to_status, moment):
    change = PlacementStatusChange.objects.create(placement=placement, to_status=to_status)
    created(change, moment)


def done(placement, kind, moment):
    PlacementChecklistItem.objects.create(
        placement=placement, kind=kind, due_date=moment.date(), completed_at=moment
    )


@pytest.fixture
def annual_data():
    """2025's known data set; every figure of the expected report is derived in the test."""
    unicef = make_organisation(slug="unicef", name="UNICEF")
    unhcr = make_organisation(slug="unhcr", name="UNHCR")
    wfp = make_organisation(slug="wfp", name="WFP")
    jpo, unv = make_scheme(code="jpo"), make_scheme(code="unv")
    nairobi = DutyStation.objects.create(city="Nairobi", country="KE")
    geneva = DutyStation.objects.create(city="Geneva", country="CH")
    for station, hardship, since in ((nairobi, HardshipClass.B, date(2020, 1, 1)),
                                     (nairobi, HardshipClass.C, date(2025, 7, 1)),
                                     (geneva, HardshipClass.H, date(2020, 1, 1))):  # fmt: skip
        DutyStationClassification.objects.create(
            duty_station=station, hardship=hardship, family_status="family", effective_from=since
        )
    v1 = make_vacancy(organisation=unicef, scheme=jpo)
    v2 = make_vacancy(organisation=unhcr, scheme=unv)
    a1 = make_application(candidate=make_candidate(), vacancy=v1, status=ApplicationStatus.SELECTED)
    a2 = make_application(candidate=make_candidate(), vacancy=v1)
    a3 = make_application(
        candidate=make_candidate(), vacancy=v2, status=ApplicationStatus.NOMINATED
    )
    created(a1, at(2025, 2, 1))
    created(a2, at(2025, 2, 2))
    created(a3, at(2024, 11, 1))  # last year's application
    Application.objects.filter(pk=a1.pk).update(nominated_at=at(2025, 3, 1))
    Application.objects.filter(pk=a3.pk).update(nominated_at=at(2025, 1, 10))
    move(a1, ApplicationStatus.INTERVIEW, ApplicationStatus.SELECTED, at(2025, 4, 1))

    def placement(organisation, station, scheme, status, start, end, modality=Modality.ON_SITE):
        made = make_placement(organisation=organisation, duty_station=station, scheme=scheme,
                              status=status, start_date=start, end_date=end)  # fmt: skip
        Placement.objects.filter(pk=made.pk).update(modality=modality)
        return made

    p1 = placement(unicef, nairobi, jpo, PlacementStatus.DEPLOYED, date(2025, 1, 1),
                   date(2026, 12, 31))  # fmt: skip
    p2 = placement(unhcr, geneva, unv, PlacementStatus.REMOTE, date(2025, 3, 1),
                   date(2025, 12, 31), Modality.REMOTE)  # fmt: skip
    p3 = placement(wfp, nairobi, jpo, PlacementStatus.COMPLETED, date(2023, 1, 1),
                   date(2024, 12, 31))  # fmt: skip
    placement(unicef, geneva, None, PlacementStatus.PLANNED, date(2025, 9, 1), date(2026, 8, 31))
    placement(unhcr, nairobi, jpo, PlacementStatus.COMPLETED, date(2024, 6, 1),
              date(2025, 5, 31))  # fmt: skip
    done(p1, ChecklistItemKind.PRE_DEPARTURE_TRAINING, at(2024, 12, 15))
    done(p2, ChecklistItemKind.PRE_DEPARTURE_TRAINING, at(2025, 2, 20))
    done(p3, ChecklistItemKind.HOMECOMING_DEBRIEF, at(2025, 1, 20))
    placement_move(p2, PlacementStatus.REMOTE, at(2025, 5, 5))
    placement_move(p1, PlacementStatus.REMOTE, at(2024, 5, 5))  # last year's switch
    return {"nairobi": nairobi, "geneva": geneva}


ANNUAL_2025 = {
    "year": 2025,
    "on": "2025-06-30",
    "applications_received": 2,
    "candidates_nominated": 2,
    "candidates_selected": 1,
    "candidates_placed": 3,
    "placements_active_on": 2,
    "people_abroad_on": 1,
    "partner_organisations": {"active": 2, "last_year": 2, "continued": 1},
    "completed_pre_departure_training": 1,
    "completed_homecoming_debrief": 1,
    "placements_switched_to_remote": 1,
    "by_organisation": [
        {"organisation": "unhcr", "applications_received": 0, "placements_active_in_year": 2,
         "placements_active_on": 1},
        {"organisation": "unicef", "applications_received": 2, "placements_active_in_year": 1,
         "placements_active_on": 1},
    ],
    "by_scheme": [
        {"scheme": "jpo", "applications_received": 2, "placements_active_in_year": 2,
         "placements_active_on": 1},
        {"scheme": "unv", "applications_received": 0, "placements_active_in_year": 1,
         "placements_active_on": 1},
    ],
    "by_hardship_class": [
        {"hardship_class": "B", "placements_active_in_year": 2, "placements_active_on": 1},
        {"hardship_class": "H", "placements_active_in_year": 1, "placements_active_on": 1},
    ],
}  # fmt: skip


def test_annual_report_counts_the_known_data_set(recruiter, annual_data):
    nairobi, geneva = annual_data["nairobi"], annual_data["geneva"]

    response = client_for(recruiter).get(URL + "annual/", {"year": 2025, "on": "2025-06-30"})

    assert response.status_code == 200
    assert response.json() == {
        **ANNUAL_2025,
        "by_duty_station": [
            {"duty_station": nairobi.pk, "city": "Nairobi", "country": "KE",
             "placements_active_in_year": 2, "placements_active_on": 1},
            {"duty_station": geneva.pk, "city": "Geneva", "country": "CH",
             "placements_active_in_year": 1, "placements_active_on": 1},
        ],
    }  # fmt: skip


def test_annual_report_runs_a_fixed_number_of_queries(admin_user, annual_data):
    client = client_for(admin_user)
    with CaptureQueriesContext(connection) as small:
        client.get(URL + "annual/", {"year": 2025, "on": "2025-06-30"})
    for _ in range(3):
        make_placement(start_date=date(2025, 2, 1), end_date=date(2025, 11, 30),
                       status=PlacementStatus.DEPLOYED)  # fmt: skip

    with CaptureQueriesContext(connection) as large:
        body = client.get(URL + "annual/", {"year": 2025, "on": "2025-06-30"}).json()

    assert (len(large), body["placements_active_on"]) == (len(small), 5)


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({}, {"year": ["This field is required."]}),
        ({"year": "twenty"}, {"year": ["A valid integer is required."]}),
        ({"year": 1999}, {"year": ["Ensure this value is greater than or equal to 2000."]}),
        ({"year": 2025, "on": "2024-12-31"}, {"on": ["Must be a day of `year`."]}),
        ({"year": 2025, "colour": "red"}, {"colour": ["Unknown field."]}),
    ],
)
def test_annual_report_rejects_bad_input(recruiter, params, fields):
    response = client_for(recruiter).get(URL + "annual/", params)

    assert (response.status_code, response.json()) == (
        400, {"code": "validation_error", "detail": INVALID, "fields": fields}
    )  # fmt: skip


@pytest.mark.parametrize("path", ["annual/", "funnel/", "demographics/"])
@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.PARTNER])
def test_reports_are_forbidden_to_candidates_and_partners(annual_data, path, role):
    organisation = make_organisation(slug="undp") if role == Role.PARTNER else None
    user = make_user(role=role, organisation=organisation)

    response = client_for(user).get(URL + path, {"year": 2025})

    assert (response.status_code, response.json()) == (403, FORBIDDEN)


@pytest.mark.parametrize("path", ["annual/", "funnel/", "demographics/"])
def test_reports_need_a_login(anonymous, annual_data, path):
    response = anonymous.get(URL + path, {"year": 2025})

    assert (response.status_code, response.json()) == (401, NOT_AUTHENTICATED)


def test_annual_report_as_a_page_with_charts(recruiter, annual_data):
    response = client_for(recruiter).get(
        URL + "annual/", {"year": 2025, "on": "2025-06-30", "format": "html"}
    )
    page = response.content.decode()

    assert (response.status_code, response["Content-Type"]) == (200, "text/html; charset=utf-8")
    assert re.findall(r'<td class="n">([^<]*)</td>', page) == [
        "2", "2", "1", "3", "2", "1", "2", "1 of 2", "1", "1", "1", "2", "1", "1", "1",
    ]  # fmt: skip
    assert re.findall(r"<title>([^<]*)</title>", page) == [
        "Annual report 2025",
        "unhcr: 2", "unicef: 1", "unhcr: 0", "unicef: 2", "jpo: 2", "unv: 1", "B: 2", "H: 1",
    ]  # fmt: skip
    assert "<script" not in page


def test_annual_report_page_errors_keep_the_json_error_shape(recruiter):
    response = client_for(recruiter).get(URL + "annual/", {"format": "html"})

    assert (response.status_code, response["Content-Type"], response.json()) == (
        400,
        "application/json",
        {"code": "validation_error", "detail": INVALID,
         "fields": {"year": ["This field is required."]}},
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Funnel
# ---------------------------------------------------------------------------------------------


def stage(status, reached, current, conversion, days=(0, None, None)):
    count, mean, median = days
    return {
        "status": status,
        "reached": reached,
        "current": current,
        "conversion_to_next": conversion,
        "days_in_stage": {"count": count, "mean": mean, "median": median},
    }


@pytest.fixture
def funnel_data():
    jpo, unv = make_scheme(code="jpo"), make_scheme(code="unv")
    organisation = make_organisation(slug="unicef")
    station = DutyStation.objects.create(city="Nairobi", country="KE")
    vacancy = make_vacancy(organisation=organisation, scheme=jpo, closes_at=at(2025, 3, 1, 12))
    other = make_vacancy(organisation=organisation, scheme=unv, closes_at=at(2026, 3, 1, 12))
    S = ApplicationStatus
    f1 = make_application(candidate=make_candidate(), vacancy=vacancy, status=S.ACCEPTED)
    f2 = make_application(candidate=make_candidate(), vacancy=vacancy, status=S.REJECTED)
    f3 = make_application(candidate=make_candidate(), vacancy=vacancy)
    f4 = make_application(candidate=make_candidate(), vacancy=other, status=S.SCREENING)
    path = [(S.SUBMITTED, at(2025, 2, 1)), (S.SCREENING, at(2025, 2, 3)),
            (S.SHORTLISTED, at(2025, 2, 8)), (S.NOMINATED, at(2025, 3, 5)),
            (S.INTERVIEW, at(2025, 3, 10)), (S.SELECTED, at(2025, 3, 20)),
            (S.OFFERED, at(2025, 4, 1, 12)), (S.ACCEPTED, at(2025, 4, 3, 12))]  # fmt: skip
    previous = ""
    for status, moment in path:
        move(f1, previous, status, moment)
        previous = status
    move(f2, "", S.SUBMITTED, at(2025, 2, 2))
    move(f2, S.SUBMITTED, S.SCREENING, at(2025, 2, 4))
    move(f2, S.SCREENING, S.REJECTED, at(2025, 2, 10))
    move(f3, "", S.SUBMITTED, at(2025, 2, 5))
    move(f4, "", S.SUBMITTED, at(2026, 2, 1))
    move(f4, S.SUBMITTED, S.SCREENING, at(2026, 2, 2))
    placement = Placement.objects.create(
        application=f1, organisation=organisation, duty_station=station, scheme=jpo,
        start_date=date(2025, 6, 1), end_date=date(2027, 5, 31),
        contract_type=ContractType.FIXED_TERM, status=PlacementStatus.DEPLOYED,
    )  # fmt: skip
    placement_move(placement, PlacementStatus.DEPLOYED, at(2025, 6, 1, 12))
    return {"vacancy": vacancy, "other": other}


def jpo_group(vacancy_id):
    S = ApplicationStatus
    return {
        "vacancy": vacancy_id,
        "scheme": "jpo",
        "round": 2025,
        "applications": 3,
        "stages": [
            stage(S.SUBMITTED, 3, 1, 0.6667, (2, 2.0, 2.0)),
            stage(S.SCREENING, 2, 0, 0.5, (2, 5.5, 5.5)),
            stage(S.SHORTLISTED, 1, 0, 1.0, (1, 25.0, 25.0)),
            stage(S.NOMINATED, 1, 0, 1.0, (1, 5.0, 5.0)),
            stage(S.INTERVIEW, 1, 0, 1.0, (1, 10.0, 10.0)),
            stage(S.SELECTED, 1, 0, 1.0, (1, 12.5, 12.5)),
            stage(S.OFFERED, 1, 0, 1.0, (1, 2.0, 2.0)),
            stage(S.ACCEPTED, 1, 1, None),
        ],
        "days_closing_to_offer": {"count": 1, "mean": 31.0, "median": 31.0},
        "days_closing_to_deployment": {"count": 1, "mean": 92.0, "median": 92.0},
    }


def unv_group(vacancy_id):
    S = ApplicationStatus
    return {
        "vacancy": vacancy_id,
        "scheme": "unv",
        "round": 2026,
        "applications": 1,
        "stages": [
            stage(S.SUBMITTED, 1, 0, 1.0, (1, 1.0, 1.0)),
            stage(S.SCREENING, 1, 1, 0.0),
            *[
                stage(s, 0, 0, None)
                for s in (
                    S.SHORTLISTED,
                    S.NOMINATED,
                    S.INTERVIEW,
                    S.SELECTED,
                    S.OFFERED,
                    S.ACCEPTED,
                )
            ],
        ],
        "days_closing_to_offer": {"count": 0, "mean": None, "median": None},
        "days_closing_to_deployment": {"count": 0, "mean": None, "median": None},
    }


def test_funnel_per_vacancy(recruiter, funnel_data):
    vacancy, other = funnel_data["vacancy"], funnel_data["other"]

    response = client_for(recruiter).get(URL + "funnel/")

    assert response.status_code == 200
    assert response.json() == {
        "group_by": "vacancy",
        "groups": [jpo_group(vacancy.pk), unv_group(other.pk)],
    }


def test_funnel_per_scheme_and_per_round_with_filters(recruiter, funnel_data):
    client = client_for(recruiter)

    by_scheme = client.get(URL + "funnel/", {"group_by": "scheme"}).json()
    by_round = client.get(URL + "funnel/", {"group_by": "round", "round": 2025}).json()
    by_vacancy = client.get(URL + "funnel/", {"vacancy": funnel_data["other"].pk}).json()

    assert by_scheme == {
        "group_by": "scheme",
        "groups": [
            {**jpo_group(None), "round": None},
            {**unv_group(None), "round": None},
        ],
    }
    assert by_round == {"group_by": "round", "groups": [jpo_group(None)]}
    assert by_vacancy == {"group_by": "vacancy", "groups": [unv_group(funnel_data["other"].pk)]}


def test_funnel_rejects_an_unknown_grouping(recruiter):
    response = client_for(recruiter).get(URL + "funnel/", {"group_by": "colour"})

    assert (response.status_code, response.json()) == (
        400,
        {"code": "validation_error", "detail": INVALID,
         "fields": {"group_by": ['"colour" is not a valid choice.']}},
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Parity statistics
# ---------------------------------------------------------------------------------------------


def test_demographics_hide_small_cells_and_the_cells_that_would_reveal_them(recruiter):
    vacancy = make_vacancy()
    people = (
        [(Gender.FEMALE, ["NO"], date(1995, 5, 1))] * 6
        + [(Gender.MALE, ["NO"], date(2000, 1, 1))] * 5
        + [(Gender.MALE, ["SE"], date(1990, 1, 1))] * 2
        + [("", [], None)]
    )
    for gender, citizenships, born in people:
        candidate = make_candidate(gender=gender, citizenships=citizenships, date_of_birth=born)
        created(make_application(candidate=candidate, vacancy=vacancy), at(2025, 5, 1))
    last_year = make_candidate(gender=Gender.OTHER, citizenships=["DK"])
    created(make_application(candidate=last_year, vacancy=vacancy), at(2024, 5, 1))

    response = client_for(recruiter).get(URL + "demographics/", {"year": 2025})

    assert response.status_code == 200
    assert response.json() == {
        "year": 2025,
        "population": "applicants",
        "threshold": 5,
        "total": 14,
        "gender": [
            {"value": "female", "count": None},
            {"value": "male", "count": 7},
            {"value": "unknown", "count": None},
        ],
        "nationality": [
            {"value": "NO", "count": 11},
            {"value": "SE", "count": None},
            {"value": "unknown", "count": None},
        ],
        "age_band": [
            {"value": "25_29", "count": 5},
            {"value": "30_34", "count": 6},
            {"value": "35_39", "count": None},
            {"value": "unknown", "count": None},
        ],
    }


def test_demographics_of_placed_people_below_the_threshold_hide_everything(recruiter):
    for _ in range(3):
        make_placement(start_date=date(2025, 2, 1), end_date=date(2025, 11, 30))
    make_placement(start_date=date(2024, 2, 1), end_date=date(2024, 11, 30))

    response = client_for(recruiter).get(
        URL + "demographics/", {"year": 2025, "population": "placed"}
    )

    assert response.json() == {
        "year": 2025,
        "population": "placed",
        "threshold": 5,
        "total": None,
        "gender": [{"value": "unknown", "count": None}],
        "nationality": [{"value": "unknown", "count": None}],
        "age_band": [{"value": "unknown", "count": None}],
    }


@pytest.mark.parametrize(
    ("path", "params"),
    [("funnel/", {"group_by": "vacancy"}), ("demographics/", {"year": 2025})],
)
def test_funnel_and_demographics_run_a_fixed_number_of_queries(recruiter, path, params):
    client = client_for(recruiter)
    vacancy = make_vacancy()
    created(make_application(candidate=make_candidate(), vacancy=vacancy), at(2025, 5, 1))
    with CaptureQueriesContext(connection) as small:
        client.get(URL + path, params)
    for _ in range(4):
        other = make_vacancy()
        for _ in range(2):
            application = make_application(candidate=make_candidate(), vacancy=other)
            created(application, at(2025, 5, 1))
            move(application, "", ApplicationStatus.SUBMITTED, at(2025, 5, 1))

    with CaptureQueriesContext(connection) as large:
        response = client.get(URL + path, params)

    assert (response.status_code, len(large)) == (200, len(small))
