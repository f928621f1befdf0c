"""Placements through the API: created by an accepted offer, scoped per role, moved, checked off,
renewed under the contract rules, and moved together in a crisis."""

from datetime import date

import pytest

from recruitment.enums import ApplicationStatus, ContractType, FundingStatus, PlacementStatus
from recruitment.models import Placement, PlacementChecklistItem, PlacementRenewal
from tests.api.bodies import iso
from tests.conftest import client_for
from tests.factories import (
    make_application,
    make_duty_station,
    make_placement,
    make_scheme,
    make_vacancy,
)
from workflows.models import OutboxMessage, PlacementStatusChange

pytestmark = pytest.mark.django_db

P = PlacementStatus
URL = "/api/v1/placements/"
NOT_FOUND = {"code": "not_found", "detail": "Not found."}
INVALID = "The request is not valid; see `fields`."
ONLY_STAFF = {
    "code": "permission_denied",
    "detail": "Only recruiters and admins manage placements.",
}
ONLY_STAFF_IN_A_CRISIS = {
    "code": "permission_denied",
    "detail": "Only recruiters and admins act in a crisis.",
}


def ids(response):
    body = response.json()
    assert (response.status_code, body["next"], body["previous"]) == (200, None, None)
    return [item["id"] for item in body["results"]]


def item_body(item):
    item.refresh_from_db()
    return {
        "id": item.pk,
        "kind": item.kind,
        "due_date": item.due_date.isoformat(),
        "completed_at": iso(item.completed_at),
        "completed_by": item.completed_by_id,
    }


def placement_body(placement, *, allowed_transitions, checklist=()):
    """The representation of `placement` as stored now; `checklist` lists (kind, due date)."""
    placement.refresh_from_db()
    items = list(placement.checklist.order_by("due_date", "id"))
    assert [(item.kind, item.due_date) for item in items] == list(checklist)
    station = placement.duty_station
    return {
        "id": placement.pk,
        "application": placement.application_id,
        "organisation": placement.organisation.slug,
        "duty_station": {"id": station.pk, "city": station.city, "country": station.country.code},
        "scheme": placement.scheme.code if placement.scheme else None,
        "start_date": placement.start_date.isoformat(),
        "end_date": placement.end_date.isoformat(),
        "modality": placement.modality,
        "contract_type": placement.contract_type,
        "status": placement.status,
        "status_changed_at": iso(placement.status_changed_at),
        "allowed_transitions": allowed_transitions,
        "checklist": [item_body(item) for item in items],
        "version": placement.version,
        "created_at": iso(placement.created_at),
        "updated_at": iso(placement.updated_at),
    }


def changes_of(placement):
    return list(
        PlacementStatusChange.objects.filter(placement=placement)
        .order_by("id")
        .values_list("from_status", "to_status", "actor_id", "reason", "reason_code")
    )


def state():
    """Every placement, checklist item, renewal, audit and outbox row."""
    return {
        "placements": list(Placement.objects.values().order_by("id")),
        "checklist": list(PlacementChecklistItem.objects.values().order_by("id")),
        "renewals": list(PlacementRenewal.objects.values().order_by("id")),
        "changes": list(PlacementStatusChange.objects.values().order_by("id")),
        "outbox": list(OutboxMessage.objects.values().order_by("id")),
    }


@pytest.fixture
def geneva(db):
    return make_duty_station(city="Geneva", country="CH")


@pytest.fixture
def juba(db):
    return make_duty_station(city="Juba", country="SS")


@pytest.fixture
def nairobi(db):
    return make_duty_station(city="Nairobi", country="KE")


# Acceptance creates the placement; who sees it

GENEVA_CHECKLIST = [
    ("funding", date(2030, 11, 2)),
    ("contract", date(2030, 11, 17)),
    ("medical", date(2030, 12, 2)),
    ("security_clearance", date(2030, 12, 11)),
    ("visa", date(2030, 12, 11)),
    ("travel", date(2030, 12, 18)),
    ("pre_departure_training", date(2030, 12, 18)),
    ("homecoming_debrief", date(2033, 1, 30)),
]


