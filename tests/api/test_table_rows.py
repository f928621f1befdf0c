"""api.json_rows.TableRows, the page statement of a single-table queryset: the same rows, in
the same order, as the ORM's page query over the same queryset, for every step DRF's cursor
paginator takes (ordering, position, offset, reverse); and one row by id, as details read it."""

from datetime import timedelta

import orjson
import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Count
from django.http import Http404, QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.filters import ApplicationFilterSet, CandidateProfileFilterSet, VacancyFilterSet
from api.json_rows import TableRows, body_column, body_rows, row_by_id, single_table
from api.serializers.applications import APPLICATION_BODIES
from api.serializers.candidates import PROFILE_BODY
from api.serializers.vacancies import VACANCY_BODY
from recruitment import selectors
from recruitment.enums import Role, VacancyStatus
from recruitment.models import Application, CandidateProfile, LanguageSkill, Vacancy
from tests.factories import (
    make_application,
    make_candidate,
    make_organisation,
    make_user,
    make_vacancy,
)

pytestmark = pytest.mark.django_db


def filtered(filterset_class, scope, params: str):
    """The list's queryset as its view builds it: the caller's scope narrowed by the filters."""
    filterset = filterset_class(data=QueryDict(params), queryset=scope)
    assert filterset.is_valid(), filterset.errors
    return filterset.qs


def by_the_orm(queryset, body, fields, ordering, position=None, bounds=slice(0, None)):
    queryset = queryset.order_by(*ordering)
    if position is not None:
        queryset = queryset.filter(**position)
    return [row._asdict() for row in body_rows(queryset, body, *fields)[bounds]]


def by_table_rows(queryset, body, fields, ordering, position=None, bounds=slice(0, None)):
    """The rows as dicts (each is a named tuple: its fields' names, then `body`)."""
    rows = TableRows(queryset, body, fields).order_by(*ordering)
    if position is not None:
        rows = rows.filter(**position)
    return [row._asdict() for row in rows[bounds]]


@pytest.fixture
def vacancies():
    unicef, undp = make_organisation(slug="unicef"), make_organisation(slug="undp")
    made = []
    for n in range(9):  # titles tie in threes; every third one is closed
        made.append(
            make_vacancy(
                organisation=unicef if n % 2 else undp, title=f"Nutrition officer {n // 3}",
                status=VacancyStatus.CLOSED if n % 3 == 2 else VacancyStatus.PUBLISHED,
                grade="P-2" if n < 5 else "P-3", required_languages=["fr"] if n % 2 else [],
            )
        )  # fmt: skip
    return made


STEPS = [
    (("-id",), None, slice(0, 4)),
    (("id",), None, slice(0, 4)),
    (("title", "id"), None, slice(2, 5)),  # an offset, past rows that tie on the title
    (("-title", "-id"), None, slice(0, None)),
    (("-id",), "id__lt", slice(0, 3)),
    (("id",), "id__gt", slice(1, 3)),
    (("title", "id"), "title__gt", slice(0, 3)),
    (("-created_at", "-id"), "created_at__lt", slice(0, 2)),
]


@pytest.mark.parametrize(("ordering", "lookup", "bounds"), STEPS)
@pytest.mark.parametrize(
    "params", ["", "q=nutrition&open=true", "grade=P-2&grade=P-3&closes_after=2000-01-01T00:00Z"]
)
def test_vacancy_pages_equal_the_orm_page_query(vacancies, params, ordering, lookup, bounds):
    queryset = filtered(VacancyFilterSet, selectors.vacancy_scope(user=AnonymousUser()), params)
    fields = ["id", *(name.lstrip("-") for name in ordering)]  # `id` twice, ordered by id
    middle = vacancies[4]
    position = None
    if lookup is not None:
        position = {lookup: str(getattr(middle, lookup.rpartition("__")[0]))}

    orm = by_the_orm(queryset, VACANCY_BODY, fields, ordering, position, bounds)
    rows = by_table_rows(queryset, VACANCY_BODY, fields, ordering, position, bounds)

    assert single_table(queryset)
    assert rows == orm
    assert len(orm) > 0


