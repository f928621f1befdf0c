"""Delivering outbox rows (DESIGN §3.2, STYLE C6): the actor is called directly
(`deliver_outbox_message.fn`), email goes to Django's in-memory backend and webhooks to a real
HTTP receiver on 127.0.0.1 that checks our signatures with the `standardwebhooks` verifier."""

import json
import socket
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.db import connection
from django.utils import timezone
from dramatiq import Message, Worker
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from recruitment.enums import ApplicationStatus, OutboxKind, OutboxStatus, Role
from recruitment.models import User
from tests.factories import (
    WEBHOOK_SECRET,
    make_application,
    make_duty_station,
    make_organisation,
    make_outbox_message,
    make_placement,
    make_user,
    make_vacancy,
    make_webhook_subscription,
)
from tests.queues import queued
from workflows.broker import broker
from workflows.models import OutboxMessage, WebhookDelivery, WebhookSubscription
from workflows.notifications import (
    UNSUBSCRIBE_SALT,
    outbox_bury_abandoned,
    outbox_deliver_many,
    outbox_due_ids,
)
from workflows.services import application_transition
from workflows.tasks import deliver_outbox_message, deliver_outbox_messages, relay_outbox
from workflows.webhooks import webhook_secret_rotate

APPLICATION_EVENT = "application.status_changed"
PLACEMENT_EVENT = "placement.status_changed"
DELIVER = "workflows.deliver_outbox_message"
DELIVER_BATCH = "workflows.deliver_outbox_messages"
PUBLIC_API_URL = "https://api.recruitment.example"
PORTAL_URL = "https://portal.recruitment.example"

# The database first: Django's test case set-up replaces `mail.outbox`, so a `mailoutbox`
# requested before the first fixture that needs the database would be a stale list.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_broker")]


@pytest.fixture(autouse=True)
def notification_settings(settings):
    """The settings these tests compute expectations from, pinned."""
    settings.PUBLIC_API_URL = PUBLIC_API_URL
    settings.PORTAL_URL = PORTAL_URL
    settings.OUTBOX_MAX_ATTEMPTS = 8
    settings.OUTBOX_LEASE_SECONDS = 60
    settings.OUTBOX_BACKOFF_BASE_SECONDS = 10
    settings.OUTBOX_BACKOFF_MAX_SECONDS = 60
    settings.WEBHOOK_TIMEOUT_SECONDS = 5
    return settings


def state(message: OutboxMessage) -> tuple:
    message.refresh_from_db()
    return message.status, message.attempts, message.last_error, message.lease_until


# --- the webhook receiver ----------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    verified: dict[str, bool]  # secret name → whether the library's verifier accepted it


class _Receiver(BaseHTTPRequestHandler):
    """Records every request, verifies it against each of the server's `secrets`, and answers
    with the next of the server's `answers` (status, headers), else 204."""

    def log_message(self, *args):
        pass

    def _record(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {name.lower(): value for name, value in self.headers.items()}
        verified = {}
        for name, secret in self.server.secrets.items():
            try:
                Webhook(secret).verify(body, headers)
            except WebhookVerificationError:
                verified[name] = False
            else:
                verified[name] = True
        self.server.received.append(Received(self.command, self.path, headers, body, verified))

    def _answer(self) -> None:
        status, headers = self.server.answers.pop(0) if self.server.answers else (204, {})
        time.sleep(self.server.delay)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self):
        self._record()
        self._answer()

    do_GET = do_POST


@pytest.fixture
def receiver(settings):
    """A webhook endpoint on 127.0.0.1 (loopback allowed for the test)."""
    settings.NETWORK_ALLOW_LOOPBACK = True
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    httpd.secrets, httpd.answers, httpd.received, httpd.delay = (
        {"current": WEBHOOK_SECRET},
        [],
        [],
        0,
    )
    httpd.url = f"http://127.0.0.1:{httpd.server_port}/hooks"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.fixture
def subscription(receiver, recruiter):
    return make_webhook_subscription(owner=recruiter, url=receiver.url)


def webhook_message(subscription, **overrides) -> OutboxMessage:
    payload = {"application_id": 7, "from": "screening", "to": "shortlisted", "vacancy_id": 3}
    return make_outbox_message(
        subscription=subscription, event_type=APPLICATION_EVENT, payload=payload, **overrides
    )


