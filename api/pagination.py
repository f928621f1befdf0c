"""Cursor pagination: stable pages without COUNT(*) over large tables."""

from rest_framework import pagination


class CursorPagination(pagination.CursorPagination):
    """`results` plus `next`/`previous` links; `?limit=` up to 200; newest first by default."""

    ordering = "-id"
    page_size_query_param = "limit"
    max_page_size = 200

    def get_ordering(self, request, queryset, view):
        """Append the primary key so rows that tie on the requested field keep a fixed order."""
        ordering = list(super().get_ordering(request, queryset, view))
        if not any(field.lstrip("-") in ("id", "pk") for field in ordering):
            ordering.append("-id" if ordering[0].startswith("-") else "id")
        return tuple(ordering)
