"""Outbox rows written by the status changes (DESIGN §3.2, STYLE C6): the candidate's email
(unless turned off) and one webhook row per subscription allowed to see the event, written in the
transaction of the change, and enqueued for delivery only after it commits."""

from datetime import datetime

import pytest
from django.db import connection, transaction

from recruitment.enums import (
    ApplicationStatus,
    FundingStatus,
    PlacementStatus,
    Role,
    VacancyStatus,
)
from recruitment.models import Application, NotificationPreference, Placement, Vacancy
from tests.factories import (
    make_application,
    make_placement,
    make_user,
    make_vacancy,
    make_webhook_subscription,
)
from tests.queues import queued
from workflows.exceptions import InvalidTransition
from workflows.models import (
    ApplicationStatusChange,
    OutboxMessage,
    PlacementStatusChange,
    VacancyStatusChange,
)
from workflows.services import (
    application_submit,
    application_transition,
    placement_transition,
    vacancy_transition,
)

APPLICATION_EVENT = "application.status_changed"


class Abort(Exception):
    """Raised to roll a caller's transaction back."""


DELIVER = "workflows.deliver_outbox_message"

pytestmark = pytest.mark.usefixtures("empty_broker")


def outbox_rows() -> list[tuple]:
    """Every outbox row as (kind, event type, recipient, subscription, payload, status,
    attempts), sorted."""
    return sorted(
        OutboxMessage.objects.values_list(
            "kind", "event_type", "recipient_id", "subscription_id", "payload", "status", "attempts"
        ),
        key=repr,
    )


def email_row(user, payload, event_type=APPLICATION_EVENT) -> tuple:
    return ("email", event_type, user.pk, None, payload, "pending", 0)


def vacancy_summary(vacancy) -> dict:
    vacancy.refresh_from_db()
    return {
        "id": vacancy.pk,
        "title": vacancy.title,
        "organisation": vacancy.organisation.slug,
        "grade": vacancy.grade,
        "status": vacancy.status,
        "closes_at": vacancy.closes_at.isoformat() if vacancy.closes_at else None,
    }


def webhook_payload(payload) -> dict:
    """What a webhook carries beyond the email's ids: the resource's public face."""
    if "application_id" in payload:
        application = Application.objects.get(pk=payload["application_id"])
        return {
            **payload,
            "candidate_id": application.candidate_id,
            "vacancy": vacancy_summary(application.vacancy),
        }
    if "placement_id" in payload:
        placement = Placement.objects.get(pk=payload["placement_id"])
        return {
            **payload,
            "application_id": placement.application_id,
            "organisation": placement.organisation.slug,
            "duty_station": {
                "city": placement.duty_station.city,
                "country": str(placement.duty_station.country),
            },
            "start_date": placement.start_date.isoformat(),
            "end_date": placement.end_date.isoformat(),
        }
    return {**payload, "vacancy": vacancy_summary(Vacancy.objects.get(pk=payload["vacancy_id"]))}


def webhook_row(subscription, payload, event_type=APPLICATION_EVENT) -> tuple:
    return ("webhook", event_type, None, subscription.pk, webhook_payload(payload), "pending", 0)


def application_payload(application) -> dict:
    change = ApplicationStatusChange.objects.filter(application=application).latest("id")
    return {
        "application_id": application.pk,
        "from": change.from_status,
        "to": change.to_status,
        "changed_at": change.created_at.isoformat(),
        "vacancy_id": application.vacancy_id,
    }


@pytest.fixture
def subscriptions(organisation_x, organisation_y, partner_x, partner_y, recruiter, admin_user):
    """One subscription per kind of audience, and two that must never match."""
    both = (APPLICATION_EVENT, "vacancy.closed")
    return {
        "recruiter": make_webhook_subscription(owner=recruiter, url="https://ats.example.org/a"),
        "admin": make_webhook_subscription(
            owner=admin_user,
            url="https://ops.example.org/a",
            event_types=(APPLICATION_EVENT, "placement.status_changed"),
        ),
        "partner_x": make_webhook_subscription(
            owner=partner_x, organisation=organisation_x, url="https://unicef.example/a",
            event_types=both,
        ),
        "partner_y": make_webhook_subscription(
            owner=partner_y, organisation=organisation_y, url="https://unhcr.example/a",
            event_types=both,
        ),
        "recruiter_vacancies": make_webhook_subscription(
            owner=recruiter, url="https://ats.example.org/v", event_types=("vacancy.closed",)
        ),
        "recruiter_disabled": make_webhook_subscription(
            owner=recruiter, url="https://ats.example.org/off", is_active=False,
            disabled_reason="the endpoint answered 410 Gone",
        ),
    }  # fmt: skip


