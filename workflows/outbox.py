"""Writing outbox rows. Always called inside the transaction of the change they announce."""

from django.contrib.auth.models import AbstractBaseUser

from recruitment.enums import OutboxKind
from workflows.models import OutboxMessage


def outbox_email_create(
    *, recipient: AbstractBaseUser, event_type: str, payload: dict[str, object]
) -> OutboxMessage:
    """Queue an email to one user about an event; delivery happens after commit.

    The payload holds ids and statuses only; the email is rendered from current data at delivery.
    """
    return OutboxMessage.objects.create(
        kind=OutboxKind.EMAIL, event_type=event_type, recipient=recipient, payload=payload
    )
