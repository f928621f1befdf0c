"""/api/v1/webhooks/: registration (secret shown once, a ping queued, URLs checked), scoping by
owner and organisation, delivery attempts, secret rotation and switching off."""

import base64
import io
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.utils import timezone
from oauth2_provider.models import get_application_model
from rest_framework.test import APIClient

from recruitment.enums import OutboxStatus, Role
from recruitment.models import Organisation
from tests.api.bodies import iso
from tests.conftest import client_for
from tests.factories import (
    WEBHOOK_SECRET,
    make_outbox_message,
    make_user,
    make_webhook_subscription,
)
from tests.queues import queued
from workflows.models import OutboxMessage, WebhookDelivery, WebhookSubscription

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_broker")]

WEBHOOKS_URL = "/api/v1/webhooks/"
# A public address written as an IP literal: registration checks it without any DNS lookup, and
# these tests never deliver to it.
PUBLIC_URL = "https://93.184.215.14/recruitment-hooks"
EVENTS = ["application.status_changed", "vacancy.closed"]


def detail_url(subscription) -> str:
    return f"{WEBHOOKS_URL}{subscription.pk}/"


def body_of(subscription, *, organisation=None) -> dict:
    """The representation of `subscription` as stored now (never with its secret)."""
    subscription.refresh_from_db()
    return {
        "id": subscription.pk,
        "url": subscription.url,
        "event_types": subscription.event_types,
        "organisation": organisation,
        "is_active": subscription.is_active,
        "disabled_reason": subscription.disabled_reason,
        "previous_secret_expires_at": iso(subscription.previous_secret_expires_at),
        "created_at": iso(subscription.created_at),
        "updated_at": iso(subscription.updated_at),
    }


def listed_ids(response) -> list[int]:
    body = response.json()
    assert (response.status_code, body["next"], body["previous"]) == (200, None, None)
    return [item["id"] for item in body["results"]]


def secret_is_standard(secret: str) -> bool:
    """`whsec_` and 32 random bytes in base64, as the Standard Webhooks libraries expect."""
    return secret.startswith("whsec_") and len(base64.b64decode(secret[6:])) == 32


def oauth_client(*args) -> tuple[APIClient, object]:
    """An API client (OAuth2 client credentials, read and write) and its user."""
    out = io.StringIO()
    call_command("create_api_client", *args, "--scopes", "read write", stdout=out)
    printed = dict(line.split(": ", 1) for line in out.getvalue().splitlines())
    basic = base64.b64encode(f"{printed['client_id']}:{printed['client_secret']}".encode())
    token = APIClient().post(
        "/api/v1/auth/oauth/token/",
        data=urlencode({"grant_type": "client_credentials", "scope": "read write"}),
        content_type="application/x-www-form-urlencoded",
        HTTP_AUTHORIZATION=f"Basic {basic.decode()}",
    )
    assert token.status_code == 200, token.content
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.json()['access_token']}")
    user = get_application_model().objects.get(client_id=printed["client_id"]).user
    return client, user


# --- registration --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("caller", "organisation"),
    [("partner_x", "unicef"), ("recruiter", None), ("admin_user", None)],
)
def test_create_returns_the_secret_once_and_queues_a_ping(
    request, django_capture_on_commit_callbacks, caller, organisation
):
    user = request.getfixturevalue(caller)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(user).post(
            WEBHOOKS_URL, {"url": PUBLIC_URL, "event_types": ["vacancy.closed", *EVENTS]}
        )

    assert response.status_code == 201, response.json()
    subscription = WebhookSubscription.objects.get()
    body = response.json()
    assert body == {
        **body_of(subscription, organisation=organisation),
        "secret": subscription.secret,
    }
    assert body["event_types"] == ["application.status_changed", "vacancy.closed"]  # deduplicated
    assert secret_is_standard(body["secret"])
    assert (subscription.owner, subscription.organisation) == (
        user, Organisation.objects.filter(slug=organisation).first(),
    )  # fmt: skip
    ping = OutboxMessage.objects.get()
    assert (ping.kind, ping.event_type, ping.subscription, ping.payload, ping.status) == (
        "webhook", "webhook.ping", subscription, {"subscription_id": subscription.pk}, "pending",
    )  # fmt: skip
    assert queued() == [("workflows.deliver_outbox_message", [ping.pk])]

    detail = client_for(user).get(detail_url(subscription))
    listing = client_for(user).get(WEBHOOKS_URL)

    assert (detail.status_code, detail.json()) == (
        200,
        body_of(subscription, organisation=organisation),
    )
    assert listing.json()["results"] == [body_of(subscription, organisation=organisation)]


