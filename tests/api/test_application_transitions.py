"""Moving applications through the API: single moves with If-Match, guards, what each role sees,
bulk moves and the history."""

from datetime import date
from decimal import Decimal

import pytest

from recruitment.enums import ApplicationStatus, FundingStatus, VacancyStatus
from recruitment.models import Application, Placement
from tests.api.bodies import application_body as body_of
from tests.api.bodies import iso
from tests.conftest import client_for
from tests.factories import (
    make_application,
    make_candidate,
    make_duty_station,
    make_vacancy,
)
from workflows.models import ApplicationStatusChange, OutboxMessage
from workflows.services import application_submit, application_transition

pytestmark = pytest.mark.django_db

A = ApplicationStatus
APPLICATIONS_URL = "/api/v1/applications/"
BULK_URL = f"{APPLICATIONS_URL}bulk-transitions/"
NOT_FOUND = {"code": "not_found", "detail": "Not found."}
INVALID = "The request is not valid; see `fields`."
ONLY_RECRUITERS_IN_BULK = {
    "code": "permission_denied",
    "detail": "Only recruiters move applications in bulk.",
}
FUNDING_UNCONFIRMED = {
    "code": "funding_unconfirmed",
    "detail": "The donor's funding of this vacancy is not confirmed; no offer can be made yet.",
}
INELIGIBLE = {
    "code": "ineligible",
    "detail": "The candidate is not eligible: screening needs reason_code "
    "'eligibility_override' and a reason.",
}
INELIGIBLE_SNAPSHOT = {
    "eligible": False,
    "rule_set": 3,
    "checks": [{"rule": "age", "passed": False, "detail": "32 at the closing date; limit 32."}],
}


def transitions_url(application):
    return f"{APPLICATIONS_URL}{application.pk}/transitions/"


def history_url(application):
    return f"{APPLICATIONS_URL}{application.pk}/history/"


def move(user, application, to, *, if_match=None, **fields):
    """POST a transition as `user`, with an If-Match header when given."""
    headers = {} if if_match is None else {"HTTP_IF_MATCH": if_match}
    return client_for(user).post(transitions_url(application), {"to": to, **fields}, **headers)


def invalid_transition(current, requested, allowed):
    return {
        "code": "invalid_transition",
        "detail": f"Cannot move from {current} to {requested}.",
        "current_status": current,
        "requested_status": requested,
        "allowed_transitions": allowed,
    }


def changes_of(application):
    return list(
        ApplicationStatusChange.objects.filter(application=application)
        .order_by("id")
        .values_list("from_status", "to_status", "actor_id", "reason", "reason_code")
    )


def state():
    """Every application, audit row and outbox row, to prove that nothing changed."""
    return {
        "applications": list(Application.objects.values().order_by("id")),
        "changes": list(ApplicationStatusChange.objects.values().order_by("id")),
        "outbox": list(OutboxMessage.objects.values().order_by("id")),
        "placements": list(Placement.objects.values().order_by("id")),
    }


@pytest.fixture
def geneva(db):
    return make_duty_station(city="Geneva", country="CH")


@pytest.fixture
def vacancy(organisation_x, geneva):
    """A published vacancy of X at Geneva whose funding is confirmed."""
    vacancy = make_vacancy(
        organisation=organisation_x,
        title="Education Specialist",
        funding_status=FundingStatus.CONFIRMED,
        planned_start_date=date(2031, 1, 1),
        planned_end_date=date(2032, 12, 31),
        contract_type="fixed_term",
    )
    vacancy.duty_stations.add(geneva)
    return vacancy


def application_in(status, *, candidate=None, vacancy, **fields):
    application = make_application(
        candidate=candidate or make_candidate(), vacancy=vacancy, status=status
    )
    if fields:
        Application.objects.filter(pk=application.pk).update(**fields)
        application.refresh_from_db()
    return application


# One move, the happy path


