"""/api/v1/notifications/ (a user's own emails, shown as stages), email preferences, the
unsubscribe link of a real rendered email, and /api/v1/outbox-messages/ for staff."""

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.core import signing
from dramatiq import Message

from recruitment.enums import ApplicationStatus, OutboxKind, OutboxStatus
from recruitment.models import NotificationPreference
from tests.api.bodies import iso
from tests.conftest import client_for
from tests.factories import (
    make_application,
    make_outbox_message,
    make_placement,
    make_vacancy,
    make_webhook_subscription,
)
from tests.queues import queued
from workflows.broker import broker
from workflows.models import OutboxMessage
from workflows.notifications import UNSUBSCRIBE_SALT
from workflows.outbox import outbox_email_create
from workflows.tasks import deliver_outbox_message

# The database first: Django's test case set-up replaces `mail.outbox`, so a `mailoutbox`
# requested before the first fixture that needs the database would be a stale list.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_broker")]

NOTIFICATIONS_URL = "/api/v1/notifications/"
PREFERENCES_URL = "/api/v1/notifications/preferences/"
UNSUBSCRIBE_URL = "/api/v1/notifications/unsubscribe/"
OUTBOX_URL = "/api/v1/outbox-messages/"
APPLICATION_EVENT = "application.status_changed"
PLACEMENT_EVENT = "placement.status_changed"
DEFAULT_PREFERENCES = {
    APPLICATION_EVENT: True,
    PLACEMENT_EVENT: True,
    "vacancy.alert": True,
    "application.silence": True,
}


def application_email(candidate, application, *, to=ApplicationStatus.SHORTLISTED, **overrides):
    return make_outbox_message(
        kind=OutboxKind.EMAIL,
        event_type=APPLICATION_EVENT,
        recipient=candidate,
        payload={
            "application_id": application.pk,
            "from": "screening",
            "to": to,
            "changed_at": "2030-01-02T10:00:00+00:00",
            "vacancy_id": application.vacancy_id,
        },
        **overrides,
    )


# --- the caller's notifications ------------------------------------------------------------------


@pytest.fixture
def inboxes(organisation_x, candidate_a, candidate_b, recruiter):
    """Emails to A (an application's and a placement's), one to B, and a webhook row."""
    vacancy = make_vacancy(organisation=organisation_x)
    application_a = make_application(candidate=candidate_a, vacancy=vacancy)
    application_b = make_application(candidate=candidate_b, vacancy=vacancy)
    placement = make_placement(candidate=candidate_a, organisation=organisation_x)
    shortlisted = application_email(candidate_a, application_a)
    deployed = make_outbox_message(
        kind=OutboxKind.EMAIL,
        event_type=PLACEMENT_EVENT,
        recipient=candidate_a,
        payload={
            "placement_id": placement.pk,
            "from": "pre_departure",
            "to": "deployed",
            "changed_at": "2031-01-01T08:00:00+00:00",
            "duty_station_id": placement.duty_station_id,
        },
        status=OutboxStatus.DELIVERED,
        attempts=1,
    )
    theirs = application_email(candidate_b, application_b, to=ApplicationStatus.REJECTED)
    webhook = make_outbox_message(
        subscription=make_webhook_subscription(owner=recruiter),
        event_type=APPLICATION_EVENT,
        payload=shortlisted.payload,
    )
    return {
        "application_a": application_a,
        "placement": placement,
        "shortlisted": shortlisted,
        "deployed": deployed,
        "theirs": theirs,
        "webhook": webhook,
    }


def test_notifications_lists_only_the_callers_emails_as_stages(candidate_a, inboxes):
    shortlisted, deployed, placement = (
        inboxes["shortlisted"],
        inboxes["deployed"],
        inboxes["placement"],
    )

    response = client_for(candidate_a).get(NOTIFICATIONS_URL)

    assert response.status_code == 200
    assert response.json() == {
        "next": None,
        "previous": None,
        "results": [
            {
                "id": str(deployed.event_id),
                "event_type": PLACEMENT_EVENT,
                "status": "delivered",
                "summary": {
                    "placement_id": placement.pk,
                    "duty_station_id": placement.duty_station_id,
                    "to": "deployed",
                },
                "created_at": iso(deployed.created_at),
                "delivered_at": None,
            },
            {
                "id": str(shortlisted.event_id),
                "event_type": APPLICATION_EVENT,
                "status": "pending",
                # "shortlisted" is internal: the candidate sees the stage
                "summary": {"application_id": inboxes["application_a"].pk, "stage": "in_review"},
                "created_at": iso(shortlisted.created_at),
                "delivered_at": None,
            },
        ],
    }