@pytest.fixture
def accepted(candidate_a, organisation_x, geneva):
    """The placement that follows candidate A accepting an offer of X at Geneva, by the API."""
    vacancy = make_vacancy(
        organisation=organisation_x,
        funding_status=FundingStatus.CONFIRMED,
        planned_start_date=date(2031, 1, 1),
        planned_end_date=date(2032, 12, 31),
        contract_type="fixed_term",
    )
    vacancy.duty_stations.add(geneva)
    application = make_application(
        candidate=candidate_a, vacancy=vacancy, status=ApplicationStatus.OFFERED
    )
    response = client_for(candidate_a).post(
        f"/api/v1/applications/{application.pk}/transitions/", {"to": "accepted"}
    )
    assert response.status_code == 200
    return Placement.objects.get(application=application)


def test_accepted_offer_creates_placement_the_candidate_sees(candidate_a, accepted):
    client = client_for(candidate_a)

    listed = client.get(URL)
    detail = client.get(f"{URL}{accepted.pk}/")

    assert ids(listed) == [accepted.pk]
    assert detail.status_code == 200
    assert detail.json() == placement_body(
        accepted, allowed_transitions=[], checklist=GENEVA_CHECKLIST
    )
    assert (detail.json()["status"], detail.json()["version"], detail["ETag"]) == (
        "planned", 1, '"1"',
    )  # fmt: skip
    assert changes_of(accepted) == [("", "planned", None, "", "accepted")]


def test_accepted_offer_placement_records_when_its_status_was_set(accepted):
    first = accepted.status_changes.get()

    assert accepted.status_changed_at == first.created_at


@pytest.mark.parametrize("caller", ["partner_x", "recruiter", "admin_user"])
def test_placement_seen_by_its_organisation_and_staff(request, caller, accepted):
    client = client_for(request.getfixturevalue(caller))
    staff = caller != "partner_x"

    listed = client.get(URL)
    detail = client.get(f"{URL}{accepted.pk}/")

    assert ids(listed) == [accepted.pk]
    assert detail.json() == placement_body(
        accepted,
        allowed_transitions=["funding_confirmed", "terminated_early"] if staff else [],
        checklist=GENEVA_CHECKLIST,
    )


def test_placement_of_another_organisation_or_candidate_is_hidden(
    accepted, partner_y, candidate_b, organisation_y
):
    theirs = make_placement(organisation=organisation_y)

    seen = {
        user.email: (ids(client_for(user).get(URL)), client_for(user).get(f"{URL}{accepted.pk}/"))
        for user in (partner_y, candidate_b)
    }

    assert {email: (listed, r.status_code, r.json()) for email, (listed, r) in seen.items()} == {
        "py@unhcr.org": ([theirs.pk], 404, NOT_FOUND),
        "b@example.org": ([], 404, NOT_FOUND),
    }


def test_placement_list_by_anonymous_is_401(anonymous, accepted):
    response = anonymous.get(URL)

    assert (response.status_code, response.json()) == (
        401,
        {"code": "not_authenticated", "detail": "Authentication credentials were not provided."},
    )


# Transitions and history


