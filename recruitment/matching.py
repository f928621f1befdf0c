"""The shortlist: a vacancy's applicants ranked by an explainable match score, in one query.

Each component is a number from 0 to 1; the score is their weighted mean on 0-100, with the
weights of the vacancy's scheme (MatchWeights rows; the row without a scheme is the default):

- eligibility: 1 when the application's stored eligibility (rule by rule, versioned) passed;
- languages: share of the vacancy's required languages declared at B1 or above (the
  eligibility rules' common scale); 1 when the vacancy requires none;
- experience: years of experience (jobs summed) against the minimum of the vacancy's grade
  (GRADE_MINIMUM_YEARS), capped at 1; 1 when the grade asks for none;
- education: highest degree, master's = 1 (bachelor's 2/3, secondary 1/3);
- skills: share of the vacancy's skills the candidate lists; 1 when the vacancy lists none;
- duty_station: 1 when the candidate prefers one of the vacancy's duty-station countries or
  states no preference, else 0.
"""

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Q

from recruitment.eligibility import DEGREE_RANK, LEVEL_ORDINALS
from recruitment.enums import ACTIVE_APPLICATION_STATUSES
from recruitment.models import MatchWeights, Vacancy

# Years of relevant experience the UN common system asks for at each grade.
GRADE_MINIMUM_YEARS: dict[str, int] = {
    "P-1": 0, "P-2": 2, "P-3": 5, "P-4": 7, "P-5": 10, "D-1": 15, "D-2": 15,
    "NO-A": 1, "NO-B": 2, "NO-C": 3, "NO-D": 5, "NO-E": 7,
    "G-1": 0, "G-2": 0, "G-3": 1, "G-4": 2, "G-5": 4, "G-6": 5, "G-7": 7,
    "FS-1": 0, "FS-2": 1, "FS-3": 2, "FS-4": 4, "FS-5": 6, "FS-6": 8, "FS-7": 10,
    "UNV": 2, "CONSULTANT": 5, "INTERN": 0,
}  # fmt: skip
LANGUAGE_MINIMUM_ORDINAL = LEVEL_ORDINALS["cefr"]["b1"]
# What the ranking reads of the vacancy.
VACANCY_FIELDS = ("id", "grade", "skills", "required_languages", "scheme_id")
FULL_DEGREE_RANK = DEGREE_RANK["master"]

# One statement, one row per applicant: the application and its profile's match facts (kept
# by the database: migration 0008), no child table and no JSON read per applicant. The
# vacancy's skills and languages are written into the statement as one `= ANY` test each
# (parameters), so no row runs a subquery; sorted and cut in PostgreSQL.
SHORTLIST_SQL = """
WITH vacancy AS (
    SELECT coalesce(array_agg(DISTINCT d.country::text)
                    FILTER (WHERE d.country IS NOT NULL), '{{}}') AS countries
    FROM recruitment_vacancy_duty_stations vd
    JOIN recruitment_dutystation d ON d.id = vd.dutystation_id
    WHERE vd.vacancy_id = %(vacancy)s
), components AS (
    SELECT a.id, a.candidate_id, a.status,
        CASE WHEN a.eligible THEN 1.0::float8 ELSE 0.0 END AS eligibility,
        {languages} AS languages,
        {experience_days} / 365.0::float8 AS experience_years,
        least(1.0::float8, p.match_degree_rank / %(full_degree)s::float8) AS education,
        {skills} AS skills,
        CASE WHEN cardinality(p.preferred_countries) = 0
                  OR p.preferred_countries::text[] && vacancy.countries
             THEN 1.0::float8 ELSE 0.0 END AS duty_station
    FROM recruitment_application a
    CROSS JOIN vacancy
    JOIN recruitment_candidateprofile p ON p.id = a.candidate_id
    WHERE a.vacancy_id = %(vacancy)s AND a.status = ANY(%(statuses)s)
      AND (NOT %(nominated_only)s OR a.nominated_at IS NOT NULL)
), scored AS (
    SELECT components.*,
        CASE WHEN %(minimum_years)s = 0 THEN 1.0::float8
             ELSE least(1.0, experience_years / %(minimum_years)s) END AS experience
    FROM components
)
SELECT id, candidate_id, status, eligibility, languages, experience, education, skills,
       duty_station, experience_years,
       (eligibility * %(w_eligibility)s + languages * %(w_languages)s
        + experience * %(w_experience)s + education * %(w_education)s
        + skills * %(w_skills)s + duty_station * %(w_duty_station)s) AS weighted
FROM scored
ORDER BY weighted DESC, id
LIMIT %(limit)s
"""


