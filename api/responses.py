"""JSON answers rendered when they are made: list pages, the JSON-row details and the
shortlist, and the vacancy and application answers (reads and writes alike)."""

from django.http import HttpResponse
from django.http.response import HttpResponseBase
from rest_framework.response import Response


def rendered(request, data: object, status: int = 200) -> HttpResponseBase:
    """`data` rendered by the request's negotiated renderer, as DRF would render it, when that
    renderer writes JSON bytes (the API's renderer); any other (a report's HTML) gets DRF's
    Response, rendered by DRF after the view returns.

    DRF renders a Response through Django's template response: a renderer context per
    response, a `rendered_content` property, post-render callbacks and the Content-Type set
    twice. That machinery cost about 100,000 instructions a request, 2% of a filtered list.
    The body and the headers are the same (tests/api/test_responses.py)."""
    renderer = request.accepted_renderer
    if renderer.format != "json" or renderer.charset is not None:
        return Response(data, status=status)
    body = renderer.render(data, request.accepted_media_type)
    return HttpResponse(body, status=status, content_type=renderer.media_type)
