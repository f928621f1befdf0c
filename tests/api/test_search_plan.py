"""The vacancy text search is answered by its GIN index at a realistic size (EXPLAIN).

A btree index on (status, closes_at) once made PostgreSQL walk it instead and tripled the
search time; this test fails if any such index (or anything else) takes over the plan."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict

from api.filters import VacancyFilterSet
from api.json_rows import body_column
from api.serializers.vacancies import VACANCY_BODY
from recruitment import selectors

pytestmark = pytest.mark.django_db


def page_query(params: str):
    """The vacancy list's page query for an anonymous caller, as the API builds it: the
    caller's scope, the filters, newest first, one row more than the page for the cursor,
    each row's body built by PostgreSQL."""
    queryset = selectors.vacancy_scope(user=AnonymousUser())
    filtered = VacancyFilterSet(data=QueryDict(params), queryset=queryset).qs
    return filtered.order_by("-id").values("id", body=body_column(VACANCY_BODY))[:51]


def test_vacancy_text_search_uses_the_full_text_index():
    # 20,000 vacancies: enough pages that the planner's choice is the one it makes at scale.
    call_command("seed_scale", vacancies=20_000, candidates=10, applications=0, seed=3)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE recruitment_vacancy")

    plan = page_query("q=nutrition+juba&open=true&grade=P-2&grade=P-3").explain()
    found = [row["id"] for row in page_query("q=nutrition+juba")]

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
