"""HTTP hardening (OWASP API8 2023): security headers, the CORS allow-list, HTTPS only, and
errors that never show a stack trace or a debug page."""

import pytest
from django.test import Client

from recruitment.models import Vacancy
from tests.conftest import client_for

API_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}
PORTAL = "https://portal.example.org"  # CORS_ALLOWED_ORIGINS in tests/settings.py


def headers_of(response, names):
    return {name: response.headers.get(name) for name in names}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/vacancies/", "/api/v1/me/", "/api/v1/no-such-thing/"])
def test_api_answers_carry_the_security_headers(anonymous, path):
    response = anonymous.get(path)

    assert headers_of(response, API_HEADERS) == API_HEADERS


@pytest.mark.django_db
def test_authenticated_answers_are_never_cached(candidate_a):
    response = client_for(candidate_a).get("/api/v1/candidates/me/")

    assert (response.status_code, response.headers["Cache-Control"]) == (200, "no-store")


@pytest.mark.django_db
def test_cors_preflight_from_the_portal_is_allowed_without_credentials(anonymous):
    response = anonymous.options(
        "/api/v1/applications/",
        HTTP_ORIGIN=PORTAL,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type, if-match",
    )

    assert response.status_code == 200
    assert headers_of(
        response, ["Access-Control-Allow-Origin", "Access-Control-Allow-Credentials"]
    ) == {"Access-Control-Allow-Origin": PORTAL, "Access-Control-Allow-Credentials": None}
    allowed = response.headers["Access-Control-Allow-Headers"].split(", ")
    assert {"authorization", "content-type", "if-match"} <= set(allowed)


@pytest.mark.django_db
@pytest.mark.parametrize("origin", ["https://evil.example", "http://portal.example.org", "null"])
def test_cors_refuses_origins_outside_the_allow_list(anonymous, origin):
    preflight = anonymous.options(
        "/api/v1/applications/", HTTP_ORIGIN=origin, HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )
    simple = anonymous.get("/api/v1/vacancies/", HTTP_ORIGIN=origin)

    assert preflight.headers.get("Access-Control-Allow-Origin") is None
    assert (simple.status_code, simple.headers.get("Access-Control-Allow-Origin")) == (200, None)


@pytest.mark.django_db
def test_cors_exposes_the_headers_clients_need(anonymous):
    response = anonymous.get("/api/v1/vacancies/", HTTP_ORIGIN=PORTAL)

    assert headers_of(
        response, ["Access-Control-Allow-Origin", "Access-Control-Expose-Headers"]
    ) == {
        "Access-Control-Allow-Origin": PORTAL,
        "Access-Control-Expose-Headers": "ETag, Retry-After, Location",
    }


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https_except_the_probes(settings):
    settings.SECURE_SSL_REDIRECT = True
    client = Client()

    api = client.get("/api/v1/vacancies/?grade=P-3")
    probe = client.get("/healthz")

    assert (api.status_code, api.headers["Location"]) == (
        301,
        "https://testserver/api/v1/vacancies/?grade=P-3",
    )
    assert (probe.status_code, probe.json()) == (200, {"status": "ok"})


@pytest.mark.django_db
def test_https_answers_carry_hsts(settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True

    response = Client().get("/api/v1/vacancies/", secure=True)

    assert response.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/no-such-thing/", "/nothing-here", "/api/v2/"])
def test_unknown_urls_answer_the_error_shape(path):
    response = Client().get(path)

    assert (response.status_code, response["Content-Type"], response.json()) == (
        404,
        "application/json",
        {"code": "not_found", "detail": "Not found."},
    )


@pytest.mark.django_db
def test_a_bad_host_header_answers_the_error_shape():
    response = Client().get("/api/v1/vacancies/", HTTP_HOST="evil.example")

    assert (response.status_code, response.json()) == (
        400,
        {"code": "bad_request", "detail": "The request is not valid."},
    )


@pytest.mark.django_db
def test_a_server_error_shows_no_stack_trace_and_no_personal_data(settings, caplog):
    settings.ROOT_URLCONF = "tests.api.urls_with_crash"
    client = Client(raise_request_exception=False)

    response = client.get("/api/v1/crash/?email=astrid@example.org")

    assert (response.status_code, response["Content-Type"], response.json()) == (
        500,
        "application/json",
        {"code": "server_error", "detail": "An unexpected error occurred; it has been logged."},
    )
    assert "astrid" not in response.content.decode()
    assert [(record.name, record.getMessage()) for record in caplog.records] == [
        ("django.request", "Internal Server Error: /api/v1/crash/")
    ]


# Found by the fuzzer: PostgreSQL text cannot hold NUL, so a lookup with it was a 500.


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"title": "Officer", "description": "", "closes_at": "2031-01-01T00:00:00Z",
         "organisation": "un\u0000icef"},
        {"title": "Offi\u0000cer", "description": "", "closes_at": "2031-01-01T00:00:00Z",
         "organisation": "unicef"},
        {"title": "Officer", "description": "", "closes_at": "2031-01-01T00:00:00Z",
         "organisation": "unicef", "duty_station_ids": [], "k\u0000": 1},
    ],
)  # fmt: skip
def test_a_body_with_a_nul_character_is_400_and_changes_nothing(recruiter, organisation_x, body):
    response = client_for(recruiter).post("/api/v1/vacancies/", body, format="json")

    assert (response.status_code, response.json()) == (
        400,
        {"code": "parse_error", "detail": "Text may not contain the NUL character (\\u0000)."},
    )
    assert Vacancy.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["organisation=un%00icef", "search=a%00b", "a%00=1"])
def test_a_query_with_a_nul_character_is_400(anonymous, query):
    response = anonymous.get(f"/api/v1/vacancies/?{query}")

    assert (response.status_code, response.json()) == (
        400,
        {"code": "parse_error", "detail": "Query parameters may not contain NUL (%00)."},
    )
    assert headers_of(response, API_HEADERS) == API_HEADERS
