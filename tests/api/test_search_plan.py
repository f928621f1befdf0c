"""The vacancy and candidate text searches are answered by their GIN indexes at a realistic
size (EXPLAIN).

A btree index on (status, closes_at) once made PostgreSQL walk it instead and tripled the
search time; this test fails if any such index (or anything else) takes over the plan."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.search import SearchQuery
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict

from api.filters import CandidateProfileFilterSet, VacancyFilterSet
from api.json_rows import TableRows, single_table
from api.serializers.candidates import PROFILE_BODY
from api.serializers.vacancies import VACANCY_BODY
from recruitment import selectors
from recruitment.enums import Role
from recruitment.models import CandidateProfile
from tests.factories import make_user

pytestmark = pytest.mark.django_db


class Page:
    """A list's first page statement as the API sends it (api.json_rows.TableRows): the
    caller's scope, the filters, newest first, one row more than the page for the cursor,
    each row's body built by PostgreSQL."""

    def __init__(self, filterset_class, scope, body: str, params: str):
        filtered = filterset_class(data=QueryDict(params), queryset=scope).qs
        assert single_table(filtered)
        self.rows = TableRows(filtered, body, ["id"]).order_by("-id")[0:51]

    def explain(self) -> str:
        with connection.cursor() as cursor:
            sql, params = self.rows.statement()
            cursor.execute(f"EXPLAIN {sql}", params)
            return "\n".join(line for (line,) in cursor.fetchall())

    def __iter__(self):
        return iter(self.rows)


def vacancy_page(params: str):
    """The vacancy list's page query for an anonymous caller."""
    return Page(
        VacancyFilterSet, selectors.vacancy_scope(user=AnonymousUser()), VACANCY_BODY, params
    )


def test_vacancy_text_search_uses_the_full_text_index():
    # 20,000 vacancies: enough pages that the planner's choice is the one it makes at scale.
    call_command("seed_scale", vacancies=20_000, candidates=10, applications=0, seed=3)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE recruitment_vacancy")

    plan = vacancy_page("q=nutrition+juba&open=true&grade=P-2&grade=P-3").explain()
    found = [row.id for row in vacancy_page("q=nutrition+juba")]

    assert "Bitmap Index Scan on vacancy_search" in plan, plan
    expected = sorted(
        {
            vacancy.pk
            for vacancy in selectors.vacancy_list(user=AnonymousUser())
            if "nutrition" in (vacancy.title + vacancy.description).lower()
            and "Juba" in [station.city for station in vacancy.duty_stations.all()]
        },
        reverse=True,
    )[:51]
    assert found == expected
    assert len(found) > 0


def test_candidate_text_search_uses_the_full_text_index():
    call_command("seed_scale", vacancies=10, candidates=20_000, applications=0, seed=3)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE recruitment_candidateprofile")
    recruiter = make_user(role=Role.RECRUITER)

    scope = selectors.candidate_profile_scope(user=recruiter)
    page = Page(
        CandidateProfileFilterSet,
        scope,
        PROFILE_BODY,
        "q=epidemiology+statistics+sql&citizenship=no",
    )
    plan = page.explain()
    found = [row.id for row in page]

    assert "Bitmap Index Scan on candidate_search" in plan, plan
    query = SearchQuery("epidemiology statistics sql", search_type="websearch", config="english")
    expected = list(
        CandidateProfile.objects.filter(search_vector=query, citizenships__contains=["NO"])
        .order_by("-id")
        .values_list("id", flat=True)[:51]
    )
    assert found == expected
    assert len(found) > 0
