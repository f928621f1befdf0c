"""Cursor pagination: stable pages without COUNT(*) over large tables."""

from base64 import b64encode
from urllib.parse import quote, urlencode

from django.core.exceptions import ValidationError
from django.utils.encoding import iri_to_uri
from rest_framework import pagination
from rest_framework.exceptions import NotFound

from api.responses import rendered


def ordering_field(model, name: str):
    """The model field an ordering name (`pk` or a field's name) orders by."""
    return model._meta.pk if name == "pk" else model._meta.get_field(name)


class CursorPagination(pagination.CursorPagination):
    """`results` plus `next`/`previous` links; `?limit=` up to 200; newest first by default."""

    ordering = "-id"
    page_size_query_param = "limit"
    max_page_size = 200

    _ordering_of = None  # (request, view, ordering) of the last answer

    def get_ordering(self, request, queryset, view):
        """Append the primary key so rows that tie on the requested field keep a fixed order;
        a field named again (`?ordering=id,-id`) orders nothing more and is dropped.

        Worked out once per request and view: a list asks before it pages (api.json_rows),
        with its queryset, and DRF asks again with the page's rows (the answer would only
        depend on them for views without `ordering_fields`)."""
        known = self._ordering_of
        if known is not None and known[0] is request and known[1] is view:
            return known[2]
        named = {}
        for term in super().get_ordering(request, queryset, view):
            named.setdefault(term.lstrip("-"), term)
        ordering = list(named.values())
        if "id" not in named and "pk" not in named:
            ordering.append("-id" if ordering[0].startswith("-") else "id")
        self._ordering_of = (request, view, tuple(ordering))
        return self._ordering_of[2]

    def paginate_queryset(self, queryset, request, view=None):
        self.model = queryset.model  # whose field the cursor's position is a value of
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        """DRF's decoding, and a position that is not a value of the ordering's field (a
        forged cursor) is an invalid cursor too: 404, as DRF answers any other forged cursor,
        where the query would have failed with a 500."""
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            field = ordering_field(self.model, self.ordering[0].lstrip("-"))
            try:
                field.to_python(cursor.position)
            except ValidationError:
                raise NotFound(self.invalid_cursor_message) from None
        return cursor

    def encode_cursor(self, cursor):
        """The link to the page at `cursor`: this request's URL with its other parameters as
        the client sent them and `cursor` last. (DRF parses the whole query string back and
        encodes every parameter again, sorted, for every link.) The cursor is encoded as DRF
        encodes it."""
        tokens = {}
        if cursor.offset != 0:
            tokens["o"] = str(cursor.offset)
        if cursor.reverse:
            tokens["r"] = "1"
        if cursor.position is not None:
            tokens["p"] = cursor.position
        encoded = b64encode(urlencode(tokens, doseq=True).encode("ascii")).decode("ascii")
        name = self.cursor_query_param
        kept = [
            pair
            for pair in iri_to_uri(self.request.META.get("QUERY_STRING", "")).split("&")
            if pair and pair.partition("=")[0] != name
        ]
        query = "&".join([*kept, f"{name}={quote(encoded, safe='')}"])
        return f"{self.base_url.partition('?')[0]}?{query}"

    def get_paginated_response(self, data):
        """DRF's page (`next`, `previous`, `results`), rendered at once (api.responses)."""
        return rendered(
            self.request,
            {"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data},
        )