def test_transition_by_recruiter_returns_whole_body_etag_audit_row_and_email(
    recruiter, candidate_a, vacancy
):
    application = application_in(
        A.SUBMITTED, candidate=candidate_a, vacancy=vacancy, evaluation_score=Decimal("72.5")
    )

    response = move(
        recruiter, application, "screening", if_match='"1"',
        reason="Meets the profile.", reason_code="profile_match",
    )  # fmt: skip

    assert response.status_code == 200
    assert response.json() == body_of(
        application,
        stage="in_review",
        status="screening",
        allowed_transitions=["shortlisted", "rejected"],
        evaluation_score="72.50",
    )
    assert (response["ETag"], application.version) == ('"2"', 2)
    assert changes_of(application) == [
        ("submitted", "screening", recruiter.pk, "Meets the profile.", "profile_match")
    ]
    message = OutboxMessage.objects.get()
    assert (message.kind, message.event_type, message.recipient) == (
        "email", "application.status_changed", candidate_a,
    )  # fmt: skip
    assert (message.payload["application_id"], message.payload["to"]) == (
        application.pk, "screening",
    )  # fmt: skip


@pytest.mark.parametrize("if_match", ['W/"1"', "1", "*"])
def test_transition_with_weak_bare_or_wildcard_if_match_moves(recruiter, vacancy, if_match):
    application = application_in(A.SUBMITTED, vacancy=vacancy)

    response = move(recruiter, application, "screening", if_match=if_match)

    assert (response.status_code, response.json()["status"], response["ETag"]) == (
        200, "screening", '"2"',
    )  # fmt: skip


def test_transition_through_the_whole_pipeline_to_a_placement(
    candidate_a, partner_x, recruiter, vacancy
):
    application = application_submit(candidate_user=candidate_a, vacancy_id=vacancy.pk)
    steps = [
        (recruiter, "screening"),
        (recruiter, "shortlisted"),
        (recruiter, "nominated"),
        (partner_x, "interview"),
        (partner_x, "selected"),
        (recruiter, "offered"),
        (candidate_a, "accepted"),
    ]

    codes = [move(user, application, to).status_code for user, to in steps]
    response = client_for(candidate_a).get(f"{APPLICATIONS_URL}{application.pk}/")

    assert codes == [200] * 7
    assert response.json() == body_of(
        application, stage="offer", status=None, allowed_transitions=[]
    )
    assert [(change[1], change[2]) for change in changes_of(application)] == [
        ("submitted", candidate_a.pk),
        *((to, user.pk) for user, to in steps),
    ]
    assert application.version == 8
    assert list(Placement.objects.values_list("application_id", "status")) == [
        (application.pk, "planned")
    ]
    assert OutboxMessage.objects.filter(event_type="application.status_changed").count() == 8


# Refusals


@pytest.mark.parametrize(
    ("caller", "status", "to", "allowed"),
    [
        ("recruiter", A.SUBMITTED, "offered", ["screening", "rejected"]),
        ("admin_user", A.ACCEPTED, "withdrawn", []),
        ("partner_x", A.NOMINATED, "offered", ["interview", "not_selected"]),
        ("partner_x", A.SELECTED, "offered", []),
        ("recruiter", A.OFFERED, "accepted", []),
    ],
)
def test_transition_not_in_the_table_is_409_with_allowed_targets_and_changes_nothing(
    request, vacancy, caller, status, to, allowed
):
    application = application_in(status, vacancy=vacancy)
    before = state()

    response = move(request.getfixturevalue(caller), application, to)

    assert response.status_code == 409
    assert response.json() == invalid_transition(status, to, allowed)
    assert state() == before


def test_transition_to_unknown_status_is_400(recruiter, vacancy):
    application = application_in(A.SUBMITTED, vacancy=vacancy)
    before = state()

    response = move(recruiter, application, "hired")

    assert response.status_code == 400
    assert response.json() == {
        "code": "validation_error",
        "detail": INVALID,
        "fields": {"to": ['"hired" is not a valid choice.']},
    }
    assert state() == before


def test_transition_with_stale_if_match_is_412_and_changes_nothing(recruiter, vacancy):
    application = application_in(A.SUBMITTED, vacancy=vacancy)
    first = move(recruiter, application, "screening", if_match='"1"')
    before = state()

    response = move(recruiter, application, "shortlisted", if_match='"1"')

    assert first.status_code == 200
    assert response.status_code == 412
    assert response.json() == {
        "code": "stale_version",
        "detail": "The resource changed since you read it.",
        "current_version": 2,
    }
    assert state() == before