# --- application transitions -------------------------------------------------------------------


def test_transition_before_nomination_writes_email_and_staff_webhooks_only(
    organisation_x, candidate_a, recruiter, subscriptions, django_capture_on_commit_callbacks
):
    vacancy = make_vacancy(organisation=organisation_x)
    application = make_application(
        candidate=candidate_a, vacancy=vacancy, status=ApplicationStatus.SCREENING
    )

    with django_capture_on_commit_callbacks(execute=True):
        application_transition(
            application_id=application.pk, to_status=ApplicationStatus.SHORTLISTED, actor=recruiter
        )

    payload = application_payload(application)
    assert payload["to"] == "shortlisted"
    assert outbox_rows() == sorted(
        [
            email_row(candidate_a, payload),
            webhook_row(subscriptions["recruiter"], payload),
            webhook_row(subscriptions["admin"], payload),
        ],
        key=repr,
    )


def test_nomination_adds_the_vacancy_organisations_partner_and_no_other(
    organisation_x, candidate_a, recruiter, subscriptions, django_capture_on_commit_callbacks
):
    vacancy = make_vacancy(organisation=organisation_x)
    application = make_application(
        candidate=candidate_a, vacancy=vacancy, status=ApplicationStatus.SHORTLISTED
    )

    with django_capture_on_commit_callbacks(execute=True):
        application_transition(
            application_id=application.pk, to_status=ApplicationStatus.NOMINATED, actor=recruiter
        )

    payload = application_payload(application)
    assert outbox_rows() == sorted(
        [
            email_row(candidate_a, payload),
            webhook_row(subscriptions["recruiter"], payload),
            webhook_row(subscriptions["admin"], payload),
            webhook_row(subscriptions["partner_x"], payload),
        ],
        key=repr,
    )


def test_partner_move_after_nomination_reaches_its_own_subscription(
    organisation_x, candidate_a, partner_x, subscriptions, django_capture_on_commit_callbacks
):
    vacancy = make_vacancy(organisation=organisation_x)
    application = make_application(
        candidate=candidate_a, vacancy=vacancy, status=ApplicationStatus.NOMINATED
    )

    with django_capture_on_commit_callbacks(execute=True):
        application_transition(
            application_id=application.pk, to_status=ApplicationStatus.INTERVIEW, actor=partner_x
        )

    payload = application_payload(application)
    assert outbox_rows() == sorted(
        [
            email_row(candidate_a, payload),
            webhook_row(subscriptions["recruiter"], payload),
            webhook_row(subscriptions["admin"], payload),
            webhook_row(subscriptions["partner_x"], payload),
        ],
        key=repr,
    )


def test_application_submit_writes_email_and_staff_webhooks(
    organisation_x, candidate_a, subscriptions, django_capture_on_commit_callbacks
):
    vacancy = make_vacancy(organisation=organisation_x)

    with django_capture_on_commit_callbacks(execute=True):
        application = application_submit(candidate_user=candidate_a, vacancy_id=vacancy.pk)

    payload = application_payload(application)
    assert payload["from"] == ""
    assert outbox_rows() == sorted(
        [
            email_row(candidate_a, payload),
            webhook_row(subscriptions["recruiter"], payload),
            webhook_row(subscriptions["admin"], payload),
        ],
        key=repr,
    )


