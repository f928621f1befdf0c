"""The candidate's privacy resources: consents, the access log, erasure and the export."""

from rest_framework import serializers

from recruitment.enums import ConsentPurpose
from recruitment.models import AccessLogEntry, ConsentRecord, Organisation

from .common import StrictSerializer


class ConsentSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True,
        help_text="The partner organisation's slug (sharing consents); null for the talent pool.",
    )  # fmt: skip
    in_force = serializers.SerializerMethodField()

    class Meta:
        model = ConsentRecord
        fields = [
            "id", "purpose", "organisation", "granted_at", "expires_at", "withdrawn_at",
            "in_force",
        ]  # fmt: skip
        read_only_fields = fields

    def get_in_force(self, consent) -> bool:
        now = self.context["now"]
        return consent.withdrawn_at is None and (
            consent.expires_at is None or consent.expires_at > now
        )


class ConsentRequestSerializer(StrictSerializer):
    purpose = serializers.ChoiceField(choices=ConsentPurpose.choices)
    organisation = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organisation.objects.all(), required=False, allow_null=True,
        help_text="The partner organisation's slug (sharing consents only).",
    )  # fmt: skip
    expires_at = serializers.DateTimeField(
        required=False, allow_null=True,
        help_text="Talent pool: default and longest TALENT_POOL_CONSENT_DAYS from now.",
    )  # fmt: skip


class AccessLogEntrySerializer(serializers.ModelSerializer):
    viewer_organisation = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True,
        help_text="The reader's partner organisation; null for the agency's own staff.",
    )  # fmt: skip

    class Meta:
        model = AccessLogEntry
        fields = [
            "id", "resource", "resource_id", "viewer_role", "viewer_organisation",
            "accessed_at",
        ]  # fmt: skip
        read_only_fields = fields


class ErasureSerializer(serializers.Serializer):
    candidate = serializers.IntegerField()
    erased_at = serializers.DateTimeField()
    notified_organisations = serializers.ListField(child=serializers.SlugField())


class ExportSerializer(serializers.Serializer):
    exported_at = serializers.DateTimeField()
    data = serializers.DictField(
        child=serializers.ListField(child=serializers.DictField()),
        help_text='Per model ("app.model"), every row about you with every field but secrets; '
        "documents carry `content_base64`.",
    )


class LegalHoldSerializer(StrictSerializer):
    legal_hold = serializers.BooleanField()
