"""Conditions of the recruiters' candidate filters, each one SQL condition on a profile (no
per-row Python), so a filtered page over a million profiles stays one query."""

from django.db.models import BooleanField, Exists, FloatField, OuterRef, QuerySet
from django.db.models.expressions import RawSQL

from recruitment.eligibility import DEGREE_RANK, LEVEL_ORDINALS
from recruitment.matching import experience_days_sql
from recruitment.models import Application, CandidateProfile, Education, LanguageSkill

CEFR = "cefr"
DAYS_PER_YEAR = 365

# Days worked, jobs summed (an ongoing job runs to today), from the profile's match facts.
# Overlaps count twice here, unlike the eligibility rules, which merge them: this is a filter
# and ranking signal, not a decision.
EXPERIENCE_DAYS_SQL = experience_days_sql("recruitment_candidateprofile")


def _spellings_at_least(level: str) -> list[str]:
    """ "scale:level" of every declared level at or above a CEFR level on the common ordinal
    scale, as stored (lower- and upper-case)."""
    wanted = LEVEL_ORDINALS[CEFR][level.lower()]
    return sorted(
        f"{scale}:{spelling}"
        for scale, ordinals in LEVEL_ORDINALS.items()
        for name, ordinal in ordinals.items()
        if ordinal >= wanted
        for spelling in {name, name.upper()}
    )


SPELLINGS_AT_LEAST = {level: _spellings_at_least(level) for level in LEVEL_ORDINALS[CEFR]}


def speaks(language: str, *, at_least: str | None = None) -> Exists:
    """The candidate declares `language` (any skill), at `at_least` (CEFR) or above if given
    (one array test, not a condition per scale: this filter is built on every request)."""
    skills = LanguageSkill.objects.filter(profile_id=OuterRef("pk"), language=language)
    if at_least:
        skills = skills.filter(
            RawSQL(
                "scale || ':' || level = ANY(%s)",
                [SPELLINGS_AT_LEAST[at_least.lower()]],
                output_field=BooleanField(),
            )
        )
    return Exists(skills)


def holds_degree(level: str) -> Exists:
    """The candidate holds a degree of `level` or higher."""
    levels = [name for name, rank in DEGREE_RANK.items() if rank >= DEGREE_RANK[level]]
    return Exists(Education.objects.filter(profile_id=OuterRef("pk"), level__in=levels))


def with_experience(
    queryset: QuerySet[CandidateProfile], *, years: float
) -> QuerySet[CandidateProfile]:
    """Profiles with at least `years` of professional experience (jobs summed)."""
    # bandit B611, accepted 2026-11-28: a constant SQL text with no parameters at all.
    days = RawSQL(EXPERIENCE_DAYS_SQL, [], output_field=FloatField())  # nosec B611
    return queryset.alias(experience_days=days).filter(experience_days__gte=years * DAYS_PER_YEAR)


def eligible_applicant_of(vacancy_id: int) -> Exists:
    """The candidate applied to the vacancy and passed its rules when applying (the stored,
    versioned eligibility snapshot; evaluating the rules afresh for every profile is not a
    filter a list can afford)."""
    return Exists(
        Application.objects.filter(
            candidate_id=OuterRef("pk"),
            vacancy_id=vacancy_id,
            eligibility_snapshot__eligible=True,
        )
    )
