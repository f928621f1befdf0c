"""Delivering one outbox message (email or signed webhook), and the claim/mark steps around it.

A delivery claims its row with a lease in a short transaction, sends outside any transaction,
then marks the row in another short transaction. A crash after sending and before marking
repeats one delivery: the event id is the idempotency key receivers dedupe on.
"""

import base64
import contextlib
import functools
import json
import logging
import random
import secrets
import smtplib
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

import httpx
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.db.models import DateTimeField, ExpressionWrapper
from django.db.models.functions import Now
from django.template.loader import render_to_string
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from recruitment.enums import STAGE_OF_STATUS, OutboxKind, OutboxStatus
from recruitment.models import Application, Placement, Vacancy
from workflows.models import OutboxMessage, WebhookDelivery, WebhookSubscription
from workflows.netguard import UnsafeURLError, resolve_public_url

logger = logging.getLogger(__name__)

SUBJECTS = {
    ("application.status_changed", "en"): "Your application: {label}",
    ("application.status_changed", "nb"): "Søknaden din: {label}",
    ("placement.status_changed", "en"): "Your assignment: {label}",
    ("placement.status_changed", "nb"): "Oppdraget ditt: {label}",
    ("vacancy.alert", "en"): "{label} new vacancies match your saved search",
    ("vacancy.alert", "nb"): "{label} nye stillinger passer til søket ditt",
    ("application.silence", "en"): "{label} applications have waited too long",
    ("application.silence", "nb"): "{label} søknader har ventet for lenge",
}
STAGE_LABELS = {
    "en": {"received": "received", "in_review": "in review", "interview": "interview",
           "offer": "offer", "closed": "closed"},
    "nb": {"received": "mottatt", "in_review": "under vurdering", "interview": "intervju",
           "offer": "tilbud", "closed": "avsluttet"},
}  # fmt: skip
PLACEMENT_LABELS = {
    "nb": {"planned": "planlagt", "funding_confirmed": "finansiering bekreftet",
           "contracted": "kontrakt signert", "pre_departure": "før avreise",
           "deployed": "utplassert", "extended": "forlenget", "suspended": "midlertidig stanset",
           "remote": "fjernarbeid", "evacuated": "evakuert", "completed": "fullført",
           "debriefed": "hjemkomstsamtale holdt", "terminated_early": "avsluttet før tiden"},
}  # fmt: skip
UNSUBSCRIBE_SALT = "notifications.unsubscribe"


class PermanentDeliveryError(Exception):
    """Retrying cannot help (bad address, a 4xx answer, a refused URL): the row goes dead."""


class TransientDeliveryError(Exception):
    """Worth retrying later; `retry_at` when the receiver said when (429 Retry-After)."""

    def __init__(self, message: str, retry_at: datetime | None = None) -> None:
        super().__init__(message)
        self.retry_at = retry_at


@dataclass(frozen=True)
class Claim:
    """A row this worker holds until its lease ends, at its `attempts`-th attempt."""

    message_id: int
    attempts: int


def outbox_claim_many(message_ids: list[int]) -> list[Claim]:
    """Take, in one statement, those of the rows that are due and that nobody holds a live
    lease on; the others are left to whoever holds them (or are already done)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE workflows_outboxmessage
               SET status = %s, lease_until = now() + %s * interval '1 second',
                   attempts = attempts + 1, updated_at = now()
             WHERE id = ANY(%s)
               AND ((status = %s AND next_attempt_at <= now())
                    OR (status = %s AND lease_until < now() AND attempts < %s))
            RETURNING id, attempts
            """,
            [OutboxStatus.SENDING, settings.OUTBOX_LEASE_SECONDS, list(message_ids),
             OutboxStatus.PENDING, OutboxStatus.SENDING, settings.OUTBOX_MAX_ATTEMPTS],
        )  # fmt: skip
        rows = cursor.fetchall()
    return sorted((Claim(message_id, attempts) for message_id, attempts in rows),
                  key=lambda claim: claim.message_id)  # fmt: skip


