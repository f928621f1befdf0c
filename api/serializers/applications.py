"""Applications as candidates, partners and recruiters see them."""

from rest_framework import serializers

from recruitment.models import Application

from .common import StrictSerializer


class ApplicationSerializer(serializers.ModelSerializer):
    vacancy_title = serializers.CharField(source="vacancy.title", read_only=True)
    organisation = serializers.SlugRelatedField(
        source="vacancy.organisation", slug_field="slug", read_only=True
    )

    class Meta:
        model = Application
        fields = [
            "id", "vacancy", "vacancy_title", "organisation", "candidate", "status",
            "status_changed_at", "version", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class ApplicationCreateRequestSerializer(StrictSerializer):
    vacancy = serializers.IntegerField(min_value=1, help_text="The id of a published vacancy.")


class WithdrawRequestSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