def test_candidate_pages_with_sql_filters_equal_the_orm_page_query():
    recruiter = make_user(role=Role.RECRUITER)
    for n in range(6):
        user = make_candidate(citizenships=["NO"] if n % 2 else ["SE"])
        profile = CandidateProfile.objects.get(user=user)
        LanguageSkill.objects.create(
            profile=profile, language="fr", scale="cefr", level="C1" if n < 4 else "A2"
        )
    queryset = filtered(
        CandidateProfileFilterSet, selectors.candidate_profile_scope(user=recruiter),
        "citizenship=no&language=fr&language_level=B2",
    )  # fmt: skip
    fields = ["id", "user_id"]

    rows = by_table_rows(queryset, PROFILE_BODY, fields, ("-id",), None, slice(0, 51))

    assert rows == by_the_orm(queryset, PROFILE_BODY, fields, ("-id",), None, slice(0, 51))
    assert [row["id"] for row in rows] == sorted(
        CandidateProfile.objects.filter(
            citizenships__contains=["NO"], languages__language="fr", languages__level="C1"
        ).values_list("id", flat=True),
        reverse=True,
    )
    assert len(rows) == 2


def test_application_pages_of_a_vacancy_equal_the_orm_page_query(vacancies):
    recruiter = make_user(role=Role.RECRUITER)
    for vacancy in vacancies[:2]:
        for _ in range(3):
            make_application(candidate=make_candidate(), vacancy=vacancy)
    # `vacancy` filters on vacancy_id: the ORM keeps the join it trimmed away, unused.
    queryset = filtered(
        ApplicationFilterSet, selectors.application_scope(user=recruiter),
        f"vacancy={vacancies[0].pk}",
    )  # fmt: skip
    body = APPLICATION_BODIES[Role.RECRUITER]

    rows = by_table_rows(queryset, body, ["id"], ("-id",))

    assert single_table(queryset)
    assert rows == by_the_orm(queryset, body, ["id"], ("-id",))
    assert [row["id"] for row in rows] == sorted(
        Application.objects.filter(vacancy=vacancies[0]).values_list("id", flat=True),
        reverse=True,
    )


def test_an_empty_scope_is_no_rows_without_a_query():
    make_vacancy()
    rows = TableRows(Vacancy.objects.none(), VACANCY_BODY, ["id"]).order_by("-id")[0:51]

    with CaptureQueriesContext(connection) as queries:
        assert list(rows) == []
    assert queries.captured_queries == []


def test_queries_that_are_not_a_table_narrowed_by_a_where_are_not_single_table(vacancies):
    candidate = make_candidate()
    make_application(candidate=candidate, vacancy=vacancies[0])
    recent = timezone.now() - timedelta(days=1)
    not_single = {
        "a join in a filter": Vacancy.objects.filter(organisation__slug="unicef"),
        "a join in a scope": selectors.application_scope(user=candidate),
        "an annotation": Vacancy.objects.annotate(stations=Count("duty_stations")),
        "distinct": Vacancy.objects.filter(created_at__gte=recent).distinct(),
        "a slice": Vacancy.objects.all()[:5],
        "a row lock": Vacancy.objects.select_for_update(),
    }
    single = {
        "all": Vacancy.objects.all(),
        "a subquery": selectors.vacancy_scope(
            user=make_user(role=Role.PARTNER, organisation=vacancies[0].organisation)
        ),
    }

    assert {name: single_table(qs) for name, qs in {**not_single, **single}.items()} == {
        **dict.fromkeys(not_single, False),
        **dict.fromkeys(single, True),
    }