def _update_held(claims: list[Claim], assignments: str, params: list[object]) -> int:
    """Apply `assignments` to the claimed rows still held at the claimed attempt (a row whose
    lease expired and that another worker took meanwhile is not ours to mark)."""
    if not claims:
        return 0
    with connection.cursor() as cursor:
        # bandit B608, accepted 2026-11-28: `assignments` are this module's constants.
        sql = (
            "UPDATE workflows_outboxmessage AS m SET " + assignments  # nosec B608
            + " FROM unnest(%s::bigint[], %s::int[]) AS held(id, attempts)"
            " WHERE m.id = held.id AND m.attempts = held.attempts AND m.status = %s"
        )  # fmt: skip
        cursor.execute(
            sql,
            [*params, [c.message_id for c in claims], [c.attempts for c in claims],
             OutboxStatus.SENDING],
        )  # fmt: skip
        return cursor.rowcount


def outbox_mark_delivered(claims: list[Claim]) -> int:
    """Mark the rows delivered, in one statement."""
    return _update_held(
        claims,
        "status = %s, delivered_at = now(), lease_until = NULL, last_error = '', "
        "updated_at = now()",
        [OutboxStatus.DELIVERED],
    )


def outbox_release(claims: list[Claim]) -> int:
    """Give back rows claimed but not attempted (the batch ran out of time): due again at
    once, and the attempt not counted."""
    return _update_held(
        claims,
        "status = %s, attempts = m.attempts - 1, lease_until = NULL, updated_at = now()",
        [OutboxStatus.PENDING],
    )


def backoff_delay(attempts: int) -> timedelta:
    """Exponential backoff with ±20 % jitter, so retries of one outage do not arrive together."""
    base = settings.OUTBOX_BACKOFF_BASE_SECONDS * 2 ** (attempts - 1)
    capped = min(base, settings.OUTBOX_BACKOFF_MAX_SECONDS)
    return timedelta(seconds=capped * random.uniform(0.8, 1.2))  # jitter, not a secret


def outbox_mark_failed(
    claim: Claim, error: str, *, permanent: bool, retry_at: datetime | None = None
) -> str:
    """Schedule the next attempt, or make the row dead (permanent error or last attempt).
    Returns the new status."""
    dead = permanent or claim.attempts >= settings.OUTBOX_MAX_ATTEMPTS
    # Database time, as the claim compares with the database's now().
    next_attempt = retry_at or ExpressionWrapper(
        Now() + backoff_delay(claim.attempts), output_field=DateTimeField()
    )
    OutboxMessage.objects.filter(
        pk=claim.message_id, status=OutboxStatus.SENDING, attempts=claim.attempts
    ).update(
        status=OutboxStatus.DEAD if dead else OutboxStatus.PENDING,
        next_attempt_at=next_attempt,
        lease_until=None,
        last_error=error[:2000],
        updated_at=Now(),
    )
    return OutboxStatus.DEAD if dead else OutboxStatus.PENDING


def outbox_deliver(message_id: int) -> str:
    """Deliver one outbox message if it is due: claim, send, mark. Returns what happened:
    "skipped" (not due, held elsewhere, or done), "delivered", "pending" (retry) or "dead"."""
    return outbox_deliver_many([message_id]).get(message_id, "skipped")


def outbox_deliver_many(message_ids: list[int]) -> dict[int, str]:
    """Deliver a batch of outbox messages: one statement claims the due ones, one query loads
    them, each is sent outside any transaction, and one transaction writes the webhook
    delivery log and marks the delivered rows. Returns each claimed row's outcome ("delivered",
    "pending", "dead" or "released"); rows not claimed are absent.

    The bookkeeping of a batch costs about as much as that of one message, which is what lets
    delivery keep up with the broker. A batch stops starting sends after a quarter of the lease
    and gives the rest back, so no lease runs out while its row waits in the batch.
    """
    claims = outbox_claim_many(message_ids)
    if not claims:
        return {}
    messages = OutboxMessage.objects.select_related("recipient", "subscription").in_bulk(
        [claim.message_id for claim in claims]
    )
    budget_ends = time.monotonic() + settings.OUTBOX_LEASE_SECONDS / 4
    outcomes: dict[int, str] = {}
    delivered: list[Claim] = []
    unsent: list[Claim] = []
    log: list[WebhookDelivery] = []
    mail = _MailConnection()
    try:
        for claim in claims:
            if time.monotonic() > budget_ends:
                unsent.append(claim)
                continue
            message = messages[claim.message_id]
            try:
                if message.kind == OutboxKind.EMAIL:
                    _send_email(message, mail)
                else:
                    _send_webhook(message, claim, log)
            except PermanentDeliveryError as error:
                logger.warning("delivery failed for good", extra={"message_id": message.pk})
                outcomes[claim.message_id] = _failed(claim, str(error), log, permanent=True)
            except TransientDeliveryError as error:
                logger.info("delivery will be retried", extra={"message_id": message.pk})
                outcomes[claim.message_id] = _failed(
                    claim, str(error), log, permanent=False, retry_at=error.retry_at
                )
            except Exception as error:  # a bug or an unforeseen failure: counted, retried, dead
                logger.exception("delivery crashed", extra={"message_id": message.pk})
                outcomes[claim.message_id] = _failed(
                    claim, type(error).__name__, log, permanent=False
                )
            else:
                delivered.append(claim)
                outcomes[claim.message_id] = "delivered"
    finally:
        mail.close()
        with transaction.atomic():
            WebhookDelivery.objects.bulk_create(log)
            outbox_mark_delivered(delivered)
            outbox_release(unsent)
    outcomes.update(dict.fromkeys((claim.message_id for claim in unsent), "released"))
    return outcomes


