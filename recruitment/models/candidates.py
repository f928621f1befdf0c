"""Candidate profiles: identity, citizenships, education, experience and languages."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django_countries.fields import CountryField

from recruitment.enums import AlertFrequency, DegreeLevel, Gender, LanguageScale, LanguageSkillKind
from recruitment.models.common import TimeStampedModel, enum_check


class CandidateProfile(TimeStampedModel):
    """One candidate's profile; exactly one per candidate user."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="candidate_profile"
    )
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=12, choices=Gender.choices, blank=True)
    # ISO 3166-1 alpha-2 codes; an array so "holds this citizenship" is one GIN-indexed lookup.
    citizenships = ArrayField(models.CharField(max_length=2), default=list, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    country_of_residence = CountryField(blank=True)
    summary = models.TextField(blank=True)
    # Set by an admin when the data must be kept (a dispute, an audit): neither the retention
    # purge nor an erasure request touches the profile while it is on.
    legal_hold = models.BooleanField(default=False, db_default=False)  # COPY loads omit it
    # When the personal data was erased (on request or by retention); the row stays for counts.
    personal_data_erased_at = models.DateTimeField(null=True, blank=True)
    # Lower-case skill keywords, matched against a vacancy's skills by the shortlist.
    skills = ArrayField(models.CharField(max_length=60), default=list, blank=True)
    # ISO alpha-2 countries the candidate would like to be posted to (empty: anywhere).
    preferred_countries = ArrayField(models.CharField(max_length=2), default=list, blank=True)
    # Skills (A), experience titles (B), education (C); written only by the database triggers
    # of migration 0006_search_and_matching, so list replacements and COPY keep it current.
    search_vector = SearchVectorField(null=True, editable=False)
    # The shortlist's facts about the nested lists, kept current by the same triggers (migration
    # 0008), so ranking 5,000 applicants reads one row per applicant and no child table:
    # languages declared at B1 or above in any skill, the highest degree's rank
    # (eligibility.DEGREE_RANK, 0 for none), days in jobs that ended, and the start dates of
    # jobs still held (counted up to the day of ranking).
    match_languages = ArrayField(
        models.CharField(max_length=3), default=list, db_default="{}", editable=False
    )
    match_degree_rank = models.PositiveSmallIntegerField(default=0, db_default=0, editable=False)
    match_experience_days = models.IntegerField(default=0, db_default=0, editable=False)
    match_open_job_starts = ArrayField(
        models.DateField(), default=list, db_default="{}", editable=False
    )

    class Meta:
        indexes = [
            GinIndex(fields=["citizenships"], name="candidate_citizenships"),
            GinIndex(fields=["search_vector"], name="candidate_search"),
            models.Index(fields=["updated_at"], name="candidate_updated_at"),
        ]

    def __str__(self) -> str:
        return f"candidate {self.pk}"

    def save(self, *args: object, **kwargs: object) -> None:
        """The search vector and match facts belong to the database's triggers: saving a
        profile loaded before its lists changed must not write its stale copies back."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in DATABASE_KEPT_FIELDS
            ]
        super().save(*args, **kwargs)


DATABASE_KEPT_FIELDS = frozenset(
    {"search_vector", "match_languages", "match_degree_rank", "match_experience_days",
     "match_open_job_starts"}
)  # fmt: skip


class Education(TimeStampedModel):
    """A degree or diploma a candidate holds."""

    profile = models.ForeignKey(
        CandidateProfile, on_delete=models.CASCADE, related_name="education"
    )
    level = models.CharField(max_length=20, choices=DegreeLevel.choices)
    field_of_study = models.CharField(max_length=200, blank=True)
    institution = models.CharField(max_length=200, blank=True)
    country = CountryField(blank=True)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["profile", "id"]
        constraints = [enum_check("level", DegreeLevel, "education_level_valid")]

    def __str__(self) -> str:
        return f"{self.level} of {self.profile_id}"


class Experience(TimeStampedModel):
    """A job a candidate held; international experience counts for UN grade minimums."""

    profile = models.ForeignKey(
        CandidateProfile, on_delete=models.CASCADE, related_name="experience"
    )
    title = models.CharField(max_length=200)
    employer = models.CharField(max_length=200, blank=True)
    country = CountryField(blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    is_international = models.BooleanField(default=False)

    class Meta:
        ordering = ["profile", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="experience_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} of {self.profile_id}"


class LanguageSkill(TimeStampedModel):
    """A language a candidate declares, per skill, at a level on a stated scale."""

    profile = models.ForeignKey(
        CandidateProfile, on_delete=models.CASCADE, related_name="languages"
    )
    language = models.CharField(max_length=3)  # ISO 639-1 (or 639-3 where no 639-1 exists)
    skill = models.CharField(
        max_length=10, choices=LanguageSkillKind.choices, default=LanguageSkillKind.OVERALL
    )
    level = models.CharField(max_length=20)
    scale = models.CharField(max_length=10, choices=LanguageScale.choices)

    class Meta:
        ordering = ["profile", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "language", "skill"], name="language_skill_unique"
            ),
            enum_check("skill", LanguageSkillKind, "language_skill_kind_valid"),
            enum_check("scale", LanguageScale, "language_scale_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.language}/{self.skill} of {self.profile_id}"


class SavedSearch(TimeStampedModel):
    """A candidate's job alert: vacancy search criteria, sent instantly or as a daily digest."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(max_length=100)
    criteria = models.JSONField(default=dict)  # keys of recruitment.vacancy_search.SEARCH_FIELDS
    frequency = models.CharField(
        max_length=10, choices=AlertFrequency.choices, default=AlertFrequency.DAILY
    )
    # The digest covers vacancies published after this moment.
    last_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [enum_check("frequency", AlertFrequency, "saved_search_frequency_valid")]

    def __str__(self) -> str:
        return self.name
