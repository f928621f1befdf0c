"""Mass assignment (OWASP API3 2023): server-set fields sent in a write's body are rejected, or
ignored where an operation takes no body, for every caller, and change nothing.

The server-set fields of an operation are read from openapi.yaml: the properties of its
success response that its request body does not declare (ids, statuses, owners, scores,
timestamps, secrets), plus the owner-like names below. Each is sent with a value of its own
type next to the otherwise valid body.
"""

import pytest
from django.db import transaction

from tests.api.operations import body_for, json_body, load_schema, schema_operations, send
from tests.api.world import CALLERS, build_world, database_fingerprint

# Owner-like names sent to every write even when its response does not show them.
ALWAYS_SENT = ("id", "status", "organisation", "owner", "user", "candidate", "created_at")
REFUSALS = {401, 403, 404}
READ_ONLY = "This field is read-only."
UNKNOWN = "Unknown field."
SCHEMA = load_schema()


def _resolve(schema: dict | None) -> dict:
    while schema and "$ref" in schema:
        schema = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    if schema and "allOf" in schema:
        return _resolve(schema["allOf"][0])
    return schema or {}


def _json_schema(content: dict | None) -> dict:
    return _resolve((content or {}).get("application/json", {}).get("schema"))


def _junk(schema: dict) -> object:
    """A value of the property's own type, that no server would set."""
    kind = _resolve(schema).get("type", "string")
    return {
        "integer": 987654,
        "number": 987654,
        "boolean": True,
        "array": ["injected"],
        "object": {"injected": True},
    }.get(kind, "injected-by-client")


def _success(operation) -> dict:
    responses = sorted(operation.spec["responses"].items())
    return next((spec for code, spec in responses if code[0] == "2"), {})


def server_set_fields(operation) -> dict[str, object]:
    """Field name -> junk value, for every field the caller may not set."""
    request = _json_schema(operation.spec.get("requestBody", {}).get("content"))
    writable = set(request.get("properties", {}))
    shown = _json_schema(_success(operation).get("content")).get("properties", {})
    fields = {name: _junk(prop) for name, prop in shown.items() if name not in writable}
    fields.update({name: "injected-by-client" for name in ALWAYS_SENT if name not in writable})
    return dict(sorted(fields.items()))


WRITES = [operation for operation in schema_operations() if operation.writes]


def takes_body(operation) -> bool:
    return "requestBody" in operation.spec


@pytest.mark.django_db
@pytest.mark.parametrize("operation", WRITES, ids=lambda operation: operation.operation_id)
def test_server_set_fields_are_rejected_or_ignored(operation):
    world = build_world()
    injected = server_set_fields(operation)
    known = set(_json_schema(_success(operation).get("content")).get("properties", {}))
    before = database_fingerprint()
    wrong = []

    for caller in CALLERS:
        body = {**body_for(operation, world, caller), **injected}
        with transaction.atomic():
            response = send(caller, operation, world, body=body)
            after = database_fingerprint()
            transaction.set_rollback(True)
        data = json_body(response)
        if response.status_code in REFUSALS or response.status_code == 400:
            if after != before:
                wrong.append(f"{caller}: {response.status_code} but the database changed")
            if response.status_code == 400 and takes_body(operation):
                rejected = {
                    name: messages
                    for name, messages in data.get("fields", {}).items()
                    if name in injected
                }
                expected = {
                    name: [READ_ONLY if name in known else UNKNOWN]
                    for name in injected
                    if name not in body_for(operation, world, caller)
                }
                if {name: expected.get(name) for name in rejected} != expected:
                    wrong.append(f"{caller}: 400 without refusing every injected field: {data}")
        elif takes_body(operation):
            wrong.append(f"{caller}: accepted server-set fields with {response.status_code}")
        else:
            # A boolean junk value may equal the real one by chance: only distinctive values tell.
            echoed = sorted(
                name
                for name, value in injected.items()
                if not isinstance(value, bool)
                and isinstance(data, dict)
                and data.get(name) == value
            )
            if echoed:
                wrong.append(f"{caller}: a body-less operation took {echoed}")

    assert wrong == []
