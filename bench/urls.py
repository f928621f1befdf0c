"""Bench-only URLconf: the API, plus /ceiling/... views that run the same queries as each
benchmarked endpoint through psycopg and render them with orjson, with no DRF and no ORM. Their
throughput is the ceiling each endpoint's ratio is measured against.

Sent a bearer token, a ceiling view first runs the statements the API runs for every
authenticated request (the token's look-up and the rate-limit count, `admitted`); sent none, it
runs the endpoint's page statements only (the bench reports that ratio as `page_only`)."""

import functools

import orjson
from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone

from api import urls as api_urls
from api.serializers.applications import APPLICATION_BODIES
from api.serializers.candidates import PROFILE_BODY
from api.serializers.vacancies import VACANCY_BODY
from recruitment import matching
from recruitment.candidate_search import (
    AT_LEAST_SQL,
    CITIZEN_OF_SQL,
    PROFILE,
    SPEAKS_SQL,
    SPELLINGS_AT_LEAST,
)
from recruitment.enums import Role, VacancyStatus
from recruitment.models.users import hash_token
from recruitment.ratelimits import Rate, rate_limit_hits
from recruitment.selectors import TOKEN_FIELDS, TOKEN_SQL, TOKEN_USER_FIELDS
from recruitment.vacancy_search import MATCHES_TEXT, OPEN

# The API's statement for a page of vacancies: each row's JSON built by PostgreSQL.
VACANCY_SELECT = f"SELECT id, ({VACANCY_BODY})::text FROM recruitment_vacancy"  # nosec B608


# Where the token's row holds what the API checks.
EXPIRES, REVOKED = TOKEN_FIELDS.index("expires_at"), TOKEN_FIELDS.index("revoked_at")
USER_ID = len(TOKEN_FIELDS) + TOKEN_USER_FIELDS.index("id")
USER_ACTIVE = len(TOKEN_FIELDS) + TOKEN_USER_FIELDS.index("is_active")


def admitted(view):
    """The API's statements before any page, when a bearer token is sent: the token and its
    user by the token's hash (selectors.TOKEN_SQL), then the caller's and the IP's rate-limit
    counts in one upsert (ratelimits.rate_limit_hits); 401 or 429 as the API answers."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        header = request.headers.get("Authorization")
        if header is not None:
            now = timezone.now()
            with connection.cursor() as cursor:
                cursor.execute(TOKEN_SQL, [hash_token(header.partition(" ")[2])])
                row = cursor.fetchone()
            if (
                row is None
                or row[REVOKED] is not None
                or row[EXPIRES] <= now
                or not (row[USER_ACTIVE])
            ):
                return HttpResponse(status=401)
            if not settings.RATE_LIMITS_ENABLED:
                return view(request, *args, **kwargs)
            hits = rate_limit_hits(
                limits=[(f"caller:user:{row[USER_ID]}", Rate.parse(settings.RATE_LIMIT_CALLER)),
                        (f"ip:{request.META['REMOTE_ADDR']}", Rate.parse(settings.RATE_LIMIT_IP))],
                now=now,
            )  # fmt: skip
            if not all(hit.allowed for hit in hits):
                return HttpResponse(status=429)
        return view(request, *args, **kwargs)

    return wrapper


def _json(body) -> HttpResponse:
    return HttpResponse(orjson.dumps(body), content_type="application/json")


@admitted
def vacancy_search(request):
    limit = int(request.GET.get("limit", 50))
    with connection.cursor() as cursor:
        cursor.execute(
            f"{VACANCY_SELECT} WHERE {MATCHES_TEXT} AND {OPEN} ORDER BY id DESC LIMIT %s",
            [request.GET["q"], VacancyStatus.PUBLISHED, timezone.now(), limit + 1],
        )  # nosec B608
        bodies = [orjson.Fragment(body) for _, body in cursor.fetchall()[:limit]]
    return _json({"next": None, "previous": None, "results": bodies})


@admitted
def vacancy_detail(request, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"{VACANCY_SELECT} WHERE id = %s", [pk])  # nosec B608
        return HttpResponse(cursor.fetchone()[1], content_type="application/json")


@admitted
def candidate_list(request):
    """The API's page statement (profiles with their nested lists built as JSON), then the
    access log's append of the page's reads, as the API does."""
    limit = int(request.GET.get("limit", 50))
    language = request.GET["language"]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, user_id, ({PROFILE_BODY})::text FROM {PROFILE} "
            f"WHERE ({CITIZEN_OF_SQL}) AND (EXISTS ({SPEAKS_SQL}{AT_LEAST_SQL})) "
            "ORDER BY id DESC LIMIT %s",
            [
                request.GET["citizenship"],
                language,
                SPELLINGS_AT_LEAST[request.GET["language_level"].lower()],
                limit + 1,
            ],
        )  # nosec B608
        rows = cursor.fetchall()[:limit]
        cursor.execute(
            "INSERT INTO recruitment_accesslogentry (subject_id, viewer_id, viewer_role, "
            "viewer_organisation_id, resource, resource_id, accessed_at) "
            "SELECT subject, %s, 'recruiter', NULL, 'profile', resource, now() "
            "FROM unnest(%s::bigint[], %s::bigint[]) AS r(subject, resource)",
            [request.GET["viewer"], [row[1] for row in rows], [row[0] for row in rows]],
        )
    return _json({"next": None, "previous": None,
                  "results": [orjson.Fragment(body) for _, _, body in rows]})  # fmt: skip


@admitted
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


@admitted
def applications_of_vacancy(request):
    limit = int(request.GET.get("limit", 50))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT ({APPLICATION_BODIES[Role.RECRUITER]})::text FROM recruitment_application "
            "WHERE vacancy_id = %s ORDER BY id DESC LIMIT %s",
            [int(request.GET["vacancy"]), limit + 1],
        )  # nosec B608
        bodies = [orjson.Fragment(body) for (body,) in cursor.fetchall()[:limit]]
    return _json({"next": None, "previous": None, "results": bodies})


# The ceilings first, then the API's own patterns as they are at the root of api.urls in
# production (an include here would give every API request a level of resolving more).
urlpatterns = [
    path("ceiling/vacancies/", vacancy_search),
    path("ceiling/vacancies/<int:pk>/", vacancy_detail),
    path("ceiling/vacancies/<int:pk>/shortlist/", shortlist),
    path("ceiling/candidates/", candidate_list),
    path("ceiling/applications/", applications_of_vacancy),
    *api_urls.urlpatterns,
]
handler400, handler403 = api_urls.handler400, api_urls.handler403
handler404, handler500 = api_urls.handler404, api_urls.handler500