def test_notifications_filter_by_event_type(candidate_a, inboxes):
    response = client_for(candidate_a).get(NOTIFICATIONS_URL, {"event_type": APPLICATION_EVENT})

    assert [item["id"] for item in response.json()["results"]] == [
        str(inboxes["shortlisted"].event_id)
    ]


def test_notifications_of_someone_without_emails_is_empty(recruiter, inboxes):
    response = client_for(recruiter).get(NOTIFICATIONS_URL)

    assert (response.status_code, response.json()["results"]) == (200, [])


def test_notifications_anonymous_is_401(anonymous):
    response = anonymous.get(NOTIFICATIONS_URL)

    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")


# --- preferences ---------------------------------------------------------------------------------


def test_preferences_default_to_every_email_on(candidate_a):
    response = client_for(candidate_a).get(PREFERENCES_URL)

    assert (response.status_code, response.json()) == (200, DEFAULT_PREFERENCES)


def test_preferences_put_changes_only_the_callers_given_events(candidate_a, candidate_b):
    response = client_for(candidate_a).put(PREFERENCES_URL, {"vacancy.alert": False})
    again = client_for(candidate_a).get(PREFERENCES_URL)
    others = client_for(candidate_b).get(PREFERENCES_URL)

    expected = {**DEFAULT_PREFERENCES, "vacancy.alert": False}
    assert (response.status_code, response.json()) == (200, expected)
    assert again.json() == expected
    assert others.json() == DEFAULT_PREFERENCES
    assert list(NotificationPreference.objects.values_list("user_id", "event_type", "email")) == [
        (candidate_a.pk, "vacancy.alert", False)
    ]


def test_preferences_put_back_on(candidate_a):
    NotificationPreference.objects.create(
        user=candidate_a, event_type=APPLICATION_EVENT, email=False
    )

    response = client_for(candidate_a).put(PREFERENCES_URL, {APPLICATION_EVENT: True})

    assert (response.status_code, response.json()) == (200, DEFAULT_PREFERENCES)


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"sms": True}, {"sms": ["Unknown field."]}),
        ({APPLICATION_EVENT: "sometimes"}, {APPLICATION_EVENT: ["Must be a valid boolean."]}),
    ],
)
def test_preferences_put_invalid_is_400(candidate_a, body, fields):
    response = client_for(candidate_a).put(PREFERENCES_URL, body)

    assert (response.status_code, response.json()) == (
        400,
        {
            "code": "validation_error",
            "detail": "The request is not valid; see `fields`.",
            "fields": fields,
        },
    )
    assert NotificationPreference.objects.count() == 0


# --- unsubscribe ---------------------------------------------------------------------------------


@pytest.fixture
def sent_email(settings, mailoutbox, candidate_a, organisation_x):
    """An application email delivered to A: its links by name, "one_click" (List-Unsubscribe,
    on the API) and "portal" (the page the bodies end with)."""
    settings.PORTAL_URL = "https://portal.recruitment.example"
    vacancy = make_vacancy(organisation=organisation_x)
    application = make_application(candidate=candidate_a, vacancy=vacancy)
    deliver_outbox_message.fn(application_email(candidate_a, application).pk)
    [email] = mailoutbox
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    one_click = email.extra_headers["List-Unsubscribe"].removeprefix("<").removesuffix(">")
    portal = email.body.rstrip("\n").rpartition(" ")[2]
    assert email.body.endswith(f"\nTo stop these emails: {portal}\n")
    assert urlsplit(portal)[:3] == ("https", "portal.recruitment.example", "/unsubscribe")
    assert urlsplit(one_click).path == UNSUBSCRIBE_URL
    return {"one_click": one_click, "portal": portal}


def api_path(link: str) -> str:
    """The API path and query of an unsubscribe link; the portal's page calls the API with the
    token of its own link."""
    token = parse_qs(urlsplit(link).query)["token"][0]
    return f"{UNSUBSCRIBE_URL}?{urlencode({'token': token})}"