def _failed(
    claim: Claim,
    error: str,
    log: list[WebhookDelivery],
    *,
    permanent: bool,
    retry_at: datetime | None = None,
) -> str:
    """A failed row is rare: write its log row now (a 410 may have disabled the subscription in
    the same breath) and schedule its retry, or make it dead."""
    with transaction.atomic():
        WebhookDelivery.objects.bulk_create(log)
        log.clear()
        return outbox_mark_failed(claim, error, permanent=permanent, retry_at=retry_at)


def outbox_bury_abandoned() -> int:
    """Make dead the rows whose every attempt died with its worker (killed, or over the actor's
    time limit): their lease expired at the last attempt, so nobody will claim them again."""
    return OutboxMessage.objects.filter(
        status=OutboxStatus.SENDING,
        lease_until__lt=Now(),
        attempts__gte=settings.OUTBOX_MAX_ATTEMPTS,
    ).update(
        status=OutboxStatus.DEAD,
        lease_until=None,
        last_error="every attempt ended with its worker (killed or timed out)",
        updated_at=Now(),
    )


def outbox_due_ids(limit: int = 1000) -> list[int]:
    """Rows a relay should (re-)enqueue: pending and due for OUTBOX_RELAY_GRACE_SECONDS, or
    sending with an expired lease (a crash between commit and enqueue, a lost broker message,
    a worker killed mid-send). The grace leaves fresh rows to their on-commit fast path."""
    due = ExpressionWrapper(
        Now() - timedelta(seconds=settings.OUTBOX_RELAY_GRACE_SECONDS),
        output_field=DateTimeField(),
    )
    return list(
        OutboxMessage.objects.filter(
            status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING], next_attempt_at__lte=due
        )
        .exclude(status=OutboxStatus.SENDING, lease_until__gte=Now())
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )


def outbox_redeliver(message: OutboxMessage) -> OutboxMessage:
    """Give a dead message a fresh set of attempts, now; its delivery is enqueued on commit."""
    from workflows.tasks import deliver_outbox_message  # the actors import this module

    with transaction.atomic():
        OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.DEAD).update(
            status=OutboxStatus.PENDING, attempts=0, next_attempt_at=Now(), last_error="",
            updated_at=Now(),
        )  # fmt: skip
        transaction.on_commit(lambda: deliver_outbox_message.send(message.pk), robust=True)
    message.refresh_from_db()
    return message


# --- email -------------------------------------------------------------------------------------


def unsubscribe_token(user_id: int, event_type: str) -> str:
    """A signed token that turns one event type's email off for one user (no login needed)."""
    return signing.dumps({"user": user_id, "event": event_type}, salt=UNSUBSCRIBE_SALT)


