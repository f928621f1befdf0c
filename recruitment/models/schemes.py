"""Funding schemes (JPO, UNV, ...) and their versioned eligibility rules."""

from django.db import models

from recruitment.models.common import TimeStampedModel
from recruitment.models.organisations import Organisation


class Scheme(TimeStampedModel):
    """A programme that funds posts: JPO, UN Volunteer, senior expert, secondment, ..."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    employer_of_record = models.CharField(max_length=200, blank=True)
    max_duration_months = models.PositiveSmallIntegerField(null=True, blank=True)
    allows_recruiter_override = models.BooleanField(default=False)
    # The promised longest wait in one stage; longer waits alert the responsible recruiters.
    max_days_in_stage = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class EligibilityRuleSet(TimeStampedModel):
    """One version of a scheme's (optionally one donor's) eligibility rules, stored as data.

    A new version is a new row; decisions record the version they used, so rows are never edited
    once an application refers to them.
    """

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="rule_sets")
    donor = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="rule_sets"
    )
    version = models.PositiveIntegerField()
    effective_from = models.DateField()
    rules = models.JSONField(default=dict)

    class Meta:
        ordering = ["scheme", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "donor", "version"],
                name="rule_set_unique_version",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.scheme_id} v{self.version}"


class MatchWeights(TimeStampedModel):
    """How much each shortlist component counts, per scheme; the row without a scheme is the
    default for every scheme that has none of its own."""

    scheme = models.OneToOneField(
        Scheme, null=True, blank=True, on_delete=models.CASCADE, related_name="match_weights"
    )
    eligibility = models.PositiveSmallIntegerField(default=30)
    languages = models.PositiveSmallIntegerField(default=15)
    experience = models.PositiveSmallIntegerField(default=20)
    education = models.PositiveSmallIntegerField(default=10)
    skills = models.PositiveSmallIntegerField(default=20)
    duty_station = models.PositiveSmallIntegerField(default=5)

    COMPONENTS = ("eligibility", "languages", "experience", "education", "skills", "duty_station")

    class Meta:
        verbose_name_plural = "match weights"
        constraints = [
            models.UniqueConstraint(
                fields=["scheme"], name="match_weights_one_per_scheme", nulls_distinct=False
            )
        ]

    def __str__(self) -> str:
        return f"match weights of {self.scheme_id or 'every scheme'}"

    def as_dict(self) -> dict[str, int]:
        """The weights by component name."""
        return {name: getattr(self, name) for name in self.COMPONENTS}
