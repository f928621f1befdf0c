"""API tests of /api/v1/saved-searches/ (job alerts): whole bodies of every method, each
candidate sees only their own searches, other roles are refused, and criteria are checked by
the vacancy list's own filters."""

import pytest

from recruitment.enums import AlertFrequency
from recruitment.models import SavedSearch
from tests.api.bodies import iso
from tests.conftest import client_for
from tests.factories import make_saved_search

pytestmark = pytest.mark.django_db

URL = "/api/v1/saved-searches/"
INVALID = "The request is not valid; see `fields`."
NOT_FOUND = {"code": "not_found", "detail": "Not found."}
FORBIDDEN = {"code": "permission_denied", "detail": "Your role may not do this."}
NOT_AUTHENTICATED = {
    "code": "not_authenticated",
    "detail": "Authentication credentials were not provided.",
}
CRITERIA = {
    "organisation": "unicef",
    "grade": ["P-2", "P-3"],
    "country": "KE",
    "closes_after": "2030-01-01T00:00:00Z",
}


def body(search: SavedSearch) -> dict:
    """The response body of a saved search, from the stored row."""
    search.refresh_from_db()
    return {
        "id": search.pk,
        "name": search.name,
        "criteria": search.criteria,
        "frequency": search.frequency,
        "last_notified_at": iso(search.last_notified_at),
        "created_at": iso(search.created_at),
        "updated_at": iso(search.updated_at),
    }


def invalid(fields: dict) -> dict:
    return {"code": "validation_error", "detail": INVALID, "fields": fields}


def row(search: SavedSearch) -> tuple:
    return SavedSearch.objects.values_list(
        "user_id", "name", "criteria", "frequency", "last_notified_at", "updated_at"
    ).get(pk=search.pk)


@pytest.fixture
def search_a(candidate_a) -> SavedSearch:
    return make_saved_search(
        user=candidate_a,
        name="Nairobi P-posts",
        criteria={"country": "KE", "grade": ["P-2"]},
        frequency=AlertFrequency.INSTANT,
    )


# --- create ------------------------------------------------------------------------------------


def test_create_returns_the_whole_search_owned_by_the_caller(candidate_a):
    response = client_for(candidate_a).post(
        URL, {"name": "UNICEF in Kenya", "criteria": CRITERIA, "frequency": "instant"}, "json"
    )

    assert response.status_code == 201, response.json()
    search = SavedSearch.objects.get()
    assert response.json() == body(search)
    assert response.json() == {
        "id": search.pk,
        "name": "UNICEF in Kenya",
        "criteria": {**CRITERIA, "closes_after": "2030-01-01T00:00:00+00:00"},  # as cleaned
        "frequency": "instant",
        "last_notified_at": None,
        "created_at": iso(search.created_at),
        "updated_at": iso(search.updated_at),
    }
    assert search.user == candidate_a


def test_create_defaults_to_a_daily_digest_and_no_criteria(candidate_a):
    response = client_for(candidate_a).post(URL, {"name": "Anything", "criteria": {}}, "json")

    assert response.status_code == 201, response.json()
    assert (response.json()["frequency"], response.json()["criteria"]) == ("daily", {})


