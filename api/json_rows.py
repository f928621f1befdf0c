"""Hot lists' rows built as JSON by PostgreSQL: one statement per page, no per-row Python.

A resource's body is one SQL expression over its table (`json_object(...)`, nested lists as
correlated `json_list(...)` subqueries), written once as text. A page of a single-table
queryset (the caller's scope narrowed by the filters' WHERE), or one row of it by id, is a
statement written around that WHERE (`TableRows`); any other queryset gets the body from the
ORM as a column (`body_column`), without an expression tree to resolve or compile on each
request. Each body reaches the client unchanged inside the page (`fragments`: orjson embeds
them as they are).

The bodies are the ones the resources' serializers give: timestamps in UTC with a `Z` and
microseconds only when there are any (`instant`), dates as ISO-8601, decimals as strings
(tests/api/test_json_rows.py compares them with the serializers field for field).
"""

import copy
import functools
from collections import namedtuple
from collections.abc import Iterable

import orjson
from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections
from django.db.models import QuerySet, TextField
from django.db.models.expressions import RawSQL
from django.db.models.sql.datastructures import BaseTable
from django.http import Http404

from api.pagination import ordering_field


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


@functools.cache
def row_type(names: tuple[str, ...]) -> type:
    """The named tuple a row of these fields and `body` is, one class per shape, as the ORM's
    `values_list(named=True)` rows are. DRF's cursor paginator reads a row's position with
    getattr; a dict per row cost twice as much Python to build."""
    return namedtuple("Row", [*names, "body"])


def body_rows(queryset: QuerySet, body: str, *fields: str) -> QuerySet:
    """`queryset` as named tuples of `fields` (a field named twice is one) and `body` as JSON
    text. (annotate() checks `body` against the model's fields, about 10 µs that values()
    before annotate() avoids, but then the ORM's named tuples would not hold `body`.)"""
    fields = dict.fromkeys(fields)
    return queryset.annotate(body=body_column(body)).values_list(*fields, "body", named=True)


def single_table(queryset: QuerySet) -> bool:
    """Whether `queryset` is rows of its table narrowed by a WHERE clause only: no join, no
    annotation, no grouping, no DISTINCT, no slice, no row lock (subqueries in its conditions
    are fine)."""
    query = queryset.query
    return not (
        query.annotations or query.extra or query.extra_tables or query.distinct
        or query.combinator or query.group_by is not None or query.is_sliced
        or query.select_for_update
        or any(
            query.alias_refcount[alias]  # a join trimmed away stays, unused
            and (not isinstance(table, BaseTable) or alias != table.table_name)
            for alias, table in query.alias_map.items()
        )
    )  # fmt: skip