def test_placement_transition_by_recruiter_moves_with_audit_row_and_email(
    recruiter, candidate_a, accepted
):
    response = client_for(recruiter).post(
        f"{URL}{accepted.pk}/transitions/",
        {"to": "funding_confirmed", "reason": "Donor letter received.", "reason_code": "donor"},
        HTTP_IF_MATCH='"1"',
    )

    assert response.status_code == 200
    assert response.json() == placement_body(
        accepted,
        allowed_transitions=["contracted", "terminated_early"],
        checklist=GENEVA_CHECKLIST,
    )
    assert (response["ETag"], accepted.status, accepted.version) == (
        '"2"', "funding_confirmed", 2,
    )  # fmt: skip
    assert changes_of(accepted) == [
        ("", "planned", None, "", "accepted"),
        ("planned", "funding_confirmed", recruiter.pk, "Donor letter received.", "donor"),
    ]
    message = OutboxMessage.objects.get(event_type="placement.status_changed")
    assert (message.recipient, message.payload["placement_id"], message.payload["to"]) == (
        candidate_a, accepted.pk, "funding_confirmed",
    )  # fmt: skip


def test_placement_transition_not_in_the_table_is_409_and_changes_nothing(recruiter, accepted):
    before = state()

    response = client_for(recruiter).post(f"{URL}{accepted.pk}/transitions/", {"to": "deployed"})

    assert response.status_code == 409
    assert response.json() == {
        "code": "invalid_transition",
        "detail": "Cannot move from planned to deployed.",
        "current_status": "planned",
        "requested_status": "deployed",
        "allowed_transitions": ["funding_confirmed", "terminated_early"],
    }
    assert state() == before


def test_placement_transition_with_stale_if_match_is_412_and_changes_nothing(recruiter, accepted):
    before = state()

    response = client_for(recruiter).post(
        f"{URL}{accepted.pk}/transitions/", {"to": "funding_confirmed"}, HTTP_IF_MATCH='"7"'
    )

    assert response.status_code == 412
    assert response.json() == {
        "code": "stale_version",
        "detail": "The resource changed since you read it.",
        "current_version": 1,
    }
    assert state() == before


@pytest.mark.parametrize("caller", ["candidate_a", "partner_x"])
def test_placement_writes_by_candidate_or_partner_are_403(request, caller, accepted):
    client = client_for(request.getfixturevalue(caller))
    item = accepted.checklist.first()
    before = state()

    responses = [
        client.post(f"{URL}{accepted.pk}/transitions/", {"to": "funding_confirmed"}),
        client.patch(f"{URL}{accepted.pk}/checklist/{item.pk}/", {"completed": True}),
        client.post(f"{URL}{accepted.pk}/renewals/", {"end_date": "2033-06-30"}),
    ]

    assert [(r.status_code, r.json()) for r in responses] == [(403, ONLY_STAFF)] * 3
    assert state() == before


def test_placement_history_for_staff_and_for_the_candidate(recruiter, candidate_a, accepted):
    client_for(recruiter).post(
        f"{URL}{accepted.pk}/transitions/", {"to": "funding_confirmed", "reason": "Funded."}
    )
    first, second = list(accepted.status_changes.order_by("id"))

    def rows(actor, staff=True):
        return [
            {
                "id": first.pk, "from_status": "", "to_status": "planned", "actor": None,
                "reason": "", "reason_code": "accepted" if staff else "",
                "created_at": iso(first.created_at),
            },
            {
                "id": second.pk, "from_status": "planned", "to_status": "funding_confirmed",
                "actor": actor, "reason": "Funded." if staff else "", "reason_code": "",
                "created_at": iso(second.created_at),
            },
        ]  # fmt: skip

    staff = client_for(recruiter).get(f"{URL}{accepted.pk}/history/")
    candidate = client_for(candidate_a).get(f"{URL}{accepted.pk}/history/")

    assert (staff.status_code, staff.json()) == (200, rows(recruiter.pk))
    # The agency's internal reasons are not shown to the placed candidate.
    assert (candidate.status_code, candidate.json()) == (200, rows(None, staff=False))


# Checklist


