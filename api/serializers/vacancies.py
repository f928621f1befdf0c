"""Vacancy representations and the partner's write shape."""

from datetime import UTC, datetime

from django.utils import timezone
from django_countries.serializer_fields import CountryField
from rest_framework import serializers

from api.json_rows import instant, json_list, json_object
from recruitment.enums import ContractType, FundingStatus, Grade, Modality
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
            "funding_status", "planned_start_date", "planned_end_date", "modality", "skills",
            "required_languages", "blind_review", "description", "sources", "created_at",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


V = "recruitment_vacancy"

# VacancySerializer's output as one SQL expression over the vacancy table: a page of vacancies
# with their duty stations and sources is one statement (see api.json_rows).
VACANCY_BODY = json_object(
    id=f"{V}.id", title=f"{V}.title", reference=f"{V}.reference",
    # bandit B608, accepted 2026-11-28: table and column names of this module only.
    organisation=f"(SELECT slug FROM recruitment_organisation WHERE id = {V}.organisation_id)",  # nosec B608
    scheme=f"(SELECT code FROM recruitment_scheme WHERE id = {V}.scheme_id)",  # nosec B608
    grade=f"{V}.grade", grade_raw=f"{V}.grade_raw", category=f"{V}.category",
    contract_type=f"{V}.contract_type", number_of_posts=f"{V}.number_of_posts",
    opens_at=instant(f"{V}.opens_at"), closes_at=instant(f"{V}.closes_at"),
    closes_at_raw=f"{V}.closes_at_raw", closes_at_zone=f"{V}.closes_at_zone",
    closes_at_status=f"{V}.closes_at_status",
    duty_stations=json_list(
        "FROM recruitment_vacancy_duty_stations l JOIN recruitment_dutystation d "
        f"ON d.id = l.dutystation_id WHERE l.vacancy_id = {V}.id", "d.id",
        id="d.id", city="d.city", country="d.country",
    ),
    status=f"{V}.status", funding_status=f"{V}.funding_status",
    planned_start_date=f"{V}.planned_start_date", planned_end_date=f"{V}.planned_end_date",
    modality=f"{V}.modality", skills=f"{V}.skills",
    required_languages=f"{V}.required_languages", blind_review=f"{V}.blind_review",
    description=f"{V}.description",
    sources=json_list(
        "FROM recruitment_vacancysource s JOIN recruitment_feed f ON f.id = s.feed_id "
        f"WHERE s.vacancy_id = {V}.id", "s.id",
        feed="s.feed_id", kind="f.kind", external_id="s.external_id", url="s.url",
        first_seen_at=instant("s.first_seen_at"), last_seen_at=instant("s.last_seen_at"),
    ),
    created_at=instant(f"{V}.created_at"), updated_at=instant(f"{V}.updated_at"),
)  # fmt: skip


def _instant(value: datetime | None) -> str | None:
    """As DRF's DateTimeField renders it: ISO-8601 in UTC with a `Z`."""
    if value is None:
        return None
    text = value.astimezone(UTC).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _day(value) -> str | None:
    return None if value is None else value.isoformat()


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
    modality = serializers.ChoiceField(choices=Modality.choices, required=False)
    skills = serializers.ListField(
        child=serializers.CharField(max_length=60), max_length=30, required=False,
        help_text="Skill keywords; the shortlist scores candidates' overlap (lower-cased).",
    )  # fmt: skip
    required_languages = serializers.ListField(
        child=serializers.RegexField(r"^[a-z]{2,3}$"), max_length=10, required=False,
        help_text="ISO 639-1 codes, lower case.",
    )  # fmt: skip

    server_set_fields = frozenset(
        {"id", "status", "sources", "closes_at_zone", "created_at", "updated_at"}
    )

    class Meta:
        model = Vacancy
        fields = [
            "title", "description", "closes_at", "organisation", "scheme", "reference", "grade",
            "grade_raw", "category", "contract_type", "number_of_posts", "opens_at",
            "duty_station_ids", "planned_start_date", "planned_end_date", "funding_status",
            "blind_review", "scorecard_template", "rule_set", "modality", "skills",
            "required_languages",
        ]  # fmt: skip
        extra_kwargs = {"number_of_posts": {"min_value": 1, "max_value": 1000}}

    def validate_closes_at(self, value):
        if value <= timezone.now() and (self.instance is None or value != self.instance.closes_at):
            raise serializers.ValidationError("The deadline must be in the future.")
        return value

    def validate_skills(self, value):
        return sorted({skill.strip().lower() for skill in value if skill.strip()})

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


class ShortlistRequestSerializer(serializers.Serializer):
    limit = serializers.IntegerField(
        min_value=1, max_value=200, default=50, help_text="How many applicants (1-200)."
    )


class MatchComponentSerializer(serializers.Serializer):
    value = serializers.FloatField(help_text="0 to 1.")
    weight = serializers.IntegerField()
    points = serializers.FloatField(help_text="What the component adds to the score.")


class MatchComponentsSerializer(serializers.Serializer):
    eligibility = MatchComponentSerializer()
    languages = MatchComponentSerializer()
    experience = MatchComponentSerializer()
    education = MatchComponentSerializer()
    skills = MatchComponentSerializer()
    duty_station = MatchComponentSerializer()


class ShortlistEntrySerializer(serializers.Serializer):
    application = serializers.IntegerField()
    candidate = serializers.IntegerField()
    status = serializers.CharField()
    score = serializers.FloatField(help_text="0-100: the sum of the components' points.")
    experience_years = serializers.FloatField()
    components = MatchComponentsSerializer()


class MatchWeightsSerializer(serializers.Serializer):
    eligibility = serializers.IntegerField()
    languages = serializers.IntegerField()
    experience = serializers.IntegerField()
    education = serializers.IntegerField()
    skills = serializers.IntegerField()
    duty_station = serializers.IntegerField()


class ShortlistSerializer(serializers.Serializer):
    vacancy = serializers.IntegerField()
    weights = MatchWeightsSerializer()
    grade_minimum_years = serializers.IntegerField(
        help_text="Years of experience the vacancy's grade asks for (experience = 1 there)."
    )
    results = ShortlistEntrySerializer(many=True)