def deliveries() -> list[tuple]:
    """(message, attempt, status code, error) of every recorded attempt, oldest first."""
    return list(
        WebhookDelivery.objects.order_by("id").values_list(
            "message_id", "attempt", "status_code", "error"
        )
    )


def database_clock():
    """The database's time now (statement_timestamp(), Django's Now() on PostgreSQL), which
    the outbox's backoff is computed from."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement_timestamp()")
        return cursor.fetchone()[0]


def unsubscribe_links(email, user, event_type) -> tuple[str, str]:
    """(the List-Unsubscribe address on the API, the portal page the bodies end with), each
    checked to carry a token that turns `event_type` off for `user`. The two are signed
    separately (a timestamped signature each), so each link's token is read from the link."""
    one_click = email.extra_headers["List-Unsubscribe"].removeprefix("<").removesuffix(">")
    portal = email.body.rstrip("\n").rpartition(" ")[2]
    one_click_token, portal_token = (
        parse_qs(urlsplit(link).query)["token"][0] for link in (one_click, portal)
    )
    assert (
        one_click == f"{PUBLIC_API_URL}/api/v1/notifications/unsubscribe/?token={one_click_token}"
    )
    assert portal == f"{PORTAL_URL}/unsubscribe?token={portal_token}"
    for token in (one_click_token, portal_token):
        assert signing.loads(token, salt=UNSUBSCRIBE_SALT) == {"user": user.pk, "event": event_type}
    return one_click, portal


# --- email -------------------------------------------------------------------------------------

EMAILS = {
    "en": (
        "Your application: in review",
        'Dear Astrid Berg,\n\nYour application to "Education Specialist" (UNICEF) is now: '
        "in review.\n\nFollow it in the portal: {portal}\n\nThe recruitment team\n"
        "\nTo stop these emails: {unsubscribe}\n",
        "<p>Dear Astrid Berg,</p>\n<p>Your application to <strong>Education Specialist</strong> "
        "(UNICEF) is now: <strong>in review</strong>.</p>\n"
        '<p><a href="{portal}">Follow it in the portal</a></p>\n<p>The recruitment team</p>\n'
        '<p style="font-size:small"><a href="{unsubscribe}">Stop these emails</a></p>\n',
    ),
    "nb": (
        "Søknaden din: under vurdering",
        "Kjære Astrid Berg,\n\nSøknaden din på «Education Specialist» (UNICEF) har nå status: "
        "under vurdering.\n\nFølg den i portalen: {portal}\n\nRekrutteringsteamet\n"
        "\nSlik stopper du disse e-postene: {unsubscribe}\n",
        "<p>Kjære Astrid Berg,</p>\n<p>Søknaden din på <strong>Education Specialist</strong> "
        "(UNICEF) har nå status: <strong>under vurdering</strong>.</p>\n"
        '<p><a href="{portal}">Følg den i portalen</a></p>\n<p>Rekrutteringsteamet</p>\n'
        '<p style="font-size:small"><a href="{unsubscribe}">Stopp disse e-postene</a></p>\n',
    ),
}


@pytest.fixture
def shortlisted(organisation_x, candidate_a):
    """A shortlisted application of Astrid Berg and the email announcing it."""
    User.objects.filter(pk=candidate_a.pk).update(name="Astrid Berg")
    vacancy = make_vacancy(organisation=organisation_x, title="Education Specialist")
    application = make_application(
        candidate=candidate_a, vacancy=vacancy, status=ApplicationStatus.SHORTLISTED
    )
    message = make_outbox_message(
        kind=OutboxKind.EMAIL,
        event_type=APPLICATION_EVENT,
        recipient=candidate_a,
        payload={
            "application_id": application.pk,
            "from": "screening",
            "to": "shortlisted",
            "changed_at": "2030-01-02T10:00:00+00:00",
            "vacancy_id": vacancy.pk,
        },
    )
    return application, message


