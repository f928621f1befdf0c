"""Every (from, to, role) move of both life cycles through their one write path, and a race.

The services are called directly; the tables in workflows/transitions.py are the oracle, and
the first tests pin those tables to the life cycles the programme agreed on (issue 4).
"""

import threading
from datetime import date
from itertools import product

import pytest
from django.db import connection
from django.utils import timezone

from recruitment.enums import (
    ApplicationStatus,
    ChecklistItemKind,
    FundingStatus,
    PlacementStatus,
    Role,
)
from recruitment.models import Application, Placement, PlacementChecklistItem
from tests.factories import (
    make_application,
    make_candidate,
    make_duty_station,
    make_organisation,
    make_placement,
    make_user,
    make_vacancy,
)
from workflows.broker import broker
from workflows.exceptions import InvalidTransition, StaleVersion
from workflows.models import ApplicationStatusChange, OutboxMessage, PlacementStatusChange
from workflows.services import application_submit, application_transition, placement_transition
from workflows.transitions import (
    APPLICATION_TRANSITIONS,
    PLACEMENT_TRANSITIONS,
    allowed_targets,
    is_allowed,
)

A = ApplicationStatus
P = PlacementStatus
ROLES = [Role.CANDIDATE, Role.PARTNER, Role.RECRUITER, Role.ADMIN]
STAFF = {Role.RECRUITER, Role.ADMIN}
PARTNER_OR_STAFF = {Role.PARTNER, Role.RECRUITER, Role.ADMIN}


def triples(moves: dict[tuple[str, str], set[str]]) -> set[tuple[str, str, str]]:
    return {(source, target, role) for (source, target), roles in moves.items() for role in roles}


def table_triples(table) -> set[tuple[str, str, str]]:
    return {
        (source, target, role)
        for source, targets in table.items()
        for target, roles in targets.items()
        for role in roles
    }


# The life cycles as agreed: a candidate withdraws, accepts and declines; recruiters screen,
# shortlist, nominate, reject, un-reject and offer; a partner member records interview and
# selection outcomes of nominated candidates.
AGREED_APPLICATION_MOVES = {
    (A.SUBMITTED, A.SCREENING): STAFF,
    (A.SUBMITTED, A.REJECTED): STAFF,
    (A.SUBMITTED, A.WITHDRAWN): {Role.CANDIDATE},
    (A.SCREENING, A.SHORTLISTED): STAFF,
    (A.SCREENING, A.REJECTED): STAFF,
    (A.SCREENING, A.WITHDRAWN): {Role.CANDIDATE},
    (A.SHORTLISTED, A.NOMINATED): STAFF,
    (A.SHORTLISTED, A.REJECTED): STAFF,
    (A.SHORTLISTED, A.WITHDRAWN): {Role.CANDIDATE},
    (A.NOMINATED, A.INTERVIEW): PARTNER_OR_STAFF,
    (A.NOMINATED, A.NOT_SELECTED): PARTNER_OR_STAFF,
    (A.NOMINATED, A.WITHDRAWN): {Role.CANDIDATE},
    (A.INTERVIEW, A.SELECTED): PARTNER_OR_STAFF,
    (A.INTERVIEW, A.NOT_SELECTED): PARTNER_OR_STAFF,
    (A.INTERVIEW, A.WITHDRAWN): {Role.CANDIDATE},
    (A.SELECTED, A.OFFERED): STAFF,
    (A.SELECTED, A.WITHDRAWN): {Role.CANDIDATE},
    (A.OFFERED, A.ACCEPTED): {Role.CANDIDATE},
    (A.OFFERED, A.DECLINED): {Role.CANDIDATE},
    (A.OFFERED, A.WITHDRAWN): {Role.CANDIDATE},
    (A.REJECTED, A.SCREENING): STAFF,
}
AGREED_PLACEMENT_MOVES = {
    (P.PLANNED, P.FUNDING_CONFIRMED): STAFF,
    (P.PLANNED, P.TERMINATED_EARLY): STAFF,
    (P.FUNDING_CONFIRMED, P.CONTRACTED): STAFF,
    (P.FUNDING_CONFIRMED, P.TERMINATED_EARLY): STAFF,
    (P.CONTRACTED, P.PRE_DEPARTURE): STAFF,
    (P.CONTRACTED, P.TERMINATED_EARLY): STAFF,
    (P.PRE_DEPARTURE, P.DEPLOYED): STAFF,
    (P.PRE_DEPARTURE, P.REMOTE): STAFF,
    (P.PRE_DEPARTURE, P.TERMINATED_EARLY): STAFF,
    (P.DEPLOYED, P.EXTENDED): STAFF,
    (P.DEPLOYED, P.SUSPENDED): STAFF,
    (P.DEPLOYED, P.REMOTE): STAFF,
    (P.DEPLOYED, P.EVACUATED): STAFF,
    (P.DEPLOYED, P.COMPLETED): STAFF,
    (P.DEPLOYED, P.TERMINATED_EARLY): STAFF,
    (P.EXTENDED, P.DEPLOYED): STAFF,
    (P.SUSPENDED, P.DEPLOYED): STAFF,
    (P.SUSPENDED, P.REMOTE): STAFF,
    (P.SUSPENDED, P.TERMINATED_EARLY): STAFF,
    (P.REMOTE, P.DEPLOYED): STAFF,
    (P.REMOTE, P.SUSPENDED): STAFF,
    (P.REMOTE, P.COMPLETED): STAFF,
    (P.REMOTE, P.TERMINATED_EARLY): STAFF,
    (P.EVACUATED, P.DEPLOYED): STAFF,
    (P.EVACUATED, P.REMOTE): STAFF,
    (P.EVACUATED, P.SUSPENDED): STAFF,
    (P.EVACUATED, P.TERMINATED_EARLY): STAFF,
    (P.COMPLETED, P.DEBRIEFED): STAFF,
    (P.TERMINATED_EARLY, P.DEBRIEFED): STAFF,
}


