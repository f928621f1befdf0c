"""Applications as candidates, partners and recruiters see them, and transition requests."""

import orjson
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.json_rows import instant, json_object
from api.permissions import role_of
from recruitment.enums import STAGE_OF_STATUS, ApplicationStage, ApplicationStatus, Role
from recruitment.models import Application
from workflows.models import ApplicationStatusChange
from workflows.transitions import APPLICATION_TRANSITIONS, allowed_targets

from .common import StrictSerializer


def caller_role(context) -> str | None:
    """The role of the request in a serializer's context (None without one, or anonymous)."""
    request = context.get("request")
    return role_of(request) if request is not None else None


class ApplicationSerializer(serializers.ModelSerializer):
    """`status` is the internal stage, null for candidates, who see the coarse `stage`;
    `evaluation_score` is for recruiters and admins only."""

    vacancy_title = serializers.CharField(source="vacancy.title", read_only=True)
    organisation = serializers.SlugRelatedField(
        source="vacancy.organisation", slug_field="slug", read_only=True
    )
    stage = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    allowed_transitions = serializers.SerializerMethodField()
    evaluation_score = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id", "vacancy", "vacancy_title", "organisation", "candidate", "stage", "status",
            "status_changed_at", "allowed_transitions", "eligibility_snapshot",
            "evaluation_score", "version", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=ApplicationStage.choices))
    def get_stage(self, application):
        return STAGE_OF_STATUS[application.status]

    @extend_schema_field(
        serializers.ChoiceField(choices=ApplicationStatus.choices, allow_null=True)
    )
    def get_status(self, application):
        return None if caller_role(self.context) == Role.CANDIDATE else application.status

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_transitions(self, application):
        role = caller_role(self.context)
        return allowed_targets(APPLICATION_TRANSITIONS, application.status, role) if role else []

    @extend_schema_field(serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True))
    def get_evaluation_score(self, application):
        if caller_role(self.context) not in (Role.RECRUITER, Role.ADMIN):
            return None
        score = application.evaluation_score
        return None if score is None else f"{score:.2f}"


A = "recruitment_application"


def _by_status(sql_of: dict[str, str]) -> str:
    """`CASE status WHEN ... THEN ... END` over every application status."""
    cases = " ".join(f"WHEN '{status}' THEN {sql_of[status]}" for status in ApplicationStatus)
    return f"CASE {A}.status {cases} END"


def _application_body(role: str) -> str:
    """ApplicationSerializer's output for a caller of `role`, as one SQL expression over the
    application table (see api.json_rows): the role decides `status`, `allowed_transitions`
    and `evaluation_score`, as in the serializer."""
    transitions = {}
    for status in ApplicationStatus:
        targets = orjson.dumps(allowed_targets(APPLICATION_TRANSITIONS, status, role)).decode()
        transitions[status] = f"'{targets}'::json"
    # bandit B608, accepted 2026-11-28: table and column names of this module only.
    return json_object(
        id=f"{A}.id", vacancy=f"{A}.vacancy_id",
        vacancy_title=f"(SELECT title FROM recruitment_vacancy WHERE id = {A}.vacancy_id)",  # nosec B608
        organisation="(SELECT o.slug FROM recruitment_vacancy v JOIN recruitment_organisation o "
                     f"ON o.id = v.organisation_id WHERE v.id = {A}.vacancy_id)",  # nosec B608
        candidate=f"{A}.candidate_id",
        stage=_by_status({status: f"'{STAGE_OF_STATUS[status]}'" for status in ApplicationStatus}),
        status="NULL" if role == Role.CANDIDATE else f"{A}.status",
        status_changed_at=instant(f"{A}.status_changed_at"),
        allowed_transitions=_by_status(transitions),
        eligibility_snapshot=f"{A}.eligibility_snapshot",
        evaluation_score=f"{A}.evaluation_score::text" if role in (Role.RECRUITER, Role.ADMIN)
        else "NULL",
        version=f"{A}.version",
        created_at=instant(f"{A}.created_at"), updated_at=instant(f"{A}.updated_at"),
    )  # fmt: skip


# Per caller role, built once.
APPLICATION_BODIES = {role: _application_body(role) for role in Role}


class ApplicationCreateRequestSerializer(StrictSerializer):
    vacancy = serializers.IntegerField(min_value=1, help_text="The id of a published vacancy.")


class WithdrawRequestSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class TransitionRequestSerializer(StrictSerializer):
    to = serializers.CharField(max_length=30, help_text="The status to move to.")
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    reason_code = serializers.SlugField(
        max_length=50, required=False, allow_blank=True, default="",
        help_text="A structured reason, e.g. `experience_insufficient`, `eligibility_override`.",
    )  # fmt: skip


class ApplicationTransitionRequestSerializer(TransitionRequestSerializer):
    to = serializers.ChoiceField(choices=ApplicationStatus.choices)


class BulkTransitionRequestSerializer(ApplicationTransitionRequestSerializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, max_length=500
    )

    def validate_ids(self, value):
        return list(dict.fromkeys(value))  # each application once, in the order given


class BulkItemResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    result = serializers.ChoiceField(choices=["moved", "unchanged", "error"])
    status = serializers.CharField(allow_null=True)
    code = serializers.CharField(allow_blank=True)
    detail = serializers.CharField(allow_blank=True)


class BulkTransitionResponseSerializer(serializers.Serializer):
    results = BulkItemResultSerializer(many=True)


class StatusChangeSerializer(serializers.ModelSerializer):
    """One move; candidates see coarse stages and never who made the move."""

    from_status = serializers.SerializerMethodField()
    to_status = serializers.SerializerMethodField()
    actor = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationStatusChange
        fields = ["id", "from_status", "to_status", "actor", "reason", "reason_code", "created_at"]
        read_only_fields = fields

    def _shown(self, status):
        if caller_role(self.context) == Role.CANDIDATE and status:
            return STAGE_OF_STATUS.get(status, status)
        return status

    def get_from_status(self, change) -> str:
        return self._shown(change.from_status)

    def get_to_status(self, change) -> str:
        return self._shown(change.to_status)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_actor(self, change):
        return (
            change.actor_id if caller_role(self.context) in (Role.RECRUITER, Role.ADMIN) else None
        )

    def to_representation(self, change):
        data = super().to_representation(change)
        request = self.context.get("request")
        if caller_role(self.context) == Role.CANDIDATE and change.actor_id != request.user.pk:
            data["reason"] = data["reason_code"] = ""  # internal reasons stay internal
        return data
