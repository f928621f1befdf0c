"""API tests of candidate profiles: candidates/me/ for candidates, candidates/ for staff."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from recruitment.enums import Role
from recruitment.models import (
    CandidateProfile,
    Education,
    Experience,
    LanguageSkill,
    User,
)
from tests.api.bodies import iso
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

ME = "/api/v1/candidates/me/"
LIST = "/api/v1/candidates/"
INVALID = "The request is not valid; see `fields`."
FORBIDDEN = {
    "code": "permission_denied",
    "detail": "Your role may not do this.",
}
NOT_AUTHENTICATED = {
    "code": "not_authenticated",
    "detail": "Authentication credentials were not provided.",
}

A_EDUCATION = [
    {
        "level": "master",
        "field_of_study": "Public health",
        "institution": "University of Oslo",
        "country": "NO",
        "completed_on": "2015-06-15",
    }
]
A_EXPERIENCE = [
    {
        "title": "Programme Officer",
        "employer": "Save the Children",
        "country": "KE",
        "start_date": "2016-01-01",
        "end_date": "2019-12-31",
        "is_international": True,
    }
]
A_LANGUAGES = [
    {"language": "en", "skill": "overall", "level": "C1", "scale": "cefr"},
    {"language": "fr", "skill": "speaking", "level": "II", "scale": "un"},
]
B_EDUCATION = [
    {
        "level": "bachelor",
        "field_of_study": "Economics",
        "institution": "Copenhagen Business School",
        "country": "DK",
        "completed_on": None,
    }
]
B_LANGUAGES = [{"language": "es", "skill": "overall", "level": "fluent", "scale": "inspira"}]


def ids(response) -> list[int]:
    return [item["id"] for item in response.json()["results"]]


def invalid(fields: dict) -> dict:
    return {"code": "validation_error", "detail": INVALID, "fields": fields}


def _parse(item: dict) -> dict:
    """An API item with its ISO dates as `date`s, ready for a model constructor."""
    return {
        key: date.fromisoformat(value)
        if key.endswith(("_on", "_date")) and value is not None
        else value
        for key, value in item.items()
    }


def _fill(user, *, education=(), experience=(), languages=(), **fields) -> CandidateProfile:
    profile = CandidateProfile.objects.get(user=user)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save()
    Education.objects.bulk_create(Education(profile=profile, **_parse(i)) for i in education)
    Experience.objects.bulk_create(Experience(profile=profile, **_parse(i)) for i in experience)
    LanguageSkill.objects.bulk_create(LanguageSkill(profile=profile, **i) for i in languages)
    profile.refresh_from_db()
    return profile


@pytest.fixture
def profile_a(candidate_a) -> CandidateProfile:
    return _fill(
        candidate_a,
        family_name="Lindgren",
        date_of_birth=date(1990, 5, 17),
        citizenships=["NO", "SE"],
        phone="+47 22 00 00 00",
        country_of_residence="NO",
        summary="Child protection specialist.",
        education=A_EDUCATION,
        experience=A_EXPERIENCE,
        languages=A_LANGUAGES,
    )


@pytest.fixture
def profile_b(candidate_b) -> CandidateProfile:
    return _fill(
        candidate_b,
        family_name="Berg",
        citizenships=["DK"],
        country_of_residence="DK",
        education=B_EDUCATION,
        languages=B_LANGUAGES,
    )


def body_a(profile: CandidateProfile) -> dict:
    return {
        "id": profile.pk,
        "email": "a@example.org",
        "given_name": "Astrid",
        "family_name": "Lindgren",
        "date_of_birth": "1990-05-17",
        "gender": "",
        "citizenships": ["NO", "SE"],
        "phone": "+47 22 00 00 00",
        "country_of_residence": "NO",
        "summary": "Child protection specialist.",
        "skills": [],
        "preferred_countries": [],
        "education": A_EDUCATION,
        "experience": A_EXPERIENCE,
        "languages": A_LANGUAGES,
        "created_at": iso(profile.created_at),
        "updated_at": iso(profile.updated_at),
    }


def body_b(profile: CandidateProfile) -> dict:
    return {
        "id": profile.pk,
        "email": "b@example.org",
        "given_name": "Bjørn",
        "family_name": "Berg",
        "date_of_birth": None,
        "gender": "",
        "citizenships": ["DK"],
        "phone": "",
        "country_of_residence": "DK",
        "summary": "",
        "skills": [],
        "preferred_countries": [],
        "education": B_EDUCATION,
        "experience": [],
        "languages": B_LANGUAGES,
        "created_at": iso(profile.created_at),
        "updated_at": iso(profile.updated_at),
    }


def state(profile: CandidateProfile) -> dict:
    """Every stored value of a profile and its nested rows, to prove that nothing changed."""
    return {
        "profile": CandidateProfile.objects.values().get(pk=profile.pk),
        "education": list(Education.objects.filter(profile=profile).order_by("id").values()),
        "experience": list(Experience.objects.filter(profile=profile).order_by("id").values()),
        "languages": list(LanguageSkill.objects.filter(profile=profile).order_by("id").values()),
    }


def assert_no_trace_of_a(response) -> None:
    """Nothing that identifies candidate A appears anywhere in the response."""
    content = response.content.decode()
    for marker in (
        "a@example.org",
        "Astrid",
        "Lindgren",
        "University of Oslo",
        "Save the Children",
    ):
        assert marker not in content


# --- reading one's own profile ------------------------------------------------------------------


def test_candidate_me_get_returns_own_whole_profile(candidate_a, profile_a, profile_b):
    response = client_for(candidate_a).get(ME)

    assert response.status_code == 200
    assert response.json() == body_a(profile_a)


def test_candidate_me_get_of_new_candidate_returns_empty_profile(candidate_a):
    profile = CandidateProfile.objects.get(user=candidate_a)

    response = client_for(candidate_a).get(ME)

    assert response.status_code == 200
    assert response.json() == {
        "id": profile.pk,
        "email": "a@example.org",
        "given_name": "Astrid",
        "family_name": "",
        "date_of_birth": None,
        "gender": "",
        "citizenships": [],
        "phone": "",
        "country_of_residence": "",
        "summary": "",
        "skills": [],
        "preferred_countries": [],
        "education": [],
        "experience": [],
        "languages": [],
        "created_at": iso(profile.created_at),
        "updated_at": iso(profile.updated_at),
    }


def test_candidate_me_get_by_b_shows_only_b(candidate_b, profile_a, profile_b):
    response = client_for(candidate_b).get(ME)

    assert response.status_code == 200
    assert response.json() == body_b(profile_b)
    assert_no_trace_of_a(response)


@pytest.mark.parametrize("caller", ["partner_x", "recruiter", "admin_user"])
@pytest.mark.parametrize("method", ["get", "put", "patch"])
def test_candidate_me_by_non_candidate_is_403(request, caller, method, profile_a):
    before = state(profile_a)

    response = getattr(client_for(request.getfixturevalue(caller)), method)(
        ME, {"given_name": "Changed"}
    )

    assert response.status_code == 403
    assert response.json() == FORBIDDEN
    assert state(profile_a) == before


@pytest.mark.parametrize("method", ["get", "put", "patch"])
def test_candidate_me_by_anonymous_is_401(anonymous, method, profile_a):
    before = state(profile_a)

    response = getattr(anonymous, method)(ME, {"given_name": "Changed"})

    assert response.status_code == 401
    assert response.json() == NOT_AUTHENTICATED
    assert state(profile_a) == before


def test_candidate_me_of_candidate_without_profile_is_404(db):
    user = User.objects.create_user("noprofile@example.org", "pw", role=Role.CANDIDATE)

    response = client_for(user).get(ME)

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Not found."}


# --- writing one's own profile ------------------------------------------------------------------

NEW_EDUCATION = [
    {
        "level": "doctorate",
        "field_of_study": "Epidemiology",
        "institution": "London School of Hygiene & Tropical Medicine",
        "country": "GB",
        "completed_on": "2020-07-01",
    },
    {
        "level": "bachelor",
        "field_of_study": "",
        "institution": "",
        "country": "",
        "completed_on": None,
    },
]
NEW_EXPERIENCE = [
    {
        "title": "Health Officer",
        "employer": "WHO",
        "country": "CH",
        "start_date": "2020-09-01",
        "end_date": None,
        "is_international": True,
    }
]
NEW_LANGUAGES = [
    {"language": "en", "skill": "overall", "level": "C2", "scale": "cefr"},
    {"language": "ar", "skill": "reading", "level": "basic", "scale": "inspira"},
]


def full_body(**overrides) -> dict:
    return {
        "given_name": "Astrid",
        "family_name": "Larsen",
        "date_of_birth": "1991-02-03",
        "citizenships": ["SE", "NO"],
        "phone": "+254 700 000000",
        "country_of_residence": "KE",
        "summary": "Epidemiologist.",
        "skills": [],
        "preferred_countries": [],
        "education": NEW_EDUCATION,
        "experience": NEW_EXPERIENCE,
        "languages": NEW_LANGUAGES,
        **overrides,
    }


def test_candidate_me_put_replaces_profile_and_nested_lists(candidate_a, profile_a, profile_b):
    b_before = state(profile_b)

    response = client_for(candidate_a).put(ME, full_body())

    assert response.status_code == 200
    profile_a.refresh_from_db()
    assert response.json() == {
        "id": profile_a.pk,
        "email": "a@example.org",
        "given_name": "Astrid",
        "family_name": "Larsen",
        "date_of_birth": "1991-02-03",
        "gender": "",
        "citizenships": ["NO", "SE"],
        "phone": "+254 700 000000",
        "country_of_residence": "KE",
        "summary": "Epidemiologist.",
        "skills": [],
        "preferred_countries": [],
        "education": NEW_EDUCATION,
        "experience": NEW_EXPERIENCE,
        "languages": NEW_LANGUAGES,
        "created_at": iso(profile_a.created_at),
        "updated_at": iso(profile_a.updated_at),
    }
    assert list(
        Education.objects.filter(profile=profile_a).order_by("id").values_list("institution")
    ) == [("London School of Hygiene & Tropical Medicine",), ("",)]
    assert list(
        LanguageSkill.objects.filter(profile=profile_a)
        .order_by("id")
        .values_list("language", "skill", "level", "scale")
    ) == [("en", "overall", "C2", "cefr"), ("ar", "reading", "basic", "inspira")]
    assert state(profile_b) == b_before


def test_candidate_me_patch_replaces_only_the_lists_sent(candidate_a, profile_a):
    kept_education = list(Education.objects.filter(profile=profile_a).values_list("id", flat=True))
    kept_experience = list(
        Experience.objects.filter(profile=profile_a).values_list("id", flat=True)
    )

    response = client_for(candidate_a).patch(
        ME, {"languages": [{"language": "pt", "level": "B1", "scale": "cefr"}]}
    )

    assert response.status_code == 200
    profile_a.refresh_from_db()
    assert response.json() == {
        **body_a(profile_a),
        "languages": [{"language": "pt", "skill": "overall", "level": "B1", "scale": "cefr"}],
    }
    assert list(Education.objects.filter(profile=profile_a).values_list("id", flat=True)) == (
        kept_education
    )
    assert list(Experience.objects.filter(profile=profile_a).values_list("id", flat=True)) == (
        kept_experience
    )


def test_candidate_me_patch_with_empty_list_clears_it(candidate_a, profile_a):
    response = client_for(candidate_a).patch(ME, {"experience": [], "education": []})

    assert response.status_code == 200
    profile_a.refresh_from_db()
    assert response.json() == {**body_a(profile_a), "education": [], "experience": []}
    assert Education.objects.filter(profile=profile_a).count() == 0
    assert Experience.objects.filter(profile=profile_a).count() == 0


def test_candidate_me_patch_of_scalar_keeps_nested_rows(candidate_a, profile_a):
    rows_before = {key: value for key, value in state(profile_a).items() if key != "profile"}

    response = client_for(candidate_a).patch(ME, {"summary": "Now in Nairobi.", "phone": ""})

    assert response.status_code == 200
    profile_a.refresh_from_db()
    assert response.json() == {**body_a(profile_a), "summary": "Now in Nairobi.", "phone": ""}
    assert {key: value for key, value in state(profile_a).items() if key != "profile"} == (
        rows_before
    )


def test_candidate_me_citizenships_are_deduplicated_and_sorted(candidate_a, profile_a):
    response = client_for(candidate_a).patch(ME, {"citizenships": ["NO", "DE", "NO"]})

    assert response.status_code == 200
    assert response.json()["citizenships"] == ["DE", "NO"]
    profile_a.refresh_from_db()
    assert profile_a.citizenships == ["DE", "NO"]


def test_candidate_me_lower_case_citizenship_is_normalised(candidate_a, profile_a):
    response = client_for(candidate_a).patch(ME, {"citizenships": ["DE", " no"]})

    assert response.status_code == 200
    assert response.json()["citizenships"] == ["DE", "NO"]


def test_candidate_me_unknown_citizenship_is_400(candidate_a, profile_a):
    before = state(profile_a)

    response = client_for(candidate_a).patch(ME, {"citizenships": ["DE", "XX"]})

    assert response.status_code == 400
    assert response.json() == invalid({"citizenships": {"1": ['"XX" is not a valid choice.']}})
    assert state(profile_a) == before


def test_candidate_me_country_of_residence_accepts_lower_case(candidate_a, profile_a):
    response = client_for(candidate_a).patch(ME, {"country_of_residence": "ke"})

    assert response.status_code == 200
    assert response.json()["country_of_residence"] == "KE"
    profile_a.refresh_from_db()
    assert profile_a.country_of_residence.code == "KE"


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        (
            {"languages": [A_LANGUAGES[0], {"language": "fr", "level": "C1", "scale": "un"}]},
            {"languages": {"1": {"level": ["On the un scale, use one of: I, II, III, IV."]}}},
        ),
        (
            {"languages": [{"language": "fr", "level": "fluent", "scale": "cefr"}]},
            {
                "languages": {
                    "0": {"level": ["On the cefr scale, use one of: A1, A2, B1, B2, C1, C2."]}
                }
            },
        ),
        (
            {"languages": [{"language": "fr", "level": "B1", "scale": "ilr"}]},
            {"languages": {"0": {"scale": ['"ilr" is not a valid choice.']}}},
        ),
        (
            {"languages": [{"language": "French", "level": "B1", "scale": "cefr"}]},
            {"languages": {"0": {"language": ["This value does not match the required pattern."]}}},
        ),
        (
            {
                "languages": [
                    {"language": "en", "level": "B1", "scale": "cefr"},
                    {"language": "en", "skill": "overall", "level": "C1", "scale": "cefr"},
                ]
            },
            {"languages": ["en/overall is listed twice."]},
        ),
        (
            {
                "languages": [
                    {"language": "en", "skill": "writing", "level": "B1", "scale": "cefr"},
                    {"language": "en", "skill": "writing", "level": "III", "scale": "un"},
                ]
            },
            {"languages": ["en/writing is listed twice."]},
        ),
        (
            {"experience": [{**A_EXPERIENCE[0], "end_date": "2015-12-31"}]},
            {"experience": {"0": {"end_date": ["Must not be before start_date."]}}},
        ),
        (
            {"education": [{**A_EDUCATION[0], "gpa": 3.9}]},
            {"education": {"0": {"gpa": ["Unknown field."]}}},
        ),
        (
            {"education": [{**A_EDUCATION[0], "level": "phd"}]},
            {"education": {"0": {"level": ['"phd" is not a valid choice.']}}},
        ),
        (
            {"education": A_EDUCATION[0]},
            {"education": {"non_field_errors": ['Expected a list of items but got type "dict".']}},
        ),
        (
            {"education": A_EDUCATION * 31},
            {
                "education": {
                    "non_field_errors": ["Ensure this field has no more than 30 elements."]
                }
            },
        ),
        (
            {"experience": [{**A_EXPERIENCE[0], "is_international": "sometimes"}]},
            {"experience": {"0": {"is_international": ["Must be a valid boolean."]}}},
        ),
        (
            {"experience": [{**A_EXPERIENCE[0], "title": "t" * 201}]},
            {
                "experience": {
                    "0": {"title": ["Ensure this field has no more than 200 characters."]}
                }
            },
        ),
        (
            {"citizenships": ["NO", "SE", "DK", "FI", "IS", "DE"]},
            {"citizenships": ["Ensure this field has no more than 5 elements."]},
        ),
        (
            {"citizenships": "NO"},
            {"citizenships": ['Expected a list of items but got type "str".']},
        ),
        (
            {"date_of_birth": "17 May 1990"},
            {
                "date_of_birth": [
                    "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."
                ]
            },
        ),
        (
            {"given_name": "g" * 101},
            {"given_name": ["Ensure this field has no more than 100 characters."]},
        ),
        ({"phone": "1" * 41}, {"phone": ["Ensure this field has no more than 40 characters."]}),
        (
            {"summary": "s" * 5001},
            {"summary": ["Ensure this field has no more than 5000 characters."]},
        ),
        ({"given_name": {"first": "A"}}, {"given_name": ["Not a valid string."]}),
        ({"nickname": "Addi"}, {"nickname": ["Unknown field."]}),
        ({"id": 1}, {"id": ["This field is read-only."]}),
        ({"email": "evil@example.org"}, {"email": ["This field is read-only."]}),
        ({"created_at": "2020-01-01T00:00:00Z"}, {"created_at": ["This field is read-only."]}),
        ({"user": 1}, {"user": ["Unknown field."]}),
    ],
    ids=[
        "level-off-un-scale",
        "level-off-cefr-scale",
        "unknown-scale",
        "language-not-a-code",
        "duplicate-language-default-skill",
        "duplicate-language-skill",
        "experience-ends-before-start",
        "education-unknown-field",
        "education-unknown-level",
        "education-not-a-list",
        "education-too-many",
        "experience-flag-not-boolean",
        "experience-title-too-long",
        "too-many-citizenships",
        "citizenships-not-a-list",
        "date-of-birth-wrong-format",
        "given-name-too-long",
        "phone-too-long",
        "summary-too-long",
        "given-name-not-a-string",
        "unknown-field",
        "id-read-only",
        "email-read-only",
        "created-at-read-only",
        "user-unknown",
    ],
)
def test_candidate_me_patch_with_bad_body_is_400_and_changes_nothing(
    candidate_a, profile_a, body, fields
):
    before = state(profile_a)

    response = client_for(candidate_a).patch(ME, body)

    assert response.status_code == 400
    assert response.json() == invalid(fields)
    assert state(profile_a) == before


def test_candidate_me_put_without_citizenships_is_400(candidate_a, profile_a):
    before = state(profile_a)
    body = full_body()
    del body["citizenships"]

    response = client_for(candidate_a).put(ME, body)

    assert response.status_code == 400
    assert response.json() == invalid({"citizenships": ["This field is required."]})
    assert state(profile_a) == before


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        (
            {"languages": [{"language": "de", "level": "B2"}]},
            {"languages": {"0": {"scale": ["This field is required."]}}},
        ),
        (
            {"experience": [{"title": "Driver", "end_date": "2020-01-01"}]},
            {"experience": {"0": {"start_date": ["This field is required."]}}},
        ),
        (
            {"education": [{"institution": "University of Bergen"}]},
            {"education": {"0": {"level": ["This field is required."]}}},
        ),
    ],
    ids=["language-without-scale", "experience-without-start", "education-without-level"],
)
def test_candidate_me_patch_of_nested_item_missing_required_field_is_400(
    candidate_a, profile_a, body, fields
):
    """PATCH is partial for the profile, but each item of a sent list replaces a stored row and
    must be complete."""
    before = state(profile_a)

    response = client_for(candidate_a).patch(ME, body)

    assert response.status_code == 400
    assert response.json() == invalid(fields)
    assert state(profile_a) == before


# --- the recruiters' list -----------------------------------------------------------------------


@pytest.mark.parametrize("caller", ["recruiter", "admin_user"])
def test_candidate_list_by_staff_returns_whole_profiles(request, caller, profile_a, profile_b):
    response = client_for(request.getfixturevalue(caller)).get(LIST)

    assert response.status_code == 200
    assert response.json() == {
        "next": None,
        "previous": None,
        "results": [body_b(profile_b), body_a(profile_a)],
    }


def test_candidate_retrieve_by_recruiter_returns_whole_profile(recruiter, profile_a, profile_b):
    response = client_for(recruiter).get(f"{LIST}{profile_a.pk}/")

    assert response.status_code == 200
    assert response.json() == body_a(profile_a)


@pytest.mark.parametrize("caller", ["candidate_b", "partner_x"])
def test_candidate_list_and_retrieve_by_non_staff_are_403(request, caller, profile_a, profile_b):
    client = client_for(request.getfixturevalue(caller))

    listed = client.get(LIST)
    retrieved = client.get(f"{LIST}{profile_a.pk}/")
    filtered = client.get(LIST, {"citizenship": "NO"})

    for response in (listed, retrieved, filtered):
        assert response.status_code == 403
        assert response.json() == FORBIDDEN
        assert_no_trace_of_a(response)


def test_candidate_list_by_anonymous_is_401(anonymous, profile_a):
    listed = anonymous.get(LIST)
    retrieved = anonymous.get(f"{LIST}{profile_a.pk}/")

    for response in (listed, retrieved):
        assert response.status_code == 401
        assert response.json() == NOT_AUTHENTICATED
        assert_no_trace_of_a(response)


def test_candidate_retrieve_of_unknown_id_is_404(recruiter, profile_a):
    response = client_for(recruiter).get(f"{LIST}987654/")

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Not found."}


def test_candidate_list_is_read_only(recruiter, profile_a):
    before = state(profile_a)
    client = client_for(recruiter)

    created = client.post(LIST, {"given_name": "New"})
    changed = client.patch(f"{LIST}{profile_a.pk}/", {"given_name": "Changed"})

    assert (created.status_code, changed.status_code) == (405, 405)
    assert created.json() == {"code": "method_not_allowed", "detail": 'Method "POST" not allowed.'}
    assert changed.json() == {
        "code": "method_not_allowed",
        "detail": 'Method "PATCH" not allowed.',
    }
    assert state(profile_a) == before


@pytest.mark.parametrize(
    ("citizenship", "expected"), [("NO", ["a"]), ("no", ["a"]), ("DK", ["b"]), ("FR", [])]
)
def test_candidate_filter_citizenship(recruiter, profile_a, profile_b, citizenship, expected):
    profiles = {"a": profile_a.pk, "b": profile_b.pk}

    response = client_for(recruiter).get(LIST, {"citizenship": citizenship})

    assert response.status_code == 200
    assert ids(response) == [profiles[key] for key in expected]


@pytest.mark.parametrize(("language", "expected"), [("en", ["a"]), ("es", ["b"]), ("de", [])])
def test_candidate_filter_language(recruiter, profile_a, profile_b, language, expected):
    profiles = {"a": profile_a.pk, "b": profile_b.pk}

    response = client_for(recruiter).get(LIST, {"language": language})

    assert response.status_code == 200
    assert ids(response) == [profiles[key] for key in expected]


def test_candidate_filter_language_lists_a_profile_once(recruiter, profile_b, candidate_a):
    profile = _fill(
        candidate_a,
        languages=[
            {"language": "fr", "skill": "reading", "level": "C1", "scale": "cefr"},
            {"language": "fr", "skill": "writing", "level": "B2", "scale": "cefr"},
        ],
    )

    response = client_for(recruiter).get(LIST, {"language": "fr"})

    assert ids(response) == [profile.pk]


def test_candidate_filter_updated_since(recruiter, profile_a, profile_b):
    cutoff = timezone.now() - timedelta(hours=1)
    CandidateProfile.objects.filter(pk=profile_a.pk).update(updated_at=cutoff)
    CandidateProfile.objects.filter(pk=profile_b.pk).update(
        updated_at=cutoff - timedelta(microseconds=1)
    )

    response = client_for(recruiter).get(LIST, {"updated_since": iso(cutoff)})

    assert response.status_code == 200
    assert ids(response) == [profile_a.pk]


def test_candidate_filters_combine(recruiter, profile_a, profile_b):
    response = client_for(recruiter).get(LIST, {"citizenship": "NO", "language": "es"})

    assert response.status_code == 200
    assert ids(response) == []


def test_candidate_ordering_by_id(recruiter, profile_a, profile_b):
    ascending = client_for(recruiter).get(LIST, {"ordering": "id"})
    descending = client_for(recruiter).get(LIST, {"ordering": "-id"})

    assert ids(ascending) == [profile_a.pk, profile_b.pk]
    assert ids(descending) == [profile_b.pk, profile_a.pk]


def test_candidate_list_is_cursor_paginated(recruiter, profile_a, profile_b):
    first_page = client_for(recruiter).get(LIST, {"limit": 1})
    second_page = client_for(recruiter).get(first_page.json()["next"])

    assert ids(first_page) == [profile_b.pk]
    assert ids(second_page) == [profile_a.pk]
    assert second_page.json()["next"] is None