@pytest.mark.parametrize(
    ("role", "organisation"), [(Role.RECRUITER, None), (Role.PARTNER, "unicef")]
)
def test_an_api_client_registers_a_subscription(organisation_x, role, organisation):
    args = ["--name", "Acme ATS", "--role", role]
    if organisation:
        args += ["--organisation", organisation]
    client, user = oauth_client(*args)

    response = client.post(WEBHOOKS_URL, {"url": PUBLIC_URL, "event_types": EVENTS})

    assert response.status_code == 201, response.json()
    subscription = WebhookSubscription.objects.get()
    assert response.json() == {
        **body_of(subscription, organisation=organisation),
        "secret": subscription.secret,
    }
    assert subscription.owner == user
    assert OutboxMessage.objects.filter(subscription=subscription).count() == 1


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hooks",  # loopback
        "http://[::1]/hooks",  # loopback, IPv6
        "http://10.1.2.3/hooks",  # private
        "http://192.168.0.10/hooks",  # private
        "http://169.254.169.254/latest/meta-data/",  # link-local: cloud metadata
        "http://[::ffff:127.0.0.1]/hooks",  # loopback mapped into IPv6
        "http://100.64.0.1/hooks",  # carrier-grade NAT
    ],
)
def test_create_to_a_private_address_is_400_unsafe_url(recruiter, url):
    response = client_for(recruiter).post(WEBHOOKS_URL, {"url": url, "event_types": EVENTS})

    assert (response.status_code, response.json()) == (
        400,
        {"code": "unsafe_url", "detail": "The URL points to a private or reserved address."},
    )
    assert WebhookSubscription.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


@pytest.mark.parametrize("answers", [["10.0.0.7"], ["93.184.215.14", "169.254.169.254"]])
def test_create_to_a_name_resolving_to_a_private_address_is_400(dns, recruiter, answers):
    dns["hooks.partner.example"] = answers

    response = client_for(recruiter).post(
        WEBHOOKS_URL, {"url": "https://hooks.partner.example/x", "event_types": EVENTS}
    )

    assert (response.status_code, response.json()) == (
        400,
        {"code": "unsafe_url", "detail": "The URL points to a private or reserved address."},
    )
    assert WebhookSubscription.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_create_with_credentials_in_the_url_is_400(recruiter):
    response = client_for(recruiter).post(
        WEBHOOKS_URL, {"url": "https://user:pw@93.184.215.14/hooks", "event_types": EVENTS}
    )

    assert (response.status_code, response.json()) == (
        400,
        {"code": "unsafe_url", "detail": "URLs must not carry credentials."},
    )


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        (
            {"url": PUBLIC_URL, "event_types": ["application.deleted"]},
            {"event_types": {"0": ['"application.deleted" is not a valid choice.']}},
        ),
        (
            {"url": PUBLIC_URL, "event_types": []},
            {"event_types": ["Ensure this field has at least 1 elements."]},
        ),
        ({"url": "not a url", "event_types": EVENTS}, {"url": ["Enter a valid URL."]}),
        (
            {"url": PUBLIC_URL, "event_types": EVENTS, "secret": "whsec_mine"},
            {"secret": ["This field is read-only."]},
        ),
        ({"event_types": EVENTS}, {"url": ["This field is required."]}),
    ],
)
def test_create_invalid_body_is_400(recruiter, body, fields):
    response = client_for(recruiter).post(WEBHOOKS_URL, body)

    assert (response.status_code, response.json()) == (
        400,
        {
            "code": "validation_error",
            "detail": "The request is not valid; see `fields`.",
            "fields": fields,
        },
    )
    assert WebhookSubscription.objects.count() == 0


def test_candidates_may_not_use_webhooks(candidate_a, recruiter):
    subscription = make_webhook_subscription(owner=recruiter)
    client = client_for(candidate_a)

    responses = [
        client.get(WEBHOOKS_URL),
        client.get(detail_url(subscription)),
        client.post(WEBHOOKS_URL, {"url": PUBLIC_URL, "event_types": EVENTS}),
        client.post(f"{detail_url(subscription)}rotate-secret/"),
    ]

    assert [(r.status_code, r.json()["code"]) for r in responses] == [
        (403, "permission_denied")
    ] * 4
    assert WebhookSubscription.objects.count() == 1