def email_context(message: OutboxMessage) -> dict[str, object]:
    """What the templates show, read from current data (the payload holds only ids)."""
    user = message.recipient
    language = user.language if user.language in STAGE_LABELS else "en"
    context: dict[str, object] = {"name": user.name or user.email, "language": language}
    payload = message.payload
    if "application_id" in payload:
        application = Application.objects.select_related("vacancy__organisation").get(
            pk=payload["application_id"]
        )
        stage = STAGE_OF_STATUS[payload["to"]]
        context.update(
            vacancy_title=application.vacancy.title,
            organisation=str(application.vacancy.organisation),
            stage_label=STAGE_LABELS[language][stage],
            label=STAGE_LABELS[language][stage],
            portal_url=f"{settings.PORTAL_URL}/applications/{application.pk}",
        )
    elif "vacancy_ids" in payload:
        vacancies = Vacancy.objects.filter(pk__in=payload["vacancy_ids"]).select_related(
            "organisation"
        )
        context.update(
            vacancies=[
                {"title": v.title, "organisation": str(v.organisation), "closes_at": v.closes_at,
                 "url": f"{settings.PORTAL_URL}/vacancies/{v.pk}"}
                for v in vacancies.order_by("closes_at", "id")
            ],
            label=str(len(payload["vacancy_ids"])),
        )  # fmt: skip
    elif "late" in payload:
        titles = dict(Vacancy.objects.filter(pk__in=payload["late"]).values_list("pk", "title"))
        context.update(
            late=[
                {"title": titles.get(int(vacancy_id), vacancy_id), "count": len(ids),
                 "url": f"{settings.PORTAL_URL}/vacancies/{vacancy_id}/applications"}
                for vacancy_id, ids in payload["late"].items()
            ],
            label=str(sum(len(ids) for ids in payload["late"].values())),
        )  # fmt: skip
    elif "placement_id" in payload:
        placement = Placement.objects.select_related("organisation", "duty_station").get(
            pk=payload["placement_id"]
        )
        label = PLACEMENT_LABELS.get(language, {}).get(
            payload["to"], payload["to"].replace("_", " ")
        )
        context.update(
            organisation=str(placement.organisation),
            duty_station=placement.duty_station.city,
            status_label=label,
            label=label,
            portal_url=f"{settings.PORTAL_URL}/placements/{placement.pk}",
        )
    return context


def unsubscribe_url(message: OutboxMessage) -> str:
    """The portal page that confirms turning this event type off (a link scanner's fetch
    changes nothing; the page POSTs)."""
    token = unsubscribe_token(message.recipient_id, message.event_type)
    return f"{settings.PORTAL_URL}/unsubscribe?token={token}"


def render_email(message: OutboxMessage) -> tuple[str, str, str]:
    """(subject, text, html) in the recipient's language, each with the unsubscribe link."""
    context = {**email_context(message), "unsubscribe_url": unsubscribe_url(message)}
    language = context["language"]
    name = f"emails/{message.event_type}.{language}"
    subject = SUBJECTS[(message.event_type, language)].format(label=context.get("label", ""))
    return (
        subject,
        render_to_string(f"{name}.txt", context),
        render_to_string(f"{name}.html", context),
    )


class _MailConnection:
    """One connection to the mail server for a whole batch, opened by its first email and
    opened afresh after an error (the server may have dropped it)."""

    def __init__(self) -> None:
        self._connection: BaseEmailBackend | None = None

    def get(self) -> BaseEmailBackend:
        if self._connection is None:
            self._connection = get_connection()
            self._connection.open()
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):  # closing a broken connection may fail too
                self._connection.close()
            self._connection = None


