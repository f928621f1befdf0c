"""Webhook subscriptions and deliveries, candidates' notifications, the outbox for staff."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from recruitment.enums import STAGE_OF_STATUS
from workflows.models import OutboxMessage, WebhookDelivery, WebhookSubscription
from workflows.outbox import EMAIL_EVENTS, WEBHOOK_EVENTS

from .common import StrictModelSerializer, StrictSerializer


class WebhookSubscriptionSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = WebhookSubscription
        fields = [
            "id", "url", "event_types", "organisation", "is_active", "disabled_reason",
            "previous_secret_expires_at", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class WebhookSubscriptionCreatedSerializer(WebhookSubscriptionSerializer):
    secret = serializers.CharField(
        help_text="The signing secret (Standard Webhooks `whsec_...`); shown this once only."
    )

    class Meta(WebhookSubscriptionSerializer.Meta):
        fields = [*WebhookSubscriptionSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class WebhookSubscriptionWriteSerializer(StrictModelSerializer):
    url = serializers.URLField(max_length=500)
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=list(WEBHOOK_EVENTS)), min_length=1, max_length=20
    )

    server_set_fields = frozenset({"id", "secret", "organisation", "disabled_reason"})

    class Meta:
        model = WebhookSubscription
        fields = ["url", "event_types", "is_active"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    event_id = serializers.UUIDField(source="message.event_id")
    event_type = serializers.CharField(source="message.event_type")

    class Meta:
        model = WebhookDelivery
        fields = [
            "id", "event_id", "event_type", "attempt", "status_code", "latency_ms", "error",
            "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class NotificationSerializer(serializers.ModelSerializer):
    """An email sent (or to be sent) to the caller; statuses shown as the candidate's stages."""

    id = serializers.UUIDField(source="event_id")
    summary = serializers.SerializerMethodField()

    class Meta:
        model = OutboxMessage
        fields = ["id", "event_type", "status", "summary", "created_at", "delivered_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.DictField())
    def get_summary(self, message):
        payload = message.payload
        if "application_id" in payload:
            return {
                "application_id": payload["application_id"],
                "stage": STAGE_OF_STATUS.get(payload.get("to"), None),
            }
        return {key: value for key, value in payload.items() if key.endswith("_id")} | (
            {"to": payload["to"]} if "to" in payload else {}
        )


class PreferencesSerializer(StrictSerializer):
    """Email on or off per event type."""

    def get_fields(self):
        # A dotted name would be read as a path ("vacancy" then "alert"): give a flat source.
        return {
            event: serializers.BooleanField(required=False, source=event.replace(".", "__"))
            for event in EMAIL_EVENTS
        }


class UnsubscribeResponseSerializer(serializers.Serializer):
    event_type = serializers.CharField()
    email = serializers.BooleanField()


class OutboxMessageSerializer(serializers.ModelSerializer):
    class Meta:
        model = OutboxMessage
        fields = [
            "id", "event_id", "kind", "event_type", "recipient", "subscription", "payload",
            "status", "attempts", "next_attempt_at", "last_error", "delivered_at", "created_at",
        ]  # fmt: skip
        read_only_fields = fields