def experience_days_sql(profile: str) -> str:
    """SQL for the days of experience of the profile row `profile` (jobs summed, a job still
    held counted to today), from its match facts: no experience row is read."""
    starts = f"{profile}.match_open_job_starts"
    # bandit B608, accepted 2026-11-28: `profile` is a table alias from our own code.
    return (
        f"({profile}.match_experience_days + CASE cardinality({starts}) WHEN 0 THEN 0 "
        f"WHEN 1 THEN current_date - {starts}[1] "
        f"ELSE (SELECT sum(current_date - started) FROM unnest({starts}) AS started) END)"  # nosec B608
    )


def _share(column: str, wanted: list[str], name: str, parameters: dict[str, Any]) -> str:
    """SQL for the share of `wanted` (distinct) found in the array `column`: 1 when nothing is
    wanted. Each value is a parameter."""
    wanted = sorted(set(wanted))
    if not wanted:
        return "1.0::float8"
    tests = []
    for number, value in enumerate(wanted):
        parameters[f"{name}_{number}"] = value
        tests.append(f"(%({name}_{number})s = ANY({column}))::int")
    return f"({' + '.join(tests)})::float8 / {len(wanted)}"


def shortlist_query(
    *,
    vacancy_id: int,
    grade: str | None,
    skills: list[str],
    languages: list[str],
    weights: dict[str, int],
    nominated_only: bool,
    limit: int,
) -> tuple[str, dict[str, Any]]:
    """The ranking statement and its parameters (the API's and the benchmark ceiling's)."""
    parameters: dict[str, Any] = {
        "vacancy": vacancy_id,
        "statuses": list(ACTIVE_APPLICATION_STATUSES),
        "nominated_only": nominated_only,
        "minimum_years": GRADE_MINIMUM_YEARS.get(grade or "", 0),
        "full_degree": FULL_DEGREE_RANK,
        "limit": limit,
        **{f"w_{name}": weight for name, weight in weights.items()},
    }
    # bandit B608, accepted 2026-11-28: only parameter placeholders are formatted in.
    sql = SHORTLIST_SQL.format(
        experience_days=experience_days_sql("p"),
        languages=_share("p.match_languages", languages, "language", parameters),
        skills=_share("p.skills", skills, "skill", parameters),
    )  # nosec B608
    return sql, parameters


@dataclass(frozen=True, slots=True)
class Shortlist:
    """The ranked applicants of one vacancy and the weights used."""

    vacancy_id: int
    weights: dict[str, int]
    minimum_years: int
    results: list[dict[str, Any]]


def weights_for(vacancy: Vacancy) -> MatchWeights:
    """The scheme's own weights, else the default row, else the model's defaults."""
    # Not `scheme_id__in=[id, None]`: Django drops None from IN lists.
    condition = Q(scheme__isnull=True) | Q(scheme_id=vacancy.scheme_id)
    rows = {row.scheme_id: row for row in MatchWeights.objects.filter(condition)}
    return rows.get(vacancy.scheme_id) or rows.get(None) or MatchWeights()


def shortlist_rank(*, vacancy: Vacancy, limit: int, nominated_only: bool) -> Shortlist:
    """Rank the vacancy's active applications (only the nominated ones when `nominated_only`)
    by match score, best first, ties by application id; at most `limit` rows. Two queries:
    the weights, and the ranking itself, whatever the number of applicants."""
    weights = weights_for(vacancy).as_dict()
    total = sum(weights.values()) or 1
    sql, parameters = shortlist_query(
        vacancy_id=vacancy.pk, grade=vacancy.grade, skills=vacancy.skills,
        languages=vacancy.required_languages, weights=weights, nominated_only=nominated_only,
        limit=limit,
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        rows = cursor.fetchall()
    results = []
    for row in rows:
        values = dict(
            zip(MatchWeights.COMPONENTS, (float(value) for value in row[3:9]), strict=True)
        )
        components = {
            name: {
                "value": round(value, 3),
                "weight": weights[name],
                "points": round(value * weights[name] * 100 / total, 2),
            }
            for name, value in values.items()
        }
        results.append(
            {
                "application": row[0],
                "candidate": row[1],
                "status": row[2],
                "score": round(float(row[10]) * 100 / total, 2),
                "experience_years": round(float(row[9]), 1),
                "components": components,
            }
        )
    return Shortlist(vacancy.pk, weights, parameters["minimum_years"], results)
