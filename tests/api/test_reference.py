"""API tests of the reference data: /api/v1/organisations/, /duty-stations/ and /schemes/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from recruitment.models import DutyStation, DutyStationClassification, Organisation, Scheme
from tests.api.bodies import iso
from tests.conftest import client_for
from tests.factories import make_duty_station, make_organisation, make_scheme

pytestmark = pytest.mark.django_db

ORGANISATIONS = "/api/v1/organisations/"
DUTY_STATIONS = "/api/v1/duty-stations/"
SCHEMES = "/api/v1/schemes/"
INVALID = "The request is not valid; see `fields`."
FORBIDDEN = {
    "code": "permission_denied",
    "detail": "Only admins change reference data.",
}
NOT_AUTHENTICATED = {
    "code": "not_authenticated",
    "detail": "Authentication credentials were not provided.",
}
READERS = ["anonymous_user", "candidate_a", "partner_x", "recruiter", "admin_user"]
NON_ADMIN_WRITERS = ["candidate_a", "partner_x", "recruiter"]


def ids(response) -> list[int]:
    return [item["id"] for item in response.json()["results"]]


def invalid(fields: dict) -> dict:
    return {"code": "validation_error", "detail": INVALID, "fields": fields}


def caller_client(request, caller: str):
    return client_for(None if caller == "anonymous_user" else request.getfixturevalue(caller))


def organisation_body(organisation: Organisation) -> dict:
    organisation.refresh_from_db()
    return {
        "id": organisation.pk,
        "slug": organisation.slug,
        "name": organisation.name,
        "acronym": organisation.acronym,
        "kind": organisation.kind,
        "parent": organisation.parent.slug if organisation.parent else None,
        "needs_review": organisation.needs_review,
        "created_at": iso(organisation.created_at),
        "updated_at": iso(organisation.updated_at),
    }


def snapshot(model, pk: int) -> dict:
    return model.objects.values().get(pk=pk)


# --- organisations ------------------------------------------------------------------------------


@pytest.mark.parametrize("caller", READERS)
def test_organisation_list_is_readable_by_everyone(request, caller, organisation_x, organisation_y):
    child = make_organisation(
        slug="unicef-ke", name="UNICEF Kenya", acronym="", parent=organisation_x, needs_review=True
    )

    response = caller_client(request, caller).get(ORGANISATIONS)

    assert response.status_code == 200
    assert response.json() == {
        "next": None,
        "previous": None,
        "results": [
            {
                "id": child.pk,
                "slug": "unicef-ke",
                "name": "UNICEF Kenya",
                "acronym": "",
                "kind": "un_agency",
                "parent": "unicef",
                "needs_review": True,
                "created_at": iso(child.created_at),
                "updated_at": iso(child.updated_at),
            },
            organisation_body(organisation_y),
            {
                "id": organisation_x.pk,
                "slug": "unicef",
                "name": "United Nations Children's Fund",
                "acronym": "UNICEF",
                "kind": "un_agency",
                "parent": None,
                "needs_review": False,
                "created_at": iso(organisation_x.created_at),
                "updated_at": iso(organisation_x.updated_at),
            },
        ],
    }


def test_organisation_retrieve_returns_whole_body(anonymous, organisation_y):
    response = anonymous.get(f"{ORGANISATIONS}{organisation_y.pk}/")

    assert response.status_code == 200
    assert response.json() == {
        "id": organisation_y.pk,
        "slug": "unhcr",
        "name": "UN Refugee Agency",
        "acronym": "UNHCR",
        "kind": "un_agency",
        "parent": None,
        "needs_review": False,
        "created_at": iso(organisation_y.created_at),
        "updated_at": iso(organisation_y.updated_at),
    }


def test_organisation_retrieve_of_unknown_id_is_404(anonymous):
    response = anonymous.get(f"{ORGANISATIONS}987654/")

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Not found."}


def test_organisation_create_by_admin_returns_whole_body(admin_user, organisation_x):
    body = {
        "slug": "norad",
        "name": "Norwegian Agency for Development Cooperation",
        "acronym": "Norad",
        "kind": "donor",
        "parent": "unicef",
        "needs_review": False,
    }

    response = client_for(admin_user).post(ORGANISATIONS, body)

    assert response.status_code == 201
    created = Organisation.objects.get(slug="norad")
    assert response.json() == {
        "id": created.pk,
        **body,
        "created_at": iso(created.created_at),
        "updated_at": iso(created.updated_at),
    }
    assert created.parent_id == organisation_x.pk


def test_organisation_patch_by_admin_changes_given_fields(admin_user, organisation_x):
    response = client_for(admin_user).patch(
        f"{ORGANISATIONS}{organisation_x.pk}/", {"acronym": "UNICEF HQ", "needs_review": True}
    )

    assert response.status_code == 200
    organisation_x.refresh_from_db()
    assert (organisation_x.acronym, organisation_x.needs_review) == ("UNICEF HQ", True)
    assert response.json() == organisation_body(organisation_x)


@pytest.mark.parametrize("caller", NON_ADMIN_WRITERS)
def test_organisation_create_by_non_admin_is_403(request, caller):
    response = client_for(request.getfixturevalue(caller)).post(
        ORGANISATIONS, {"slug": "wfp", "name": "World Food Programme", "kind": "un_agency"}
    )

    assert response.status_code == 403
    assert response.json() == FORBIDDEN
    assert not Organisation.objects.filter(slug="wfp").exists()


@pytest.mark.parametrize("method", ["put", "patch"])
@pytest.mark.parametrize("caller", NON_ADMIN_WRITERS)
def test_organisation_update_by_non_admin_is_403_and_changes_nothing(
    request, caller, method, organisation_x
):
    before = snapshot(Organisation, organisation_x.pk)

    response = getattr(client_for(request.getfixturevalue(caller)), method)(
        f"{ORGANISATIONS}{organisation_x.pk}/",
        {"slug": "unicef", "name": "Renamed", "kind": "donor"},
    )

    assert response.status_code == 403
    assert response.json() == FORBIDDEN
    assert snapshot(Organisation, organisation_x.pk) == before


def test_organisation_create_by_anonymous_is_401(anonymous):
    response = anonymous.post(
        ORGANISATIONS, {"slug": "wfp", "name": "World Food Programme", "kind": "un_agency"}
    )

    assert response.status_code == 401
    assert response.json() == NOT_AUTHENTICATED
    assert Organisation.objects.count() == 0


def test_organisation_create_without_required_fields_is_400(admin_user):
    response = client_for(admin_user).post(ORGANISATIONS, {"acronym": "X"})

    assert response.status_code == 400
    assert response.json() == invalid(
        {
            "slug": ["This field is required."],
            "name": ["This field is required."],
            "kind": ["This field is required."],
        }
    )
    assert Organisation.objects.count() == 0


@pytest.mark.parametrize(
    ("extra", "fields"),
    [
        ({"website": "https://wfp.org"}, {"website": ["Unknown field."]}),
        ({"id": 99}, {"id": ["This field is read-only."]}),
        ({"created_at": "2020-01-01T00:00:00Z"}, {"created_at": ["This field is read-only."]}),
        ({"name": "n" * 201}, {"name": ["Ensure this field has no more than 200 characters."]}),
        ({"acronym": "a" * 41}, {"acronym": ["Ensure this field has no more than 40 characters."]}),
        ({"slug": "s" * 81}, {"slug": ["Ensure this field has no more than 80 characters."]}),
        ({"kind": "ngo"}, {"kind": ['"ngo" is not a valid choice.']}),
        ({"needs_review": "perhaps"}, {"needs_review": ["Must be a valid boolean."]}),
        ({"name": ["World", "Food"]}, {"name": ["Not a valid string."]}),
        ({"parent": "nope"}, {"parent": ["Object with slug=nope does not exist."]}),
        (
            {"slug": "world food"},
            {
                "slug": [
                    'Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.'
                ]
            },
        ),
        ({"slug": "unicef"}, {"slug": ["organisation with this slug already exists."]}),
    ],
)
def test_organisation_create_with_bad_body_is_400(admin_user, organisation_x, extra, fields):
    body = {"slug": "wfp", "name": "World Food Programme", "kind": "un_agency", **extra}

    response = client_for(admin_user).post(ORGANISATIONS, body)

    assert response.status_code == 400
    assert response.json() == invalid(fields)
    assert list(Organisation.objects.values_list("slug", flat=True)) == ["unicef"]


def test_organisation_patch_with_read_only_field_is_400_and_changes_nothing(
    admin_user, organisation_x
):
    before = snapshot(Organisation, organisation_x.pk)

    response = client_for(admin_user).patch(
        f"{ORGANISATIONS}{organisation_x.pk}/", {"name": "Renamed", "updated_at": None}
    )

    assert response.status_code == 400
    assert response.json() == invalid({"updated_at": ["This field is read-only."]})
    assert snapshot(Organisation, organisation_x.pk) == before


def test_organisation_delete_is_not_allowed(admin_user, organisation_x):
    response = client_for(admin_user).delete(f"{ORGANISATIONS}{organisation_x.pk}/")

    assert response.status_code == 405
    assert response.json() == {
        "code": "method_not_allowed",
        "detail": 'Method "DELETE" not allowed.',
    }
    assert Organisation.objects.filter(pk=organisation_x.pk).exists()


def test_organisation_filter_kind_and_needs_review(anonymous, organisation_x):
    donor = make_organisation(slug="norad", kind="donor")
    flagged_donor = make_organisation(slug="sida", kind="donor", needs_review=True)

    by_kind = anonymous.get(ORGANISATIONS, {"kind": "donor"})
    flagged = anonymous.get(ORGANISATIONS, {"needs_review": "true"})
    unflagged_donors = anonymous.get(ORGANISATIONS, {"kind": "donor", "needs_review": "false"})

    assert ids(by_kind) == [flagged_donor.pk, donor.pk]
    assert ids(flagged) == [flagged_donor.pk]
    assert ids(unflagged_donors) == [donor.pk]


def test_organisation_filter_updated_since(anonymous, organisation_x, organisation_y):
    cutoff = timezone.now() - timedelta(hours=1)
    Organisation.objects.filter(pk=organisation_x.pk).update(updated_at=cutoff)
    Organisation.objects.filter(pk=organisation_y.pk).update(updated_at=cutoff - timedelta(1))

    response = anonymous.get(ORGANISATIONS, {"updated_since": iso(cutoff)})

    assert response.status_code == 200
    assert ids(response) == [organisation_x.pk]


def test_organisation_ordering_by_slug_and_name(anonymous):
    wfp = make_organisation(slug="wfp", name="World Food Programme")
    undp = make_organisation(slug="undp", name="Development Programme")
    ilo = make_organisation(slug="ilo", name="Labour Organization")

    by_slug = anonymous.get(ORGANISATIONS, {"ordering": "slug"})
    by_name_desc = anonymous.get(ORGANISATIONS, {"ordering": "-name"})

    assert ids(by_slug) == [ilo.pk, undp.pk, wfp.pk]
    assert ids(by_name_desc) == [wfp.pk, ilo.pk, undp.pk]


# --- duty stations ------------------------------------------------------------------------------


def test_duty_station_shows_classification_in_force_today(anonymous):
    today = timezone.localdate()
    juba = make_duty_station(city="Juba", country="SS")
    for hardship, family_status, effective_from in [
        ("E", "non_family", today - timedelta(days=800)),
        ("D", "non_family", today - timedelta(days=30)),
        ("C", "family", today + timedelta(days=30)),
    ]:
        DutyStationClassification.objects.create(
            duty_station=juba,
            hardship=hardship,
            family_status=family_status,
            effective_from=effective_from,
        )

    response = anonymous.get(f"{DUTY_STATIONS}{juba.pk}/")

    assert response.status_code == 200
    assert response.json() == {
        "id": juba.pk,
        "city": "Juba",
        "country": "SS",
        "classification": {
            "hardship": "D",
            "family_status": "non_family",
            "effective_from": (today - timedelta(days=30)).isoformat(),
        },
        "created_at": iso(juba.created_at),
        "updated_at": iso(juba.updated_at),
    }


@pytest.mark.parametrize("caller", READERS)
def test_duty_station_list_is_readable_by_everyone(request, caller):
    today = timezone.localdate()
    geneva = make_duty_station(city="Geneva", country="CH")
    DutyStationClassification.objects.create(
        duty_station=geneva, hardship="H", family_status="family", effective_from=today
    )
    kabul = make_duty_station(city="Kabul", country="AF")
    DutyStationClassification.objects.create(
        duty_station=kabul,
        hardship="E",
        family_status="non_family",
        effective_from=today + timedelta(days=1),
    )
    nairobi = make_duty_station(city="Nairobi", country="KE")

    response = caller_client(request, caller).get(DUTY_STATIONS)

    assert response.status_code == 200
    assert response.json() == {
        "next": None,
        "previous": None,
        "results": [
            {
                "id": nairobi.pk,
                "city": "Nairobi",
                "country": "KE",
                "classification": None,
                "created_at": iso(nairobi.created_at),
                "updated_at": iso(nairobi.updated_at),
            },
            {
                "id": kabul.pk,
                "city": "Kabul",
                "country": "AF",
                "classification": None,
                "created_at": iso(kabul.created_at),
                "updated_at": iso(kabul.updated_at),
            },
            {
                "id": geneva.pk,
                "city": "Geneva",
                "country": "CH",
                "classification": {
                    "hardship": "H",
                    "family_status": "family",
                    "effective_from": today.isoformat(),
                },
                "created_at": iso(geneva.created_at),
                "updated_at": iso(geneva.updated_at),
            },
        ],
    }


def test_duty_station_create_by_admin_returns_whole_body(admin_user):
    response = client_for(admin_user).post(DUTY_STATIONS, {"city": "Juba", "country": "SS"})

    assert response.status_code == 201
    station = DutyStation.objects.get()
    assert response.json() == {
        "id": station.pk,
        "city": "Juba",
        "country": "SS",
        "classification": None,
        "created_at": iso(station.created_at),
        "updated_at": iso(station.updated_at),
    }


def test_duty_station_create_normalises_lower_case_country(admin_user):
    response = client_for(admin_user).post(DUTY_STATIONS, {"city": "Juba", "country": "ss"})

    assert response.status_code == 201
    assert response.json()["country"] == "SS"
    assert list(DutyStation.objects.values_list("city", "country")) == [("Juba", "SS")]


@pytest.mark.parametrize("caller", NON_ADMIN_WRITERS)
def test_duty_station_create_by_non_admin_is_403(request, caller):
    response = client_for(request.getfixturevalue(caller)).post(
        DUTY_STATIONS, {"city": "Juba", "country": "SS"}
    )

    assert response.status_code == 403
    assert response.json() == FORBIDDEN
    assert DutyStation.objects.count() == 0


@pytest.mark.parametrize("caller", NON_ADMIN_WRITERS)
def test_duty_station_patch_by_non_admin_is_403_and_changes_nothing(request, caller):
    station = make_duty_station(city="Juba", country="SS")
    before = snapshot(DutyStation, station.pk)

    response = client_for(request.getfixturevalue(caller)).patch(
        f"{DUTY_STATIONS}{station.pk}/", {"city": "Wau"}
    )

    assert response.status_code == 403
    assert response.json() == FORBIDDEN
    assert snapshot(DutyStation, station.pk) == before


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"country": "SS"}, {"city": ["This field is required."]}),
        ({"city": "Juba"}, {"country": ["This field is required."]}),
        ({"city": "Juba", "country": "XX"}, {"country": ['"XX" is not a valid choice.']}),
        (
            {"city": "c" * 121, "country": "SS"},
            {"city": ["Ensure this field has no more than 120 characters."]},
        ),
        ({"city": ["Juba"], "country": "SS"}, {"city": ["Not a valid string."]}),
        (
            {"city": "Juba", "country": "SS", "classification": {"hardship": "E"}},
            {"classification": ["This field is read-only."]},
        ),
        ({"city": "Juba", "country": "SS", "id": 5}, {"id": ["This field is read-only."]}),
        ({"city": "Juba", "country": "SS", "region": "East"}, {"region": ["Unknown field."]}),
        (
            {"city": "Nairobi", "country": "KE"},
            {"city": ["This duty station exists already (names ignore case)."]},
        ),
        (
            {"city": "NAIROBI", "country": "ke"},
            {"city": ["This duty station exists already (names ignore case)."]},
        ),
    ],
)
def test_duty_station_create_with_bad_body_is_400(admin_user, body, fields):
    existing = make_duty_station(city="Nairobi", country="KE")

    response = client_for(admin_user).post(DUTY_STATIONS, body)

    assert response.status_code == 400
    assert response.json() == invalid(fields)
    assert list(DutyStation.objects.values_list("id", flat=True)) == [existing.pk]


def test_duty_station_filter_country_and_city_ignore_case(anonymous):
    nairobi = make_duty_station(city="Nairobi", country="KE")
    mombasa = make_duty_station(city="Mombasa", country="KE")
    make_duty_station(city="Kampala", country="UG")

    by_country = anonymous.get(DUTY_STATIONS, {"country": "ke"})
    by_city = anonymous.get(DUTY_STATIONS, {"city": "NAIROBI"})

    assert ids(by_country) == [mombasa.pk, nairobi.pk]
    assert ids(by_city) == [nairobi.pk]


def test_duty_station_filter_updated_since(anonymous):
    old = make_duty_station(city="Nairobi", country="KE")
    recent = make_duty_station(city="Kampala", country="UG")
    cutoff = timezone.now() - timedelta(hours=1)
    DutyStation.objects.filter(pk=old.pk).update(updated_at=cutoff - timedelta(microseconds=1))
    DutyStation.objects.filter(pk=recent.pk).update(updated_at=cutoff)

    response = anonymous.get(DUTY_STATIONS, {"updated_since": iso(cutoff)})

    assert ids(response) == [recent.pk]


def test_duty_station_ordering_by_city(anonymous):
    nairobi = make_duty_station(city="Nairobi", country="KE")
    amman = make_duty_station(city="Amman", country="JO")
    kampala = make_duty_station(city="Kampala", country="UG")

    response = anonymous.get(DUTY_STATIONS, {"ordering": "city"})

    assert ids(response) == [amman.pk, kampala.pk, nairobi.pk]


# --- schemes ------------------------------------------------------------------------------------


@pytest.mark.parametrize("caller", READERS)
def test_scheme_list_is_readable_by_everyone(request, caller):
    jpo = make_scheme(
        code="jpo",
        name="Junior Professional Officers",
        description="Two years at P-2.",
        employer_of_record="UN DESA",
        max_duration_months=36,
        allows_recruiter_override=True,
    )
    unv = make_scheme(code="unv")

    response = caller_client(request, caller).get(SCHEMES)

    assert response.status_code == 200
    assert response.json() == {
        "next": None,
        "previous": None,
        "results": [
            {
                "id": unv.pk,
                "code": "unv",
                "name": "UNV",
                "description": "",
                "employer_of_record": "",
                "max_duration_months": None,
                "allows_recruiter_override": False,
                "created_at": iso(unv.created_at),
                "updated_at": iso(unv.updated_at),
            },
            {
                "id": jpo.pk,
                "code": "jpo",
                "name": "Junior Professional Officers",
                "description": "Two years at P-2.",
                "employer_of_record": "UN DESA",
                "max_duration_months": 36,
                "allows_recruiter_override": True,
                "created_at": iso(jpo.created_at),
                "updated_at": iso(jpo.updated_at),
            },
        ],
    }


def test_scheme_retrieve_returns_whole_body(anonymous):
    scheme = make_scheme(code="sec", name="Secondment", max_duration_months=24)

    response = anonymous.get(f"{SCHEMES}{scheme.pk}/")

    assert response.status_code == 200
    assert response.json() == {
        "id": scheme.pk,
        "code": "sec",
        "name": "Secondment",
        "description": "",
        "employer_of_record": "",
        "max_duration_months": 24,
        "allows_recruiter_override": False,
        "created_at": iso(scheme.created_at),
        "updated_at": iso(scheme.updated_at),
    }


def test_scheme_create_by_admin_returns_whole_body(admin_user):
    body = {
        "code": "jpo",
        "name": "Junior Professional Officers",
        "description": "Two years at P-2.",
        "employer_of_record": "UN DESA",
        "max_duration_months": 36,
        "allows_recruiter_override": True,
    }

    response = client_for(admin_user).post(SCHEMES, body)

    assert response.status_code == 201
    scheme = Scheme.objects.get()
    assert response.json() == {
        "id": scheme.pk,
        **body,
        "created_at": iso(scheme.created_at),
        "updated_at": iso(scheme.updated_at),
    }


def test_scheme_patch_by_admin_changes_given_fields(admin_user):
    scheme = make_scheme(code="jpo", max_duration_months=24)

    response = client_for(admin_user).patch(f"{SCHEMES}{scheme.pk}/", {"max_duration_months": 36})

    assert response.status_code == 200
    scheme.refresh_from_db()
    assert scheme.max_duration_months == 36
    assert response.json() == {
        "id": scheme.pk,
        "code": "jpo",
        "name": "JPO",
        "description": "",
        "employer_of_record": "",
        "max_duration_months": 36,
        "allows_recruiter_override": False,
        "created_at": iso(scheme.created_at),
        "updated_at": iso(scheme.updated_at),
    }


@pytest.mark.parametrize("caller", NON_ADMIN_WRITERS)
def test_scheme_create_by_non_admin_is_403(request, caller):
    response = client_for(request.getfixturevalue(caller)).post(
        SCHEMES, {"code": "jpo", "name": "JPO"}
    )

    assert response.status_code == 403
    assert response.json() == FORBIDDEN
    assert Scheme.objects.count() == 0


@pytest.mark.parametrize("caller", NON_ADMIN_WRITERS)
def test_scheme_put_by_non_admin_is_403_and_changes_nothing(request, caller):
    scheme = make_scheme(code="jpo")
    before = snapshot(Scheme, scheme.pk)

    response = client_for(request.getfixturevalue(caller)).put(
        f"{SCHEMES}{scheme.pk}/", {"code": "jpo", "name": "Renamed"}
    )

    assert response.status_code == 403
    assert response.json() == FORBIDDEN
    assert snapshot(Scheme, scheme.pk) == before


@pytest.mark.parametrize(
    ("extra", "fields"),
    [
        ({"code": None}, {"code": ["This field may not be null."]}),
        ({"name": ""}, {"name": ["This field may not be blank."]}),
        ({"name": "n" * 201}, {"name": ["Ensure this field has no more than 200 characters."]}),
        ({"code": "c" * 41}, {"code": ["Ensure this field has no more than 40 characters."]}),
        (
            {"max_duration_months": "long"},
            {"max_duration_months": ["A valid integer is required."]},
        ),
        (
            {"max_duration_months": -1},
            {"max_duration_months": ["Ensure this value is greater than or equal to 0."]},
        ),
        (
            {"allows_recruiter_override": "sometimes"},
            {"allows_recruiter_override": ["Must be a valid boolean."]},
        ),
        ({"code": "jpo"}, {"code": ["scheme with this code already exists."]}),
        ({"eligibility": {}}, {"eligibility": ["Unknown field."]}),
        ({"updated_at": "2020-01-01T00:00:00Z"}, {"updated_at": ["This field is read-only."]}),
    ],
)
def test_scheme_create_with_bad_body_is_400(admin_user, extra, fields):
    existing = make_scheme(code="jpo")

    response = client_for(admin_user).post(SCHEMES, {"code": "unv", "name": "UNV", **extra})

    assert response.status_code == 400
    assert response.json() == invalid(fields)
    assert list(Scheme.objects.values_list("id", flat=True)) == [existing.pk]


def test_scheme_filter_code_and_ordering(anonymous):
    unv = make_scheme(code="unv")
    jpo = make_scheme(code="jpo")
    sec = make_scheme(code="sec")

    by_code = anonymous.get(SCHEMES, {"code": "jpo"})
    ordered = anonymous.get(SCHEMES, {"ordering": "code"})

    assert ids(by_code) == [jpo.pk]
    assert ids(ordered) == [jpo.pk, sec.pk, unv.pk]
