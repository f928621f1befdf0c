"""JSON log lines never carry personal data: no query strings, no exception messages."""

import json
import logging
import sys

from rest_framework.test import APIClient

from recruitment.logs import JsonFormatter


def test_a_request_is_logged_as_method_and_path_without_the_query(db, caplog):
    APIClient().get("/api/v1/candidates/?email=astrid@example.org&name=Astrid")

    [record] = [record for record in caplog.records if record.name == "django.request"]
    line = json.loads(JsonFormatter().format(record))

    assert {key: value for key, value in line.items() if key != "time"} == {
        "level": "WARNING",
        "logger": "django.request",
        "event": "Unauthorized: /api/v1/candidates/",
        "status_code": 401,
        "request": "GET /api/v1/candidates/",
    }


def test_an_exception_is_logged_as_type_and_frames_without_its_message():
    def fail():
        raise ValueError("Key (email)=(astrid@example.org) already exists.")

    try:
        fail()
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "crashed", (), None)
        record.exc_info = sys.exc_info()

    line = json.loads(JsonFormatter().format(record))

    assert line["exception"]["type"] == "builtins.ValueError"
    assert [frame.rsplit(" in ", 1)[1] for frame in line["exception"]["frames"]] == [
        "test_an_exception_is_logged_as_type_and_frames_without_its_message",
        "fail",
    ]
    assert "astrid" not in json.dumps(line)
