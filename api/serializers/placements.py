"""Placements, their checklist, renewals and crisis moves."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from recruitment.enums import PlacementStatus, Role
from recruitment.models import DutyStation, Placement, PlacementChecklistItem, PlacementRenewal
from workflows.models import PlacementStatusChange
from workflows.transitions import PLACEMENT_TRANSITIONS, allowed_targets

from .applications import TransitionRequestSerializer, caller_role
from .common import StrictSerializer
from .vacancies import DutyStationRefSerializer


class ChecklistItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlacementChecklistItem
        fields = ["id", "kind", "due_date", "completed_at", "completed_by"]
        read_only_fields = fields


class PlacementSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    scheme = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    duty_station = DutyStationRefSerializer(read_only=True)
    checklist = ChecklistItemSerializer(many=True, read_only=True)
    allowed_transitions = serializers.SerializerMethodField()

    class Meta:
        model = Placement
        fields = [
            "id", "application", "organisation", "duty_station", "scheme", "start_date",
            "end_date", "modality", "contract_type", "status", "status_changed_at",
            "allowed_transitions", "checklist", "version", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_transitions(self, placement):
        role = caller_role(self.context)
        return allowed_targets(PLACEMENT_TRANSITIONS, placement.status, role) if role else []


class PlacementTransitionRequestSerializer(TransitionRequestSerializer):
    to = serializers.ChoiceField(choices=PlacementStatus.choices)


class ChecklistItemUpdateSerializer(StrictSerializer):
    completed = serializers.BooleanField()


class RenewalRequestSerializer(StrictSerializer):
    end_date = serializers.DateField()
    duty_station = serializers.PrimaryKeyRelatedField(
        queryset=DutyStation.objects.all(), required=False, allow_null=True,
        help_text="The duty station of the new term (a JPO's third year is elsewhere).",
    )  # fmt: skip
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class RenewalSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlacementRenewal
        fields = [
            "id", "previous_end_date", "new_end_date", "previous_duty_station", "duty_station",
            "reason", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class PlacementStatusChangeSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = PlacementStatusChange
        fields = ["id", "from_status", "to_status", "actor", "reason", "reason_code", "created_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_actor(self, change):
        return (
            change.actor_id if caller_role(self.context) in (Role.RECRUITER, Role.ADMIN) else None
        )

    def to_representation(self, change):
        data = super().to_representation(change)
        if caller_role(self.context) not in (Role.RECRUITER, Role.ADMIN):
            data["reason"] = data["reason_code"] = ""  # the agency's internal reasons
        return data


class CrisisRequestSerializer(StrictSerializer):
    to = serializers.ChoiceField(
        choices=[PlacementStatus.REMOTE, PlacementStatus.SUSPENDED, PlacementStatus.EVACUATED]
    )
    reason = serializers.CharField(max_length=2000)


class CrisisResponseSerializer(serializers.Serializer):
    moved = serializers.ListField(child=serializers.IntegerField())
    unchanged = serializers.ListField(child=serializers.IntegerField())