@pytest.mark.parametrize("if_match", ['"abc"', "v2", '"1.5"', 'W/"-1"'])
def test_transition_with_malformed_if_match_is_400_and_changes_nothing(
    recruiter, vacancy, if_match
):
    application = application_in(A.SUBMITTED, vacancy=vacancy)
    before = state()

    response = move(recruiter, application, "screening", if_match=if_match)

    assert response.status_code == 400
    assert response.json() == {
        "code": "validation_error",
        "detail": INVALID,
        "fields": {"If-Match": ['Send the ETag you read, e.g. "3".']},
    }
    assert state() == before


# Guards


def test_offer_needs_confirmed_funding_until_a_recruiter_confirms_it(recruiter, organisation_x):
    vacancy = make_vacancy(organisation=organisation_x)
    application = application_in(A.SELECTED, vacancy=vacancy)
    before = state()

    refused = move(recruiter, application, "offered")
    after_refusal = state()
    confirmed = client_for(recruiter).patch(
        f"/api/v1/vacancies/{vacancy.pk}/", {"funding_status": "confirmed"}
    )
    offered = move(recruiter, application, "offered")

    assert (refused.status_code, refused.json()) == (409, FUNDING_UNCONFIRMED)
    assert after_refusal == before
    assert (confirmed.status_code, confirmed.json()["funding_status"]) == (200, "confirmed")
    assert offered.status_code == 200
    assert offered.json() == body_of(
        application, stage="offer", status="offered", allowed_transitions=[]
    )
    assert changes_of(application) == [("selected", "offered", recruiter.pk, "", "")]


@pytest.mark.parametrize("vacancy_status", [VacancyStatus.PUBLISHED, VacancyStatus.CLOSED])
def test_unreject_within_the_round_returns_to_screening(recruiter, organisation_x, vacancy_status):
    vacancy = make_vacancy(organisation=organisation_x, status=vacancy_status)
    application = application_in(A.REJECTED, vacancy=vacancy)

    response = move(recruiter, application, "screening", reason="Rejected by mistake.")

    assert response.status_code == 200
    assert response.json() == body_of(
        application,
        stage="in_review",
        status="screening",
        allowed_transitions=["shortlisted", "rejected"],
    )
    assert changes_of(application) == [
        ("rejected", "screening", recruiter.pk, "Rejected by mistake.", "")
    ]


@pytest.mark.parametrize("vacancy_status", [VacancyStatus.FILLED, VacancyStatus.CANCELLED])
def test_unreject_after_the_round_is_409_round_closed(recruiter, organisation_x, vacancy_status):
    vacancy = make_vacancy(organisation=organisation_x, status=vacancy_status)
    application = application_in(A.REJECTED, vacancy=vacancy)
    before = state()

    response = move(recruiter, application, "screening")

    assert response.status_code == 409
    assert response.json() == {
        "code": "round_closed",
        "detail": "The round is over: the vacancy is filled or cancelled.",
    }
    assert state() == before


def test_unreject_while_the_candidate_applied_again_is_409(recruiter, candidate_a, vacancy):
    rejected = application_in(A.REJECTED, candidate=candidate_a, vacancy=vacancy)
    application_in(A.SUBMITTED, candidate=candidate_a, vacancy=vacancy)
    before = state()

    response = move(recruiter, rejected, "screening")

    assert response.status_code == 409
    assert response.json() == {
        "code": "duplicate_application",
        "detail": "The candidate already has an active application to this vacancy.",
    }
    assert state() == before


def test_unreject_by_candidate_is_409(candidate_a, vacancy):
    application = application_in(A.REJECTED, candidate=candidate_a, vacancy=vacancy)
    before = state()

    response = move(candidate_a, application, "screening")

    assert response.status_code == 409
    assert response.json() == invalid_transition("closed", "screening", [])  # candidates see stages
    assert state() == before


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"reason": "Strong profile."},
        {"reason_code": "eligibility_override"},
        {"reason_code": "eligibility_override", "reason": "   "},
        {"reason_code": "profile_match", "reason": "Strong profile."},
    ],
)
def test_screening_an_ineligible_candidate_without_override_is_409(recruiter, vacancy, fields):
    application = application_in(
        A.SUBMITTED, vacancy=vacancy, eligibility_snapshot=INELIGIBLE_SNAPSHOT
    )
    before = state()

    response = move(recruiter, application, "screening", **fields)

    assert (response.status_code, response.json()) == (409, INELIGIBLE)
    assert state() == before


