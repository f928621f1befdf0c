"""Hot lists' rows built as JSON by PostgreSQL: one statement per page, no per-row Python.

A resource's body is one SQL expression over its table (`json_object(...)`, nested lists as
correlated `json_list(...)` subqueries), written once as text: the ORM adds it to the caller's
scoped and filtered queryset as a column (`body_column`) without resolving or compiling an
expression tree on each request. Each body reaches the client unchanged inside the page
(`fragments`: orjson embeds them as they are).

The bodies are the ones the resources' serializers give: timestamps in UTC with a `Z` and
microseconds only when there are any (`instant`), dates as ISO-8601, decimals as strings
(tests/api/test_json_rows.py compares them with the serializers field for field).
"""

import functools
from collections.abc import Iterable

import orjson
from django.db.models import QuerySet, TextField
from django.db.models.expressions import RawSQL
from django.http import Http404


def instant(column: str) -> str:
    """A timestamp as DRF renders it: `2026-11-28T06:30:00Z`, `...:00.250000Z`; null stays.
    (One to_char whose format depends on whole seconds: a third of a regexp_replace's cost.)"""
    return (
        f"to_char({column} AT TIME ZONE 'UTC', CASE WHEN date_trunc('second', {column}) = "
        f'{column} THEN \'YYYY-MM-DD"T"HH24:MI:SS"Z"\' '
        f'ELSE \'YYYY-MM-DD"T"HH24:MI:SS.US"Z"\' END)'
    )


def json_object(**fields: str) -> str:
    """`json_build_object('key', <sql>, ...)`, keys in the order given."""
    if not all(key.isidentifier() for key in fields):
        raise ValueError("JSON keys are written into the SQL: identifiers only.")
    pairs = ", ".join(f"'{key}', {sql}" for key, sql in fields.items())
    return f"json_build_object({pairs})"


def json_list(source: str, order_by: str, **fields: str) -> str:
    """The JSON array of json_object(**fields) over `source` (`FROM ... WHERE ...`, correlated
    with the outer row), ordered by `order_by`; `[]` when there are none."""
    return (
        f"coalesce((SELECT json_agg({json_object(**fields)} ORDER BY {order_by}) {source}), "
        "'[]'::json)"
    )


@functools.cache
def body_column(sql: str) -> RawSQL:
    """The body as JSON text (psycopg hands text over without parsing it), as a column of a
    top-level queryset over the table the SQL names (Django's alias for a query's own table is
    the table's name). One expression per body, kept, its identity worked out at once: a query
    resolves a (shallow) copy of it, which carries that identity along. Compiling an ORDER BY
    hashes the selected expressions, and working out an identity costs an `inspect` signature
    binding."""
    expression = RawSQL(f"({sql})::text", [], output_field=TextField())  # nosec B611: constant
    expression.identity  # noqa: B018 - a cached property, computed here once
    return expression


def body_rows(queryset: QuerySet, body: str, *fields: str) -> QuerySet:
    """`queryset` as rows of `fields` (at least one) and `body` as JSON text."""
    # values() then annotate(): a values() given the expression too checks its name against
    # every field of the model first.
    return queryset.values(*fields).annotate(body=body_column(body))


def paginated_rows(view, queryset: QuerySet, body: str, *also: str) -> list[dict] | None:
    """The view's page of `queryset` as rows of the cursor's ordering fields, `id`, the fields
    in `also`, and `body` as JSON text (one statement)."""
    ordering = view.paginator.get_ordering(view.request, queryset, view)
    fields = dict.fromkeys(["id", *(field.lstrip("-") for field in ordering), *also])
    return view.paginate_queryset(body_rows(queryset, body, *fields))


def row_by_id(queryset: QuerySet, pk: object, body: str, *also: str) -> dict:
    """The row of `queryset` with id `pk` as `body` (JSON text) and the fields in `also`, in
    one statement; Http404 when the id is not in the queryset (the caller's scope) or is not
    an id at all."""
    try:
        row = queryset.filter(pk=pk).values(*also, body=body_column(body)).first()
    except (TypeError, ValueError):  # not an id
        row = None
    if row is None:
        raise Http404
    return row


def fragments(rows: Iterable[dict], key: str = "body") -> list[orjson.Fragment]:
    """Each row's JSON text, for the renderer to embed unchanged."""
    return [orjson.Fragment(row[key]) for row in rows]
