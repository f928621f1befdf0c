"""api.responses.rendered: DRF's answer, rendered when it is made."""

import datetime
import decimal
import uuid

import orjson
import pytest
from django.utils.translation import gettext_lazy
from drf_orjson_renderer.renderers import ORJSONRenderer
from rest_framework.permissions import AllowAny
from rest_framework.renderers import StaticHTMLRenderer
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from api.responses import rendered

DATA = [
    {"next": None, "previous": None, "results": []},
    {
        "next": "http://testserver/api/v1/candidates/?limit=2&cursor=cD0xMg%3D%3D",
        "previous": None,
        "results": [
            orjson.Fragment(b'{"id": 12, "name": "\\u00e9"}'),
            orjson.Fragment('{"id":11}'),
        ],
    },
    {
        "at": datetime.datetime(2026, 12, 7, 6, 30, 0, 250000, tzinfo=datetime.UTC),
        "on": datetime.date(2026, 12, 7),
        "amount": decimal.Decimal("12.50"),
        "key": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "label": gettext_lazy("Not found."),
        "nested": [{"empty": None, "flag": True, "ratio": 0.25}],
    },
    orjson.Fragment(b'{"id": 1}'),
    [1, "two", None],
]


def answer(renderers, make, accept):
    """Status, headers and body of a DRF view answering `make(request)`, as the client gets it."""

    class View(APIView):
        authentication_classes, throttle_classes = [], []
        permission_classes, renderer_classes = [AllowAny], renderers

        def get(self, request):
            return make(request)

    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    response = View.as_view()(APIRequestFactory().get("/things/", **headers))
    if isinstance(response, Response):
        response.render()
    return response.status_code, dict(response.headers), response.content


@pytest.mark.parametrize("accept", [None, "*/*", "application/json", "application/json; x=1"])
@pytest.mark.parametrize("status", [200, 201])
@pytest.mark.parametrize("data", DATA)
def test_a_json_answer_is_the_one_drf_renders(data, status, accept):
    ours = answer([ORJSONRenderer], lambda request: rendered(request, data, status), accept)
    drf = answer([ORJSONRenderer], lambda request: Response(data, status=status), accept)

    assert ours == drf
    assert ours[1]["Content-Type"] == "application/json"


class CharsetJSONRenderer(ORJSONRenderer):
    charset = "utf-8"


def test_a_json_renderer_with_a_charset_gets_drfs_response():
    made = []

    def make(request):
        made.append(rendered(request, {"id": 1}))
        return made[-1]

    ours = answer([CharsetJSONRenderer], make, None)

    assert type(made[0]) is Response
    assert ours == answer([CharsetJSONRenderer], lambda request: Response({"id": 1}), None)
    assert ours[1]["Content-Type"] == "application/json; charset=utf-8"


def test_another_renderer_gets_drfs_response_rendered_by_drf():
    made = []

    def make(request):
        made.append(rendered(request, "<p>Report</p>"))
        return made[-1]

    ours = answer([StaticHTMLRenderer], make, "text/html")

    assert type(made[0]) is Response
    assert ours == answer([StaticHTMLRenderer], lambda request: Response("<p>Report</p>"), None)
    assert ours[2] == b"<p>Report</p>"