def test_on_commit_enqueues_one_delivery_per_row_and_nothing_before(
    organisation_x, candidate_a, recruiter, subscriptions, django_capture_on_commit_callbacks
):
    vacancy = make_vacancy(organisation=organisation_x)
    application = make_application(
        candidate=candidate_a, vacancy=vacancy, status=ApplicationStatus.SHORTLISTED
    )

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        application_transition(
            application_id=application.pk, to_status=ApplicationStatus.NOMINATED, actor=recruiter
        )
        in_transaction = queued()

    row_ids = sorted(OutboxMessage.objects.values_list("pk", flat=True))
    assert len(row_ids) == 4
    assert in_transaction == []
    assert len(callbacks) == 4
    assert queued() == [(DELIVER, [pk]) for pk in row_ids]


def test_turned_off_email_writes_no_email_row_but_the_webhooks(
    organisation_x, candidate_a, recruiter, subscriptions, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(
        user=candidate_a, event_type=APPLICATION_EVENT, email=False
    )
    vacancy = make_vacancy(organisation=organisation_x)
    application = make_application(
        candidate=candidate_a, vacancy=vacancy, status=ApplicationStatus.SCREENING
    )

    with django_capture_on_commit_callbacks(execute=True):
        application_transition(
            application_id=application.pk, to_status=ApplicationStatus.SHORTLISTED, actor=recruiter
        )

    payload = application_payload(application)
    assert outbox_rows() == sorted(
        [
            webhook_row(subscriptions["recruiter"], payload),
            webhook_row(subscriptions["admin"], payload),
        ],
        key=repr,
    )
    assert queued() == sorted(
        (DELIVER, [pk]) for pk in OutboxMessage.objects.values_list("pk", flat=True)
    )


def test_preference_for_another_event_leaves_this_email_on(
    organisation_x, candidate_a, recruiter, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(
        user=candidate_a, event_type="placement.status_changed", email=False
    )
    vacancy = make_vacancy(organisation=organisation_x)
    application = make_application(
        candidate=candidate_a, vacancy=vacancy, status=ApplicationStatus.SCREENING
    )

    with django_capture_on_commit_callbacks(execute=True):
        application_transition(
            application_id=application.pk, to_status=ApplicationStatus.SHORTLISTED, actor=recruiter
        )

    assert outbox_rows() == [email_row(candidate_a, application_payload(application))]


def database_clock() -> datetime:
    """The database's time now (statement_timestamp(), Django's Now() on PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement_timestamp()")
        return cursor.fetchone()[0]


def test_rows_are_due_at_once_by_the_database_clock(
    organisation_x, candidate_a, recruiter, subscriptions, django_capture_on_commit_callbacks
):
    """next_attempt_at defaults to the database's time, the clock the claim and the relay
    compare with, not the application server's."""
    vacancy = make_vacancy(organisation=organisation_x)
    application = make_application(
        candidate=candidate_a, vacancy=vacancy, status=ApplicationStatus.SCREENING
    )

    before = database_clock()
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(
            application_id=application.pk, to_status=ApplicationStatus.SHORTLISTED, actor=recruiter
        )
    after = database_clock()

    due = list(OutboxMessage.objects.values_list("next_attempt_at", flat=True))
    assert len(due) == 3
    assert all(before <= next_attempt_at <= after for next_attempt_at in due), (before, due)


# --- failures write nothing ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "to_status", "funding", "code"),
    [
        # not in the table for a recruiter
        (ApplicationStatus.SUBMITTED, ApplicationStatus.OFFERED, FundingStatus.CONFIRMED,
         "invalid_transition"),
        # in the table, refused by a guard
        (ApplicationStatus.SELECTED, ApplicationStatus.OFFERED, FundingStatus.UNCONFIRMED,
         "funding_unconfirmed"),
    ],
)  # fmt: skip
def test_failed_transition_writes_and_enqueues_nothing(
    organisation_x,
    candidate_a,
    recruiter,
    subscriptions,
    django_capture_on_commit_callbacks,
    status,
    to_status,
    funding,
    code,
):
    vacancy = make_vacancy(organisation=organisation_x, funding_status=funding)
    application = make_application(candidate=candidate_a, vacancy=vacancy, status=status)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(InvalidTransition) as raised,
    ):
        application_transition(application_id=application.pk, to_status=to_status, actor=recruiter)

    assert raised.value.code == code
    application.refresh_from_db()
    assert application.status == status
    assert OutboxMessage.objects.count() == 0
    assert ApplicationStatusChange.objects.count() == 0
    assert callbacks == []
    assert queued() == []


