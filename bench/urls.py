"""Bench-only URLconf: the API, plus /ceiling/... views that run the same queries as each
benchmarked endpoint through psycopg and render them with orjson, with no DRF, no ORM and no
authentication. Their throughput is the ceiling each endpoint's ratio is measured against."""

import orjson
from django.db import connection
from django.http import HttpResponse
from django.urls import include, path

from api.serializers.vacancies import VACANCY_BODY
from recruitment import matching
from recruitment.eligibility import LEVEL_ORDINALS

# The API's statement for a page of vacancies: each row's JSON built by PostgreSQL.
VACANCY_SELECT = f"SELECT id, ({VACANCY_BODY})::text FROM recruitment_vacancy"  # nosec B608


def _json(body) -> HttpResponse:
    return HttpResponse(orjson.dumps(body), content_type="application/json")


def _rows(cursor, keys):
    return [dict(zip(keys, row, strict=True)) for row in cursor.fetchall()]


def vacancy_search(request):
    limit = int(request.GET.get("limit", 50))
    with connection.cursor() as cursor:
        cursor.execute(
            f"{VACANCY_SELECT} WHERE status = 'published' "
            "AND search_vector @@ websearch_to_tsquery('english', %s) "
            "AND (closes_at IS NULL OR closes_at > now()) ORDER BY id DESC LIMIT %s",
            [request.GET["q"], limit + 1],
        )  # nosec B608
        bodies = [orjson.Fragment(body) for _, body in cursor.fetchall()[:limit]]
    return _json({"next": None, "previous": None, "results": bodies})


def vacancy_detail(request, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"{VACANCY_SELECT} WHERE id = %s", [pk])  # nosec B608
        return HttpResponse(cursor.fetchone()[1], content_type="application/json")


PROFILE_KEYS = ["id", "email", "given_name", "family_name", "date_of_birth", "gender",
                "citizenships", "phone", "country_of_residence", "summary", "skills",
                "preferred_countries", "created_at", "updated_at"]  # fmt: skip
LEVELS_B2 = [
    (scale, level)
    for scale, levels in LEVEL_ORDINALS.items()
    for level, ordinal in levels.items()
    if ordinal >= LEVEL_ORDINALS["cefr"]["b2"]
]


def candidate_list(request):
    limit = int(request.GET.get("limit", 50))
    language = request.GET["language"]
    scales = [scale for scale, _ in LEVELS_B2]
    levels = [level.upper() if scale != "inspira" else level for scale, level in LEVELS_B2]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.id, u.email, p.given_name, p.family_name, p.date_of_birth, p.gender, "
            "p.citizenships, p.phone, p.country_of_residence, p.summary, p.skills, "
            "p.preferred_countries, p.created_at, "
            "p.updated_at FROM recruitment_candidateprofile p JOIN recruitment_user u "
            "ON u.id = p.user_id WHERE p.citizenships @> ARRAY[%s]::varchar[] AND EXISTS ("
            "SELECT 1 FROM recruitment_languageskill l JOIN unnest(%s::text[], %s::text[]) "
            "AS ok(scale, level) ON ok.scale = l.scale AND ok.level = l.level "
            "WHERE l.profile_id = p.id AND l.language = %s) ORDER BY p.id DESC LIMIT %s",
            [request.GET["citizenship"], scales, levels, language, limit + 1],
        )
        profiles = _rows(cursor, PROFILE_KEYS)[:limit]
        ids = [profile["id"] for profile in profiles]
        children = {}
        for name, sql in (
            ("education", "SELECT profile_id, level, field_of_study, institution, country, "
                          "completed_on FROM recruitment_education"),
            ("experience", "SELECT profile_id, title, employer, country, start_date, end_date, "
                           "is_international FROM recruitment_experience"),
            ("languages", "SELECT profile_id, language, skill, level, scale "
                          "FROM recruitment_languageskill"),
        ):  # fmt: skip
            cursor.execute(f"{sql} WHERE profile_id = ANY(%s) ORDER BY profile_id, id", [ids])
            keys = [column.name for column in cursor.description][1:]
            for row in cursor.fetchall():
                children.setdefault((name, row[0]), []).append(
                    dict(zip(keys, row[1:], strict=True))
                )
        for profile in profiles:
            for name in ("education", "experience", "languages"):
                profile[name] = children.get((name, profile["id"]), [])
    return _json({"next": None, "previous": None, "results": profiles})


def shortlist(request, pk):
    limit = int(request.GET.get("limit", 50))
    components = ["eligibility", "languages", "experience", "education", "skills", "duty_station"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT grade, skills, required_languages, scheme_id FROM recruitment_vacancy "
            "WHERE id = %s",
            [pk],
        )
        grade, skills, languages, scheme_id = cursor.fetchone()
        cursor.execute(
            f"SELECT {', '.join(components)} FROM recruitment_matchweights "
            "WHERE scheme_id = %s OR scheme_id IS NULL ORDER BY scheme_id NULLS LAST LIMIT 1",
            [scheme_id],
        )  # nosec B608: column names from the list above
        weights = dict(zip(components, cursor.fetchone(), strict=True))
        sql, parameters = matching.shortlist_query(
            vacancy_id=pk, grade=grade, skills=skills, languages=languages, weights=weights,
            nominated_only=False, limit=limit,
        )  # fmt: skip
        cursor.execute(sql, parameters)
        rows = cursor.fetchall()
    total = sum(weights.values())
    results = [
        {"application": row[0], "candidate": row[1], "status": row[2],
         "score": round(row[10] * 100 / total, 2), "experience_years": round(row[9], 1),
         "components": {name: {"value": round(value, 3), "weight": weights[name],
                               "points": round(value * weights[name] * 100 / total, 2)}
                        for name, value in zip(components, row[3:9], strict=True)}}
        for row in rows
    ]  # fmt: skip
    return _json(
        {
            "vacancy": pk,
            "weights": weights,
            "grade_minimum_years": parameters["minimum_years"],
            "results": results,
        }
    )


def applications_of_vacancy(request):
    limit = int(request.GET.get("limit", 50))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.id, a.vacancy_id, v.title, o.slug, a.candidate_id, a.status, "
            "a.status_changed_at, a.eligibility_snapshot, a.evaluation_score, a.version, "
            "a.created_at, a.updated_at FROM recruitment_application a "
            "JOIN recruitment_vacancy v ON v.id = a.vacancy_id "
            "JOIN recruitment_organisation o ON o.id = v.organisation_id "
            "WHERE a.vacancy_id = %s ORDER BY a.id DESC LIMIT %s",
            [int(request.GET["vacancy"]), limit + 1],
        )
        keys = ["id", "vacancy", "vacancy_title", "organisation", "candidate", "status",
                "status_changed_at", "eligibility_snapshot", "evaluation_score", "version",
                "created_at", "updated_at"]  # fmt: skip
        applications = _rows(cursor, keys)[:limit]
    for application in applications:
        snapshot = application["eligibility_snapshot"]
        application["eligibility_snapshot"] = (
            orjson.loads(snapshot) if isinstance(snapshot, str) else snapshot
        )
    return _json({"next": None, "previous": None, "results": applications})


urlpatterns = [
    path("ceiling/vacancies/", vacancy_search),
    path("ceiling/vacancies/<int:pk>/", vacancy_detail),
    path("ceiling/vacancies/<int:pk>/shortlist/", shortlist),
    path("ceiling/candidates/", candidate_list),
    path("ceiling/applications/", applications_of_vacancy),
    path("", include("api.urls")),
]
