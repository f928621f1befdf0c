"""Feeds and their runs."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from recruitment.enums import FeedKind
from recruitment.models import Feed, Organisation
from workflows.models import FeedRun

from .common import StrictModelSerializer


class FeedHealthSerializer(serializers.Serializer):
    last_success_at = serializers.DateTimeField(allow_null=True)
    last_error = serializers.CharField()
    consecutive_failures = serializers.IntegerField()


class FeedSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="The organisation whose vacancies the feed carries; null for an aggregated "
        "feed whose items name their own organisation.",
    )
    health = serializers.SerializerMethodField()

    class Meta:
        model = Feed
        fields = [
            "id", "kind", "url", "name", "organisation", "interval_minutes", "enabled",
            "health", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(FeedHealthSerializer)
    def get_health(self, feed):
        return FeedHealthSerializer(feed).data


class FeedWriteSerializer(StrictModelSerializer):
    """A partner's feeds carry its organisation's vacancies; recruiters and admins may name an
    organisation, or none for an aggregated feed."""

    kind = serializers.ChoiceField(choices=FeedKind.choices)
    url = serializers.URLField(max_length=500)
    organisation = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    interval_minutes = serializers.IntegerField(min_value=5, max_value=10080, default=60)

    server_set_fields = frozenset({"id", "health", "created_at", "updated_at"})

    class Meta:
        model = Feed
        fields = ["kind", "url", "name", "organisation", "interval_minutes", "enabled"]


class FeedRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = FeedRun
        fields = [
            "id", "feed", "status", "trigger", "started_at", "finished_at", "created", "updated",
            "unchanged", "missing", "closed", "rejected", "rejected_items", "error_code", "error",
        ]  # fmt: skip
        read_only_fields = fields


class FeedSyncResponseSerializer(serializers.Serializer):
    run_id = serializers.IntegerField()
    status = serializers.CharField()