def test_checklist_item_marked_done_then_undone(recruiter, accepted, admin_user):
    item = accepted.checklist.get(kind="visa")

    done = client_for(recruiter).patch(
        f"{URL}{accepted.pk}/checklist/{item.pk}/", {"completed": True}
    )
    done_body = item_body(item)
    undone = client_for(admin_user).patch(
        f"{URL}{accepted.pk}/checklist/{item.pk}/", {"completed": False}
    )  # fmt: skip

    assert (done.status_code, done.json()) == (200, done_body)
    assert (done_body["completed_by"], done_body["completed_at"] is not None) == (
        recruiter.pk, True,
    )  # fmt: skip
    assert (undone.status_code, undone.json()) == (
        200,
        {"id": item.pk, "kind": "visa", "due_date": "2030-12-11", "completed_at": None,
         "completed_by": None},
    )  # fmt: skip
    assert (
        list(accepted.checklist.exclude(pk=item.pk).values_list("completed_at", flat=True))
        == [None] * 7
    )


def test_checklist_item_of_another_placement_is_404(recruiter, accepted, organisation_x):
    other = make_placement(organisation=organisation_x)
    item = PlacementChecklistItem.objects.create(
        placement=other, kind="visa", due_date=date(2031, 1, 1)
    )
    before = state()

    response = client_for(recruiter).patch(
        f"{URL}{accepted.pk}/checklist/{item.pk}/", {"completed": True}
    )

    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert state() == before


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"completed": ["This field is required."]}),
        ({"completed": "maybe"}, {"completed": ["Must be a valid boolean."]}),
        ({"completed": True, "completed_by": 1}, {"completed_by": ["Unknown field."]}),
    ],
)
def test_checklist_item_with_invalid_body_is_400(recruiter, accepted, body, fields):
    item = accepted.checklist.first()
    before = state()

    response = client_for(recruiter).patch(f"{URL}{accepted.pk}/checklist/{item.pk}/", body)

    assert response.status_code == 400
    assert response.json() == {"code": "validation_error", "detail": INVALID, "fields": fields}
    assert state() == before


# Renewals


def renew(user, placement, **body):
    return client_for(user).post(f"{URL}{placement.pk}/renewals/", body)


@pytest.mark.parametrize(
    ("end_date", "detail"),
    [
        ("2032-12-31", "A temporary appointment lasts at most 364 days, not 366."),
        ("2032-12-30", "A temporary appointment lasts at most 364 days, not 365."),
        ("2031-12-31", "A renewal must move the end date later."),
        ("2031-06-30", "A renewal must move the end date later."),
    ],
)
def test_renewal_of_temporary_appointment_breaking_the_rules_is_400(
    recruiter, juba, end_date, detail
):
    placement = make_placement(
        duty_station=juba, status=P.DEPLOYED, contract_type=ContractType.TEMPORARY,
        start_date=date(2031, 1, 1), end_date=date(2031, 12, 31),
    )  # fmt: skip
    before = state()

    response = renew(recruiter, placement, end_date=end_date)

    assert response.status_code == 400
    assert response.json() == {"code": "contract_invalid", "detail": detail}
    assert state() == before


def test_renewal_of_temporary_appointment_within_364_days_extends_it(recruiter, juba):
    placement = make_placement(
        duty_station=juba, status=P.DEPLOYED, contract_type=ContractType.TEMPORARY,
        start_date=date(2031, 1, 1), end_date=date(2031, 12, 31),
    )  # fmt: skip

    response = renew(recruiter, placement, end_date="2032-12-29", reason="Project extended.")

    assert response.status_code == 200
    assert response.json() == placement_body(placement, allowed_transitions=["deployed"])
    assert (placement.status, placement.end_date, placement.duty_station_id) == (
        "extended", date(2032, 12, 29), juba.pk,
    )  # fmt: skip


@pytest.fixture
def jpo_in_juba(juba):
    """A JPO deployed to Juba for its first two years."""
    return make_placement(
        duty_station=juba, scheme=make_scheme(code="jpo"), status=P.DEPLOYED,
        start_date=date(2030, 1, 1), end_date=date(2032, 1, 1),
    )  # fmt: skip


