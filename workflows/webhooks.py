"""Webhook subscriptions: registration (URL checked), secret rotation, the ping."""

from collections.abc import Iterable
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from recruitment.enums import OutboxKind
from recruitment.exceptions import DomainValidationError
from recruitment.models import Organisation
from recruitment.services import tombstone_record
from workflows.models import OutboxMessage, WebhookSubscription
from workflows.netguard import resolve_public_url
from workflows.notifications import new_webhook_secret
from workflows.outbox import WEBHOOK_EVENTS, enqueue_after_commit

ROTATION_OVERLAP = timedelta(hours=24)


def _check_event_types(event_types: Iterable[str]) -> list[str]:
    event_types = sorted(set(event_types))
    unknown = [name for name in event_types if name not in WEBHOOK_EVENTS]
    if unknown or not event_types:
        raise DomainValidationError(
            f"Event types must be some of: {', '.join(WEBHOOK_EVENTS)}.", code="invalid_event_type"
        )
    return event_types


def _ping(subscription: WebhookSubscription) -> None:
    message = OutboxMessage.objects.create(
        kind=OutboxKind.WEBHOOK,
        event_type="webhook.ping",
        subscription=subscription,
        payload={"subscription_id": subscription.pk},
    )
    enqueue_after_commit([message])


def webhook_subscription_create(
    *,
    owner: AbstractBaseUser,
    organisation: Organisation | None,
    url: str,
    event_types: Iterable[str],
) -> WebhookSubscription:
    """Register an endpoint (its URL must reach a public address) and send it a ping.
    The secret is in the returned object; callers show it once."""
    resolve_public_url(url)
    with transaction.atomic():
        subscription = WebhookSubscription.objects.create(
            owner=owner,
            organisation=organisation,
            url=url,
            event_types=_check_event_types(event_types),
            secret=new_webhook_secret(),
        )
        _ping(subscription)
    return subscription


def webhook_subscription_update(
    *, subscription: WebhookSubscription, data: dict[str, object]
) -> WebhookSubscription:
    """Change the URL (checked again), the event types, or re-enable a disabled endpoint."""
    fields = ["updated_at"]
    if "url" in data:
        resolve_public_url(str(data["url"]))
        subscription.url = data["url"]
        fields.append("url")
    if "event_types" in data:
        subscription.event_types = _check_event_types(data["event_types"])
        fields.append("event_types")
    if "is_active" in data:
        subscription.is_active = bool(data["is_active"])
        subscription.disabled_reason = "" if subscription.is_active else "disabled by its owner"
        fields += ["is_active", "disabled_reason"]
    # Only what the owner changed: a delivery may have just disabled it (410 Gone).
    subscription.save(update_fields=fields)
    return subscription


def webhook_secret_rotate(*, subscription: WebhookSubscription) -> WebhookSubscription:
    """A new secret; the old one keeps signing too for 24 hours, so receivers can switch."""
    subscription.previous_secret = subscription.secret
    subscription.previous_secret_expires_at = timezone.now() + ROTATION_OVERLAP
    subscription.secret = new_webhook_secret()
    subscription.save(
        update_fields=["secret", "previous_secret", "previous_secret_expires_at", "updated_at"]
    )
    return subscription


def webhook_subscription_delete(*, subscription: WebhookSubscription) -> None:
    """Delete a subscription (its pending messages and delivery log go with it) and leave its
    tombstone, in one transaction."""
    with transaction.atomic():
        tombstone_record(
            objects=[subscription],
            owner=subscription.owner,
            organisation=subscription.organisation,
        )
        subscription.delete()
