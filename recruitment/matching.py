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
FULL_DEGREE_RANK = DEGREE_RANK["master"]

_LEVELS_VALUES = ", ".join(
    f"('{scale}', '{level}', {ordinal})"
    for scale, levels in LEVEL_ORDINALS.items()
    for level, ordinal in levels.items()
)
_DEGREE_CASE = " ".join(f"WHEN '{level}' THEN {rank}" for level, rank in DEGREE_RANK.items())

# One statement: the vacancy's facts once, then per application three indexed look-ups
# (languages, experience, education) and array arithmetic; sorted and cut in PostgreSQL.
# bandit B608, accepted 2026-11-28: built once from this module's constant tables.
SHORTLIST_SQL = f"""
WITH vacancy AS (
    SELECT v.id, v.skills, v.required_languages,
           coalesce(array_agg(DISTINCT d.country::text)
                    FILTER (WHERE d.country IS NOT NULL), '{{}}') AS countries
    FROM recruitment_vacancy v
    LEFT JOIN recruitment_vacancy_duty_stations vd ON vd.vacancy_id = v.id
    LEFT JOIN recruitment_dutystation d ON d.id = vd.dutystation_id
    WHERE v.id = %(vacancy)s
    GROUP BY v.id
), levels(scale, level, ordinal) AS (VALUES {_LEVELS_VALUES}),
components AS MATERIALIZED (
    SELECT a.id, a.candidate_id, a.status,
        CASE WHEN a.eligibility_snapshot -> 'eligible' = 'true'::jsonb THEN 1.0::float8 ELSE 0.0 END
            AS eligibility,
        CASE WHEN cardinality(vacancy.required_languages) = 0 THEN 1.0::float8 ELSE (
            SELECT count(DISTINCT l.language) FROM recruitment_languageskill l
            JOIN levels ON levels.scale = l.scale AND levels.level = lower(l.level)
            WHERE l.profile_id = a.candidate_id
              AND l.language = ANY(vacancy.required_languages)
              AND levels.ordinal >= %(language_ordinal)s
        )::float8 / cardinality(vacancy.required_languages) END AS languages,
        (SELECT coalesce(sum(coalesce(e.end_date, current_date) - e.start_date), 0)
         FROM recruitment_experience e WHERE e.profile_id = a.candidate_id) / 365.0::float8
            AS experience_years,
        coalesce((SELECT max(CASE ed.level {_DEGREE_CASE} ELSE 0 END)
                  FROM recruitment_education ed WHERE ed.profile_id = a.candidate_id), 0)
            AS degree_rank,
        CASE WHEN cardinality(vacancy.skills) = 0 THEN 1.0::float8 ELSE cardinality(ARRAY(
            SELECT unnest(p.skills::text[]) INTERSECT SELECT unnest(vacancy.skills::text[])
        ))::float8 / cardinality(vacancy.skills) END AS skills,
        CASE WHEN cardinality(p.preferred_countries) = 0
                  OR p.preferred_countries::text[] && vacancy.countries
             THEN 1.0::float8 ELSE 0.0 END
            AS duty_station
    FROM recruitment_application a
    CROSS JOIN vacancy
    JOIN recruitment_candidateprofile p ON p.id = a.candidate_id
    WHERE a.vacancy_id = %(vacancy)s AND a.status = ANY(%(statuses)s)
      AND (NOT %(nominated_only)s OR a.nominated_at IS NOT NULL)
), scored AS (
    SELECT components.*,
        CASE WHEN %(minimum_years)s = 0 THEN 1.0::float8
             ELSE least(1.0, experience_years / %(minimum_years)s) END AS experience,
        least(1.0, degree_rank::float8 / %(full_degree)s) AS education
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
"""  # nosec B608


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
    minimum_years = GRADE_MINIMUM_YEARS.get(vacancy.grade or "", 0)
    parameters = {
        "vacancy": vacancy.pk,
        "statuses": list(ACTIVE_APPLICATION_STATUSES),
        "nominated_only": nominated_only,
        "language_ordinal": LANGUAGE_MINIMUM_ORDINAL,
        "minimum_years": minimum_years,
        "full_degree": FULL_DEGREE_RANK,
        "limit": limit,
        **{f"w_{name}": weight for name, weight in weights.items()},
    }
    with connection.cursor() as cursor:
        cursor.execute(SHORTLIST_SQL, parameters)
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
    return Shortlist(vacancy.pk, weights, minimum_years, results)