@pytest.mark.parametrize("language", ["en", "nb"])
def test_email_is_sent_once_in_the_users_language(mailoutbox, candidate_a, shortlisted, language):
    User.objects.filter(pk=candidate_a.pk).update(language=language)
    application, message = shortlisted

    deliver_outbox_message.fn(message.pk)
    deliver_outbox_message.fn(message.pk)

    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    event_id = str(message.event_id)
    one_click, unsubscribe = unsubscribe_links(email, candidate_a, APPLICATION_EVENT)
    assert email.extra_headers == {
        "Idempotency-Key": event_id,
        "X-Event-Id": event_id,
        "List-Unsubscribe": f"<{one_click}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    subject, text, html = EMAILS[language]
    portal = f"{PORTAL_URL}/applications/{application.pk}"
    assert (email.subject, email.to, email.from_email) == (
        subject, ["a@example.org"], "no-reply@recruitment.example",
    )  # fmt: skip
    assert email.body == text.format(portal=portal, unsubscribe=unsubscribe)
    assert [tuple(alternative) for alternative in email.alternatives] == [
        (html.format(portal=portal, unsubscribe=unsubscribe), "text/html")
    ]
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error, message.lease_until) == (
        "delivered", 1, "", None,
    )  # fmt: skip
    assert message.delivered_at is not None


def test_email_to_a_deactivated_user_goes_dead_without_sending(
    mailoutbox, candidate_a, shortlisted
):
    User.objects.filter(pk=candidate_a.pk).update(is_active=False)
    _, message = shortlisted

    deliver_outbox_message.fn(message.pk)

    assert mailoutbox == []
    assert state(message) == ("dead", 1, "no active recipient address", None)


def test_a_claimed_row_with_a_live_lease_is_skipped(mailoutbox, shortlisted):
    _, message = shortlisted
    lease = timezone.now() + timedelta(seconds=60)
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENDING, attempts=1, lease_until=lease
    )

    deliver_outbox_message.fn(message.pk)

    assert mailoutbox == []
    assert state(message) == ("sending", 1, "", lease)


def test_an_expired_lease_is_claimed_again_and_delivered(mailoutbox, shortlisted):
    """A worker died mid-delivery: after its lease the row is taken again (one more attempt)."""
    _, message = shortlisted
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENDING, attempts=1, lease_until=timezone.now() - timedelta(minutes=5)
    )

    deliver_outbox_message.fn(message.pk)

    assert len(mailoutbox) == 1
    assert state(message) == ("delivered", 2, "", None)


@pytest.mark.parametrize(
    ("status", "due_in"),
    [
        (OutboxStatus.PENDING, timedelta(minutes=5)),  # not due yet
        (OutboxStatus.DELIVERED, timedelta(minutes=-1)),
        (OutboxStatus.DEAD, timedelta(minutes=-1)),
    ],
)
def test_rows_not_due_or_finished_are_skipped(mailoutbox, candidate_a, shortlisted, status, due_in):
    _, template = shortlisted
    message = make_outbox_message(
        kind=OutboxKind.EMAIL,
        event_type=APPLICATION_EVENT,
        recipient=candidate_a,
        payload=template.payload,
        status=status,
        due_in=due_in,
        attempts=3,
    )

    deliver_outbox_message.fn(message.pk)

    assert mailoutbox == []
    assert state(message) == (status, 3, "", None)


PLACEMENT_EMAILS = {
    "en": (
        "Your assignment: deployed",
        "Dear Kari Nordmann,\n\nYour assignment with UNICEF in Juba is now: deployed.\n\n"
        "Follow it in the portal: {portal}\n\nThe recruitment team\n"
        "\nTo stop these emails: {unsubscribe}\n",
        "<p>Dear Kari Nordmann,</p>\n<p>Your assignment with UNICEF in Juba is now: "
        "<strong>deployed</strong>.</p>\n"
        '<p><a href="{portal}">Follow it in the portal</a></p>\n<p>The recruitment team</p>\n'
        '<p style="font-size:small"><a href="{unsubscribe}">Stop these emails</a></p>\n',
    ),
    # Norwegian status labels, not the internal "deployed"
    "nb": (
        "Oppdraget ditt: utplassert",
        "Kjære Kari Nordmann,\n\nOppdraget ditt hos UNICEF i Juba har nå status: utplassert."
        "\n\nFølg det i portalen: {portal}\n\nRekrutteringsteamet\n"
        "\nSlik stopper du disse e-postene: {unsubscribe}\n",
        "<p>Kjære Kari Nordmann,</p>\n<p>Oppdraget ditt hos UNICEF i Juba har nå status: "
        "<strong>utplassert</strong>.</p>\n"
        '<p><a href="{portal}">Følg det i portalen</a></p>\n<p>Rekrutteringsteamet</p>\n'
        '<p style="font-size:small"><a href="{unsubscribe}">Stopp disse e-postene</a></p>\n',
    ),
}


