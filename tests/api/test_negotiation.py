"""Content negotiation: JSON for what API clients send, 406 for what we cannot give."""

import pytest

pytestmark = pytest.mark.django_db

URL = "/api/v1/vacancies/"


@pytest.mark.parametrize(
    "accept", [None, "*/*", "application/json", " application/json ", "application/*", "*/*;q=0.8"]
)
def test_json_is_given_to_clients_that_take_it(anonymous, accept):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}

    response = anonymous.get(URL, **headers)

    assert (response.status_code, response["Content-Type"]) == (200, "application/json")
    assert response.json() == {"next": None, "previous": None, "results": []}


@pytest.mark.parametrize("accept", ["text/html", "application/xml"])
def test_other_media_types_are_not_acceptable(anonymous, accept):
    response = anonymous.get(URL, HTTP_ACCEPT=accept)

    assert response.status_code == 406
    assert response.json() == {
        "code": "not_acceptable",
        "detail": "Could not satisfy the request Accept header.",
    }


def test_another_format_override_is_not_found(anonymous):
    response = anonymous.get(URL, {"format": "xml"})

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Not found."}


def test_the_json_format_override_is_json(anonymous):
    response = anonymous.get(URL, {"format": "json"})

    assert (response.status_code, response["Content-Type"]) == (200, "application/json")
    assert response.json() == {"next": None, "previous": None, "results": []}
