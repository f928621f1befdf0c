"""Idempotency-Key on POSTs: stored first results, replays, reuse with another body, races."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from recruitment.models import Application, IdempotencyKey, Vacancy
from tests.api.bodies import application_body, iso
from tests.api.test_webhooks import oauth_client
from tests.conftest import client_for
from tests.factories import PASSWORD, make_vacancy

APPLICATIONS_URL = "/api/v1/applications/"
KEY = "9c1e5d7a-1f7e-4a55-8d6e-0f3c2b1a4e77"


def apply(client, vacancy, key=KEY, **extra):
    return client.post(APPLICATIONS_URL, {"vacancy": vacancy.pk}, HTTP_IDEMPOTENCY_KEY=key, **extra)


def test_idempotency_key_replays_the_first_result(organisation_x, candidate_a):
    vacancy = make_vacancy(organisation=organisation_x)
    client = client_for(candidate_a)

    first = apply(client, vacancy)
    second = apply(client, vacancy)

    application = Application.objects.get()
    expected = application_body(
        application, stage="received", status=None, allowed_transitions=["withdrawn"]
    )
    assert (first.status_code, first.json()) == (201, expected)
    assert (second.status_code, second.json()) == (201, expected)
    assert (first.has_header("Idempotent-Replayed"), second["Idempotent-Replayed"]) == (
        False,
        "true",
    )
    assert list(Application.objects.values_list("pk", flat=True)) == [application.pk]


def test_idempotency_replays_and_refusals_are_never_cached_or_rendered(organisation_x, candidate_a):
    # A replayed application carries personal data, as the first answer did.
    vacancy, other = (
        make_vacancy(organisation=organisation_x),
        make_vacancy(organisation=organisation_x),
    )
    client = client_for(candidate_a)

    answers = [
        apply(client, vacancy),
        apply(client, vacancy),  # replayed
        apply(client, other),  # the key with another body: 422
        apply(client, vacancy, key="two words"),  # malformed: 400
    ]

    assert [
        (answer.status_code, answer.get("Cache-Control"), answer.get("Content-Security-Policy"))
        for answer in answers
    ] == [
        (201, "no-store", "default-src 'none'; frame-ancestors 'none'"),
        (201, "no-store", "default-src 'none'; frame-ancestors 'none'"),
        (422, "no-store", "default-src 'none'; frame-ancestors 'none'"),
        (400, "no-store", "default-src 'none'; frame-ancestors 'none'"),
    ]


def test_idempotency_key_with_another_body_is_422_and_changes_nothing(organisation_x, candidate_a):
    vacancy, other = (
        make_vacancy(organisation=organisation_x),
        make_vacancy(organisation=organisation_x, title="Other"),
    )
    client = client_for(candidate_a)
    apply(client, vacancy)

    response = apply(client, other)

    assert (response.status_code, response.json()) == (
        422,
        {
            "code": "idempotency_key_reused",
            "detail": "This Idempotency-Key was used with another request body.",
        },
    )
    assert list(Application.objects.values_list("vacancy_id", flat=True)) == [vacancy.pk]


def test_idempotency_key_is_per_caller(organisation_x, candidate_a, candidate_b):
    vacancy = make_vacancy(organisation=organisation_x)

    first = apply(client_for(candidate_a), vacancy)
    second = apply(client_for(candidate_b), vacancy)

    assert (first.status_code, second.status_code) == (201, 201)
    assert sorted(Application.objects.values_list("candidate__user__email", flat=True)) == [
        "a@example.org",
        "b@example.org",
    ]
    assert second.json()["id"] != first.json()["id"]


def test_idempotency_key_replays_a_stored_error(organisation_x, candidate_a):
    closed = make_vacancy(organisation=organisation_x, closes_in=timedelta(days=-1))
    client = client_for(candidate_a)

    first = apply(client, closed)
    second = apply(client, closed)

    closed_body = {
        "code": "vacancy_closed",
        "detail": "The deadline of this vacancy has passed.",
        "closes_at": iso(closed.closes_at),
    }
    assert (first.status_code, first.json()) == (400, closed_body)
    assert (second.status_code, second.json(), second["Idempotent-Replayed"]) == (
        400,
        closed_body,
        "true",
    )
    assert list(IdempotencyKey.objects.values_list("response_status", flat=True)) == [400]
    assert list(Application.objects.all()) == []


def test_idempotency_key_in_progress_is_409(organisation_x, candidate_a):
    vacancy = make_vacancy(organisation=organisation_x)
    client = client_for(candidate_a)
    apply(client, vacancy)
    # As if the first request were still running: its result not yet stored.
    IdempotencyKey.objects.update(response_status=None)

    response = apply(client, vacancy)

    assert (response.status_code, response.json(), response["Retry-After"]) == (
        409,
        {
            "code": "idempotency_key_in_progress",
            "detail": "A request with this Idempotency-Key is still being processed.",
        },
        "1",
    )


def test_idempotency_key_of_a_dead_first_request_runs_again(organisation_x, candidate_a):
    vacancy = make_vacancy(organisation=organisation_x)
    client = client_for(candidate_a)
    # A first request whose worker died: claimed long ago, never finished, nothing created.
    apply(client, vacancy)
    Application.objects.all().delete()
    IdempotencyKey.objects.update(
        response_status=None, created_at=timezone.now() - timedelta(seconds=121)
    )

    response = apply(client, vacancy)

    application = Application.objects.get()
    assert (response.status_code, response.json()["id"]) == (201, application.pk)
    assert list(IdempotencyKey.objects.values_list("response_status", flat=True)) == [201]


def test_idempotency_key_expired_is_forgotten(organisation_x, candidate_a):
    vacancy = make_vacancy(organisation=organisation_x, title="First")
    other = make_vacancy(organisation=organisation_x, title="Second")
    client = client_for(candidate_a)
    apply(client, vacancy)
    IdempotencyKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = apply(client, other)

    assert (response.status_code, response.json()["vacancy"]) == (201, other.pk)
    assert sorted(Application.objects.values_list("vacancy_id", flat=True)) == sorted(
        [vacancy.pk, other.pk]
    )


@pytest.mark.parametrize("key", ["", "x" * 256, "naïve", "two words"])
def test_idempotency_key_malformed_is_400(organisation_x, candidate_a, key):
    vacancy = make_vacancy(organisation=organisation_x)

    response = apply(client_for(candidate_a), vacancy, key=key)

    assert (response.status_code, response.json()) == (
        400,
        {
            "code": "invalid_idempotency_key",
            "detail": "Idempotency-Key must be 1-255 visible ASCII characters.",
        },
    )
    assert list(Application.objects.all()) == []


def test_idempotency_key_with_bad_credentials_is_401_and_not_stored(organisation_x):
    vacancy = make_vacancy(organisation=organisation_x)
    client = client_for(None)
    client.credentials(HTTP_AUTHORIZATION="Bearer rtk_not-a-token")

    response = apply(client, vacancy)

    assert (response.status_code, response.json()) == (
        401,
        {"code": "authentication_failed", "detail": "Invalid, expired or revoked token."},
    )
    assert list(IdempotencyKey.objects.all()) == []


@pytest.mark.django_db(transaction=True)
def test_idempotency_key_fifty_concurrent_applications_create_one(organisation_x, candidate_a):
    vacancy = make_vacancy(organisation=organisation_x)
    clients = [client_for(candidate_a) for _ in range(50)]
    start = threading.Barrier(50)
    outcomes = []

    def run(client):
        try:
            start.wait(timeout=30)
            response = apply(client, vacancy)
            outcomes.append((response.status_code, response.json().get("id", response.json())))
        except Exception as error:  # reported through the assertion below
            outcomes.append(("error", repr(error)))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    application = Application.objects.get()
    in_progress = {
        "code": "idempotency_key_in_progress",
        "detail": "A request with this Idempotency-Key is still being processed.",
    }
    assert len(outcomes) == 50
    assert {outcome for outcome in outcomes if outcome[0] == 201} == {(201, application.pk)}
    assert [o for o in outcomes if o[0] != 201] == [(409, in_progress)] * (
        50 - sum(1 for o in outcomes if o[0] == 201)
    )


def test_idempotency_key_on_login_never_stores_the_token(candidate_a):
    body = {"email": "a@example.org", "password": PASSWORD}
    client = client_for(None)

    first = client.post("/api/v1/auth/token/", body, HTTP_IDEMPOTENCY_KEY=KEY)
    second = client.post("/api/v1/auth/token/", body, HTTP_IDEMPOTENCY_KEY=KEY)

    assert (first.status_code, second.status_code) == (200, 200)
    assert first.json()["token"] != second.json()["token"]
    assert list(IdempotencyKey.objects.all()) == []


def test_idempotency_key_for_an_oauth_client(organisation_x):
    client, _ = oauth_client("--name", "UNICEF HR", "--role", "partner", "--organisation", "unicef")
    body = {
        "title": "Child Protection Officer",
        "description": "<p>Protect children.</p>",
        "closes_at": "2030-01-31T17:00:00Z",
    }

    first = client.post("/api/v1/vacancies/", body, HTTP_IDEMPOTENCY_KEY=KEY)
    second = client.post("/api/v1/vacancies/", body, HTTP_IDEMPOTENCY_KEY=KEY)
    other = client.post("/api/v1/vacancies/", {**body, "title": "X"}, HTTP_IDEMPOTENCY_KEY=KEY)

    assert (first.status_code, first.json()) == (201, {**first.json(), "title": body["title"]})
    vacancy = Vacancy.objects.get()
    assert first.json()["id"] == vacancy.pk
    assert (second.status_code, second.json(), second["Idempotent-Replayed"]) == (
        201,
        first.json(),
        "true",
    )
    assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")
