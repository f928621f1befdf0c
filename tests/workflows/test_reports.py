"""Small-cell suppression of the parity tables (a pure function)."""

import pytest

from workflows.reports import suppress


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"a": 10, "b": 7}, (17, [("a", 10), ("b", 7)])),
        # One small cell: the smallest shown one goes too, or total - shown would reveal it.
        ({"a": 10, "b": 7, "c": 2}, (19, [("a", 10), ("b", None), ("c", None)])),
        # Ties on the smallest shown cell are broken by value, so the choice is stable.
        ({"a": 7, "b": 7, "c": 1}, (15, [("a", None), ("b", 7), ("c", None)])),
        # Two small cells already protect each other.
        ({"a": 10, "b": 3, "c": 4}, (17, [("a", 10), ("b", None), ("c", None)])),
        # A lone small cell with nothing else to hide: the total gives it away, so hide it all.
        ({"a": 4}, (None, [("a", None)])),
        ({"a": 2, "b": 2}, (None, [("a", None), ("b", None)])),
        ({"a": 5}, (5, [("a", 5)])),
        ({}, (None, [])),
    ],
)
def test_suppress_hides_small_cells_and_their_complements(cells, expected):
    total, table = suppress(cells)

    assert (total, [(cell["value"], cell["count"]) for cell in table]) == expected
