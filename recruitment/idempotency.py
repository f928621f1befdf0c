"""Stored first results of POSTs sent with an `Idempotency-Key` (IETF draft, Stripe semantics)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Q

from recruitment.models import IdempotencyKey


@dataclass(frozen=True)
class Claim:
    """The outcome of claiming a key: `owned` means this request runs; otherwise `stored` is the
    row another request claimed (in progress while its response_status is None)."""

    owned: bool
    stored: IdempotencyKey | None


def idempotency_key_claim(*, caller: str, key: str, fingerprint: str, now: datetime) -> Claim:
    """Claim (caller, key) for this request, atomically: of concurrent requests exactly one owns
    it. An expired row is dropped first, so a key may be reused after its lifetime, and so is
    a claim whose request never finished (its process died) within IDEMPOTENCY_ABANDONED_SECONDS.
    """
    abandoned = now - timedelta(seconds=settings.IDEMPOTENCY_ABANDONED_SECONDS)
    IdempotencyKey.objects.filter(
        Q(expires_at__lte=now) | Q(response_status__isnull=True, created_at__lt=abandoned),
        caller=caller,
        key=key,
    ).delete()
    expires_at = now + timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS)
    with connection.cursor() as cursor:
        # One statement: the unique (caller, key) index decides which concurrent request wins.
        cursor.execute(
            "INSERT INTO recruitment_idempotencykey (caller, key, fingerprint, response_headers,"
            " response_body,"
            " created_at, expires_at) VALUES (%s, %s, %s, '{}', '', %s, %s)"
            " ON CONFLICT (caller, key) DO NOTHING RETURNING id",
            [caller, key, fingerprint, now, expires_at],
        )
        if cursor.fetchone() is not None:
            return Claim(owned=True, stored=None)
    return Claim(owned=False, stored=IdempotencyKey.objects.filter(caller=caller, key=key).first())


def idempotency_key_complete(
    *, caller: str, key: str, status: int, headers: dict[str, str], body: bytes
) -> None:
    """Store the response of the request that owns the key, for replays."""
    IdempotencyKey.objects.filter(caller=caller, key=key).update(
        response_status=status, response_headers=headers, response_body=body
    )


def idempotency_key_release(*, caller: str, key: str) -> None:
    """Forget a claim whose request failed in a way worth retrying (5xx, 429, 401)."""
    IdempotencyKey.objects.filter(caller=caller, key=key, response_status__isnull=True).delete()


def idempotency_keys_purge(*, now: datetime) -> int:
    """Delete expired keys; returns how many."""
    return IdempotencyKey.objects.filter(expires_at__lte=now).delete()[0]
