"""Applications through the API: applying, withdrawing, scoping per role, filters, concurrency."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from recruitment.enums import ApplicationStatus, VacancyStatus
from recruitment.exceptions import ConflictError
from recruitment.models import Application
from tests.api.bodies import application_body as body_of
from tests.api.bodies import iso
from tests.conftest import client_for
from tests.factories import make_application, make_candidate, make_vacancy
from workflows.models import ApplicationStatusChange, OutboxMessage
from workflows.services import application_submit

APPLICATIONS_URL = "/api/v1/applications/"

NOT_FOUND = {"code": "not_found", "detail": "Not found."}
ONLY_CANDIDATES = {"code": "permission_denied", "detail": "Only candidates apply and withdraw."}

# Partners see an application once it is nominated to their organisation, and from then on.
NOMINATED_OR_LATER = [
    "nominated", "interview", "selected", "offered", "accepted", "declined", "not_selected",
]  # fmt: skip


def detail_url(application):
    return f"{APPLICATIONS_URL}{application.pk}/"


def withdraw_url(application):
    return f"{APPLICATIONS_URL}{application.pk}/withdraw/"


def listed_ids(response):
    """The ids of a one-page list response (asserting there is just the one page)."""
    body = response.json()
    assert (response.status_code, body["next"], body["previous"]) == (200, None, None)
    return [item["id"] for item in body["results"]]


# What a candidate sees of a new application: a coarse stage, no internal status.
CANDIDATE_VIEW_OF_SUBMITTED = {
    "stage": "received",
    "status": None,
    "allowed_transitions": ["withdrawn"],
}
ELIGIBLE_WITHOUT_RULES = {"eligible": True, "rule_set": None, "checks": []}


def changes_of(application):
    return list(
        ApplicationStatusChange.objects.filter(application=application)
        .order_by("id")
        .values_list("from_status", "to_status", "actor_id", "reason")
    )


# Applying


def test_application_create_submits_with_audit_row_and_outbox_message(organisation_x, candidate_a):
    vacancy = make_vacancy(organisation=organisation_x, title="Education Specialist")

    response = client_for(candidate_a).post(APPLICATIONS_URL, {"vacancy": vacancy.pk})

    assert response.status_code == 201
    application = Application.objects.get()
    change = ApplicationStatusChange.objects.get()
    assert response.json() == {
        "id": application.pk,
        "vacancy": vacancy.pk,
        "vacancy_title": "Education Specialist",
        "organisation": "unicef",
        "candidate": candidate_a.candidate_profile.pk,
        "stage": "received",
        "status": None,
        "status_changed_at": iso(change.created_at),
        "allowed_transitions": ["withdrawn"],
        "eligibility_snapshot": ELIGIBLE_WITHOUT_RULES,
        "evaluation_score": None,
        "version": 1,
        "created_at": iso(application.created_at),
        "updated_at": iso(application.updated_at),
    }
    assert (change.application, change.from_status, change.to_status, change.actor) == (
        application, "", "submitted", candidate_a,
    )  # fmt: skip
    message = OutboxMessage.objects.get()
    assert (message.kind, message.event_type, message.recipient, message.status) == (
        "email", "application.status_changed", candidate_a, "pending",
    )  # fmt: skip
    assert message.payload == {
        "application_id": application.pk,
        "from": "",
        "to": "submitted",
        "changed_at": change.created_at.isoformat(),
        "vacancy_id": vacancy.pk,
    }


def test_application_create_without_deadline_is_accepted(organisation_x, candidate_a):
    vacancy = make_vacancy(organisation=organisation_x, closes_in=None)

    response = client_for(candidate_a).post(APPLICATIONS_URL, {"vacancy": vacancy.pk})

    assert response.status_code == 201
    application = Application.objects.get()
    assert response.json() == body_of(application, **CANDIDATE_VIEW_OF_SUBMITTED)
    assert application.eligibility_snapshot == ELIGIBLE_WITHOUT_RULES


def test_application_create_past_deadline_is_400(organisation_x, candidate_a):
    vacancy = make_vacancy(organisation=organisation_x, closes_in=timedelta(minutes=-1))

    response = client_for(candidate_a).post(APPLICATIONS_URL, {"vacancy": vacancy.pk})

    assert response.status_code == 400
    assert response.json() == {
        "code": "vacancy_closed",
        "detail": "The deadline of this vacancy has passed.",
        "closes_at": vacancy.closes_at.isoformat().replace("+00:00", "Z"),
    }
    assert Application.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_application_create_second_active_is_409(organisation_x, candidate_a):
    vacancy = make_vacancy(organisation=organisation_x)
    client = client_for(candidate_a)
    first = client.post(APPLICATIONS_URL, {"vacancy": vacancy.pk})

    response = client.post(APPLICATIONS_URL, {"vacancy": vacancy.pk})

    assert first.status_code == 201
    assert response.status_code == 409
    assert response.json() == {
        "code": "duplicate_application",
        "detail": "You already have an active application to this vacancy.",
    }
    assert list(Application.objects.values_list("id", flat=True)) == [first.json()["id"]]
    assert ApplicationStatusChange.objects.count() == 1
    assert OutboxMessage.objects.count() == 1


def test_application_create_blocked_by_application_in_later_active_status(
    organisation_x, candidate_a
):
    vacancy = make_vacancy(organisation=organisation_x)
    existing = make_application(
        candidate=candidate_a, vacancy=vacancy, status=ApplicationStatus.INTERVIEW
    )

    response = client_for(candidate_a).post(APPLICATIONS_URL, {"vacancy": vacancy.pk})

    assert response.status_code == 409
    assert response.json()["code"] == "duplicate_application"
    assert list(Application.objects.values_list("id", flat=True)) == [existing.pk]


def test_application_create_after_withdrawing_succeeds(organisation_x, candidate_a):
    vacancy = make_vacancy(organisation=organisation_x)
    client = client_for(candidate_a)
    first = client.post(APPLICATIONS_URL, {"vacancy": vacancy.pk}).json()
    client.post(f"{APPLICATIONS_URL}{first['id']}/withdraw/", {})

    response = client.post(APPLICATIONS_URL, {"vacancy": vacancy.pk})

    assert response.status_code == 201
    assert response.json() == body_of(
        Application.objects.get(pk=response.json()["id"]), **CANDIDATE_VIEW_OF_SUBMITTED
    )
    assert sorted(Application.objects.values_list("id", "status")) == [
        (first["id"], "withdrawn"),
        (response.json()["id"], "submitted"),
    ]


@pytest.mark.parametrize(
    "status",
    [VacancyStatus.DRAFT, VacancyStatus.CLOSED, VacancyStatus.FILLED, VacancyStatus.CANCELLED],
)
def test_application_create_unpublished_vacancy_is_404(organisation_x, candidate_a, status):
    vacancy = make_vacancy(organisation=organisation_x, status=status)

    response = client_for(candidate_a).post(APPLICATIONS_URL, {"vacancy": vacancy.pk})

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Vacancy not found."}
    assert Application.objects.count() == 0


def test_application_create_nonexistent_vacancy_is_404(organisation_x, candidate_a):
    vacancy = make_vacancy(organisation=organisation_x)

    response = client_for(candidate_a).post(APPLICATIONS_URL, {"vacancy": vacancy.pk + 1000})

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Vacancy not found."}
    assert Application.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"vacancy": ["This field is required."]}),
        ({"vacancy": "abc"}, {"vacancy": ["A valid integer is required."]}),
        ({"vacancy": 0}, {"vacancy": ["Ensure this value is greater than or equal to 1."]}),
        ({"vacancy": 1, "status": "accepted"}, {"status": ["Unknown field."]}),
    ],
)
def test_application_create_invalid_body_is_400(candidate_a, body, fields):
    response = client_for(candidate_a).post(APPLICATIONS_URL, body)

    assert response.status_code == 400
    assert response.json() == {
        "code": "validation_error",
        "detail": "The request is not valid; see `fields`.",
        "fields": fields,
    }
    assert Application.objects.count() == 0


@pytest.mark.parametrize("fixture", ["partner_x", "recruiter", "admin_user"])
def test_application_create_by_non_candidate_is_403(request, organisation_x, fixture):
    vacancy = make_vacancy(organisation=organisation_x)
    user = request.getfixturevalue(fixture)

    response = client_for(user).post(APPLICATIONS_URL, {"vacancy": vacancy.pk})

    assert response.status_code == 403
    assert response.json() == ONLY_CANDIDATES
    assert Application.objects.count() == 0


def test_application_create_anonymous_is_401(anonymous, organisation_x):
    vacancy = make_vacancy(organisation=organisation_x)

    response = anonymous.post(APPLICATIONS_URL, {"vacancy": vacancy.pk})

    assert response.status_code == 401
    assert response.json() == {
        "code": "not_authenticated",
        "detail": "Authentication credentials were not provided.",
    }
    assert Application.objects.count() == 0


# Withdrawing


def test_application_withdraw_moves_to_withdrawn_with_audit_row(organisation_x, candidate_a):
    application = make_application(candidate=candidate_a, vacancy=make_vacancy())

    response = client_for(candidate_a).post(
        withdraw_url(application), {"reason": "Accepted another offer."}
    )

    assert response.status_code == 200
    application.refresh_from_db()
    assert response.json() == {
        "id": application.pk,
        "vacancy": application.vacancy_id,
        "vacancy_title": "Programme Officer",
        "organisation": "unicef",
        "candidate": candidate_a.candidate_profile.pk,
        "stage": "closed",
        "status": None,
        "status_changed_at": iso(application.status_changed_at),
        "allowed_transitions": [],
        "eligibility_snapshot": {},
        "evaluation_score": None,
        "version": 2,
        "created_at": iso(application.created_at),
        "updated_at": iso(application.updated_at),
    }
    assert changes_of(application) == [
        ("submitted", "withdrawn", candidate_a.pk, "Accepted another offer.")
    ]
    message = OutboxMessage.objects.get()
    assert (message.recipient, message.payload["from"], message.payload["to"]) == (
        candidate_a, "submitted", "withdrawn",
    )  # fmt: skip


def test_application_withdraw_twice_is_409(organisation_x, candidate_a):
    application = make_application(candidate=candidate_a, vacancy=make_vacancy())
    client = client_for(candidate_a)
    client.post(withdraw_url(application), {})

    response = client.post(withdraw_url(application), {})

    assert response.status_code == 409
    assert response.json() == {
        "code": "invalid_transition",
        # candidates see their stage, not the internal status ("withdrawn")
        "detail": "Cannot move from closed to withdrawn.",
        "current_status": "closed",
        "requested_status": "withdrawn",
        "allowed_transitions": [],
    }
    assert changes_of(application) == [("submitted", "withdrawn", candidate_a.pk, "")]
    assert Application.objects.get().version == 2


def test_application_withdraw_unknown_field_is_400(organisation_x, candidate_a):
    application = make_application(candidate=candidate_a, vacancy=make_vacancy())

    response = client_for(candidate_a).post(withdraw_url(application), {"status": "accepted"})

    assert response.status_code == 400
    assert response.json() == {
        "code": "validation_error",
        "detail": "The request is not valid; see `fields`.",
        "fields": {"status": ["Unknown field."]},
    }
    assert Application.objects.get().status == "submitted"
    assert changes_of(application) == []


@pytest.mark.parametrize("fixture", ["partner_x", "recruiter", "admin_user"])
def test_application_withdraw_by_non_candidate_is_403(
    request, organisation_x, candidate_a, fixture
):
    application = make_application(
        candidate=candidate_a, vacancy=make_vacancy(), status=ApplicationStatus.NOMINATED
    )
    user = request.getfixturevalue(fixture)

    response = client_for(user).post(withdraw_url(application), {})

    assert response.status_code == 403
    assert response.json() == ONLY_CANDIDATES
    assert (Application.objects.get().status, changes_of(application)) == ("nominated", [])


# Scoping: candidates


def test_application_candidate_cannot_see_or_withdraw_anothers(
    organisation_x, candidate_a, candidate_b
):
    vacancy = make_vacancy()
    of_a = make_application(candidate=candidate_a, vacancy=vacancy)
    of_b = make_application(candidate=candidate_b, vacancy=vacancy)
    client = client_for(candidate_b)

    listed = client.get(APPLICATIONS_URL)
    detail = client.get(detail_url(of_a))
    withdraw = client.post(withdraw_url(of_a), {})

    assert listed_ids(listed) == [of_b.pk]
    assert (detail.status_code, detail.json()) == (404, NOT_FOUND)
    assert (withdraw.status_code, withdraw.json()) == (404, NOT_FOUND)
    of_a.refresh_from_db()
    assert (of_a.status, of_a.version, changes_of(of_a)) == ("submitted", 1, [])
    assert OutboxMessage.objects.count() == 0


def test_application_candidate_reads_own(organisation_x, candidate_a):
    application = make_application(candidate=candidate_a, vacancy=make_vacancy())

    response = client_for(candidate_a).get(detail_url(application))

    assert response.status_code == 200
    assert response.json() == body_of(application, **CANDIDATE_VIEW_OF_SUBMITTED)


def test_application_list_anonymous_is_401(anonymous, organisation_x, candidate_a):
    make_application(candidate=candidate_a, vacancy=make_vacancy())

    response = anonymous.get(APPLICATIONS_URL)

    assert response.status_code == 401
    assert response.json() == {
        "code": "not_authenticated",
        "detail": "Authentication credentials were not provided.",
    }


# Scoping: partners and recruiters


@pytest.fixture
def applications_in_every_status(organisation_x, organisation_y):
    """One application in each status to a vacancy of X and one to a vacancy of Y."""
    vacancy_x = make_vacancy(organisation=organisation_x, title="At X")
    vacancy_y = make_vacancy(organisation=organisation_y, title="At Y")
    made = {"x": {}, "y": {}}
    for status in ApplicationStatus:
        candidate = make_candidate(email=f"{status}@example.org")
        made["x"][status] = make_application(candidate=candidate, vacancy=vacancy_x, status=status)
        made["y"][status] = make_application(candidate=candidate, vacancy=vacancy_y, status=status)
    return made


def test_application_partner_sees_only_nominated_to_own_organisation(
    partner_x, applications_in_every_status
):
    at_x = applications_in_every_status["x"]

    response = client_for(partner_x).get(APPLICATIONS_URL)

    assert listed_ids(response) == sorted(
        (at_x[status].pk for status in NOMINATED_OR_LATER), reverse=True
    )


def test_application_partner_sees_none_of_another_organisation(
    partner_y, applications_in_every_status
):
    at_y = applications_in_every_status["y"]
    at_x = applications_in_every_status["x"]
    client = client_for(partner_y)

    listed = client.get(APPLICATIONS_URL)
    detail = client.get(detail_url(at_x[ApplicationStatus.NOMINATED]))

    assert listed_ids(listed) == sorted(
        (at_y[status].pk for status in NOMINATED_OR_LATER), reverse=True
    )
    assert (detail.status_code, detail.json()) == (404, NOT_FOUND)


def test_application_partner_cannot_read_own_organisations_before_nomination(
    partner_x, applications_in_every_status
):
    shortlisted = applications_in_every_status["x"][ApplicationStatus.SHORTLISTED]

    response = client_for(partner_x).get(detail_url(shortlisted))

    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_application_partner_reads_nominated(partner_x, applications_in_every_status):
    nominated = applications_in_every_status["x"][ApplicationStatus.NOMINATED]

    response = client_for(partner_x).get(detail_url(nominated))

    assert response.status_code == 200
    assert response.json() == body_of(
        nominated,
        stage="in_review",
        status="nominated",
        allowed_transitions=["interview", "not_selected"],
    )


@pytest.mark.parametrize("fixture", ["recruiter", "admin_user"])
def test_application_staff_see_all(request, fixture, applications_in_every_status):
    everything = [
        application.pk
        for per_status in applications_in_every_status.values()
        for application in per_status.values()
    ]
    user = request.getfixturevalue(fixture)

    response = client_for(user).get(APPLICATIONS_URL)

    assert listed_ids(response) == sorted(everything, reverse=True)


def test_application_list_filters_by_several_statuses(recruiter, applications_in_every_status):
    at_x, at_y = applications_in_every_status["x"], applications_in_every_status["y"]

    response = client_for(recruiter).get(APPLICATIONS_URL, {"status": ["submitted", "withdrawn"]})

    assert listed_ids(response) == sorted(
        [at_x["submitted"].pk, at_x["withdrawn"].pk, at_y["submitted"].pk, at_y["withdrawn"].pk],
        reverse=True,
    )


def test_application_list_filters_by_vacancy(recruiter, applications_in_every_status):
    at_y = applications_in_every_status["y"]
    vacancy_y = at_y[ApplicationStatus.SUBMITTED].vacancy_id

    response = client_for(recruiter).get(APPLICATIONS_URL, {"vacancy": vacancy_y})

    assert listed_ids(response) == sorted((a.pk for a in at_y.values()), reverse=True)


def test_application_list_filters_by_updated_since(recruiter, applications_in_every_status):
    at_x = applications_in_every_status["x"]
    Application.objects.update(updated_at=datetime(2025, 1, 1, tzinfo=UTC))
    recent = [at_x["screening"].pk, at_x["offered"].pk]
    Application.objects.filter(pk__in=recent).update(
        updated_at=datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
    )

    response = client_for(recruiter).get(
        APPLICATIONS_URL, {"updated_since": "2025-03-01T12:00:00Z"}
    )

    assert listed_ids(response) == sorted(recent, reverse=True)


def test_application_list_filters_combine_with_scope(partner_x, applications_in_every_status):
    at_x = applications_in_every_status["x"]

    response = client_for(partner_x).get(
        APPLICATIONS_URL, {"status": ["submitted", "interview", "offered"]}
    )

    assert listed_ids(response) == sorted([at_x["interview"].pk, at_x["offered"].pk], reverse=True)


def test_application_list_orders_by_id_ascending(recruiter, applications_in_every_status):
    at_x = applications_in_every_status["x"]

    response = client_for(recruiter).get(
        APPLICATIONS_URL, {"ordering": "id", "vacancy": at_x["submitted"].vacancy_id}
    )

    assert listed_ids(response) == sorted(a.pk for a in at_x.values())


def test_application_list_pages_with_cursor(recruiter, applications_in_every_status):
    client = client_for(recruiter)

    first = client.get(APPLICATIONS_URL, {"limit": 20}).json()
    second = client.get(first["next"]).json()

    every_id = sorted(Application.objects.values_list("id", flat=True), reverse=True)
    assert [a["id"] for a in first["results"]] == every_id[:20]
    assert [a["id"] for a in second["results"]] == every_id[20:]
    assert second["next"] is None


def test_a_candidates_applications_page_forward_and_back_through_ties(organisation_x, candidate_a):
    # The candidate's scope joins the profile: its pages are the ORM's rows (api.json_rows),
    # which DRF's cursor paginator reads positions from, as it does TableRows' rows.
    applications = [
        make_application(candidate=candidate_a, vacancy=make_vacancy(organisation=organisation_x))
        for _ in range(5)
    ]
    tie = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    Application.objects.filter(pk__in=[a.pk for a in applications[:3]]).update(created_at=tie)
    client = client_for(candidate_a)

    pages = [client.get(APPLICATIONS_URL, {"ordering": "created_at", "limit": 2}).json()]
    while pages[-1]["next"]:
        pages.append(client.get(pages[-1]["next"]).json())
    back = [pages[-1]]
    while back[0]["previous"]:
        back.insert(0, client.get(back[0]["previous"]).json())

    ids = [a.pk for a in applications]
    assert [[a["id"] for a in page["results"]] for page in pages] == [ids[0:2], ids[2:4], ids[4:]]
    assert [[a["id"] for a in page["results"]] for page in back] == [ids[0:2], ids[2:4], ids[4:]]


def test_application_list_unknown_status_filter_is_400(recruiter, applications_in_every_status):
    response = client_for(recruiter).get(APPLICATIONS_URL, {"status": "hired"})

    assert response.status_code == 400
    assert response.json() == {
        "code": "validation_error",
        "detail": "The request is not valid; see `fields`.",
        "fields": {"status": ["Select a valid choice. hired is not one of the available choices."]},
    }


def test_application_list_vacancy_filter_takes_whole_numbers_only(recruiter):
    # Regression: a decimal id (the schema said `number`) passed the filter and crashed the
    # shared list criteria (recruitment.list_search) with a 500. Found by the fuzzer.
    response = client_for(recruiter).get(APPLICATIONS_URL, {"vacancy": "0.999"})

    assert response.status_code == 400
    assert response.json() == {
        "code": "validation_error",
        "detail": "The request is not valid; see `fields`.",
        "fields": {"vacancy": ["Enter a whole number."]},
    }


# Concurrency


@pytest.mark.django_db(transaction=True)
def test_application_submit_concurrent_duplicates_exactly_one_wins(organisation_x, candidate_a):
    vacancy = make_vacancy(organisation=organisation_x)
    start = threading.Barrier(2)
    outcomes = []

    def apply():
        try:
            start.wait(timeout=10)
            application = application_submit(candidate_user=candidate_a, vacancy_id=vacancy.pk)
            outcomes.append(("created", application.pk))
        except ConflictError as error:
            outcomes.append(("conflict", error.code))
        except Exception as error:  # reported through the assertion below, not lost in a thread
            outcomes.append(("error", repr(error)))
        finally:
            connection.close()

    threads = [threading.Thread(target=apply) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    application = Application.objects.get()
    assert sorted(outcomes) == [
        ("conflict", "duplicate_application"),
        ("created", application.pk),
    ]
    assert (application.candidate.user, application.status) == (candidate_a, "submitted")
    assert changes_of(application) == [("", "submitted", candidate_a.pk, "")]
    assert OutboxMessage.objects.count() == 1