@pytest.mark.parametrize("language", ["en", "nb"])
def test_placement_email_names_the_organisation_and_duty_station(
    mailoutbox, organisation_x, language
):
    placed = make_user(role=Role.CANDIDATE, email="placed@example.org")
    User.objects.filter(pk=placed.pk).update(name="Kari Nordmann", language=language)
    placement = make_placement(
        candidate=placed,
        organisation=organisation_x,
        duty_station=make_duty_station(city="Juba", country="SS"),
    )
    message = make_outbox_message(
        kind=OutboxKind.EMAIL,
        event_type=PLACEMENT_EVENT,
        recipient=placed,
        payload={
            "placement_id": placement.pk,
            "from": "pre_departure",
            "to": "deployed",
            "changed_at": "2031-01-01T08:00:00+00:00",
            "duty_station_id": placement.duty_station_id,
        },
    )

    deliver_outbox_message.fn(message.pk)

    [email] = mailoutbox
    portal = f"{PORTAL_URL}/placements/{placement.pk}"
    one_click, unsubscribe = unsubscribe_links(email, placed, PLACEMENT_EVENT)
    subject, text, html = PLACEMENT_EMAILS[language]
    assert email.subject == subject
    assert email.extra_headers["List-Unsubscribe"] == f"<{one_click}>"
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert email.body == text.format(portal=portal, unsubscribe=unsubscribe)
    assert [tuple(alternative) for alternative in email.alternatives] == [
        (html.format(portal=portal, unsubscribe=unsubscribe), "text/html")
    ]
    assert state(message) == ("delivered", 1, "", None)


BURIED = "every attempt ended with its worker (killed or timed out)"


def test_a_row_whose_last_attempt_never_finished_goes_dead(receiver, subscription, settings):
    """The last attempt was claimed and its worker died (SIGKILL, or the actor's time limit):
    the lease ran out. No delivery claims it again; the relay makes it dead and enqueues
    nothing."""
    settings.OUTBOX_MAX_ATTEMPTS = 3
    message = webhook_message(
        subscription,
        status=OutboxStatus.SENDING,
        attempts=3,
        lease_until=timezone.now() - timedelta(minutes=5),
    )
    lease = message.lease_until

    deliver_outbox_message.fn(message.pk)
    after_delivery = state(message)
    relay_outbox.fn()

    assert receiver.received == []
    assert after_delivery == ("sending", 3, "", lease)
    assert state(message) == ("dead", 3, BURIED, None)
    assert queued() == []
    assert deliveries() == []