class TableRows:
    """The page statement of a single-table queryset (`single_table`): its WHERE (the caller's
    scope and the list's filters) compiled by Django, the rest written here. Each row is a
    named tuple (`row_type`) of `fields` (model fields, if any) and `body` as JSON text.

    It answers exactly what DRF's CursorPagination asks of a queryset: `order_by` with field
    names, one `filter(<field>__lt=...)` or `__gt` for the cursor's position, one slice, and
    iteration. Building the whole page query with the ORM (values, annotate, order_by and a
    slice, each a clone, then compiling them all) cost more Python than the rest of a
    filtered list request; compiling a WHERE costs a fraction of it."""

    OPERATORS = {"lt": "<", "gt": ">"}

    def __init__(self, queryset: QuerySet, body: str, fields: Iterable[str]):
        self.model = queryset.model
        self._queryset, self._body = queryset, body
        self._fields = tuple(dict.fromkeys(fields))  # a field named twice is one
        self._ordering: tuple[str, ...] = ()
        self._position: tuple[str, str, object] | None = None
        self._slice = slice(0, None)

    def _with(self, **changes) -> "TableRows":
        rows = copy.copy(self)
        rows.__dict__.update(changes)
        return rows

    def order_by(self, *ordering: str) -> "TableRows":
        return self._with(_ordering=ordering)

    def filter(self, **position: object) -> "TableRows":
        ((lookup, value),) = position.items()
        name, _, operator = lookup.rpartition("__")
        return self._with(_position=(name, self.OPERATORS[operator], value))

    def __getitem__(self, bounds: slice) -> "TableRows":
        return self._with(_slice=bounds)

    def __iter__(self):
        statement = self.statement()
        if statement is None:  # the scope or a filter matches nothing
            return iter(())
        make = row_type(self._fields)._make
        with connections[self._queryset.db].cursor() as cursor:
            cursor.execute(*statement)
            return iter([make(values) for values in cursor.fetchall()])

    def statement(self) -> tuple[str, list] | None:
        """The SQL and its parameters; None when the WHERE can match no row."""
        query, alias = self._queryset.query, self._queryset.db
        connection = connections[alias]
        try:
            where, params = query.get_compiler(connection=connection).compile(query.where)
            conditions, params = [f"({where})"], list(params)
        except FullResultSet:
            conditions, params = [], []
        except EmptyResultSet:
            return None
        position = self._position
        select, order, after = _statement_text(
            self.model, self._fields, self._body, self._ordering,
            position[:2] if position is not None else None, alias,
        )  # fmt: skip
        if position is not None:
            field = ordering_field(self.model, position[0])
            conditions.append(after)
            params.append(field.get_db_prep_value(field.to_python(position[2]), connection))
        sql = select
        if conditions:
            sql += f" WHERE {' AND '.join(conditions)}"
        sql += order
        start, stop = self._slice.start or 0, self._slice.stop
        if stop is not None:
            sql += " LIMIT %s"
            params.append(stop - start)
        if start:
            sql += " OFFSET %s"
            params.append(start)
        return sql, params


@functools.lru_cache(maxsize=256)
def _statement_text(model, fields, body, ordering, position, alias) -> tuple[str, str, str]:
    """A TableRows statement's text that depends on its shape only, written once per shape:
    `SELECT <fields and body> FROM <table>`, ` ORDER BY ...` (or nothing) and the condition
    on the cursor's position (or nothing)."""
    quote = connections[alias].ops.quote_name
    table = quote(model._meta.db_table)

    def column(name: str) -> str:
        return f"{table}.{quote(ordering_field(model, name).column)}"

    # bandit B608, accepted 2026-11-28: names from the model's metadata, the body from our
    # code; values are parameters.
    columns = [*(column(name) for name in fields), f"({body})::text"]
    select = f"SELECT {', '.join(columns)} FROM {table}"  # nosec B608
    order = ", ".join(
        f"{column(name.lstrip('-'))} {'DESC' if name.startswith('-') else 'ASC'}"
        for name in ordering
    )
    after = "" if position is None else f"{column(position[0])} {position[1]} %s"
    return select, f" ORDER BY {order}" if order else "", after


def paginated_rows(view, queryset: QuerySet, body: str, *also: str) -> list[tuple] | None:
    """The view's page of `queryset` as rows of the cursor's ordering fields, `id`, the fields
    in `also`, and `body` as JSON text (one statement: TableRows for a single-table queryset,
    the ORM's otherwise)."""
    ordering = view.paginator.get_ordering(view.request, queryset, view)
    fields = ["id", *(field.lstrip("-") for field in ordering), *also]
    if single_table(queryset):
        return view.paginate_queryset(TableRows(queryset, body, fields))
    return view.paginate_queryset(body_rows(queryset, body, *fields))


def row_by_id(queryset: QuerySet, pk: object, body: str, *also: str) -> tuple:
    """The row of `queryset` with id `pk`, a named tuple of the fields in `also` and `body`, in
    one statement (TableRows for a single-table queryset, the ORM's otherwise); Http404 when
    the id is not in the queryset (the caller's scope) or is not an id at all."""
    try:
        queryset = queryset.filter(pk=pk)  # Django's own lookup: an id out of range is no row
    except (TypeError, ValueError):  # not an id
        raise Http404 from None
    if single_table(queryset):
        row = next(iter(TableRows(queryset, body, also)), None)
    else:
        row = body_rows(queryset, body, *also).first()
    if row is None:
        raise Http404
    return row


def fragments(rows: Iterable[tuple]) -> list[orjson.Fragment]:
    """Each row's body, for the renderer to embed unchanged."""
    return [orjson.Fragment(row.body) for row in rows]