def test_screening_an_ineligible_candidate_with_reasoned_override_is_recorded(recruiter, vacancy):
    application = application_in(
        A.SUBMITTED, vacancy=vacancy, eligibility_snapshot=INELIGIBLE_SNAPSHOT
    )

    response = move(
        recruiter, application, "screening",
        reason_code="eligibility_override", reason="Donor waived the age limit.",
    )  # fmt: skip

    assert response.status_code == 200
    assert response.json() == body_of(
        application,
        stage="in_review",
        status="screening",
        allowed_transitions=["shortlisted", "rejected"],
    )
    assert response.json()["eligibility_snapshot"] == INELIGIBLE_SNAPSHOT
    assert changes_of(application) == [
        (
            "submitted", "screening", recruiter.pk, "Donor waived the age limit.",
            "eligibility_override",
        )
    ]  # fmt: skip


# What a candidate sees and may do


@pytest.mark.parametrize(
    ("status", "stage", "allowed"),
    [
        (A.SUBMITTED, "received", ["withdrawn"]),
        (A.SCREENING, "in_review", ["withdrawn"]),
        (A.SHORTLISTED, "in_review", ["withdrawn"]),
        (A.NOMINATED, "in_review", ["withdrawn"]),
        (A.INTERVIEW, "interview", ["withdrawn"]),
        (A.SELECTED, "interview", ["withdrawn"]),
        (A.OFFERED, "offer", ["accepted", "declined", "withdrawn"]),
        (A.ACCEPTED, "offer", []),
        (A.REJECTED, "closed", []),
        (A.WITHDRAWN, "closed", []),
        (A.DECLINED, "closed", []),
        (A.NOT_SELECTED, "closed", []),
    ],
)
def test_candidate_sees_coarse_stage_own_moves_and_no_score(
    candidate_a, vacancy, status, stage, allowed
):
    application = application_in(
        status, candidate=candidate_a, vacancy=vacancy, evaluation_score=Decimal("81.25")
    )

    response = client_for(candidate_a).get(f"{APPLICATIONS_URL}{application.pk}/")

    assert response.status_code == 200
    assert response.json() == body_of(
        application, stage=stage, status=None, allowed_transitions=allowed
    )


def test_same_application_as_each_role_sees_it(candidate_a, partner_x, recruiter, vacancy):
    application = application_in(
        A.INTERVIEW, candidate=candidate_a, vacancy=vacancy, evaluation_score=Decimal("81.25")
    )

    seen = {
        user.role: client_for(user).get(f"{APPLICATIONS_URL}{application.pk}/").json()
        for user in (candidate_a, partner_x, recruiter)
    }

    assert seen == {
        "candidate": body_of(
            application, stage="interview", status=None, allowed_transitions=["withdrawn"]
        ),
        "partner": body_of(
            application,
            stage="interview",
            status="interview",
            allowed_transitions=["selected", "not_selected"],
        ),
        "recruiter": body_of(
            application,
            stage="interview",
            status="interview",
            allowed_transitions=["selected", "not_selected"],
            evaluation_score="81.25",
        ),
    }


def test_candidate_declines_an_offer(candidate_a, vacancy):
    application = application_in(A.OFFERED, candidate=candidate_a, vacancy=vacancy)

    response = move(candidate_a, application, "declined", reason="Family reasons.")

    assert response.status_code == 200
    assert response.json() == body_of(
        application, stage="closed", status=None, allowed_transitions=[]
    )
    assert changes_of(application) == [
        ("offered", "declined", candidate_a.pk, "Family reasons.", "")
    ]