def test_anonymous_is_401(anonymous):
    response = anonymous.get(WEBHOOKS_URL)

    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")


# --- scoping -------------------------------------------------------------------------------------


@pytest.fixture
def two_partners(organisation_x, organisation_y, partner_x, partner_y, recruiter, admin_user):
    """A subscription of each partner organisation (one by a second member of X), a recruiter's
    and another recruiter's."""
    colleague = make_user(role=Role.PARTNER, email="px2@unicef.org", organisation=organisation_x)
    other_recruiter = make_user(role=Role.RECRUITER, email="other@agency.no")
    return {
        "x": make_webhook_subscription(owner=partner_x, organisation=organisation_x),
        "x_colleague": make_webhook_subscription(owner=colleague, organisation=organisation_x),
        "y": make_webhook_subscription(owner=partner_y, organisation=organisation_y),
        "recruiter": make_webhook_subscription(owner=recruiter),
        "other_recruiter": make_webhook_subscription(owner=other_recruiter),
    }


@pytest.mark.parametrize(
    ("caller", "visible"),
    [
        ("partner_x", ["x_colleague", "x"]),
        ("partner_y", ["y"]),
        ("recruiter", ["recruiter"]),
        ("admin_user", ["other_recruiter", "recruiter", "y", "x_colleague", "x"]),
    ],
)
def test_list_shows_only_the_callers_subscriptions(request, two_partners, caller, visible):
    response = client_for(request.getfixturevalue(caller)).get(WEBHOOKS_URL)

    assert listed_ids(response) == [two_partners[name].pk for name in visible]


def test_a_partner_cannot_reach_another_organisations_subscription(partner_x, two_partners):
    theirs = two_partners["y"]
    client = client_for(partner_x)

    responses = [
        client.get(detail_url(theirs)),
        client.post(f"{detail_url(theirs)}rotate-secret/"),
        client.get(f"{detail_url(theirs)}deliveries/"),
        client.patch(detail_url(theirs), {"is_active": False}),
        client.delete(detail_url(theirs)),
    ]

    assert [(r.status_code, r.json()["code"]) for r in responses] == [(404, "not_found")] * 5
    theirs.refresh_from_db()
    assert (theirs.secret, theirs.previous_secret, theirs.is_active) == (WEBHOOK_SECRET, "", True)


def test_a_recruiter_cannot_reach_another_recruiters_subscription(recruiter, two_partners):
    response = client_for(recruiter).get(detail_url(two_partners["other_recruiter"]))

    assert response.status_code == 404


def test_a_partner_deletes_its_organisations_subscription(partner_x, two_partners):
    response = client_for(partner_x).delete(detail_url(two_partners["x_colleague"]))

    assert response.status_code == 204
    assert sorted(WebhookSubscription.objects.values_list("pk", flat=True)) == sorted(
        two_partners[name].pk for name in ("x", "y", "recruiter", "other_recruiter")
    )


# --- deliveries ----------------------------------------------------------------------------------


def test_deliveries_lists_every_attempt_newest_first(partner_x, organisation_x, two_partners):
    subscription = two_partners["x"]
    message = make_outbox_message(subscription=subscription, event_type="vacancy.closed")
    attempts = [
        WebhookDelivery.objects.create(
            subscription=subscription, message=message, attempt=1, status_code=None,
            latency_ms=10_000, error="ReadTimeout",
        ),
        # a non-2xx answer is recorded with its status code as the error
        WebhookDelivery.objects.create(
            subscription=subscription, message=message, attempt=2, status_code=503,
            latency_ms=120, error="HTTP 503",
        ),
        WebhookDelivery.objects.create(
            subscription=subscription, message=message, attempt=3, status_code=204, latency_ms=35,
        ),
    ]  # fmt: skip
    other = make_outbox_message(subscription=two_partners["y"])
    WebhookDelivery.objects.create(
        subscription=two_partners["y"], message=other, attempt=1, status_code=200, latency_ms=5
    )

    response = client_for(partner_x).get(f"{detail_url(subscription)}deliveries/")

    assert response.status_code == 200
    assert response.json() == {
        "next": None,
        "previous": None,
        "results": [
            {
                "id": delivery.pk,
                "event_id": str(message.event_id),
                "event_type": "vacancy.closed",
                "attempt": delivery.attempt,
                "status_code": delivery.status_code,
                "latency_ms": delivery.latency_ms,
                "error": delivery.error,
                "created_at": iso(delivery.created_at),
            }
            for delivery in reversed(attempts)
        ],
    }