@pytest.mark.parametrize("same_station", [False, True], ids=["station_omitted", "station_named"])
def test_renewal_of_jpo_into_third_year_at_same_duty_station_is_400(
    recruiter, jpo_in_juba, juba, same_station
):
    body = {"end_date": "2033-01-01", **({"duty_station": juba.pk} if same_station else {})}
    before = state()

    response = renew(recruiter, jpo_in_juba, **body)

    assert response.status_code == 400
    assert response.json() == {
        "code": "jpo_third_year",
        "detail": "A JPO's third year is served at another duty station.",
    }
    assert state() == before


def test_renewal_of_jpo_into_third_year_at_another_duty_station_extends_it(
    recruiter, jpo_in_juba, juba, nairobi
):
    candidate = jpo_in_juba.application.candidate.user

    response = renew(
        recruiter, jpo_in_juba, end_date="2033-01-01", duty_station=nairobi.pk,
        reason="Third year in Nairobi.",
    )  # fmt: skip

    assert response.status_code == 200
    assert response.json() == placement_body(jpo_in_juba, allowed_transitions=["deployed"])
    assert (
        jpo_in_juba.status, jpo_in_juba.end_date, jpo_in_juba.duty_station_id, jpo_in_juba.version
    ) == ("extended", date(2033, 1, 1), nairobi.pk, 2)  # fmt: skip
    assert list(
        PlacementRenewal.objects.values_list(
            "placement_id", "previous_end_date", "new_end_date", "previous_duty_station_id",
            "duty_station_id", "actor_id", "reason",
        )
    ) == [
        (
            jpo_in_juba.pk, date(2032, 1, 1), date(2033, 1, 1), juba.pk, nairobi.pk,
            recruiter.pk, "Third year in Nairobi.",
        )
    ]  # fmt: skip
    assert changes_of(jpo_in_juba) == [
        ("deployed", "extended", recruiter.pk, "Third year in Nairobi.", "renewal")
    ]
    message = OutboxMessage.objects.get()
    assert (message.event_type, message.recipient, message.payload["to"]) == (
        "placement.status_changed", candidate, "extended",
    )  # fmt: skip


def test_renewal_of_jpo_within_its_first_two_years_may_stay(recruiter, juba):
    placement = make_placement(
        duty_station=juba, scheme=make_scheme(code="jpo"), status=P.DEPLOYED,
        start_date=date(2030, 1, 1), end_date=date(2031, 1, 1),
    )  # fmt: skip

    response = renew(recruiter, placement, end_date="2032-01-01")

    assert (response.status_code, response.json()["status"]) == (200, "extended")
    assert Placement.objects.get(pk=placement.pk).duty_station_id == juba.pk


def test_renewal_of_placement_not_deployed_is_409_and_changes_nothing(recruiter, juba):
    placement = make_placement(duty_station=juba, status=P.PRE_DEPARTURE)
    before = state()

    response = renew(recruiter, placement, end_date="2034-06-30")

    assert response.status_code == 409
    assert response.json() == {
        "code": "invalid_transition",
        "detail": "Cannot move from pre_departure to extended.",
        "current_status": "pre_departure",
        "requested_status": "extended",
        "allowed_transitions": ["deployed", "remote", "terminated_early"],
    }
    assert state() == before


# Crisis


def crisis_url(station):
    return f"/api/v1/duty-stations/{station.pk}/crisis/"


@pytest.fixture
def placements_in_juba_and_nairobi(organisation_x, juba, nairobi):
    """Two deployed and two other placements of X at Juba, one deployed at Nairobi."""
    return {
        key: make_placement(organisation=organisation_x, duty_station=station, status=status)
        for key, station, status in [
            ("deployed_1", juba, P.DEPLOYED),
            ("deployed_2", juba, P.DEPLOYED),
            ("planned", juba, P.PLANNED),
            ("suspended", juba, P.SUSPENDED),
            ("elsewhere", nairobi, P.DEPLOYED),
        ]
    }