def test_candidate_cannot_make_a_recruiters_move(candidate_a, vacancy):
    application = application_in(A.SUBMITTED, candidate=candidate_a, vacancy=vacancy)
    before = state()

    response = move(candidate_a, application, "screening")

    assert response.status_code == 409
    # candidates see their stage, not the internal status ("submitted")
    assert response.json() == invalid_transition("received", "screening", ["withdrawn"])
    assert state() == before


@pytest.mark.parametrize(
    ("caller", "current"),
    [("candidate_a", "offer"), ("recruiter", "accepted"), ("admin_user", "accepted")],
)
def test_a_409_shows_candidates_the_stage_and_staff_the_status(
    request, candidate_a, vacancy, caller, current
):
    application = application_in(A.ACCEPTED, candidate=candidate_a, vacancy=vacancy)
    before = state()

    response = move(request.getfixturevalue(caller), application, "withdrawn")

    assert response.status_code == 409
    assert response.json() == invalid_transition(current, "withdrawn", [])
    assert state() == before


def test_candidate_cannot_move_anothers_application(candidate_a, candidate_b, vacancy):
    application = application_in(A.OFFERED, candidate=candidate_a, vacancy=vacancy)
    before = state()

    response = move(candidate_b, application, "withdrawn")

    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert state() == before


# Partners record interview and selection outcomes of nominated candidates


def test_partner_records_interview_and_selection_of_its_nominated_application(partner_x, vacancy):
    application = application_in(A.NOMINATED, vacancy=vacancy)

    interview = move(partner_x, application, "interview", reason="Panel on 3 May.")
    interview_body = body_of(
        application,
        stage="interview",
        status="interview",
        allowed_transitions=["selected", "not_selected"],
    )
    selected = move(partner_x, application, "selected")

    assert (interview.status_code, interview.json()) == (200, interview_body)
    assert (selected.status_code, selected.json()) == (
        200,
        body_of(application, stage="interview", status="selected", allowed_transitions=[]),
    )
    assert changes_of(application) == [
        ("nominated", "interview", partner_x.pk, "Panel on 3 May.", ""),
        ("interview", "selected", partner_x.pk, "", ""),
    ]


def test_partner_records_not_selected(partner_x, vacancy):
    application = application_in(A.INTERVIEW, vacancy=vacancy)

    response = move(partner_x, application, "not_selected", reason_code="experience")

    assert response.status_code == 200
    assert response.json() == body_of(
        application, stage="closed", status="not_selected", allowed_transitions=[]
    )


def test_partner_of_another_organisation_gets_404_and_changes_nothing(partner_y, vacancy):
    application = application_in(A.NOMINATED, vacancy=vacancy)
    before = state()

    response = move(partner_y, application, "interview")

    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert state() == before


def test_partner_cannot_move_its_organisations_application_before_nomination(partner_x, vacancy):
    application = application_in(A.SHORTLISTED, vacancy=vacancy)
    before = state()

    response = move(partner_x, application, "interview")

    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert state() == before


# Bulk moves


def moved(application_id, status):
    return {"id": application_id, "result": "moved", "status": status, "code": "", "detail": ""}


def unchanged(application_id, status):
    return {"id": application_id, "result": "unchanged", "status": status, "code": "", "detail": ""}


def test_bulk_transitions_shortlist_200_then_the_same_call_changes_nothing(recruiter, vacancy):
    ids = [application_in(A.SCREENING, vacancy=vacancy).pk for _ in range(200)]
    body = {"ids": ids, "to": "shortlisted", "reason": "Top 200 of the round."}
    client = client_for(recruiter)

    first = client.post(BULK_URL, body)
    after_first = state()
    second = client.post(BULK_URL, body)

    assert first.status_code == 200
    assert first.json() == {"results": [moved(pk, "shortlisted") for pk in ids]}
    assert sorted(Application.objects.values_list("id", "status", "version")) == [
        (pk, "shortlisted", 2) for pk in ids
    ]
    assert sorted(
        ApplicationStatusChange.objects.values_list(
            "application_id", "from_status", "to_status", "actor_id", "reason"
        )
    ) == [(pk, "screening", "shortlisted", recruiter.pk, "Top 200 of the round.") for pk in ids]
    assert sorted(OutboxMessage.objects.values_list("payload__application_id", flat=True)) == ids
    assert second.status_code == 200
    assert second.json() == {"results": [unchanged(pk, "shortlisted") for pk in ids]}
    assert state() == after_first


