"""Rate limits (PostgreSQL counters shared by every process) and the login lockout."""

from recruitment.models import Application, RateLimitCounter
from tests.conftest import client_for
from tests.factories import PASSWORD, make_vacancy

TOKEN_URL = "/api/v1/auth/token/"
REGISTER_URL = "/api/v1/auth/register/"
APPLICATIONS_URL = "/api/v1/applications/"


def login(client, email, password=PASSWORD, **extra):
    return client.post(TOKEN_URL, {"email": email, "password": password}, **extra)


def test_rate_limit_login_per_ip_is_429_with_headers(settings, anonymous, candidate_a):
    settings.RATE_LIMIT_LOGIN = "3/minute"

    statuses = [login(anonymous, "a@example.org").status_code for _ in range(3)]
    response = login(anonymous, "a@example.org")

    assert statuses == [200, 200, 200]
    assert response.status_code == 429
    wait = int(response["Retry-After"])
    assert 1 <= wait <= 60
    assert response.json() == {
        "code": "throttled",
        "detail": f"Request was throttled. Expected available in {wait} seconds.",
    }
    assert response["RateLimit-Policy"] == (
        '"caller";q=600;w=60, "ip";q=1200;w=60, "login";q=3;w=60'
    )
    assert response["RateLimit"] == f'"login";r=0;t={wait}'


def test_rate_limit_login_counts_per_ip(settings, anonymous, candidate_a):
    settings.RATE_LIMIT_LOGIN = "1/minute"
    settings.NUM_PROXIES = 1
    login(anonymous, "a@example.org", HTTP_X_FORWARDED_FOR="192.0.2.1")

    other_ip = login(anonymous, "a@example.org", HTTP_X_FORWARDED_FOR="192.0.2.2")
    same_ip = login(anonymous, "a@example.org", HTTP_X_FORWARDED_FOR="192.0.2.1")

    assert (other_ip.status_code, same_ip.status_code) == (200, 429)


def test_rate_limit_registration_per_ip(db, settings, anonymous):
    settings.RATE_LIMIT_REGISTER = "2/hour"
    bodies = [
        {"email": f"new{n}@example.org", "password": "a-long-Passphrase-26"} for n in range(3)
    ]

    statuses = [anonymous.post(REGISTER_URL, body).status_code for body in bodies]

    assert statuses == [201, 201, 429]
    assert anonymous.post(REGISTER_URL, bodies[2]).json()["code"] == "throttled"


def test_rate_limit_applying_per_caller(settings, organisation_x, candidate_a, candidate_b):
    settings.RATE_LIMIT_APPLY = "1/hour"
    first, second = (make_vacancy(organisation=organisation_x, title=t) for t in ("A", "B"))
    client_a = client_for(candidate_a)
    client_a.post(APPLICATIONS_URL, {"vacancy": first.pk})

    throttled = client_a.post(APPLICATIONS_URL, {"vacancy": second.pk})
    other_caller = client_for(candidate_b).post(APPLICATIONS_URL, {"vacancy": second.pk})
    reading = client_a.get(APPLICATIONS_URL)

    assert (throttled.status_code, other_caller.status_code, reading.status_code) == (
        429,
        201,
        200,
    )
    assert throttled["RateLimit"].startswith('"apply";r=0;t=')
    assert sorted(Application.objects.values_list("candidate__user__email", "vacancy__title")) == [
        ("a@example.org", "A"),
        ("b@example.org", "B"),
    ]


def test_rate_limit_general_per_caller(settings, candidate_a):
    settings.RATE_LIMIT_CALLER = "2/minute"
    client = client_for(candidate_a)

    statuses = [client.get("/api/v1/me/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_rate_limit_headers_on_success(candidate_a):
    response = client_for(candidate_a).get("/api/v1/me/")

    assert response["RateLimit-Policy"] == '"caller";q=600;w=60, "ip";q=1200;w=60'
    assert response["RateLimit"].startswith('"caller";r=599;t=')


LOCKED = "Too many failed logins; this account is locked for a while."


def test_login_lockout_after_repeated_failures(settings, anonymous, candidate_a):
    settings.LOGIN_LOCKOUT_FAILURES = 3

    failures = [login(anonymous, "a@example.org", "wrong").status_code for _ in range(3)]
    locked = login(anonymous, "A@example.org")  # the right password, any spelling of the email

    assert failures == [401, 401, 401]
    wait = int(locked["Retry-After"])
    assert (locked.status_code, locked.json()) == (
        429,
        {"code": "account_locked", "detail": f"{LOCKED} Expected available in {wait} seconds."},
    )
    assert 890 <= wait <= 900
    assert login(anonymous, "b@example.org", "wrong").status_code == 401  # others unaffected


def test_login_lockout_ends_after_its_period(settings, anonymous, candidate_a):
    settings.LOGIN_LOCKOUT_FAILURES = 2
    for _ in range(2):
        login(anonymous, "a@example.org", "wrong")
    RateLimitCounter.objects.filter(key__startswith="login-failed:").update(
        expires_at="2000-01-01T00:00:00Z"
    )

    response = login(anonymous, "a@example.org")

    assert response.status_code == 200
    assert list(RateLimitCounter.objects.filter(key__startswith="login-failed:")) == []


def test_login_lockout_success_resets_the_count(settings, anonymous, candidate_a):
    settings.LOGIN_LOCKOUT_FAILURES = 2
    login(anonymous, "a@example.org", "wrong")
    login(anonymous, "a@example.org")

    statuses = [login(anonymous, "a@example.org", p).status_code for p in ("wrong", PASSWORD)]

    assert statuses == [401, 200]


def test_login_lockout_for_unknown_email_looks_the_same(db, settings, anonymous):
    settings.LOGIN_LOCKOUT_FAILURES = 1
    login(anonymous, "nobody@example.org", "wrong")

    response = login(anonymous, "nobody@example.org", "wrong")

    assert (response.status_code, response.json()["code"]) == (429, "account_locked")


def test_rate_limits_can_be_switched_off(settings, candidate_a):
    settings.RATE_LIMITS_ENABLED = False
    settings.RATE_LIMIT_CALLER = "1/minute"
    client = client_for(candidate_a)

    responses = [client.get("/api/v1/me/") for _ in range(3)]

    assert [r.status_code for r in responses] == [200, 200, 200]
    assert [r.has_header("RateLimit") for r in responses] == [False, False, False]
