"""Append-only status histories and the outbox of messages to deliver."""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models.functions import Now

from recruitment.enums import (
    ExportKind,
    ExportStatus,
    FeedRunStatus,
    OutboxKind,
    OutboxStatus,
)
from recruitment.models import Application, Feed, Organisation, Placement, Vacancy


class StatusChange(models.Model):
    """Abstract audit row: who moved what from which status to which, when and why."""

    from_status = models.CharField(max_length=20, blank=True)  # blank for the first status
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)
    reason_code = models.CharField(max_length=50, blank=True)
    forced = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"


class ApplicationStatusChange(StatusChange):
    """One move in an application's life (append-only)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="status_changes"
    )


class VacancyStatusChange(StatusChange):
    """One move in a vacancy's life (append-only)."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="status_changes")


class PlacementStatusChange(StatusChange):
    """One move in a placement's life (append-only)."""

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="status_changes"
    )


class OutboxMessage(models.Model):
    """A notification written in the same transaction as its cause, delivered after commit."""

    kind = models.CharField(max_length=10, choices=OutboxKind.choices)
    event_type = models.CharField(max_length=60)
    # Receivers dedupe on this id; it is also the provider idempotency key.
    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    subscription = models.ForeignKey(
        "workflows.WebhookSubscription",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="messages",
    )
    payload = models.JSONField(default=dict)  # ids and statuses only, never personal data
    status = models.CharField(
        max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_default=Now())  # the database's clock, as the claim
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=OutboxStatus.values), name="outbox_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=OutboxKind.values), name="outbox_kind_valid"
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status__in=["pending", "sending"]),
                name="outbox_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.event_type} {self.event_id}"


class FeedRun(models.Model):
    """One sync of a feed: when, how it ended, what it counted, and why items were rejected."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(
        max_length=20, choices=FeedRunStatus.choices, default=FeedRunStatus.RUNNING
    )
    trigger = models.CharField(max_length=20, default="schedule")  # schedule, api, command
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    missing = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    # [{"id": ..., "reasons": [{"code", "message", "field"}]}], capped; `rejected` is the count.
    rejected_items = models.JSONField(default=list, blank=True)
    error_code = models.CharField(max_length=50, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=FeedRunStatus.values), name="feed_run_status_valid"
            )
        ]

    def __str__(self) -> str:
        return f"run {self.pk} of feed {self.feed_id}: {self.status}"

    def counts(self) -> dict[str, int]:
        """The run's counts, as `sync_feed` prints them."""
        return {
            name: getattr(self, name)
            for name in ("created", "updated", "unchanged", "missing", "closed", "rejected")
        }


class WebhookSubscription(models.Model):
    """An endpoint that receives signed events (Standard Webhooks), owned by a partner
    organisation's member, a recruiter or an API client."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhook_subscriptions"
    )
    # A partner's subscription receives only its organisation's events.
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    url = models.URLField(max_length=500)
    event_types = ArrayField(models.CharField(max_length=60))
    secret = models.CharField(max_length=100)
    # After a rotation the old secret also signs for 24 hours, so receivers can switch over.
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [GinIndex(fields=["event_types"], name="webhook_event_types")]

    def __str__(self) -> str:
        return f"webhook {self.pk}"


class WebhookDelivery(models.Model):
    """One attempt to deliver one event to one subscription: status code, latency, error."""

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="deliveries")
    attempt = models.PositiveIntegerField()
    status_code = models.PositiveIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"delivery {self.pk} of {self.message_id}"


class ExportJob(models.Model):
    """A CSV export run in the background: its criteria, progress and file (private storage)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs"
    )
    kind = models.CharField(max_length=20, choices=ExportKind.choices)
    # The list filters' cleaned values (ids, ISO-8601), applied again when the job runs.
    criteria = models.JSONField(default=dict, blank=True)
    # Decided when the job was created, from the owner's role then.
    include_personal = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    rows_written = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ExportStatus.values), name="export_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=ExportKind.values), name="export_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} export {self.pk}: {self.status}"

    @property
    def progress(self) -> int:
        """Percent of the rows written (100 once succeeded)."""
        if self.status == ExportStatus.SUCCEEDED:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_written * 100 // self.rows_total)