@pytest.mark.parametrize("caller", ["recruiter", "admin_user"])
def test_bulk_transitions_report_each_items_outcome(request, caller, organisation_x, vacancy):
    user = request.getfixturevalue(caller)
    screening = application_in(A.SCREENING, vacancy=vacancy)
    submitted = application_in(A.SUBMITTED, vacancy=vacancy)
    shortlisted = application_in(A.SHORTLISTED, vacancy=vacancy)
    missing = Application.objects.order_by("-id").first().pk + 100

    response = client_for(user).post(
        BULK_URL,
        {"ids": [screening.pk, submitted.pk, shortlisted.pk, missing, screening.pk],
         "to": "shortlisted"},
    )  # fmt: skip

    assert response.status_code == 200
    assert response.json() == {
        "results": [
            moved(screening.pk, "shortlisted"),
            {
                "id": submitted.pk,
                "result": "error",
                "status": "submitted",
                "code": "invalid_transition",
                "detail": "Cannot move from submitted to shortlisted.",
            },
            unchanged(shortlisted.pk, "shortlisted"),
            {
                "id": missing,
                "result": "error",
                "status": None,
                "code": "not_found",
                "detail": "Application not found.",
            },
        ]
    }
    assert changes_of(screening) == [("screening", "shortlisted", user.pk, "", "")]
    assert (changes_of(submitted), changes_of(shortlisted)) == ([], [])


def test_bulk_transitions_report_guard_codes(recruiter, organisation_x, vacancy):
    unfunded = make_vacancy(organisation=organisation_x, title="Unfunded")
    funded_selected = application_in(A.SELECTED, vacancy=vacancy)
    unfunded_selected = application_in(A.SELECTED, vacancy=unfunded)

    response = client_for(recruiter).post(
        BULK_URL, {"ids": [unfunded_selected.pk, funded_selected.pk], "to": "offered"}
    )

    assert response.status_code == 200
    assert response.json() == {
        "results": [
            {
                "id": unfunded_selected.pk,
                "result": "error",
                "status": "selected",
                **FUNDING_UNCONFIRMED,
            },
            moved(funded_selected.pk, "offered"),
        ]
    }
    assert Application.objects.get(pk=unfunded_selected.pk).status == "selected"


@pytest.mark.parametrize("caller", ["candidate_a", "partner_x"])
def test_bulk_transitions_by_candidate_or_partner_is_403(request, caller, vacancy):
    user = request.getfixturevalue(caller)
    application = application_in(A.NOMINATED, candidate=None, vacancy=vacancy)
    before = state()

    response = client_for(user).post(BULK_URL, {"ids": [application.pk], "to": "interview"})

    assert (response.status_code, response.json()) == (403, ONLY_RECRUITERS_IN_BULK)
    assert state() == before


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"ids": [], "to": "shortlisted"}, {"ids": ["Ensure this field has at least 1 elements."]}),
        ({"ids": [1]}, {"to": ["This field is required."]}),
        (
            {"ids": [0], "to": "shortlisted"},
            {"ids": {"0": ["Ensure this value is greater than or equal to 1."]}},
        ),
        ({"ids": [1], "to": "hired"}, {"to": ['"hired" is not a valid choice.']}),
    ],
)  # fmt: skip
def test_bulk_transitions_with_invalid_body_is_400(recruiter, body, fields):
    response = client_for(recruiter).post(BULK_URL, body)

    assert response.status_code == 400
    assert response.json() == {"code": "validation_error", "detail": INVALID, "fields": fields}


# History


