"""Writing outbox rows. Always called inside the transaction of the change they announce, so
the change and its notifications commit together; delivery is enqueued only after commit."""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q

from recruitment.enums import OutboxKind, Role
from recruitment.models import NotificationPreference
from workflows.models import OutboxMessage, WebhookSubscription

# Event types a person may get by email, and whether they do when they have not said.
EMAIL_EVENTS = {
    "application.status_changed": True,
    "placement.status_changed": True,
    "vacancy.alert": True,
    "application.silence": True,
}
WEBHOOK_EVENTS = (
    "application.status_changed",
    "placement.status_changed",
    "vacancy.published",
    "vacancy.closed",
    "feed.run_failed",
    "webhook.ping",
    "candidate.erased",
)


def enqueue_after_commit(messages: Iterable[OutboxMessage]) -> None:
    from workflows.tasks import deliver_outbox_message  # the actors import this module

    # robust: a broker outage must not fail a request whose change already committed; the
    # relay enqueues the row later, so nothing is lost.
    for message in messages:
        transaction.on_commit(lambda pk=message.pk: deliver_outbox_message.send(pk), robust=True)


def alerts_after_commit(vacancy_ids: list[int]) -> None:
    """Match the newly published vacancies against instant saved searches, after commit."""
    from workflows.tasks import alert_saved_searches  # the actors import this module

    for start in range(0, len(vacancy_ids), 1000):
        chunk = vacancy_ids[start : start + 1000]
        transaction.on_commit(lambda chunk=chunk: alert_saved_searches.send(chunk), robust=True)


def email_wanted(user: AbstractBaseUser, event_type: str) -> bool:
    """The user's choice for this event type, else its default."""
    choice = (
        NotificationPreference.objects.filter(user=user, event_type=event_type)
        .values_list("email", flat=True)
        .first()
    )
    return EMAIL_EVENTS.get(event_type, False) if choice is None else choice


def outbox_email_create(
    *, recipient: AbstractBaseUser, event_type: str, payload: dict[str, object]
) -> OutboxMessage | None:
    """Queue an email to one user about an event, unless they turned that event off.

    The payload holds ids and statuses only; the email is rendered from current data, in the
    recipient's language, at delivery. Returns None when the user does not want it.
    """
    if not email_wanted(recipient, event_type):
        return None
    message = OutboxMessage.objects.create(
        kind=OutboxKind.EMAIL, event_type=event_type, recipient=recipient, payload=payload
    )
    enqueue_after_commit([message])
    return message


def outbox_webhooks_create(
    *,
    event_type: str,
    payload: dict[str, object],
    organisation_id: int | None,
    partners_may_see: bool = True,
) -> list[OutboxMessage]:
    """Queue the event for every active subscription to it that may see it: those of
    recruiters, admins and recruiter API clients always; a partner organisation's only for its
    own organisation's resources (`organisation_id`) and when `partners_may_see`."""
    audience = Q(owner__role__in=[Role.RECRUITER, Role.ADMIN])
    if partners_may_see and organisation_id is not None:
        audience |= Q(owner__role=Role.PARTNER, organisation_id=organisation_id)
    subscriptions = WebhookSubscription.objects.filter(
        audience, is_active=True, event_types__contains=[event_type]
    ).values_list("pk", flat=True)
    messages = OutboxMessage.objects.bulk_create(
        OutboxMessage(
            kind=OutboxKind.WEBHOOK,
            event_type=event_type,
            subscription_id=subscription_id,
            payload=payload,
        )
        for subscription_id in subscriptions
    )
    enqueue_after_commit(messages)
    return messages
