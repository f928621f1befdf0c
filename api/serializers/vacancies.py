"""Vacancy representations and the partner's write shape."""

from django.utils import timezone
from django_countries.serializer_fields import CountryField
from rest_framework import serializers

from recruitment.enums import ContractType, FundingStatus, Grade
from recruitment.models import DutyStation, Organisation, Scheme, Vacancy, VacancySource

from .common import StrictModelSerializer


class DutyStationRefSerializer(serializers.ModelSerializer):
    country = CountryField()

    class Meta:
        model = DutyStation
        fields = ["id", "city", "country"]


class VacancySourceSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="feed.kind")

    class Meta:
        model = VacancySource
        fields = ["feed", "kind", "external_id", "url", "first_seen_at", "last_seen_at"]


class VacancySerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    scheme = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    duty_stations = DutyStationRefSerializer(many=True, read_only=True)
    sources = VacancySourceSerializer(many=True, read_only=True)

    class Meta:
        model = Vacancy
        fields = [
            "id", "title", "reference", "organisation", "scheme", "grade", "grade_raw",
            "category", "contract_type", "number_of_posts", "opens_at", "closes_at",
            "closes_at_raw", "closes_at_zone", "closes_at_status", "duty_stations", "status",
            "funding_status", "planned_start_date", "planned_end_date", "blind_review",
            "description", "sources", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class VacancyWriteSerializer(StrictModelSerializer):
    """What a partner or recruiter may set. Status, sources and (for partners) the organisation
    are server-set; `organisation` is accepted from recruiters and admins only."""

    organisation = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organisation.objects.all(),
        required=False,
        help_text="Recruiters and admins only; a partner's vacancies belong to its organisation.",
    )
    scheme = serializers.SlugRelatedField(
        slug_field="code", queryset=Scheme.objects.all(), required=False, allow_null=True
    )
    grade = serializers.ChoiceField(choices=Grade.choices, required=False, allow_null=True)
    contract_type = serializers.ChoiceField(
        choices=ContractType.choices, required=False, allow_null=True
    )
    duty_station_ids = serializers.PrimaryKeyRelatedField(
        queryset=DutyStation.objects.all(), many=True, required=False
    )
    description = serializers.CharField(max_length=100_000, allow_blank=True)
    funding_status = serializers.ChoiceField(
        choices=FundingStatus.choices,
        required=False,
        help_text="Recruiters and admins only: the donor's funding; offers need `confirmed`.",
    )
    closes_at = serializers.DateTimeField()

    server_set_fields = frozenset(
        {"id", "status", "sources", "closes_at_zone", "created_at", "updated_at"}
    )

    class Meta:
        model = Vacancy
        fields = [
            "title", "description", "closes_at", "organisation", "scheme", "reference", "grade",
            "grade_raw", "category", "contract_type", "number_of_posts", "opens_at",
            "duty_station_ids", "planned_start_date", "planned_end_date", "funding_status",
            "blind_review", "scorecard_template", "rule_set",
        ]  # fmt: skip
        extra_kwargs = {"number_of_posts": {"min_value": 1, "max_value": 1000}}

    def validate_closes_at(self, value):
        if value <= timezone.now() and (self.instance is None or value != self.instance.closes_at):
            raise serializers.ValidationError("The deadline must be in the future.")
        return value

    def validate(self, attrs):
        opens_at = attrs.get("opens_at", getattr(self.instance, "opens_at", None))
        closes_at = attrs.get("closes_at", getattr(self.instance, "closes_at", None))
        if opens_at and closes_at and opens_at >= closes_at:
            raise serializers.ValidationError({"opens_at": ["Must be before closes_at."]})
        # The deadline exactly as sent, offset included; the parsed value is stored beside it.
        if "closes_at" in attrs and isinstance(self.initial_data.get("closes_at"), str):
            attrs["closes_at_raw"] = self.initial_data["closes_at"]
        return attrs


class EligibilityCheckSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="e.g. `age`, `nationalities`, `languages:fr`.")
    passed = serializers.BooleanField()
    detail = serializers.CharField()


class EligibilitySerializer(serializers.Serializer):
    eligible = serializers.BooleanField()
    rule_set = serializers.IntegerField(
        allow_null=True, help_text="The version of the rule set used; null when none applies."
    )
    checks = EligibilityCheckSerializer(many=True)