@pytest.fixture
def withdrawn_after_interview(candidate_a, partner_x, recruiter, vacancy):
    """An application that went from submission through an interview to a withdrawal."""
    application = application_submit(candidate_user=candidate_a, vacancy_id=vacancy.pk)
    for user, to, reason, reason_code in [
        (recruiter, A.SCREENING, "Strong on paper.", "profile_match"),
        (recruiter, A.SHORTLISTED, "", ""),
        (recruiter, A.NOMINATED, "Best of the shortlist.", ""),
        (partner_x, A.INTERVIEW, "Panel on 3 May.", ""),
        (candidate_a, A.WITHDRAWN, "Took another job.", "other_offer"),
    ]:
        application_transition(
            application_id=application.pk, to_status=to, actor=user,
            reason=reason, reason_code=reason_code,
        )  # fmt: skip
    return application


def history_row(change, *, from_status, to_status, actor, reason, reason_code):
    return {
        "id": change.pk,
        "from_status": from_status,
        "to_status": to_status,
        "actor": actor,
        "reason": reason,
        "reason_code": reason_code,
        "created_at": iso(change.created_at),
    }


@pytest.mark.parametrize("caller", ["recruiter", "admin_user"])
def test_history_for_staff_lists_every_move_with_actor_and_reasons(
    request, caller, withdrawn_after_interview, candidate_a, partner_x, recruiter
):
    changes = list(withdrawn_after_interview.status_changes.order_by("id"))

    response = client_for(request.getfixturevalue(caller)).get(
        history_url(withdrawn_after_interview)
    )

    assert response.status_code == 200
    assert response.json() == [
        history_row(
            change,
            from_status=change.from_status,
            to_status=change.to_status,
            actor=change.actor_id,
            reason=change.reason,
            reason_code=change.reason_code,
        )
        for change in changes
    ]
    assert [(row["to_status"], row["actor"]) for row in response.json()] == [
        ("submitted", candidate_a.pk),
        ("screening", recruiter.pk),
        ("shortlisted", recruiter.pk),
        ("nominated", recruiter.pk),
        ("interview", partner_x.pk),
        ("withdrawn", candidate_a.pk),
    ]


def test_history_for_candidate_shows_coarse_stages_without_actors_or_internal_reasons(
    withdrawn_after_interview, candidate_a
):
    submitted, screening, _, _, interview, withdrawn = list(
        withdrawn_after_interview.status_changes.order_by("id")
    )

    response = client_for(candidate_a).get(history_url(withdrawn_after_interview))

    assert response.status_code == 200
    assert response.json() == [
        history_row(
            submitted, from_status="", to_status="received", actor=None, reason="",
            reason_code="",
        ),
        history_row(
            screening, from_status="received", to_status="in_review", actor=None, reason="",
            reason_code="",
        ),
        history_row(
            interview, from_status="in_review", to_status="interview", actor=None, reason="",
            reason_code="",
        ),
        history_row(
            withdrawn, from_status="interview", to_status="closed", actor=None,
            reason="Took another job.", reason_code="other_offer",
        ),
    ]  # fmt: skip


def test_history_of_anothers_application_is_404(withdrawn_after_interview, candidate_b, partner_y):
    responses = [
        client_for(user).get(history_url(withdrawn_after_interview))
        for user in (candidate_b, partner_y)
    ]

    assert [(r.status_code, r.json()) for r in responses] == [(404, NOT_FOUND)] * 2


def test_candidate_cannot_filter_by_internal_status(candidate_a, vacancy):
    application_in(A.SHORTLISTED, candidate=candidate_a, vacancy=vacancy)

    response = client_for(candidate_a).get("/api/v1/applications/", {"status": "shortlisted"})

    assert response.status_code == 400
    assert response.json() == {
        "code": "validation_error",
        "detail": "The request is not valid; see `fields`.",
        "fields": {"status": ["Candidates see stages, not internal statuses."]},
    }


def test_partner_history_starts_at_the_nomination(recruiter, partner_x, candidate_a, vacancy):
    application = application_in(A.SHORTLISTED, candidate=candidate_a, vacancy=vacancy)
    client_for(recruiter).post(
        f"/api/v1/applications/{application.pk}/transitions/",
        {"to": "nominated", "reason": "Top of the shortlist."},
    )

    response = client_for(partner_x).get(f"/api/v1/applications/{application.pk}/history/")

    assert response.status_code == 200
    assert [(row["from_status"], row["to_status"]) for row in response.json()] == [
        ("shortlisted", "nominated")
    ]