def test_application_table_is_the_agreed_life_cycle():
    assert set(APPLICATION_TRANSITIONS) == set(ApplicationStatus.values)
    assert table_triples(APPLICATION_TRANSITIONS) == triples(AGREED_APPLICATION_MOVES)


def test_placement_table_is_the_agreed_life_cycle():
    assert set(PLACEMENT_TRANSITIONS) == set(PlacementStatus.values)
    assert table_triples(PLACEMENT_TRANSITIONS) == triples(AGREED_PLACEMENT_MOVES)


def test_allowed_targets_lists_the_roles_moves_in_table_order():
    assert allowed_targets(APPLICATION_TRANSITIONS, A.OFFERED, Role.CANDIDATE) == [
        "accepted", "declined", "withdrawn",
    ]  # fmt: skip
    assert allowed_targets(APPLICATION_TRANSITIONS, A.OFFERED, Role.RECRUITER) == []
    assert allowed_targets(PLACEMENT_TRANSITIONS, P.DEPLOYED, Role.ADMIN) == [
        "extended", "suspended", "remote", "evacuated", "completed", "terminated_early",
    ]  # fmt: skip
    assert allowed_targets(PLACEMENT_TRANSITIONS, "unknown", Role.ADMIN) == []


# Applications: every (from, to, role)


def application_case(from_status: str, role: str):
    """An application in `from_status` whose every guard holds (vacancy published, funding
    confirmed, a duty station), and the user acting in `role`: the owner for a candidate, a
    member of the vacancy's organisation for a partner (the application nominated to it)."""
    organisation = make_organisation()
    vacancy = make_vacancy(organisation=organisation, funding_status=FundingStatus.CONFIRMED)
    vacancy.duty_stations.add(make_duty_station())
    candidate = make_candidate(email="owner@example.org")
    application = make_application(candidate=candidate, vacancy=vacancy, status=from_status)
    if role == Role.PARTNER:
        Application.objects.filter(pk=application.pk).update(nominated_at=timezone.now())
        actor = make_user(role=Role.PARTNER, email="member@unicef.org", organisation=organisation)
    elif role == Role.CANDIDATE:
        actor = candidate
    else:
        actor = make_user(role=role, email=f"{role}@agency.no")
    return application, candidate, actor


