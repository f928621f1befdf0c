"""Candidate profiles with their nested citizenships, education, experience and languages."""

from django_countries.serializer_fields import CountryField
from rest_framework import serializers

from api.json_rows import instant, json_list, json_object
from api.serializers.vacancies import _day, _instant
from recruitment.enums import LanguageScale
from recruitment.models import CandidateProfile, Education, Experience, LanguageSkill

from .common import COUNTRY_CHOICES, StrictModelSerializer

LANGUAGE_LEVELS = {
    LanguageScale.CEFR: ("A1", "A2", "B1", "B2", "C1", "C2"),
    LanguageScale.UN: ("I", "II", "III", "IV"),
    LanguageScale.INSPIRA: ("basic", "confident", "fluent"),
}


class CompleteItemMixin:
    """A nested list item replaces a stored row: it must be complete even inside a PATCH."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            missing = {
                name: [serializers.ErrorDetail("This field is required.", code="required")]
                for name, field in self.fields.items()
                if field.required and not field.read_only and name not in data
            }
            if missing:
                raise serializers.ValidationError(missing)
        return super().to_internal_value(data)


class EducationSerializer(CompleteItemMixin, StrictModelSerializer):
    country = CountryField(required=False, allow_blank=True)

    class Meta:
        model = Education
        fields = ["level", "field_of_study", "institution", "country", "completed_on"]


class ExperienceSerializer(CompleteItemMixin, StrictModelSerializer):
    country = CountryField(required=False, allow_blank=True)

    class Meta:
        model = Experience
        fields = ["title", "employer", "country", "start_date", "end_date", "is_international"]

    def validate(self, attrs):
        if attrs.get("end_date") and attrs["end_date"] < attrs["start_date"]:
            raise serializers.ValidationError({"end_date": ["Must not be before start_date."]})
        return attrs


class LanguageSkillSerializer(CompleteItemMixin, StrictModelSerializer):
    language = serializers.RegexField(
        r"^[a-z]{2,3}$", help_text="ISO 639-1 code (ISO 639-3 where none exists), lower case."
    )

    class Meta:
        model = LanguageSkill
        fields = ["language", "skill", "level", "scale"]

    def validate(self, attrs):
        levels = LANGUAGE_LEVELS[attrs["scale"]]
        if attrs["level"] not in levels:
            raise serializers.ValidationError(
                {"level": [f"On the {attrs['scale']} scale, use one of: {', '.join(levels)}."]}
            )
        return attrs


class CandidateProfileSerializer(StrictModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    citizenships = serializers.ListField(
        child=serializers.ChoiceField(choices=COUNTRY_CHOICES),
        max_length=5,
        help_text="ISO 3166-1 alpha-2 codes.",
    )
    country_of_residence = CountryField(required=False, allow_blank=True)
    skills = serializers.ListField(
        child=serializers.CharField(max_length=60), max_length=50, required=False,
        help_text="Skill keywords (lower-cased); searched and matched against vacancies.",
    )  # fmt: skip
    preferred_countries = serializers.ListField(
        child=serializers.ChoiceField(choices=COUNTRY_CHOICES), max_length=20, required=False,
        help_text="ISO alpha-2 countries you would like to be posted to; empty: anywhere.",
    )  # fmt: skip
    education = EducationSerializer(many=True, required=False, max_length=30)
    experience = ExperienceSerializer(many=True, required=False, max_length=60)
    languages = LanguageSkillSerializer(many=True, required=False, max_length=60)

    class Meta:
        model = CandidateProfile
        fields = [
            "id", "email", "given_name", "family_name", "date_of_birth", "gender", "citizenships",
            "phone",
            "country_of_residence", "summary", "skills", "preferred_countries", "education",
            "experience", "languages", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["id", "email", "created_at", "updated_at"]
        extra_kwargs = {"summary": {"max_length": 5000}}

    def to_internal_value(self, data):
        # Country codes are matched in upper case, as the other country fields accept them.
        for field in ("citizenships", "preferred_countries"):
            if isinstance(data, dict) and isinstance(data.get(field), list):
                data = {
                    **data,
                    field: [
                        code.strip().upper() if isinstance(code, str) else code
                        for code in data[field]
                    ],
                }
        return super().to_internal_value(data)

    def to_representation(self, profile):
        """The fields above written out by hand: the recruiters' list is hot, and DRF's nested
        serializers cost about five times as much per row (same output, checked by the API
        tests' whole-body assertions)."""
        return {
            "id": profile.pk,
            "email": profile.user.email,
            "given_name": profile.given_name,
            "family_name": profile.family_name,
            "date_of_birth": _day(profile.date_of_birth),
            "gender": profile.gender,
            "citizenships": profile.citizenships,
            "phone": profile.phone,
            "country_of_residence": profile.country_of_residence.code or "",
            "summary": profile.summary,
            "skills": profile.skills,
            "preferred_countries": profile.preferred_countries,
            "education": [
                {"level": item.level, "field_of_study": item.field_of_study,
                 "institution": item.institution, "country": item.country.code or "",
                 "completed_on": _day(item.completed_on)}
                for item in profile.education.all()
            ],
            "experience": [
                {"title": item.title, "employer": item.employer, "country": item.country.code or "",
                 "start_date": _day(item.start_date), "end_date": _day(item.end_date),
                 "is_international": item.is_international}
                for item in profile.experience.all()
            ],
            "languages": [
                {"language": item.language, "skill": item.skill, "level": item.level,
                 "scale": item.scale}
                for item in profile.languages.all()
            ],
            "created_at": _instant(profile.created_at),
            "updated_at": _instant(profile.updated_at),
        }  # fmt: skip

    def validate_skills(self, value):
        return sorted({skill.strip().lower() for skill in value if skill.strip()})

    def validate_preferred_countries(self, value):
        return sorted(set(value))

    def validate_citizenships(self, value):
        return sorted(set(value))

    def validate_languages(self, value):
        seen = set()
        for item in value:
            key = (item["language"], item.get("skill", "overall"))
            if key in seen:
                raise serializers.ValidationError(f"{key[0]}/{key[1]} is listed twice.")
            seen.add(key)
        return value


P = "recruitment_candidateprofile"


def _items(table: str, *columns: str) -> str:
    return json_list(
        f"FROM {table} i WHERE i.profile_id = {P}.id", "i.id",
        **{column: f"i.{column}" for column in columns},
    )  # fmt: skip


# CandidateProfileSerializer's output as one SQL expression over the profile table: a page of
# profiles with their nested lists is one statement (see api.json_rows).
PROFILE_BODY = json_object(
    id=f"{P}.id",
    # bandit B608, accepted 2026-11-28: table and column names of this module only.
    email=f"(SELECT email FROM recruitment_user WHERE id = {P}.user_id)",  # nosec B608
    **{column: f"{P}.{column}" for column in (
        "given_name", "family_name", "date_of_birth", "gender", "citizenships", "phone",
        "country_of_residence", "summary", "skills", "preferred_countries",
    )},
    education=_items("recruitment_education", "level", "field_of_study", "institution",
                     "country", "completed_on"),
    experience=_items("recruitment_experience", "title", "employer", "country", "start_date",
                      "end_date", "is_international"),
    languages=_items("recruitment_languageskill", "language", "skill", "level", "scale"),
    created_at=instant(f"{P}.created_at"), updated_at=instant(f"{P}.updated_at"),
)  # fmt: skip