# --- rotation and updates -----------------------------------------------------------------------


def test_rotate_secret_returns_a_new_secret_and_keeps_the_old_for_24_hours(partner_x, two_partners):
    subscription = two_partners["x"]

    before = timezone.now()
    response = client_for(partner_x).post(f"{detail_url(subscription)}rotate-secret/")
    after = timezone.now()

    assert response.status_code == 200
    subscription.refresh_from_db()
    body = response.json()
    assert body == {**body_of(subscription, organisation="unicef"), "secret": subscription.secret}
    assert secret_is_standard(body["secret"])
    assert body["secret"] != WEBHOOK_SECRET
    assert subscription.previous_secret == WEBHOOK_SECRET
    assert (
        before + timedelta(hours=24)
        <= subscription.previous_secret_expires_at
        <= after + timedelta(hours=24)
    )
    # the detail never shows a secret again
    detail = client_for(partner_x).get(detail_url(subscription)).json()
    assert "secret" not in detail
    assert detail["previous_secret_expires_at"] == iso(subscription.previous_secret_expires_at)


def test_patch_switches_a_subscription_off_and_on(recruiter, two_partners):
    subscription = two_partners["recruiter"]
    client = client_for(recruiter)

    off = client.patch(detail_url(subscription), {"is_active": False})
    off_body = body_of(subscription)
    on = client.patch(detail_url(subscription), {"is_active": True})

    assert (off.status_code, off.json()) == (200, off_body)
    assert (off_body["is_active"], off_body["disabled_reason"]) == (False, "disabled by its owner")
    assert (on.status_code, on.json()) == (200, body_of(subscription))
    assert (subscription.is_active, subscription.disabled_reason) == (True, "")


def test_patch_re_enables_a_subscription_disabled_by_a_410(recruiter):
    subscription = make_webhook_subscription(
        owner=recruiter, is_active=False, disabled_reason="the endpoint answered 410 Gone"
    )

    response = client_for(recruiter).patch(detail_url(subscription), {"is_active": True})

    assert (response.status_code, response.json()) == (200, body_of(subscription))
    assert (subscription.is_active, subscription.disabled_reason) == (True, "")


def test_patch_event_types_and_url(recruiter, two_partners):
    subscription = two_partners["recruiter"]

    response = client_for(recruiter).patch(
        detail_url(subscription),
        {"url": "https://93.184.215.15/v2", "event_types": ["vacancy.published"]},
    )

    assert (response.status_code, response.json()) == (200, body_of(subscription))
    assert (subscription.url, subscription.event_types) == (
        "https://93.184.215.15/v2", ["vacancy.published"],
    )  # fmt: skip


def test_patch_to_a_private_url_is_400_and_changes_nothing(recruiter, two_partners):
    subscription = two_partners["recruiter"]

    response = client_for(recruiter).patch(
        detail_url(subscription), {"url": "http://10.0.0.8/hooks"}
    )

    assert (response.status_code, response.json()["code"]) == (400, "unsafe_url")
    subscription.refresh_from_db()
    assert subscription.url == "https://hooks.example.org/recruitment"


def test_patch_cannot_set_the_secret(recruiter, two_partners):
    subscription = two_partners["recruiter"]

    response = client_for(recruiter).patch(detail_url(subscription), {"secret": "whsec_mine"})

    assert (response.status_code, response.json()["fields"]) == (
        400, {"secret": ["This field is read-only."]},
    )  # fmt: skip
    subscription.refresh_from_db()
    assert subscription.secret == WEBHOOK_SECRET


def test_a_dead_ping_stays_visible_to_staff(recruiter, two_partners):
    """The outbox row of a ping that failed for good is listed as dead (and redeliverable)."""
    ping = make_outbox_message(
        subscription=two_partners["recruiter"], status=OutboxStatus.DEAD, attempts=8
    )

    response = client_for(recruiter).get("/api/v1/outbox-messages/", {"status": "dead"})

    assert [item["id"] for item in response.json()["results"]] == [ping.pk]