def test_create_stores_cleaned_criteria_a_grade_list_and_integer_ids(candidate_a):
    response = client_for(candidate_a).post(
        URL, {"name": "One grade", "criteria": {"grade": "NO-B", "organisation_id": 7}}, "json"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["criteria"] == {"grade": ["NO-B"], "organisation_id": 7}


# --- read --------------------------------------------------------------------------------------


def test_list_shows_only_the_callers_searches(candidate_a, candidate_b, search_a):
    second = make_saved_search(user=candidate_a, name="Daily", criteria={})
    theirs = make_saved_search(user=candidate_b, name="Theirs", criteria={})

    mine = client_for(candidate_a).get(URL)
    other = client_for(candidate_b).get(URL)

    assert (mine.status_code, other.status_code) == (200, 200)
    assert mine.json()["results"] == [body(second), body(search_a)]  # newest first
    assert other.json()["results"] == [body(theirs)]


def test_retrieve_returns_the_whole_search(candidate_a, search_a):
    response = client_for(candidate_a).get(f"{URL}{search_a.pk}/")

    assert response.status_code == 200
    assert response.json() == body(search_a)


def test_another_candidate_gets_404_for_every_method(candidate_b, search_a):
    before = row(search_a)
    client = client_for(candidate_b)
    detail = f"{URL}{search_a.pk}/"
    new = {"name": "Hijacked", "criteria": {}, "frequency": "daily"}

    responses = [
        client.get(detail),
        client.put(detail, new, "json"),
        client.patch(detail, {"name": "Hijacked"}, "json"),
        client.delete(detail),
    ]

    assert [(r.status_code, r.json()) for r in responses] == [(404, NOT_FOUND)] * 4
    assert row(search_a) == before
    assert client.get(URL).json()["results"] == []


# --- update and delete -------------------------------------------------------------------------


def test_put_replaces_the_search(candidate_a, search_a):
    new = {"name": "Geneva", "criteria": {"duty_station_id": "3"}, "frequency": "daily"}

    response = client_for(candidate_a).put(f"{URL}{search_a.pk}/", new, "json")

    assert response.status_code == 200, response.json()
    assert response.json() == body(search_a)
    assert {key: response.json()[key] for key in new} == {**new, "criteria": {"duty_station_id": 3}}


def test_patch_changes_only_the_given_field(candidate_a, search_a):
    response = client_for(candidate_a).patch(f"{URL}{search_a.pk}/", {"frequency": "daily"}, "json")

    assert response.status_code == 200, response.json()
    assert response.json() == body(search_a)
    assert (search_a.name, search_a.criteria, search_a.frequency) == (
        "Nairobi P-posts",
        {"country": "KE", "grade": ["P-2"]},
        "daily",
    )


def test_delete_removes_only_that_search(candidate_a, search_a):
    kept = make_saved_search(user=candidate_a, name="Kept", criteria={})

    response = client_for(candidate_a).delete(f"{URL}{search_a.pk}/")

    assert response.status_code == 204
    assert list(SavedSearch.objects.values_list("pk", flat=True)) == [kept.pk]


# --- who may call ------------------------------------------------------------------------------


@pytest.mark.parametrize("caller", ["partner_x", "recruiter", "admin_user"])
def test_other_roles_are_403(request, caller, search_a):
    client = client_for(request.getfixturevalue(caller))

    responses = [
        client.get(URL),
        client.post(URL, {"name": "Mine", "criteria": {}}, "json"),
        client.get(f"{URL}{search_a.pk}/"),
        client.delete(f"{URL}{search_a.pk}/"),
    ]

    assert [(r.status_code, r.json()) for r in responses] == [(403, FORBIDDEN)] * 4
    assert SavedSearch.objects.count() == 1


def test_anonymous_is_401(anonymous, search_a):
    responses = [anonymous.get(URL), anonymous.post(URL, {"name": "x", "criteria": {}}, "json")]

    assert [(r.status_code, r.json()) for r in responses] == [(401, NOT_AUTHENTICATED)] * 2


# --- validation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("criteria", "fields"),
    [
        ({"salary": "high", "grade": ["P-2"]}, {"criteria": ["Unknown criteria: salary."]}),
        ({"status": "draft"}, {"criteria": ["Unknown criteria: status."]}),
        (
            {"grade": ["P-2", "P2"]},
            {
                "criteria": {
                    "grade": ["Select a valid choice. P2 is not one of the available choices."]
                }
            },
        ),
        (
            {"closes_after": "next week"},
            {"criteria": {"closes_after": ["Enter a valid date/time."]}},
        ),
        (
            {"closes_before": "2030-02-30T00:00:00Z", "organisation_id": "unicef"},
            {
                "criteria": {
                    "closes_before": ["Enter a valid date/time."],
                    "organisation_id": ["Enter a number."],
                }
            },
        ),
        ("KE", {"criteria": ['Expected a dictionary of items but got type "str".']}),
    ],
)
def test_invalid_criteria_are_400_with_messages(candidate_a, criteria, fields):
    response = client_for(candidate_a).post(URL, {"name": "Bad", "criteria": criteria}, "json")

    assert response.status_code == 400
    assert response.json() == invalid(fields)
    assert not SavedSearch.objects.exists()


def test_invalid_criteria_on_patch_leave_the_search_unchanged(candidate_a, search_a):
    before = row(search_a)

    response = client_for(candidate_a).patch(
        f"{URL}{search_a.pk}/", {"criteria": {"grade": ["Z-9"]}}, "json"
    )

    assert response.status_code == 400
    assert response.json() == invalid(
        {"criteria": {"grade": ["Select a valid choice. Z-9 is not one of the available choices."]}}
    )
    assert row(search_a) == before


def test_missing_name_and_bad_frequency_are_400(candidate_a):
    response = client_for(candidate_a).post(URL, {"criteria": {}, "frequency": "hourly"}, "json")

    assert response.status_code == 400
    assert response.json() == invalid(
        {"name": ["This field is required."], "frequency": ['"hourly" is not a valid choice.']}
    )


@pytest.mark.parametrize(
    ("extra", "fields"),
    [
        (
            {"last_notified_at": "2030-01-01T00:00:00Z"},
            {"last_notified_at": ["This field is read-only."]},
        ),
        ({"id": 99}, {"id": ["This field is read-only."]}),
        (
            {"created_at": "2020-01-01T00:00:00Z", "updated_at": "2020-01-01T00:00:00Z"},
            {
                "created_at": ["This field is read-only."],
                "updated_at": ["This field is read-only."],
            },
        ),
        ({"user": 1}, {"user": ["Unknown field."]}),
    ],
)
def test_server_set_fields_are_rejected(candidate_a, search_a, extra, fields):
    client = client_for(candidate_a)
    before = row(search_a)

    created = client.post(URL, {"name": "x", "criteria": {}, **extra}, "json")
    patched = client.patch(f"{URL}{search_a.pk}/", extra, "json")

    assert (created.status_code, created.json()) == (400, invalid(fields))
    assert (patched.status_code, patched.json()) == (400, invalid(fields))
    assert list(SavedSearch.objects.values_list("pk", flat=True)) == [search_a.pk]
    assert row(search_a) == before
