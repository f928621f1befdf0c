"""Fuzzing (OWASP API4/API8 2023): schemathesis generates requests for every operation of
openapi.yaml, valid and invalid, as each role; no answer may be a server error, and every
answer must conform to the schema (status code, content type, body, headers).

Bounded and reproducible: FUZZ_EXAMPLES examples (default 6) per operation and role,
derandomized, so a CI run costs a few minutes and fails the same way every time. Half of the
generated requests aim at the security world's real objects, so they get past the 404s.
"""

import os
from contextlib import contextmanager

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug import Client

from tests.api.operations import PARAMETER_OBJECTS, SCHEMA_FILE, schema_operations, url_of
from tests.api.world import build_world

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))
ROLES = ("anonymous", "candidate_a", "partner_x", "recruiter", "admin", "client_write")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]

SCHEMA = schemathesis.openapi.from_path(SCHEMA_FILE)
SCHEMA.app = get_wsgi_application()
OPERATIONS = {
    operation.operation_id: operation for operation in schema_operations()
}  # ours, for the world's ids


def _api_operation(operation_id: str):
    return SCHEMA.find_operation_by_id(operation_id)


def _world_path_parameters(operation, world) -> dict[str, object]:
    """The path parameters that aim `operation` at the world's objects."""
    url = url_of(operation, world).strip("/").split("/")
    template = operation.path.strip("/").split("/")
    return {
        part[1:-1]: int(value) if value.isdigit() else value  # export UUIDs, link tokens
        for part, value in zip(template, url, strict=True)
        if part.startswith("{") and (part[1:-1] == "id" or part[1:-1] in PARAMETER_OBJECTS)
    }


@contextmanager
def keeping_the_test_connection():
    """The real WSGI handler closes the connection around each request, which would end the
    test's transaction: keep it open, as Django's own test client does (and as it re-connects
    the handler after each of its requests, this wraps the fuzzing, not the set-up)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


class ClosingClient(Client):
    """Reads each answer whole and closes it, as a WSGI server does: schemathesis leaves a
    streamed answer (a document's file) open otherwise."""

    def open(self, *args, **kwargs):
        kwargs["buffered"] = True
        return super().open(*args, **kwargs)


def _credentials(world, role: str) -> dict[str, str]:
    client = world.clients[role]
    header = client._credentials.get("HTTP_AUTHORIZATION")
    return {"Authorization": header} if header else {}


def _fuzzer(cases, *, headers):
    """A hypothesis test sending each generated case with `headers`; every case is rolled
    back, so each meets the same world."""

    @hypothesis.settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[hypothesis.Phase.generate],
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    @hypothesis.given(case=cases)
    def fuzz(case):
        with transaction.atomic():
            try:
                case.call_and_validate(
                    session=ClosingClient(SCHEMA.app), headers=headers, checks=CHECKS
                )
            finally:
                transaction.set_rollback(True)

    return fuzz


@pytest.mark.django_db
@pytest.mark.parametrize("operation_id", list(OPERATIONS))
def test_fuzz(operation_id):
    operation = OPERATIONS[operation_id]
    api_operation = _api_operation(operation_id)
    world = build_world()
    path_parameters = _world_path_parameters(operation, world)
    strategies = [
        api_operation.as_strategy(generation_mode=mode)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    ]
    if path_parameters:
        strategies.append(
            api_operation.as_strategy(
                generation_mode=GenerationMode.POSITIVE, path_parameters=path_parameters
            )
        )
    failures = []

    for role in ROLES:
        fuzz = _fuzzer(st.one_of(strategies), headers=_credentials(world, role))
        try:
            with keeping_the_test_connection():
                fuzz()
        except Exception as error:  # report every role's failure, not only the first
            failures.append(f"--- as {role}:\n{error}")

    assert failures == []