def test_burying_leaves_live_leases_and_attempts_left_alone(subscription, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    expired = timezone.now() - timedelta(minutes=5)
    live = timezone.now() + timedelta(minutes=5)
    abandoned = webhook_message(
        subscription, status=OutboxStatus.SENDING, attempts=3, lease_until=expired
    )
    last_attempt_in_flight = webhook_message(
        subscription, status=OutboxStatus.SENDING, attempts=3, lease_until=live
    )
    attempts_left = webhook_message(
        subscription, status=OutboxStatus.SENDING, attempts=2, lease_until=expired
    )
    failed_last = webhook_message(
        subscription, status=OutboxStatus.PENDING, attempts=3, last_error="HTTP 500"
    )

    buried = outbox_bury_abandoned()

    assert buried == 1
    assert state(abandoned) == ("dead", 3, BURIED, None)
    assert state(last_attempt_in_flight) == ("sending", 3, "", live)
    assert state(attempts_left) == ("sending", 2, "", expired)
    assert state(failed_last) == ("pending", 3, "HTTP 500", None)


# --- webhooks ----------------------------------------------------------------------------------


def test_webhook_is_signed_delivered_once_and_recorded(receiver, subscription):
    message = webhook_message(subscription)

    deliver_outbox_message.fn(message.pk)
    deliver_outbox_message.fn(message.pk)

    assert len(receiver.received) == 1
    received = receiver.received[0]
    event_id = str(message.event_id)
    assert (received.method, received.path, received.verified) == (
        "POST",
        "/hooks",
        {"current": True},
    )
    assert json.loads(received.body) == {
        "id": event_id,
        "type": APPLICATION_EVENT,
        "timestamp": message.created_at.isoformat(),
        "data": {"application_id": 7, "from": "screening", "to": "shortlisted", "vacancy_id": 3},
    }
    assert received.headers["webhook-id"] == event_id
    assert abs(int(received.headers["webhook-timestamp"]) - time.time()) < 30
    assert received.headers["webhook-signature"].startswith("v1,")
    assert " " not in received.headers["webhook-signature"]  # one secret, one signature
    assert received.headers["content-type"] == "application/json"
    assert received.headers["host"] == f"127.0.0.1:{receiver.server_port}"
    assert state(message) == ("delivered", 1, "", None)
    assert deliveries() == [(message.pk, 1, 204, "")]
    delivery = WebhookDelivery.objects.get()
    assert delivery.subscription_id == subscription.pk
    assert 0 <= delivery.latency_ms < 5000


def test_webhook_signed_with_another_secret_fails_the_verifier(receiver, subscription):
    """The receiver's check is real: a signature made with another secret is refused."""
    receiver.secrets = {"current": WEBHOOK_SECRET, "other": "whsec_" + "b3RoZXI=" * 4}
    message = webhook_message(subscription)

    deliver_outbox_message.fn(message.pk)

    assert [received.verified for received in receiver.received] == [
        {"current": True, "other": False}
    ]


@pytest.mark.parametrize(
    ("previous_attempts", "base_seconds"),
    [(0, 10), (1, 20), (2, 40), (4, 60)],  # 10 s doubling, capped at 60 s
)
def test_server_error_backs_off_exponentially_with_jitter(
    receiver, subscription, previous_attempts, base_seconds
):
    receiver.answers = [(500, {})]
    message = webhook_message(subscription, attempts=previous_attempts)

    before = database_clock()  # the backoff runs on the database's clock, as the claim
    deliver_outbox_message.fn(message.pk)
    after = database_clock()

    attempt = previous_attempts + 1
    assert state(message) == ("pending", attempt, "HTTP 500", None)
    assert (
        before + timedelta(seconds=base_seconds * 0.8)
        <= message.next_attempt_at
        <= after + timedelta(seconds=base_seconds * 1.2)
    )
    assert deliveries() == [(message.pk, attempt, 500, "HTTP 500")]


def test_after_the_last_attempt_the_row_is_dead(receiver, subscription, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    receiver.answers = [(500, {}), (502, {}), (503, {})]
    message = webhook_message(subscription)

    outcomes = []
    for _ in range(3):
        deliver_outbox_message.fn(message.pk)
        message.refresh_from_db()
        outcomes.append((message.status, message.attempts, message.last_error))
        # the backoff has passed
        OutboxMessage.objects.filter(pk=message.pk).update(
            next_attempt_at=timezone.now() - timedelta(minutes=1)
        )
    deliver_outbox_message.fn(message.pk)

    assert outcomes == [
        ("pending", 1, "HTTP 500"),
        ("pending", 2, "HTTP 502"),
        ("dead", 3, "HTTP 503"),
    ]
    assert len(receiver.received) == 3
    assert deliveries() == [
        (message.pk, 1, 500, "HTTP 500"),
        (message.pk, 2, 502, "HTTP 502"),
        (message.pk, 3, 503, "HTTP 503"),
    ]


def test_410_makes_the_row_dead_and_disables_the_subscription(receiver, subscription):
    receiver.answers = [(410, {})]
    message = webhook_message(subscription)
    later = webhook_message(subscription)

    deliver_outbox_message.fn(message.pk)
    deliver_outbox_message.fn(later.pk)

    assert state(message) == ("dead", 1, "410 Gone: subscription disabled", None)
    subscription.refresh_from_db()
    assert (subscription.is_active, subscription.disabled_reason) == (
        False, "the endpoint answered 410 Gone",
    )  # fmt: skip
    # the next event is not sent to a disabled endpoint
    assert len(receiver.received) == 1
    assert state(later) == ("dead", 1, "the subscription is gone or disabled", None)
    assert deliveries() == [(message.pk, 1, 410, "HTTP 410")]


def test_429_honours_retry_after_seconds(receiver, subscription):
    receiver.answers = [(429, {"Retry-After": "120"})]
    message = webhook_message(subscription)

    before = timezone.now()
    deliver_outbox_message.fn(message.pk)
    after = timezone.now()

    assert state(message) == ("pending", 1, "HTTP 429", None)
    assert (
        before + timedelta(seconds=120) <= message.next_attempt_at <= after + timedelta(seconds=120)
    )


def test_503_honours_retry_after_as_a_date(receiver, subscription):
    retry_at = (timezone.now() + timedelta(minutes=10)).replace(microsecond=0)
    receiver.answers = [(503, {"Retry-After": format_datetime(retry_at, usegmt=True)})]
    message = webhook_message(subscription)

    deliver_outbox_message.fn(message.pk)

    assert state(message) == ("pending", 1, "HTTP 503", None)
    assert message.next_attempt_at == retry_at


@pytest.mark.parametrize(
    "retry_after",
    [
        str(30 * 86400),  # 30 days in seconds
        format_datetime(timezone.now() + timedelta(days=30), usegmt=True),  # a date 30 days on
    ],
    ids=["seconds", "date"],
)
def test_retry_after_is_capped_at_one_day(receiver, subscription, retry_after):
    receiver.answers = [(503, {"Retry-After": retry_after})]
    message = webhook_message(subscription)

    before = timezone.now()
    deliver_outbox_message.fn(message.pk)
    after = timezone.now()

    assert state(message) == ("pending", 1, "HTTP 503", None)
    assert before + timedelta(days=1) <= message.next_attempt_at <= after + timedelta(days=1)


def test_a_redirect_is_not_followed_and_the_row_is_dead(receiver, subscription):
    receiver.answers = [(302, {"Location": "/elsewhere"})]
    message = webhook_message(subscription)

    deliver_outbox_message.fn(message.pk)

    assert [(received.method, received.path) for received in receiver.received] == [
        ("POST", "/hooks")
    ]
    assert state(message) == ("dead", 1, "HTTP 302 (redirects are not followed)", None)
    assert deliveries() == [(message.pk, 1, 302, "HTTP 302")]


def test_a_client_error_is_permanent(receiver, subscription):
    receiver.answers = [(400, {})]
    message = webhook_message(subscription)

    deliver_outbox_message.fn(message.pk)

    assert state(message) == ("dead", 1, "HTTP 400", None)
    assert deliveries() == [(message.pk, 1, 400, "HTTP 400")]


def test_loopback_url_is_refused_at_delivery_when_not_allowed(receiver, subscription, settings):
    settings.NETWORK_ALLOW_LOOPBACK = False
    message = webhook_message(subscription)

    deliver_outbox_message.fn(message.pk)

    refused = "The URL points to a private or reserved address."
    assert receiver.received == []
    assert state(message) == ("dead", 1, refused, None)
    assert deliveries() == [(message.pk, 1, None, refused)]


def test_a_name_that_now_resolves_to_a_private_address_is_refused_at_delivery(
    dns, recruiter, settings
):
    settings.NETWORK_ALLOW_LOOPBACK = False
    dns["hooks.partner.example"] = ["10.0.0.7"]  # public at registration, private now
    subscription = make_webhook_subscription(
        owner=recruiter, url="https://hooks.partner.example/hooks"
    )
    message = webhook_message(subscription)

    deliver_outbox_message.fn(message.pk)

    refused = "The URL points to a private or reserved address."
    assert state(message) == ("dead", 1, refused, None)
    assert deliveries() == [(message.pk, 1, None, refused)]


def test_a_timeout_is_retried(receiver, subscription, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.2
    receiver.delay = 1
    message = webhook_message(subscription)

    deliver_outbox_message.fn(message.pk)

    assert state(message) == ("pending", 1, "ReadTimeout", None)
    assert deliveries() == [(message.pk, 1, None, "ReadTimeout")]


def test_a_refused_connection_is_retried(settings, recruiter):
    settings.NETWORK_ALLOW_LOOPBACK = True
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    subscription = make_webhook_subscription(owner=recruiter, url=f"http://127.0.0.1:{port}/hooks")
    message = webhook_message(subscription)

    deliver_outbox_message.fn(message.pk)

    assert state(message) == ("pending", 1, "ConnectError", None)
    assert deliveries() == [(message.pk, 1, None, "ConnectError")]


def test_rotation_signs_with_both_secrets_for_24_hours_then_only_the_new(receiver, subscription):
    old_secret = subscription.secret
    before = timezone.now()
    webhook_secret_rotate(subscription=subscription)
    after = timezone.now()
    overlap_ends = subscription.previous_secret_expires_at
    receiver.secrets = {"old": old_secret, "new": subscription.secret}
    during = webhook_message(subscription)

    deliver_outbox_message.fn(during.pk)
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        previous_secret_expires_at=timezone.now() - timedelta(seconds=1)
    )
    after_expiry = webhook_message(subscription)
    deliver_outbox_message.fn(after_expiry.pk)

    subscription.refresh_from_db()
    assert subscription.secret.startswith("whsec_")
    assert subscription.secret != old_secret
    assert subscription.previous_secret == old_secret
    assert [received.verified for received in receiver.received] == [
        {"old": True, "new": True},
        {"old": False, "new": True},
    ]
    assert [len(r.headers["webhook-signature"].split()) for r in receiver.received] == [2, 1]
    assert state(during)[0] == state(after_expiry)[0] == "delivered"
    assert before + timedelta(hours=24) <= overlap_ends <= after + timedelta(hours=24)


# --- the relay ---------------------------------------------------------------------------------


def test_relay_enqueues_due_rows_and_expired_leases_only(subscription):
    now = timezone.now()
    due = webhook_message(subscription)
    retry_due = webhook_message(subscription, attempts=2, last_error="HTTP 500")
    expired = webhook_message(
        subscription,
        status=OutboxStatus.SENDING,
        attempts=1,
        lease_until=now - timedelta(minutes=5),
    )
    webhook_message(subscription, due_in=timedelta(minutes=5))  # backing off
    webhook_message(
        subscription,
        status=OutboxStatus.SENDING,
        attempts=1,
        lease_until=now + timedelta(minutes=1),
    )  # in flight
    webhook_message(subscription, status=OutboxStatus.DELIVERED, attempts=1, delivered_at=now)
    webhook_message(subscription, status=OutboxStatus.DEAD, attempts=8)

    relay_outbox.fn()

    assert [(name, sorted(ids)) for name, [ids] in queued()] == [
        (DELIVER_BATCH, sorted([due.pk, retry_due.pk, expired.pk]))
    ]


def test_relay_sends_batches_of_the_batch_size(settings, subscription):
    settings.OUTBOX_BATCH_SIZE = 2
    rows = [webhook_message(subscription, due_in=timedelta(seconds=-10 + i)) for i in range(5)]

    relay_outbox.fn()

    assert queued() == [
        (DELIVER_BATCH, [[rows[0].pk, rows[1].pk]]),
        (DELIVER_BATCH, [[rows[2].pk, rows[3].pk]]),
        (DELIVER_BATCH, [[rows[4].pk]]),
    ]


def test_a_batch_is_claimed_sent_and_marked_with_the_same_queries_as_one_message(
    receiver, subscription, django_assert_num_queries
):
    """The bookkeeping of a batch costs what one message costs: one claim, one load, one
    transaction writing the delivery log and marking the rows."""
    one = [webhook_message(subscription)]
    ten = [webhook_message(subscription) for _ in range(10)]

    # The claim, the load, then in one transaction (a savepoint inside the test's): the
    # delivery log and the marks.
    with django_assert_num_queries(6):
        deliver_outbox_messages.fn([m.pk for m in one])
    with django_assert_num_queries(6):
        deliver_outbox_messages.fn([m.pk for m in ten])

    assert sorted(json.loads(r.body)["id"] for r in receiver.received) == sorted(
        str(m.event_id) for m in one + ten
    )
    assert [state(m) for m in one + ten] == [("delivered", 1, "", None)] * 11
    assert sorted(deliveries()) == sorted((m.pk, 1, 204, "") for m in one + ten)


def test_one_failure_in_a_batch_retries_that_row_only(receiver, subscription):
    first, second, third = (webhook_message(subscription) for _ in range(3))
    receiver.answers = [(204, {}), (503, {}), (204, {})]

    deliver_outbox_messages.fn([first.pk, second.pk, third.pk])

    assert [state(m)[:3] for m in (first, second, third)] == [
        ("delivered", 1, ""), ("pending", 1, "HTTP 503"), ("delivered", 1, ""),
    ]  # fmt: skip
    assert deliveries() == [
        (first.pk, 1, 204, ""), (second.pk, 1, 503, "HTTP 503"), (third.pk, 1, 204, ""),
    ]  # fmt: skip


def test_a_batch_mixes_emails_and_webhooks(mailoutbox, receiver, subscription, shortlisted):
    _, email = shortlisted
    webhook = webhook_message(subscription)
    gone = webhook_message(make_webhook_subscription(owner=subscription.owner, is_active=False))

    outcomes = outbox_deliver_many([email.pk, webhook.pk, gone.pk, 999_999])

    assert outcomes == {email.pk: "delivered", webhook.pk: "delivered", gone.pk: "dead"}
    assert [m.to for m in mailoutbox] == [["a@example.org"]]
    assert [json.loads(r.body)["id"] for r in receiver.received] == [str(webhook.event_id)]
    assert [state(m) for m in (email, webhook, gone)] == [
        ("delivered", 1, "", None), ("delivered", 1, "", None),
        ("dead", 1, "the subscription is gone or disabled", None),
    ]  # fmt: skip


def test_a_batch_out_of_time_gives_its_unsent_rows_back_uncounted(settings, receiver, subscription):
    """A batch stops starting sends after a quarter of the lease: the rest are due again at
    once, with the attempt not counted, and no lease runs out while a row waits."""
    settings.OUTBOX_LEASE_SECONDS = 0
    rows = [webhook_message(subscription) for _ in range(3)]

    deliver_outbox_messages.fn([m.pk for m in rows])

    assert receiver.received == []
    assert [state(m) for m in rows] == [("pending", 0, "", None)] * 3
    assert outbox_due_ids() == [m.pk for m in rows]


def test_a_row_enqueued_twice_is_delivered_once(receiver, subscription):
    """The relay and the on-commit fast path may both enqueue a row; the claim lets one win."""
    message = webhook_message(subscription)
    deliver_outbox_message.send(message.pk)
    relay_outbox.fn()

    for data in list(broker.queues["notifications"].queue):
        queued_message = Message.decode(data)
        broker.get_actor(queued_message.actor_name).fn(*queued_message.args)

    assert queued() == [(DELIVER, [message.pk]), (DELIVER_BATCH, [[message.pk]])]
    assert len(receiver.received) == 1
    assert state(message) == ("delivered", 1, "", None)


# --- through the broker ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_committed_transition_is_delivered_by_a_worker(mailoutbox, receiver, settings):
    """Committed rows are due at once: the on-commit fast path delivers the email and a signed
    webhook through a real dramatiq worker (in-memory broker)."""
    organisation = make_organisation(slug="unicef")
    candidate = make_user(role=Role.CANDIDATE, email="a@example.org")
    recruiter = make_user(role=Role.RECRUITER, email="recruiter@agency.no")
    subscription = make_webhook_subscription(owner=recruiter, url=receiver.url)
    vacancy = make_vacancy(organisation=organisation)
    application = make_application(
        candidate=candidate, vacancy=vacancy, status=ApplicationStatus.SCREENING
    )

    application_transition(
        application_id=application.pk, to_status=ApplicationStatus.SHORTLISTED, actor=recruiter
    )
    worker = Worker(broker, worker_timeout=100, worker_threads=2)
    worker.start()
    try:
        broker.join("notifications", fail_fast=True, timeout=30_000)
        worker.join()
    finally:
        worker.stop()

    email_row = OutboxMessage.objects.get(kind=OutboxKind.EMAIL)
    webhook_row = OutboxMessage.objects.get(kind=OutboxKind.WEBHOOK, subscription=subscription)
    assert sorted(OutboxMessage.objects.values_list("status", "attempts")) == [
        ("delivered", 1),
        ("delivered", 1),
    ]
    assert [email.extra_headers["X-Event-Id"] for email in mailoutbox] == [str(email_row.event_id)]
    assert [(r.headers["webhook-id"], r.verified) for r in receiver.received] == [
        (str(webhook_row.event_id), {"current": True})
    ]