def application_state(application_id: int) -> dict:
    """Everything a move could touch, to prove that a refused one touched nothing."""
    return {
        "application": Application.objects.values().get(pk=application_id),
        "changes": list(ApplicationStatusChange.objects.values().order_by("id")),
        "outbox": list(OutboxMessage.objects.values().order_by("id")),
        "placements": list(Placement.objects.values().order_by("id")),
        "checklist": PlacementChecklistItem.objects.count(),
        "placement_changes": PlacementStatusChange.objects.count(),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("from_status", "to_status", "role"),
    [
        (source, target, role)
        for source, target, role in product(
            ApplicationStatus.values, ApplicationStatus.values, ROLES
        )
        if is_allowed(APPLICATION_TRANSITIONS, source, target, role)
    ],
)
def test_application_transition_allowed_move_succeeds_with_one_audit_row_and_one_email(
    from_status, to_status, role
):
    application, candidate, actor = application_case(from_status, role)
    nominated_before = Application.objects.get(pk=application.pk).nominated_at

    moved = application_transition(
        application_id=application.pk, to_status=to_status, actor=actor, reason="Per the table."
    )

    stored = Application.objects.get(pk=application.pk)
    change = ApplicationStatusChange.objects.get()
    assert (change.application_id, change.from_status, change.to_status, change.actor) == (
        application.pk, from_status, to_status, actor,
    )  # fmt: skip
    assert (change.reason, change.reason_code, change.forced) == ("Per the table.", "", False)
    assert (moved.status, stored.status, stored.version, stored.status_changed_at) == (
        to_status, to_status, 2, change.created_at,
    )  # fmt: skip
    expected_nominated_at = (
        change.created_at if to_status == A.NOMINATED and nominated_before is None
        else nominated_before
    )  # fmt: skip
    assert stored.nominated_at == expected_nominated_at
    message = OutboxMessage.objects.get()
    assert (message.kind, message.event_type, message.recipient, message.status) == (
        "email", "application.status_changed", candidate, "pending",
    )  # fmt: skip
    assert (message.payload["application_id"], message.payload["from"], message.payload["to"]) == (
        application.pk, from_status, to_status,
    )  # fmt: skip
    if to_status == A.ACCEPTED:
        placement = Placement.objects.get()
        assert (placement.application_id, placement.status, placement.organisation_id) == (
            application.pk, "planned", application.vacancy.organisation_id,
        )  # fmt: skip
        assert placement.checklist.count() == 8
        assert list(placement.status_changes.values_list("from_status", "to_status")) == [
            ("", "planned")
        ]
    else:
        assert Placement.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("from_status", "to_status", "role"),
    [
        (source, target, role)
        for source, target, role in product(
            ApplicationStatus.values, ApplicationStatus.values, ROLES
        )
        if not is_allowed(APPLICATION_TRANSITIONS, source, target, role)
    ],
)
def test_application_transition_other_move_is_refused_and_changes_nothing(
    from_status, to_status, role
):
    application, _, actor = application_case(from_status, role)
    before = application_state(application.pk)

    with pytest.raises(InvalidTransition) as refused:
        application_transition(application_id=application.pk, to_status=to_status, actor=actor)

    assert (refused.value.code, refused.value.detail, refused.value.extra) == (
        "invalid_transition",
        f"Cannot move from {from_status} to {to_status}.",
        {
            "current_status": from_status,
            "requested_status": to_status,
            "allowed_transitions": allowed_targets(APPLICATION_TRANSITIONS, from_status, role),
        },
    )
    assert application_state(application.pk) == before


def test_application_matrix_covers_every_triple():
    every = set(product(ApplicationStatus.values, ApplicationStatus.values, ROLES))
    allowed = {t for t in every if is_allowed(APPLICATION_TRANSITIONS, *t)}

    assert (len(every), len(allowed)) == (12 * 12 * 4, len(triples(AGREED_APPLICATION_MOVES)))


# Placements: every (from, to, role); candidates and partners never move one


def placement_case(from_status: str, role: str):
    organisation = make_organisation()
    candidate = make_candidate(email="placed@example.org")
    placement = make_placement(
        candidate=candidate,
        organisation=organisation,
        duty_station=make_duty_station(city="Juba", country="SS"),
        status=from_status,
    )
    if role == Role.CANDIDATE:
        actor = candidate
    elif role == Role.PARTNER:
        actor = make_user(role=Role.PARTNER, email="member@unicef.org", organisation=organisation)
    else:
        actor = make_user(role=role, email=f"{role}@agency.no")
    return placement, candidate, actor