def _send_email(message: OutboxMessage, mail: _MailConnection) -> None:
    user = message.recipient
    if user is None or not user.email or not user.is_active:
        raise PermanentDeliveryError("no active recipient address")
    subject, text, html = render_email(message)
    one_click = (
        f"{settings.PUBLIC_API_URL}/api/v1/notifications/unsubscribe/"
        f"?token={unsubscribe_token(user.pk, message.event_type)}"
    )
    email = EmailMultiAlternatives(
        subject,
        text,
        to=[user.email],
        headers={
            # Providers that support it dedupe on this key: a repeated delivery sends once.
            "Idempotency-Key": str(message.event_id),
            "X-Event-Id": str(message.event_id),
            # RFC 8058 one-click: mail clients POST to this address.
            "List-Unsubscribe": f"<{one_click}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    email.attach_alternative(html, "text/html")
    try:
        email.connection = mail.get()
        email.send()
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as error:
        raise PermanentDeliveryError(f"address refused: {type(error).__name__}") from error
    except smtplib.SMTPResponseException as error:
        mail.close()
        if 500 <= error.smtp_code < 600:  # a permanent SMTP answer
            raise PermanentDeliveryError(f"SMTP {error.smtp_code}") from error
        raise TransientDeliveryError(f"SMTP {error.smtp_code}") from error
    except (OSError, TimeoutError) as error:  # network errors: try again later
        mail.close()
        raise TransientDeliveryError(f"email not sent: {type(error).__name__}") from error


# --- webhooks ----------------------------------------------------------------------------------


def new_webhook_secret() -> str:
    """A Standard Webhooks secret: whsec_ and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def webhook_body(message: OutboxMessage) -> str:
    return json.dumps(
        {
            "id": str(message.event_id),
            "type": message.event_type,
            "timestamp": message.created_at.isoformat(),
            "data": message.payload,
        },
        separators=(",", ":"),
    )


def webhook_headers(subscription: WebhookSubscription, message: OutboxMessage, body: str) -> dict:
    """Standard Webhooks headers; during a rotation both secrets sign (space-separated)."""
    now = timezone.now()
    secrets_in_force = [subscription.secret]
    if subscription.previous_secret and (subscription.previous_secret_expires_at or now) > now:
        secrets_in_force.append(subscription.previous_secret)
    msg_id = str(message.event_id)
    signatures = " ".join(Webhook(secret).sign(msg_id, now, body) for secret in secrets_in_force)
    return {
        "content-type": "application/json",
        "user-agent": "recruitment-tracker-webhooks/1.0",
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signatures,
    }


def _retry_after(value: str) -> datetime | None:
    if not value:
        return None
    if value.isdigit():
        return timezone.now() + timedelta(seconds=min(int(value), 86400))
    try:
        return min(parsedate_to_datetime(value), timezone.now() + timedelta(days=1))
    except (TypeError, ValueError):
        return None


@functools.lru_cache(maxsize=256)
def _webhook_client(host: str) -> httpx.Client:
    """A pooled client per receiving host: building one per delivery (its TLS context) costs
    more than the delivery, and pools are per host because connections go to the checked IP
    (one host's verified TLS connection must never carry another host's requests).
    httpx clients are safe to share between threads."""
    return httpx.Client(
        follow_redirects=False,
        limits=httpx.Limits(max_connections=50, max_keepalive_connections=10),
    )


def _send_webhook(message: OutboxMessage, claim: Claim, log: list[WebhookDelivery]) -> None:
    """POST the signed event; the attempt goes into `log` (written by the batch)."""
    subscription = message.subscription
    if subscription is None or not subscription.is_active:
        raise PermanentDeliveryError("the subscription is gone or disabled")
    body = webhook_body(message)
    started = time.monotonic()
    status_code, error = None, ""
    try:
        target = resolve_public_url(subscription.url)
        default_port = 443 if target.scheme == "https" else 80
        host = target.host if target.port == default_port else f"{target.host}:{target.port}"
        client = _webhook_client(target.host)
        request = client.build_request(
            "POST",
            target.pinned_url(),
            content=body.encode(),
            headers={**webhook_headers(subscription, message, body), "host": host},
            extensions={"sni_hostname": target.host},
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
        )
        response = client.send(request)
        status_code = response.status_code
    except UnsafeURLError as refused:
        error = refused.detail
        raise PermanentDeliveryError(error) from None
    except httpx.HTTPError as failure:
        error = f"{type(failure).__name__}"
        raise TransientDeliveryError(error) from None
    finally:
        attempt = WebhookDelivery(
            subscription=subscription,
            message=message,
            attempt=claim.attempts,
            status_code=status_code,
            latency_ms=round((time.monotonic() - started) * 1000),
            error=error,
        )
        log.append(attempt)
    if 200 <= status_code < 300:
        return
    attempt.error = f"HTTP {status_code}"
    if status_code == 410:  # the receiver says the endpoint is gone for good
        WebhookSubscription.objects.filter(pk=subscription.pk).update(
            is_active=False, disabled_reason="the endpoint answered 410 Gone"
        )
        raise PermanentDeliveryError("410 Gone: subscription disabled")
    if status_code == 429 or status_code >= 500:
        raise TransientDeliveryError(
            f"HTTP {status_code}", retry_at=_retry_after(response.headers.get("retry-after", ""))
        )
    if 300 <= status_code < 400:
        raise PermanentDeliveryError(f"HTTP {status_code} (redirects are not followed)")
    raise PermanentDeliveryError(f"HTTP {status_code}")
