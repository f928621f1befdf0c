"""Fast bulk inserts with PostgreSQL COPY, for feed syncs and scale seeding.

`bulk_create` builds a model instance per row and, on PostgreSQL, dumps every column as an
array in Python; for tens of thousands of rows COPY is an order of magnitude faster. Rows are
plain tuples in the order of `columns`; ids are reserved from the table's sequence first, so
callers know them without RETURNING.
"""

from collections.abc import Iterable, Sequence

from django.db import connection, models


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` fresh primary keys from the model's id sequence."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def copy_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[object]]
) -> int:
    """COPY `rows` into the model's table (column names as in the database); returns the count.

    Runs on Django's connection, so it joins the caller's transaction. Values are adapted by
    psycopg; pass JSON columns as already-encoded strings.
    """
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    count = 0
    connection.ensure_connection()
    with (
        connection.connection.cursor() as cursor,
        cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)
            count += 1
    return count