def placement_state(placement_id: int) -> dict:
    return {
        "placement": Placement.objects.values().get(pk=placement_id),
        "changes": list(PlacementStatusChange.objects.values().order_by("id")),
        "outbox": list(OutboxMessage.objects.values().order_by("id")),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("from_status", "to_status", "role"),
    [
        (source, target, role)
        for source, target, role in product(PlacementStatus.values, PlacementStatus.values, ROLES)
        if is_allowed(PLACEMENT_TRANSITIONS, source, target, role)
    ],
)
def test_placement_transition_allowed_move_succeeds_with_one_audit_row_and_one_email(
    from_status, to_status, role
):
    placement, candidate, actor = placement_case(from_status, role)

    moved = placement_transition(
        placement_id=placement.pk, to_status=to_status, actor=actor, reason_code="planned_step"
    )

    stored = Placement.objects.get(pk=placement.pk)
    change = PlacementStatusChange.objects.get()
    assert (change.placement_id, change.from_status, change.to_status, change.actor) == (
        placement.pk, from_status, to_status, actor,
    )  # fmt: skip
    assert (change.reason, change.reason_code) == ("", "planned_step")
    assert (moved.status, stored.status, stored.version, stored.status_changed_at) == (
        to_status, to_status, 2, change.created_at,
    )  # fmt: skip
    message = OutboxMessage.objects.get()
    assert (message.kind, message.event_type, message.recipient) == (
        "email", "placement.status_changed", candidate,
    )  # fmt: skip
    assert (message.payload["placement_id"], message.payload["from"], message.payload["to"]) == (
        placement.pk, from_status, to_status,
    )  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("from_status", "to_status", "role"),
    [
        (source, target, role)
        for source, target, role in product(PlacementStatus.values, PlacementStatus.values, ROLES)
        if not is_allowed(PLACEMENT_TRANSITIONS, source, target, role)
    ],
)
def test_placement_transition_other_move_is_refused_and_changes_nothing(
    from_status, to_status, role
):
    placement, _, actor = placement_case(from_status, role)
    before = placement_state(placement.pk)

    with pytest.raises(InvalidTransition) as refused:
        placement_transition(placement_id=placement.pk, to_status=to_status, actor=actor)

    assert (refused.value.code, refused.value.extra) == (
        "invalid_transition",
        {
            "current_status": from_status,
            "requested_status": to_status,
            "allowed_transitions": allowed_targets(PLACEMENT_TRANSITIONS, from_status, role),
        },
    )
    assert placement_state(placement.pk) == before


def test_placement_matrix_never_lets_candidates_or_partners_move():
    moves = {
        (source, target, role)
        for source, target, role in product(PlacementStatus.values, PlacementStatus.values, ROLES)
        if is_allowed(PLACEMENT_TRANSITIONS, source, target, role)
    }

    assert {role for _, _, role in moves} == STAFF
    assert len(moves) == 2 * len(AGREED_PLACEMENT_MOVES)


# Acceptance creates the placement and its checklist