@pytest.mark.parametrize("link", ["one_click", "portal"])
def test_unsubscribe_get_tells_what_the_link_turns_off_and_changes_nothing(
    sent_email, anonymous, candidate_a, link
):
    """Mail scanners and link previews fetch links: a GET must not unsubscribe."""
    path = api_path(sent_email[link])

    response = anonymous.get(path)

    assert (response.status_code, response.json()) == (
        200,
        {"event_type": APPLICATION_EVENT, "email": True},
    )
    assert NotificationPreference.objects.count() == 0
    assert client_for(candidate_a).get(PREFERENCES_URL).json() == DEFAULT_PREFERENCES


def test_unsubscribe_get_reports_an_email_already_off(sent_email, anonymous, candidate_a):
    NotificationPreference.objects.create(
        user=candidate_a, event_type=APPLICATION_EVENT, email=False
    )

    response = anonymous.get(api_path(sent_email["one_click"]))

    assert (response.status_code, response.json()) == (
        200,
        {"event_type": APPLICATION_EVENT, "email": False},
    )
    assert list(NotificationPreference.objects.values_list("user_id", "event_type", "email")) == [
        (candidate_a.pk, APPLICATION_EVENT, False)
    ]


@pytest.mark.parametrize("link", ["one_click", "portal"])
def test_unsubscribe_post_turns_that_email_off(sent_email, anonymous, candidate_a, link):
    """RFC 8058 one-click: the mail client POSTs to the List-Unsubscribe address; the portal's
    page POSTs its own link's token."""
    path = api_path(sent_email[link])

    response = anonymous.post(path)

    assert (response.status_code, response.json()) == (
        200,
        {"event_type": APPLICATION_EVENT, "email": False},
    )
    assert client_for(candidate_a).get(PREFERENCES_URL).json() == {
        **DEFAULT_PREFERENCES,
        APPLICATION_EVENT: False,
    }
    # the next status change writes no email for this event
    assert (
        outbox_email_create(recipient=candidate_a, event_type=APPLICATION_EVENT, payload={}) is None
    )
    # posting again is harmless, and a GET now reports it off
    again = anonymous.post(path)
    assert (again.status_code, again.json()) == (
        200,
        {"event_type": APPLICATION_EVENT, "email": False},
    )
    assert anonymous.get(path).json() == {"event_type": APPLICATION_EVENT, "email": False}
    assert list(NotificationPreference.objects.values_list("user_id", "event_type", "email")) == [
        (candidate_a.pk, APPLICATION_EVENT, False)
    ]


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(
    "token",
    [
        "",
        "not-a-token",
        # signed for another purpose (no unsubscribe salt)
        signing.dumps({"user": 1, "event": APPLICATION_EVENT}),
    ],
)
def test_unsubscribe_with_a_bad_token_is_400(anonymous, candidate_a, token, method):
    response = getattr(anonymous, method)(f"{UNSUBSCRIBE_URL}?{urlencode({'token': token})}")

    assert (response.status_code, response.json()) == (
        400,
        {
            "code": "validation_error",
            "detail": "The request is not valid; see `fields`.",
            "fields": {"token": ["This link is not valid."]},
        },
    )
    assert NotificationPreference.objects.count() == 0


@pytest.mark.parametrize("method", ["get", "post"])
def test_unsubscribe_token_cannot_be_altered_to_another_user(
    anonymous, candidate_a, candidate_b, method
):
    token = signing.dumps(
        {"user": candidate_a.pk, "event": APPLICATION_EVENT}, salt=UNSUBSCRIBE_SALT
    )
    _, _, signature = token.partition(":")
    forged_payload = signing.dumps(
        {"user": candidate_b.pk, "event": APPLICATION_EVENT}, salt=UNSUBSCRIBE_SALT
    ).partition(":")[0]
    forged = urlencode({"token": f"{forged_payload}:{signature}"})

    response = getattr(anonymous, method)(f"{UNSUBSCRIBE_URL}?{forged}")

    assert response.status_code == 400
    assert NotificationPreference.objects.count() == 0


# --- the outbox, for staff ----------------------------------------------------------------------


