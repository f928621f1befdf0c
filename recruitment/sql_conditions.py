"""Filter conditions written as SQL over a top-level queryset's row (Django's alias for a
query's own table is the table's name): the search filters' hot conditions, which built as ORM
expressions cost more to resolve and compile on every request than the SQL they add."""

from collections.abc import Sequence

from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.db.models.sql import Query

# One output field for every condition, as Django's own Exists shares one: a field made per
# condition costs a model field's construction on each request.
BOOLEAN = BooleanField()


class SqlCondition(RawSQL):
    """A condition written as SQL. It holds no expression and refers to no query (only to the
    row's own table by name), so resolving it against a query gives it unchanged. Django's
    RawSQL copies itself to resolve, once when filtered and again when compiled: about a
    fifth of building and compiling a filtered candidate page's WHERE.

    Django resolves RawSQL against a model with parents (multi-table inheritance) to join
    the parents' tables a column may name; over such a model, summarized or for a save, it is
    resolved as Django resolves RawSQL."""

    def resolve_expression(
        self,
        query: Query | None = None,
        allow_joins: bool = True,
        reuse: set[str] | None = None,
        summarize: bool = False,
        for_save: bool = False,
    ) -> RawSQL:
        model = query.model if query is not None else None
        if summarize or for_save or (model is not None and model._meta.all_parents):
            return super().resolve_expression(query, allow_joins, reuse, summarize, for_save)
        return self


def condition(sql: str, params: Sequence[object]) -> SqlCondition:
    """`sql` with `%s` placeholders for `params`, as a condition for `QuerySet.filter` of a
    top-level queryset: the SQL names the row's table, which Django aliases (`U0`) in a
    subquery over the same model, where the condition would test the outer row instead."""
    # bandit B611, accepted 2026-11-28: callers pass constant SQL texts; values are params.
    return SqlCondition(sql, list(params), output_field=BOOLEAN)  # nosec B611


def all_of(conditions: Sequence[SqlCondition]) -> SqlCondition:
    """The conditions joined by AND as one: Django resolves each condition a filter is given,
    and wraps it in a lookup, at about the cost of a small query's whole compilation."""
    if len(conditions) == 1:
        return conditions[0]
    return condition(
        " AND ".join(f"({each.sql})" for each in conditions),
        [param for each in conditions for param in each.params],
    )
