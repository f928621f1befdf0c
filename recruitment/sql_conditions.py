"""Filter conditions written as SQL over a top-level queryset's row (Django's alias for a
query's own table is the table's name): the search filters' hot conditions, which built as ORM
expressions cost more to resolve and compile on every request than the SQL they add."""

from collections.abc import Sequence

from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

# One output field for every condition, as Django's own Exists shares one: a field made per
# condition costs a model field's construction on each request.
BOOLEAN = BooleanField()


def condition(sql: str, params: Sequence[object]) -> RawSQL:
    """`sql` with `%s` placeholders for `params`, as a condition for `QuerySet.filter`."""
    # bandit B611, accepted 2026-11-28: callers pass constant SQL texts; values are params.
    return RawSQL(sql, list(params), output_field=BOOLEAN)  # nosec B611


def all_of(conditions: Sequence[RawSQL]) -> RawSQL:
    """The conditions joined by AND as one: Django resolves each condition a filter is given,
    and wraps it in a lookup, at about the cost of a small query's whole compilation."""
    if len(conditions) == 1:
        return conditions[0]
    return condition(
        " AND ".join(f"({each.sql})" for each in conditions),
        [param for each in conditions for param in each.params],
    )