@pytest.mark.parametrize("to", ["evacuated", "remote", "suspended"])
@pytest.mark.parametrize("caller", ["recruiter", "admin_user"])
def test_crisis_moves_every_deployed_placement_at_the_station_once(
    request, caller, juba, placements_in_juba_and_nairobi, to
):
    user = request.getfixturevalue(caller)
    made = placements_in_juba_and_nairobi
    first_ids = [made["deployed_1"].pk, made["deployed_2"].pk]
    client = client_for(user)

    first = client.post(crisis_url(juba), {"to": to, "reason": "Fighting near the compound."})
    after_first = state()
    second = client.post(crisis_url(juba), {"to": to, "reason": "Fighting near the compound."})

    already_there = [made["suspended"].pk] if to == "suspended" else []
    assert (first.status_code, first.json()) == (
        200, {"moved": first_ids, "unchanged": already_there},
    )  # fmt: skip
    assert {key: Placement.objects.get(pk=p.pk).status for key, p in made.items()} == {
        "deployed_1": to, "deployed_2": to, "planned": "planned", "suspended": "suspended",
        "elsewhere": "deployed",
    }  # fmt: skip
    assert sorted(
        PlacementStatusChange.objects.values_list(
            "placement_id", "from_status", "to_status", "actor_id", "reason", "reason_code"
        )
    ) == [
        (pk, "deployed", to, user.pk, "Fighting near the compound.", "crisis") for pk in first_ids
    ]
    assert sorted(
        OutboxMessage.objects.values_list("event_type", "recipient_id", "payload__placement_id")
    ) == sorted(
        ("placement.status_changed", made[key].application.candidate.user_id, made[key].pk)
        for key in ("deployed_1", "deployed_2")
    )
    assert (second.status_code, second.json()) == (
        200, {"moved": [], "unchanged": sorted(first_ids + already_there)},
    )  # fmt: skip
    assert state() == after_first


@pytest.mark.parametrize("caller", ["candidate_a", "partner_x"])
def test_crisis_by_candidate_or_partner_is_403(
    request, caller, juba, placements_in_juba_and_nairobi
):
    before = state()

    response = client_for(request.getfixturevalue(caller)).post(
        crisis_url(juba), {"to": "evacuated", "reason": "Fighting."}
    )

    assert (response.status_code, response.json()) == (403, ONLY_STAFF_IN_A_CRISIS)
    assert state() == before


def test_crisis_by_anonymous_is_401(anonymous, juba, placements_in_juba_and_nairobi):
    before = state()

    response = anonymous.post(crisis_url(juba), {"to": "evacuated", "reason": "Fighting."})

    assert response.status_code == 401
    assert response.json() == {
        "code": "not_authenticated",
        "detail": "Authentication credentials were not provided.",
    }
    assert state() == before


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"to": "deployed", "reason": "Calm."}, {"to": ['"deployed" is not a valid choice.']}),
        ({"to": "evacuated"}, {"reason": ["This field is required."]}),
        ({"to": "evacuated", "reason": "x", "scope": "all"}, {"scope": ["Unknown field."]}),
    ],
)  # fmt: skip
def test_crisis_with_invalid_body_is_400(
    recruiter, juba, placements_in_juba_and_nairobi, body, fields
):
    before = state()

    response = client_for(recruiter).post(crisis_url(juba), body)

    assert response.status_code == 400
    assert response.json() == {"code": "validation_error", "detail": INVALID, "fields": fields}
    assert state() == before


def test_crisis_at_unknown_duty_station_is_404(recruiter, juba):
    response = client_for(recruiter).post(
        f"/api/v1/duty-stations/{juba.pk + 100}/crisis/", {"to": "evacuated", "reason": "x"}
    )

    assert (response.status_code, response.json()) == (404, NOT_FOUND)
