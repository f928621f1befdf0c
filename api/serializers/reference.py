"""Organisations, duty stations and schemes: reference data everyone reads."""

from django.utils import timezone
from django_countries.serializer_fields import CountryField
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from recruitment.enums import FamilyStatus, HardshipClass
from recruitment.models import DutyStation, Organisation, Scheme

from .common import StrictModelSerializer


class OrganisationSerializer(StrictModelSerializer):
    parent = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organisation.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Organisation
        fields = [
            "id", "slug", "name", "acronym", "kind", "parent", "needs_review", "created_at",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = ["id", "created_at", "updated_at"]


class ClassificationSerializer(serializers.Serializer):
    hardship = serializers.ChoiceField(choices=HardshipClass.choices)
    family_status = serializers.ChoiceField(choices=FamilyStatus.choices)
    effective_from = serializers.DateField()


class DutyStationSerializer(StrictModelSerializer):
    country = CountryField()
    classification = serializers.SerializerMethodField(
        help_text="The ICSC classification in force today, if any."
    )

    class Meta:
        model = DutyStation
        fields = ["id", "city", "country", "classification", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]

    def validate(self, attrs):
        city = attrs.get("city", getattr(self.instance, "city", ""))
        country = attrs.get("country", getattr(self.instance, "country", ""))
        others = DutyStation.objects.filter(city__iexact=city, country=country)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise serializers.ValidationError(
                {"city": ["This duty station exists already (names ignore case)."]}
            )
        return attrs

    @extend_schema_field(ClassificationSerializer(allow_null=True))
    def get_classification(self, station):
        today = timezone.localdate()
        # classifications are prefetched newest first
        current = next(
            (c for c in station.classifications.all() if c.effective_from <= today), None
        )
        return ClassificationSerializer(current).data if current else None


class SchemeSerializer(StrictModelSerializer):
    class Meta:
        model = Scheme
        fields = [
            "id", "code", "name", "description", "employer_of_record", "max_duration_months",
            "allows_recruiter_override", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["id", "created_at", "updated_at"]