@pytest.mark.django_db
def test_application_transition_to_accepted_creates_placement_with_dated_checklist():
    organisation = make_organisation()
    juba = make_duty_station(city="Juba", country="SS")
    vacancy = make_vacancy(
        organisation=organisation,
        funding_status=FundingStatus.CONFIRMED,
        planned_start_date=date(2031, 3, 1),
        planned_end_date=date(2033, 2, 28),
        contract_type="fixed_term",
    )
    vacancy.duty_stations.add(juba, make_duty_station(city="Wau", country="SS"))
    candidate = make_candidate(email="owner@example.org")
    application = make_application(candidate=candidate, vacancy=vacancy, status=A.OFFERED)

    application_transition(application_id=application.pk, to_status=A.ACCEPTED, actor=candidate)

    placement = Placement.objects.get()
    assert (
        placement.application_id, placement.organisation_id, placement.duty_station_id,
        placement.scheme_id, placement.start_date, placement.end_date, placement.contract_type,
        placement.modality, placement.status, placement.version,
    ) == (
        application.pk, organisation.pk, juba.pk, None, date(2031, 3, 1), date(2033, 2, 28),
        "fixed_term", "on_site", "planned", 1,
    )  # fmt: skip
    assert list(placement.checklist.order_by("due_date", "id").values_list("kind", "due_date")) == [
        (ChecklistItemKind.FUNDING, date(2030, 12, 31)),
        (ChecklistItemKind.CONTRACT, date(2031, 1, 15)),
        (ChecklistItemKind.MEDICAL, date(2031, 1, 30)),
        (ChecklistItemKind.SECURITY_CLEARANCE, date(2031, 2, 8)),
        (ChecklistItemKind.VISA, date(2031, 2, 8)),
        (ChecklistItemKind.TRAVEL, date(2031, 2, 15)),
        (ChecklistItemKind.PRE_DEPARTURE_TRAINING, date(2031, 2, 15)),
        (ChecklistItemKind.HOMECOMING_DEBRIEF, date(2033, 3, 30)),
    ]
    assert list(
        placement.status_changes.values_list("from_status", "to_status", "actor", "reason_code")
    ) == [("", "planned", None, "accepted")]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "add_station", "code"),
    [
        ({"funding_status": FundingStatus.CONFIRMED}, False, "no_duty_station"),
        (
            {
                "funding_status": FundingStatus.CONFIRMED,
                "contract_type": "temporary",
                "planned_start_date": date(2031, 1, 1),
                "planned_end_date": date(2032, 1, 1),
            },
            True,
            "contract_invalid",
        ),
    ],
)
def test_application_transition_to_accepted_refused_by_a_guard_changes_nothing(
    overrides, add_station, code
):
    vacancy = make_vacancy(organisation=make_organisation(), **overrides)
    if add_station:
        vacancy.duty_stations.add(make_duty_station())
    candidate = make_candidate(email="owner@example.org")
    application = make_application(candidate=candidate, vacancy=vacancy, status=A.OFFERED)
    before = application_state(application.pk)

    with pytest.raises(InvalidTransition) as refused:
        application_transition(application_id=application.pk, to_status=A.ACCEPTED, actor=candidate)

    assert refused.value.code == code
    assert application_state(application.pk) == before


# Two conflicting moves at once


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("expected_version", "loser_code"),
    [(None, "invalid_transition"), (2, "stale_version")],
    ids=["without_if_match", "same_if_match"],
)
def test_application_transition_concurrent_conflicting_moves_exactly_one_wins(
    expected_version, loser_code
):
    vacancy = make_vacancy(organisation=make_organisation())
    candidate = make_candidate(email="owner@example.org")
    recruiter = make_user(role=Role.RECRUITER, email="recruiter@agency.no")
    application = application_submit(candidate_user=candidate, vacancy_id=vacancy.pk)
    application_transition(application_id=application.pk, to_status=A.SCREENING, actor=recruiter)
    moves = {A.REJECTED: recruiter, A.WITHDRAWN: candidate}
    start = threading.Barrier(len(moves))
    outcomes = {}

    def move(to_status, actor):
        try:
            start.wait(timeout=10)
            application_transition(
                application_id=application.pk,
                to_status=to_status,
                actor=actor,
                expected_version=expected_version,
            )
            outcomes[to_status] = "moved"
        except (InvalidTransition, StaleVersion) as error:
            outcomes[to_status] = error.code
        except Exception as error:  # reported by the assertion below, not lost in a thread
            outcomes[to_status] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=move, args=item) for item in moves.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    broker.flush_all()  # the emails' delivery messages, enqueued after each commit

    winner = next(status for status, outcome in outcomes.items() if outcome == "moved")
    assert sorted(outcomes.values()) == sorted(["moved", loser_code])
    stored = Application.objects.get(pk=application.pk)
    assert (stored.status, stored.version) == (winner, 3)
    assert list(
        ApplicationStatusChange.objects.order_by("id").values_list(
            "from_status", "to_status", "actor"
        )
    ) == [
        ("", "submitted", candidate.pk),
        ("submitted", "screening", recruiter.pk),
        ("screening", winner, moves[winner].pk),
    ]
    assert list(OutboxMessage.objects.order_by("id").values_list("payload__to", flat=True)) == [
        "submitted", "screening", winner,
    ]  # fmt: skip
