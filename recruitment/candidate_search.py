"""Conditions of the recruiters' candidate filters, each one SQL condition on a profile (no
per-row Python), so a filtered page over a million profiles stays one query."""

from collections.abc import Mapping

from django.db.models import QuerySet

from recruitment.eligibility import DEGREE_RANK, LEVEL_ORDINALS
from recruitment.matching import experience_days_sql
from recruitment.models import Application, CandidateProfile, Education, LanguageSkill
from recruitment.sql_conditions import SqlCondition, all_of, condition

CEFR = "cefr"
DAYS_PER_YEAR = 365

# Days worked, jobs summed (an ongoing job runs to today), from the profile's match facts.
# Overlaps count twice here, unlike the eligibility rules, which merge them: this is a filter
# and ranking signal, not a decision.
PROFILE = CandidateProfile._meta.db_table
EXPERIENCE_DAYS_SQL = experience_days_sql(PROFILE)


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


# The conditions of the filters below, over the top-level profile queryset's row, which the
# SQL names `recruitment_candidateprofile` (Django's alias for a query's own table). Written as
# SQL: resolving and compiling an `Exists` over a queryset cost about 1 ms on every request (a
# filtered candidate page: 2.05 ms to build and compile, 0.96 ms with these). The text search
# is answered by its GIN index (tests/api/test_search_plan.py).
# bandit B608, accepted 2026-11-28: table and column names from our own models; values are
# parameters.
SEARCH_CONFIG = "english"  # of the stored vector (migration 0006_search_and_matching)
MATCHES_TEXT_SQL = f"{PROFILE}.search_vector @@ websearch_to_tsquery('{SEARCH_CONFIG}', %s)"
CITIZEN_OF_SQL = f"{PROFILE}.citizenships @> ARRAY[%s]::varchar(2)[]"
EXPERIENCED_SQL = f"({EXPERIENCE_DAYS_SQL}) >= %s"
SPEAKS_SQL = (
    f"SELECT 1 FROM {LanguageSkill._meta.db_table} l WHERE l.language = %s "  # nosec B608
    f"AND l.profile_id = {PROFILE}.id"
)
AT_LEAST_SQL = " AND l.scale || ':' || l.level = ANY(%s)"
HOLDS_DEGREE_SQL = (
    f"SELECT 1 FROM {Education._meta.db_table} e WHERE e.profile_id = {PROFILE}.id "  # nosec B608
    "AND e.level = ANY(%s)"
)
ELIGIBLE_APPLICANT_SQL = (
    f"SELECT 1 FROM {Application._meta.db_table} a WHERE a.vacancy_id = %s "  # nosec B608
    f"AND a.candidate_id = {PROFILE}.id AND a.eligible"
)


def _exists(sql: str, params: list[object]) -> SqlCondition:
    """`EXISTS (sql)` as a condition on a top-level profile queryset."""
    return condition(f"EXISTS ({sql})", params)


def candidate_search(
    queryset: QuerySet[CandidateProfile], criteria: Mapping[str, object]
) -> QuerySet[CandidateProfile]:
    """Narrow `queryset` by the recruiters' candidate filters given (missing or empty ones are
    ignored), as one condition of one `filter`: one clone of the query, one condition to
    resolve.

    `q`: web-search syntax over skills, experience titles and education; `citizenship`: ISO
    alpha-2; `language` (ISO 639-1) with `language_level` (CEFR, optional); `degree_level`;
    `min_years_experience`; `eligible_for`: a vacancy id."""
    given = {key: value for key, value in criteria.items() if value not in (None, "", [], ())}
    conditions = []
    if "q" in given:
        conditions.append(condition(MATCHES_TEXT_SQL, [str(given["q"])]))
    if "citizenship" in given:
        conditions.append(condition(CITIZEN_OF_SQL, [str(given["citizenship"]).upper()]))
    if "language" in given:
        level = given.get("language_level")
        conditions.append(speaks(str(given["language"]).lower(), at_least=level))
    if "degree_level" in given:
        conditions.append(holds_degree(str(given["degree_level"])))
    if "min_years_experience" in given:
        conditions.append(with_experience(years=float(given["min_years_experience"])))
    if "eligible_for" in given:
        conditions.append(eligible_applicant_of(int(given["eligible_for"])))
    return queryset.filter(all_of(conditions)) if conditions else queryset


def speaks(language: str, *, at_least: str | None = None) -> SqlCondition:
    """The candidate declares `language` (any skill), at `at_least` (CEFR) or above if given
    (one array test, not a condition per scale)."""
    if not at_least:
        return _exists(SPEAKS_SQL, [language])
    return _exists(SPEAKS_SQL + AT_LEAST_SQL, [language, SPELLINGS_AT_LEAST[at_least.lower()]])


def holds_degree(level: str) -> SqlCondition:
    """The candidate holds a degree of `level` or higher."""
    levels = [name for name, rank in DEGREE_RANK.items() if rank >= DEGREE_RANK[level]]
    return _exists(HOLDS_DEGREE_SQL, [levels])


def with_experience(*, years: float) -> SqlCondition:
    """At least `years` of professional experience (jobs summed)."""
    return condition(EXPERIENCED_SQL, [years * DAYS_PER_YEAR])


def eligible_applicant_of(vacancy_id: int) -> SqlCondition:
    """The candidate applied to the vacancy and passed its rules when applying (the stored,
    versioned eligibility snapshot; evaluating the rules afresh for every profile is not a
    filter a list can afford)."""
    return _exists(ELIGIBLE_APPLICANT_SQL, [vacancy_id])
