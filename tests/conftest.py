"""Shared fixtures: the PostgreSQL guard, API clients authenticated as each role."""

import socket

import pytest
from django.db import connection
from rest_framework.test import APIClient

from recruitment import services
from recruitment.enums import Role
from tests.factories import make_organisation, make_user
from workflows.broker import broker


@pytest.fixture(scope="session", autouse=True)
def _postgres_only():
    """Locks, upserts and constraints differ elsewhere: refuse to run on anything else."""
    if connection.vendor != "postgresql":
        pytest.exit(f"Tests need PostgreSQL, not {connection.vendor}.", returncode=3)


def client_for(user=None) -> APIClient:
    """An API client sending a fresh login token of `user` (anonymous when None)."""
    client = APIClient()
    if user is not None:
        raw, _ = services.api_token_issue(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


@pytest.fixture
def anonymous():
    return APIClient()


@pytest.fixture
def organisation_x(db):
    return make_organisation(slug="unicef", name="United Nations Children's Fund")


@pytest.fixture
def organisation_y(db):
    return make_organisation(slug="unhcr", name="UN Refugee Agency")


@pytest.fixture
def candidate_a(db):
    return make_user(role=Role.CANDIDATE, email="a@example.org", given_name="Astrid")


@pytest.fixture
def candidate_b(db):
    return make_user(role=Role.CANDIDATE, email="b@example.org", given_name="Bjørn")


@pytest.fixture
def partner_x(organisation_x):
    return make_user(role=Role.PARTNER, email="px@unicef.org", organisation=organisation_x)


@pytest.fixture
def partner_y(organisation_y):
    return make_user(role=Role.PARTNER, email="py@unhcr.org", organisation=organisation_y)


@pytest.fixture
def recruiter(db):
    return make_user(role=Role.RECRUITER, email="recruiter@agency.no")


@pytest.fixture
def admin_user(db):
    return make_user(role=Role.ADMIN, email="admin@agency.no")


@pytest.fixture
def dns(monkeypatch):
    """Fake DNS answers (a process edge) for the names put in the returned dict; other hosts
    resolve as usual (IP literals need no DNS)."""
    answers: dict[str, list[str]] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in answers:
            return real(host, port, *args, **kwargs)
        return [
            (
                socket.AF_INET6 if ":" in address else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (address, port, 0, 0) if ":" in address else (address, port),
            )
            for address in answers[host]
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


@pytest.fixture
def empty_broker():
    """The stub broker's queues empty before and after the test (tests/queues.py reads them)."""
    broker.flush_all()
    yield broker
    broker.flush_all()