def test_a_row_by_id_equals_the_orm_row_and_outside_the_scope_or_range_is_404(vacancies):
    unhcr = make_organisation(slug="unhcr")
    partner = make_user(role=Role.PARTNER, organisation=unhcr)
    own_draft = make_vacancy(organisation=unhcr, status=VacancyStatus.DRAFT)
    foreign_draft = make_vacancy(organisation=vacancies[0].organisation, status=VacancyStatus.DRAFT)
    scope = selectors.vacancy_scope(user=partner)  # published ones, and its own organisation's

    def orm_row(pk, *also):
        return scope.filter(pk=pk).values(*also, body=body_column(VACANCY_BODY)).first()

    def answer_fields(pk, *also):
        row = answer(pk, *also)
        return row if row == 404 else row._asdict()

    def answer(pk, *also):
        try:
            return row_by_id(scope, pk, VACANCY_BODY, *also)
        except Http404:
            return 404

    shown = [vacancies[0].pk, own_draft.pk]
    with CaptureQueriesContext(connection) as queries:
        answer(own_draft.pk)
    sql, params = TableRows(scope.filter(pk=own_draft.pk), VACANCY_BODY, ()).statement()

    assert [query["sql"] for query in queries.captured_queries] == [
        connection.ops.compose_sql(sql, params)
    ]
    assert single_table(scope)
    assert {pk: answer_fields(pk) for pk in shown} == {pk: orm_row(pk) for pk in shown}
    assert answer_fields(own_draft.pk, "id", "status") == orm_row(own_draft.pk, "id", "status")
    assert answer(own_draft.pk, "id", "status")._fields == ("id", "status", "body")
    assert [answer(pk) for pk in (foreign_draft.pk, 2**63, -1, "abc")] == [404] * 4


def test_a_row_by_id_through_a_join_is_the_orm_row(vacancies):
    candidate = make_candidate()
    application = make_application(candidate=candidate, vacancy=vacancies[0])
    scope = selectors.application_scope(user=candidate)  # the candidate's own: a join
    body = APPLICATION_BODIES[Role.CANDIDATE]

    with CaptureQueriesContext(connection) as queries:
        row = row_by_id(scope, application.pk, body, "version")
    orm = scope.filter(pk=application.pk).values("version", body=body_column(body)).order_by("pk")

    assert not single_table(scope.filter(pk=application.pk))
    assert [query["sql"] for query in queries.captured_queries] == [
        connection.ops.compose_sql(*orm[:1].query.sql_with_params())
    ]
    assert row._asdict() == orm.first()
    assert row._fields == ("version", "body")
    assert orjson.loads(row.body)["id"] == application.pk


def test_a_field_named_twice_is_one_on_both_paths(vacancies):
    candidate = make_candidate()
    application = make_application(candidate=candidate, vacancy=vacancies[0])
    single = selectors.vacancy_scope(user=AnonymousUser())
    joined = selectors.application_scope(user=candidate)
    body = APPLICATION_BODIES[Role.CANDIDATE]
    newest = max(v.pk for v in vacancies if v.status == VacancyStatus.PUBLISHED)

    rows = [
        row_by_id(single, vacancies[0].pk, VACANCY_BODY, "id", "status", "id"),
        row_by_id(joined, application.pk, body, "id", "status", "id"),
        *TableRows(single, VACANCY_BODY, ["id", "id"]).order_by("-id")[0:1],
        *body_rows(joined, body, "id", "id"),
    ]

    assert [row._fields for row in rows] == [("id", "status", "body")] * 2 + [("id", "body")] * 2
    assert [row.id for row in rows] == [vacancies[0].pk, application.pk, newest, application.pk]


def test_statements_of_one_model_with_different_bodies_differ():
    """The text of a statement is written once per shape: each role's application body is
    part of the shape, so one role never gets another's statement."""
    scope = Application.objects.all()
    statements = {
        role: TableRows(scope, body, ["id"]).order_by("-id")[0:51].statement()
        for role, body in APPLICATION_BODIES.items()
    }

    assert {role: sql for role, (sql, _) in statements.items()} == {
        role: f'SELECT "recruitment_application"."id", ({body})::text '
        'FROM "recruitment_application" ORDER BY "recruitment_application"."id" DESC LIMIT %s'
        for role, body in APPLICATION_BODIES.items()
    }
    assert len({sql for sql, _ in statements.values()}) == len(set(APPLICATION_BODIES.values()))