@pytest.fixture
def outbox(organisation_x, candidate_a, recruiter):
    """One webhook row in each state."""
    subscription = make_webhook_subscription(owner=recruiter)
    return {
        status: make_outbox_message(
            subscription=subscription,
            event_type="vacancy.closed",
            payload={"vacancy_id": 9},
            status=status,
            attempts=8 if status == OutboxStatus.DEAD else 0,
            last_error="HTTP 500" if status == OutboxStatus.DEAD else "",
        )
        for status in OutboxStatus.values
    }


def outbox_body(message) -> dict:
    message.refresh_from_db()
    return {
        "id": message.pk,
        "event_id": str(message.event_id),
        "kind": message.kind,
        "event_type": message.event_type,
        "recipient": message.recipient_id,
        "subscription": message.subscription_id,
        "payload": message.payload,
        "status": message.status,
        "attempts": message.attempts,
        "next_attempt_at": iso(message.next_attempt_at),
        "last_error": message.last_error,
        "delivered_at": iso(message.delivered_at),
        "created_at": iso(message.created_at),
    }


@pytest.mark.parametrize("caller", ["recruiter", "admin_user"])
def test_outbox_lists_every_message_for_staff(request, outbox, caller):
    response = client_for(request.getfixturevalue(caller)).get(OUTBOX_URL)

    assert response.status_code == 200
    assert response.json()["results"] == [
        outbox_body(message) for message in sorted(outbox.values(), key=lambda m: -m.pk)
    ]


def test_outbox_filter_status_dead(recruiter, outbox):
    response = client_for(recruiter).get(OUTBOX_URL, {"status": "dead"})

    assert response.json()["results"] == [outbox_body(outbox["dead"])]


@pytest.mark.parametrize("caller", ["candidate_a", "partner_x"])
def test_outbox_is_staff_only(request, outbox, caller):
    client = client_for(request.getfixturevalue(caller))

    responses = [
        client.get(OUTBOX_URL),
        client.get(f"{OUTBOX_URL}{outbox['dead'].pk}/"),
        client.post(f"{OUTBOX_URL}{outbox['dead'].pk}/redeliver/"),
    ]

    assert [(r.status_code, r.json()["code"]) for r in responses] == [
        (403, "permission_denied")
    ] * 3
    assert outbox_body(outbox["dead"])["status"] == "dead"


def test_redeliver_a_dead_message_is_202_and_pending_again(
    recruiter, outbox, django_capture_on_commit_callbacks
):
    dead = outbox["dead"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(recruiter).post(f"{OUTBOX_URL}{dead.pk}/redeliver/")

    assert response.status_code == 202
    body = outbox_body(dead)
    assert response.json() == body
    assert (body["status"], body["attempts"], body["last_error"]) == ("pending", 0, "")
    assert queued() == [("workflows.deliver_outbox_message", [dead.pk])]


@pytest.mark.parametrize("status", ["pending", "sending", "delivered"])
def test_redeliver_a_message_that_is_not_dead_is_409(recruiter, outbox, status):
    message = outbox[status]
    before = outbox_body(message)

    response = client_for(recruiter).post(f"{OUTBOX_URL}{message.pk}/redeliver/")

    assert (response.status_code, response.json()) == (
        409,
        {
            "code": "not_dead",
            "detail": "Only dead messages are redelivered.",
            "current_status": status,
        },
    )
    assert outbox_body(message) == before
    assert queued() == []


@pytest.mark.django_db(transaction=True)
def test_a_redelivered_email_is_sent_by_its_queued_delivery(
    mailoutbox, candidate_a, recruiter, organisation_x
):
    """After commit, the queued delivery finds the row due and sends it (one more attempt)."""
    vacancy = make_vacancy(organisation=organisation_x)
    application = make_application(candidate=candidate_a, vacancy=vacancy)
    dead = application_email(
        candidate_a, application, status=OutboxStatus.DEAD, attempts=8, last_error="SMTPError"
    )

    response = client_for(recruiter).post(f"{OUTBOX_URL}{dead.pk}/redeliver/")
    for data in list(broker.queues["notifications"].queue):
        deliver_outbox_message.fn(*Message.decode(data).args)

    assert response.status_code == 202
    assert [email.extra_headers["X-Event-Id"] for email in mailoutbox] == [str(dead.event_id)]
    dead.refresh_from_db()
    assert (dead.status, dead.attempts, dead.last_error) == ("delivered", 1, "")
    assert OutboxMessage.objects.count() == 1
