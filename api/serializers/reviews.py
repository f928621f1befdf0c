"""Scorecards, reviewers, evaluations, the review queue and internal notes (staff only)."""

from rest_framework import serializers

from recruitment.enums import ApplicationStatus, CriterionKind, DegreeLevel, Gender
from recruitment.models import Evaluation, Note, ReviewerAssignment, ScorecardTemplate, User
from recruitment.reviews import (
    CRITERION_KEY_MAX_LENGTH,
    CRITERION_KEY_RE,
    CRITERION_LABEL_MAX_LENGTH,
    NAME_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    SCORE_MAX,
    SCORE_MIN,
)

from .common import StrictModelSerializer, StrictSerializer

SCORE = {"max_digits": 6, "decimal_places": 2}


class ScorecardCriterionSerializer(StrictSerializer):
    """One weighted criterion of a scorecard."""

    key = serializers.RegexField(
        CRITERION_KEY_RE,
        max_length=CRITERION_KEY_MAX_LENGTH,
        help_text="Unique within the template: lower-case letters, digits, `-` and `_`.",
    )
    label = serializers.CharField(max_length=CRITERION_LABEL_MAX_LENGTH)
    weight = serializers.IntegerField(
        min_value=1, help_text="Relative weight; weights need not sum to 100."
    )
    kind = serializers.ChoiceField(choices=CriterionKind.choices)


class ScorecardTemplateSerializer(StrictModelSerializer):
    """Weighted criteria scored 1-5; a total is sum(weight * score) / sum(weight * 5) * 100."""

    criteria = ScorecardCriterionSerializer(many=True, allow_empty=False, max_length=50)

    class Meta:
        model = ScorecardTemplate
        fields = ["id", "name", "criteria", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {"name": {"max_length": NAME_MAX_LENGTH}}


class ReviewerAssignmentSerializer(serializers.ModelSerializer):
    reviewer_name = serializers.CharField(source="reviewer.name", read_only=True)
    reviewer_email = serializers.EmailField(source="reviewer.email", read_only=True)

    class Meta:
        model = ReviewerAssignment
        fields = ["id", "vacancy", "reviewer", "reviewer_name", "reviewer_email", "created_at"]
        read_only_fields = fields


class ReviewerAssignmentRequestSerializer(StrictSerializer):
    """Whom to assign as a reviewer of the vacancy."""

    server_set_fields = frozenset({"id", "vacancy", "reviewer_name", "reviewer_email"})

    reviewer = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        help_text="The id of an active recruiter or admin.",
    )


class EvaluationSerializer(serializers.ModelSerializer):
    scores = serializers.DictField(
        child=serializers.IntegerField(), help_text="Criterion key to score (1-5)."
    )
    total = serializers.DecimalField(**SCORE, read_only=True, help_text="Weighted total, 0-100.")

    class Meta:
        model = Evaluation
        fields = [
            "id", "application", "reviewer", "scores", "total", "comment", "created_at",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class EvaluationRequestSerializer(StrictSerializer):
    """The caller's scores for every criterion, and an optional comment."""

    server_set_fields = frozenset(
        {"id", "application", "reviewer", "total", "created_at", "updated_at"}
    )

    scores = serializers.DictField(
        child=serializers.IntegerField(min_value=SCORE_MIN, max_value=SCORE_MAX),
        allow_empty=False,
        help_text="Every criterion key of the vacancy's scorecard template, each scored 1-5.",
    )
    comment = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class EvaluationSummarySerializer(serializers.Serializer):
    """Every reviewer's evaluation of one application and their mean."""

    application = serializers.IntegerField()
    evaluation_score = serializers.DecimalField(
        **SCORE, allow_null=True, help_text="Mean of the totals; null before any evaluation."
    )
    evaluation_count = serializers.IntegerField()
    evaluations = EvaluationSerializer(many=True)


class CandidateSummarySerializer(serializers.Serializer):
    """A candidate as reviewers see them; in blind review `name`, `citizenships`, `age` and
    `gender` are null."""

    id = serializers.IntegerField()
    name = serializers.CharField(allow_null=True)
    citizenships = serializers.ListField(
        child=serializers.CharField(), allow_null=True, help_text="ISO 3166-1 alpha-2 codes."
    )
    age = serializers.IntegerField(allow_null=True, help_text="Full years today.")
    gender = serializers.ChoiceField(choices=Gender.choices, allow_null=True, allow_blank=True)
    education_levels = serializers.ListField(
        child=serializers.ChoiceField(choices=DegreeLevel.choices)
    )
    years_of_experience = serializers.DecimalField(
        max_digits=4, decimal_places=1, help_text="Overlapping jobs count once."
    )


class ReviewQueueItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The application's id.")
    status = serializers.ChoiceField(choices=ApplicationStatus.choices)
    created_at = serializers.DateTimeField()
    candidate = CandidateSummarySerializer()


class NoteSerializer(StrictModelSerializer):
    """An internal note; exactly one of `application` and `candidate` is set."""

    class Meta:
        model = Note
        fields = ["id", "application", "candidate", "author", "body", "created_at", "updated_at"]
        read_only_fields = [
            "id", "application", "candidate", "author", "created_at", "updated_at",
        ]  # fmt: skip
        extra_kwargs = {"body": {"max_length": NOTE_MAX_LENGTH}}