def test_rows_roll_back_with_the_transaction_they_were_written_in(
    organisation_x, candidate_a, recruiter, subscriptions, django_capture_on_commit_callbacks
):
    """The change and its outbox rows are one transaction: when the caller's transaction rolls
    back after the service returned, neither the status nor a single row nor an enqueue
    survives."""
    vacancy = make_vacancy(organisation=organisation_x)
    application = make_application(
        candidate=candidate_a, vacancy=vacancy, status=ApplicationStatus.SHORTLISTED
    )

    written_inside = []

    def nominate_then_abort():
        with transaction.atomic():
            application_transition(
                application_id=application.pk,
                to_status=ApplicationStatus.NOMINATED,
                actor=recruiter,
            )
            written_inside.append(OutboxMessage.objects.count())
            raise Abort

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Abort):
        nominate_then_abort()

    assert written_inside == [4]
    application.refresh_from_db()
    assert (application.status, application.nominated_at) == (ApplicationStatus.SHORTLISTED, None)
    assert OutboxMessage.objects.count() == 0
    assert ApplicationStatusChange.objects.count() == 0
    assert callbacks == []
    assert queued() == []


# --- vacancies and placements ------------------------------------------------------------------


def test_vacancy_closing_writes_webhooks_for_its_organisation_and_staff_only(
    organisation_x, recruiter, subscriptions, django_capture_on_commit_callbacks
):
    vacancy = make_vacancy(organisation=organisation_x, status=VacancyStatus.PUBLISHED)

    with django_capture_on_commit_callbacks(execute=True):
        vacancy_transition(vacancy_id=vacancy.pk, to_status=VacancyStatus.CLOSED, actor=recruiter)

    change = VacancyStatusChange.objects.get()
    payload = {
        "vacancy_id": vacancy.pk,
        "from": "published",
        "to": "closed",
        "changed_at": change.created_at.isoformat(),
    }
    assert outbox_rows() == sorted(
        [
            webhook_row(subscriptions["recruiter_vacancies"], payload, "vacancy.closed"),
            webhook_row(subscriptions["partner_x"], payload, "vacancy.closed"),
        ],
        key=repr,
    )
    assert queued() == sorted(
        (DELIVER, [pk]) for pk in OutboxMessage.objects.values_list("pk", flat=True)
    )


def test_vacancy_move_without_an_event_writes_nothing(
    organisation_x, recruiter, subscriptions, django_capture_on_commit_callbacks
):
    vacancy = make_vacancy(organisation=organisation_x, status=VacancyStatus.PUBLISHED)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        vacancy_transition(vacancy_id=vacancy.pk, to_status=VacancyStatus.FILLED, actor=recruiter)

    assert VacancyStatusChange.objects.count() == 1
    assert OutboxMessage.objects.count() == 0
    assert callbacks == []


def test_placement_transition_writes_email_and_placement_webhooks(
    organisation_x, recruiter, subscriptions, django_capture_on_commit_callbacks
):
    placed = make_user(role=Role.CANDIDATE, email="placed@example.org")
    placement = make_placement(candidate=placed, organisation=organisation_x)

    with django_capture_on_commit_callbacks(execute=True):
        placement_transition(
            placement_id=placement.pk,
            to_status=PlacementStatus.FUNDING_CONFIRMED,
            actor=recruiter,
        )

    change = PlacementStatusChange.objects.get()
    payload = {
        "placement_id": placement.pk,
        "from": "planned",
        "to": "funding_confirmed",
        "changed_at": change.created_at.isoformat(),
        "duty_station_id": placement.duty_station_id,
    }
    event = "placement.status_changed"
    assert outbox_rows() == sorted(
        [email_row(placed, payload, event), webhook_row(subscriptions["admin"], payload, event)],
        key=repr,
    )
    assert queued() == sorted(
        (DELIVER, [pk]) for pk in OutboxMessage.objects.values_list("pk", flat=True)
    )
