"""Registration, login tokens, revocation, /me/, OAuth2 client credentials and the user commands."""

import base64
import io
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone
from oauth2_provider.models import get_application_model
from rest_framework.test import APIClient

from recruitment import documents
from recruitment.enums import Role
from recruitment.models import (
    ApiToken,
    CandidateProfile,
    Document,
    OrganisationMembership,
    User,
    Vacancy,
)
from recruitment.models.users import hash_token
from tests.api.bodies import iso
from tests.conftest import client_for
from tests.factories import PASSWORD

REGISTER_URL = "/api/v1/auth/register/"
TOKEN_URL = "/api/v1/auth/token/"
REVOKE_URL = "/api/v1/auth/token/revoke/"
OAUTH_TOKEN_URL = "/api/v1/auth/oauth/token/"
ME_URL = "/api/v1/me/"
VACANCIES_URL = "/api/v1/vacancies/"

STRONG_PASSWORD = "Tangerine-Lighthouse-42"


def login(email, password=PASSWORD):
    return APIClient().post(TOKEN_URL, {"email": email, "password": password})


def bearer(raw):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def create_api_client(*args):
    """Run `create_api_client`; returns (client_id, client_secret) parsed from its output."""
    out = io.StringIO()
    call_command("create_api_client", *args, stdout=out)
    printed = dict(line.split(": ", 1) for line in out.getvalue().splitlines())
    assert sorted(printed) == ["client_id", "client_secret"]
    return printed["client_id"], printed["client_secret"]


def create_user(*args):
    """Run `create_user`; returns what it printed."""
    out = io.StringIO()
    call_command("create_user", *args, stdout=out)
    return out.getvalue()


def client_user(client_id):
    return get_application_model().objects.get(client_id=client_id).user


def oauth_token(client_id, client_secret, **fields):
    """POST the token endpoint form-encoded, authenticating the client with HTTP Basic."""
    basic = base64.b64encode(f"{client_id}:{client_secret}".encode()).decode()
    return APIClient().post(
        OAUTH_TOKEN_URL,
        data=urlencode({"grant_type": "client_credentials", **fields}),
        content_type="application/x-www-form-urlencoded",
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )


# Registration


@pytest.mark.django_db
def test_register_creates_candidate_and_profile(anonymous):
    response = anonymous.post(
        REGISTER_URL,
        {
            "email": "Amina.Diallo@Example.org",
            "password": STRONG_PASSWORD,
            "given_name": "Amina",
            "family_name": "Diallo",
        },
    )

    assert response.status_code == 201
    user = User.objects.get()
    assert response.json() == {
        "id": user.pk,
        "email": "amina.diallo@example.org",
        "name": "Amina Diallo",
        "role": "candidate",
        "is_api_client": False,
        "organisation": None,
    }
    profile = CandidateProfile.objects.get(user=user)
    assert (profile.given_name, profile.family_name) == ("Amina", "Diallo")
    assert user.check_password(STRONG_PASSWORD)


@pytest.mark.django_db
def test_register_weak_password_is_400_and_creates_nothing(anonymous):
    response = anonymous.post(REGISTER_URL, {"email": "weak@example.org", "password": "12345"})

    assert response.status_code == 400
    assert response.json() == {
        "code": "validation_error",
        "detail": "The request is not valid; see `fields`.",
        "fields": {
            "password": [
                "This password is too short. It must contain at least 8 characters.",
                "This password is too common.",
                "This password is entirely numeric.",
            ]
        },
    }
    assert User.objects.count() == 0


def test_register_duplicate_email_is_409(anonymous, candidate_a):
    response = anonymous.post(REGISTER_URL, {"email": "A@Example.org", "password": STRONG_PASSWORD})

    assert response.status_code == 409
    assert response.json() == {"code": "email_taken", "detail": "A user with this email exists."}
    assert list(User.objects.values_list("email", flat=True)) == ["a@example.org"]


@pytest.mark.django_db
def test_register_unknown_field_is_400_and_creates_nothing(anonymous):
    response = anonymous.post(
        REGISTER_URL,
        {"email": "sneaky@example.org", "password": STRONG_PASSWORD, "role": "admin"},
    )

    assert response.status_code == 400
    assert response.json() == {
        "code": "validation_error",
        "detail": "The request is not valid; see `fields`.",
        "fields": {"role": ["Unknown field."]},
    }
    assert User.objects.count() == 0


# Login tokens


def test_token_login_returns_hashed_expiring_token(candidate_a):
    before = timezone.now()

    response = login("A@example.org")

    assert response.status_code == 200
    body = response.json()
    assert sorted(body) == ["expires_at", "token"]
    raw = body["token"]
    assert raw.startswith("rtk_")
    token = ApiToken.objects.get(user=candidate_a)
    assert token.key_hash == hash_token(raw)
    assert token.revoked_at is None
    assert before + timedelta(hours=24) <= token.expires_at <= timezone.now() + timedelta(hours=24)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM recruitment_apitoken AS t WHERE row_to_json(t)::text LIKE %s",
            [f"%{raw[4:]}%"],
        )
        assert cursor.fetchone() == (0,)  # the raw key is stored nowhere


def test_token_login_expires_at_is_rendered_like_every_other_datetime(candidate_a):
    response = login("a@example.org")

    token = ApiToken.objects.get(user=candidate_a)
    assert response.json()["expires_at"] == iso(token.expires_at)


def test_token_login_token_authenticates_me(candidate_a):
    raw = login("a@example.org").json()["token"]

    response = bearer(raw).get(ME_URL)

    assert response.status_code == 200
    assert response.json()["id"] == candidate_a.pk


def test_token_login_wrong_password_is_401(candidate_a):
    response = login("a@example.org", password="not the password")

    assert response.status_code == 401
    assert response.json() == {
        "code": "authentication_failed",
        "detail": "Wrong email or password.",
    }
    assert ApiToken.objects.count() == 0


@pytest.mark.django_db
def test_token_login_unknown_field_is_400(anonymous):
    response = anonymous.post(
        TOKEN_URL, {"email": "a@example.org", "password": PASSWORD, "scopes": "admin"}
    )

    assert response.status_code == 400
    assert response.json() == {
        "code": "validation_error",
        "detail": "The request is not valid; see `fields`.",
        "fields": {"scopes": ["Unknown field."]},
    }


def test_token_login_api_client_cannot_use_password(organisation_x):
    client_id, _ = create_api_client("--name", "Acme ATS", "--role", "partner",
                                     "--organisation", "unicef")  # fmt: skip
    user = client_user(client_id)
    user.set_password(PASSWORD)  # even with a password set, a client never logs in with one
    user.save()

    response = login(user.email)

    assert response.status_code == 401
    assert response.json() == {
        "code": "authentication_failed",
        "detail": "Wrong email or password.",
    }
    assert ApiToken.objects.count() == 0


# /me/


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("candidate_a", {"email": "a@example.org", "role": "candidate", "organisation": None}),
        ("partner_x", {"email": "px@unicef.org", "role": "partner", "organisation": "unicef"}),
        ("recruiter", {"email": "recruiter@agency.no", "role": "recruiter", "organisation": None}),
        ("admin_user", {"email": "admin@agency.no", "role": "admin", "organisation": None}),
    ],
)
def test_me_shows_each_role(request, fixture, expected):
    user = request.getfixturevalue(fixture)

    response = client_for(user).get(ME_URL)

    assert response.status_code == 200
    assert response.json() == {"id": user.pk, "name": "", "is_api_client": False, **expected}


@pytest.mark.django_db
def test_me_anonymous_is_401(anonymous):
    response = anonymous.get(ME_URL)

    assert response.status_code == 401
    assert response.json() == {
        "code": "not_authenticated",
        "detail": "Authentication credentials were not provided.",
    }
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_me_with_unknown_token_is_401(candidate_a):
    response = bearer("rtk_not-a-token-anyone-was-given").get(ME_URL)

    assert response.status_code == 401
    assert response.json() == {
        "code": "authentication_failed",
        "detail": "Invalid, expired or revoked token.",
    }


def test_token_revoke_then_same_token_is_401(candidate_a):
    raw = login("a@example.org").json()["token"]
    client = bearer(raw)

    revoked = client.post(REVOKE_URL)
    after = client.get(ME_URL)

    assert revoked.status_code == 204
    assert revoked.content == b""
    assert ApiToken.objects.get().revoked_at is not None
    assert after.status_code == 401
    assert after.json() == {
        "code": "authentication_failed",
        "detail": "Invalid, expired or revoked token.",
    }


def test_token_revoke_leaves_other_tokens_valid(candidate_a):
    first = login("a@example.org").json()["token"]
    second = login("a@example.org").json()["token"]

    bearer(first).post(REVOKE_URL)

    assert bearer(first).get(ME_URL).status_code == 401
    assert bearer(second).get(ME_URL).status_code == 200


def test_token_expired_is_401(candidate_a):
    raw = login("a@example.org").json()["token"]
    ApiToken.objects.filter(key_hash=hash_token(raw)).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    response = bearer(raw).get(ME_URL)

    assert response.status_code == 401
    assert response.json() == {
        "code": "authentication_failed",
        "detail": "Invalid, expired or revoked token.",
    }


def test_token_of_deactivated_user_is_401(candidate_a):
    raw = login("a@example.org").json()["token"]
    User.objects.filter(pk=candidate_a.pk).update(is_active=False)

    response = bearer(raw).get(ME_URL)

    assert response.status_code == 401
    assert response.json() == {
        "code": "authentication_failed",
        "detail": "Invalid, expired or revoked token.",
    }


# OAuth2 client credentials


def test_create_api_client_prints_id_and_secret_and_stores_it_hashed(organisation_x):
    client_id, client_secret = create_api_client(
        "--name", "Acme ATS", "--role", "partner", "--organisation", "unicef",
        "--scopes", "read write",
    )  # fmt: skip

    application = get_application_model().objects.get(client_id=client_id)
    user = application.user
    assert application.client_secret != client_secret
    assert (user.name, user.role, user.is_api_client, user.api_client_scopes) == (
        "Acme ATS", "partner", True, "read write",
    )  # fmt: skip
    assert not user.has_usable_password()
    assert OrganisationMembership.objects.get(user=user).organisation == organisation_x


@pytest.mark.django_db
def test_create_api_client_partner_without_organisation_fails():
    with pytest.raises(CommandError) as raised:
        create_api_client("--name", "Orphan", "--role", "partner")

    assert str(raised.value) == "A partner user needs an organisation."
    assert User.objects.count() == 0
    assert get_application_model().objects.count() == 0


def test_oauth_token_client_credentials_issues_access_token(organisation_x):
    client_id, client_secret = create_api_client(
        "--name", "Acme ATS", "--role", "partner", "--organisation", "unicef"
    )

    response = oauth_token(client_id, client_secret)

    assert response.status_code == 200
    body = response.json()
    assert body == {
        "access_token": body["access_token"],
        "expires_in": 3600,
        "token_type": "Bearer",
        "scope": "read",
    }


def test_oauth_token_accepts_credentials_in_the_body(organisation_x):
    client_id, client_secret = create_api_client("--name", "Ops", "--role", "recruiter")

    response = APIClient().post(
        OAUTH_TOKEN_URL,
        data=urlencode({
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": client_secret,
        }),
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip

    assert response.status_code == 200
    assert response.json()["scope"] == "read"


def test_oauth_token_wrong_secret_is_401(organisation_x):
    client_id, _ = create_api_client("--name", "Ops", "--role", "recruiter")

    response = oauth_token(client_id, "not-the-secret")

    assert response.status_code == 401
    assert response.json() == {"error": "invalid_client"}


def test_oauth_token_scope_beyond_client_is_refused(organisation_x):
    client_id, client_secret = create_api_client("--name", "Reader", "--role", "recruiter")

    response = oauth_token(client_id, client_secret, scope="read write")

    assert response.status_code == 400
    assert response.json() == {"error": "invalid_scope"}


def test_me_with_oauth_token_shows_the_client(organisation_x):
    client_id, client_secret = create_api_client(
        "--name", "Acme ATS", "--role", "partner", "--organisation", "unicef"
    )
    access = oauth_token(client_id, client_secret).json()["access_token"]

    response = bearer(access).get(ME_URL)

    assert response.status_code == 200
    assert response.json() == {
        "id": client_user(client_id).pk,
        "email": None,
        "name": "Acme ATS",
        "role": "partner",
        "is_api_client": True,
        "organisation": "unicef",
    }


def test_oauth_read_only_client_cannot_write(organisation_x):
    client_id, client_secret = create_api_client(
        "--name", "Reader", "--role", "partner", "--organisation", "unicef", "--scopes", "read"
    )
    access = oauth_token(client_id, client_secret).json()["access_token"]

    response = bearer(access).post(
        VACANCIES_URL,
        {
            "title": "Data Analyst",
            "description": "<p>Data.</p>",
            "closes_at": "2030-01-31T12:00:00Z",
        },
    )

    assert response.status_code == 403
    assert response.json() == {
        "code": "permission_denied",
        "detail": "This token lacks the scope for this operation.",
    }
    assert Vacancy.objects.count() == 0


def test_a_body_the_view_does_not_parse_does_not_decide_before_authentication(candidate_a):
    # Regression: the OAuth2 check parsed the body with the view's parsers, so a JSON DELETE
    # to the multipart-only documents view answered 415 (undocumented) to anonymous callers
    # and API clients instead of 401 / 403.
    document = documents.document_store(
        profile=candidate_a.candidate_profile, kind="cv", file=io.BytesIO(b"%PDF-1.4\n%%EOF\n"),
        original_name="cv.pdf",
    )  # fmt: skip
    client_id, client_secret = create_api_client(
        "--name", "Ops", "--role", "recruiter", "--scopes", "read write"
    )  # fmt: skip
    access = oauth_token(client_id, client_secret, scope="read write").json()["access_token"]
    url = f"/api/v1/documents/{document.pk}/"

    anonymous = APIClient().delete(url, {}, format="json")
    api_client = bearer(access).delete(url, {}, format="json")
    malformed = APIClient().post(VACANCIES_URL, "{", content_type="application/json")

    assert (anonymous.status_code, anonymous.json()) == (401, {
        "code": "not_authenticated", "detail": "Authentication credentials were not provided.",
    })  # fmt: skip
    assert (api_client.status_code, api_client.json()) == (403, {
        "code": "permission_denied",
        "detail": "Only candidates upload and delete their documents.",
    })  # fmt: skip
    assert malformed.status_code == 401
    assert Document.objects.filter(pk=document.pk).exists()


def test_oauth_read_write_client_writes_are_attributed_to_it(organisation_x):
    client_id, client_secret = create_api_client(
        "--name", "Acme ATS", "--role", "partner", "--organisation", "unicef",
        "--scopes", "read write",
    )  # fmt: skip
    token = oauth_token(client_id, client_secret, scope="read write").json()
    assert token["scope"] == "read write"

    response = bearer(token["access_token"]).post(
        VACANCIES_URL,
        {
            "title": "Data Analyst",
            "description": "<p>Data.</p>",
            "closes_at": "2030-01-31T12:00:00Z",
        },
    )

    assert response.status_code == 201
    vacancy = Vacancy.objects.get()
    assert vacancy.created_by == client_user(client_id)
    assert response.json() == {
        "id": vacancy.pk,
        "title": "Data Analyst",
        "reference": "",
        "organisation": "unicef",
        "scheme": None,
        "grade": None,
        "grade_raw": "",
        "category": "",
        "contract_type": None,
        "number_of_posts": 1,
        "opens_at": None,
        "closes_at": "2030-01-31T12:00:00Z",
        "closes_at_raw": "2030-01-31T12:00:00Z",
        "closes_at_zone": "",
        "closes_at_status": "parsed",
        "duty_stations": [],
        "status": "draft",
        "funding_status": "unconfirmed",
        "planned_start_date": None,
        "planned_end_date": None,
        "modality": "on_site",
        "skills": [],
        "required_languages": [],
        "blind_review": False,
        "description": "<p>Data.</p>",
        "sources": [],
        "created_at": iso(vacancy.created_at),
        "updated_at": iso(vacancy.updated_at),
    }


def test_oauth_token_revoke_then_same_token_is_401(organisation_x):
    client_id, client_secret = create_api_client(
        "--name", "Ops", "--role", "recruiter", "--scopes", "read write"
    )
    access = oauth_token(client_id, client_secret, scope="read write").json()["access_token"]
    client = bearer(access)

    revoked = client.post(REVOKE_URL)
    after = client.get(ME_URL)

    assert revoked.status_code == 204
    assert after.status_code == 401
    assert after.json() == {
        "code": "authentication_failed",
        "detail": "Invalid, expired or revoked token.",
    }


# create_user


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.RECRUITER, Role.ADMIN])
@pytest.mark.django_db
def test_create_user_creates_each_role(role):
    output = create_user("--email", "New@Agency.no", "--password", STRONG_PASSWORD, "--role", role)

    user = User.objects.get()
    assert output == f"created {role} user {user.pk}\n"
    assert (user.email, user.role, user.is_api_client) == ("new@agency.no", role, False)
    assert (user.is_staff, user.is_superuser) == (role == Role.ADMIN, role == Role.ADMIN)
    assert CandidateProfile.objects.filter(user=user).exists() == (role == Role.CANDIDATE)
    assert OrganisationMembership.objects.count() == 0
    assert login("new@agency.no", STRONG_PASSWORD).status_code == 200


def test_create_user_partner_with_organisation(organisation_x):
    output = create_user("--email", "p@unicef.org", "--password", STRONG_PASSWORD,
                         "--role", "partner", "--organisation", "unicef")  # fmt: skip

    user = User.objects.get()
    assert output == f"created partner user {user.pk}\n"
    assert user.role == Role.PARTNER
    assert OrganisationMembership.objects.get(user=user).organisation == organisation_x
    assert client_for(user).get(ME_URL).json()["organisation"] == "unicef"


@pytest.mark.django_db
def test_create_user_partner_requires_organisation():
    with pytest.raises(CommandError) as raised:
        create_user("--email", "p@unicef.org", "--password", STRONG_PASSWORD, "--role", "partner")

    assert str(raised.value) == "A partner user needs an organisation."
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_create_user_unknown_organisation_fails():
    with pytest.raises(CommandError) as raised:
        create_user("--email", "p@unicef.org", "--password", STRONG_PASSWORD,
                    "--role", "partner", "--organisation", "nowhere")  # fmt: skip

    assert str(raised.value) == "No organisation 'nowhere'."
    assert User.objects.count() == 0


def test_create_user_duplicate_email_fails(candidate_a):
    with pytest.raises(CommandError) as raised:
        create_user(
            "--email", "a@example.org", "--password", STRONG_PASSWORD, "--role", "recruiter"
        )

    assert str(raised.value) == "A user with this email exists."
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_unknown_oauth_token_is_401_even_on_public_endpoints():
    response = bearer("not-an-issued-oauth-token").get("/api/v1/vacancies/")

    assert response.status_code == 401
    assert response.json() == {
        "code": "authentication_failed",
        "detail": "Invalid, expired or revoked token.",
    }


def test_oauth_read_only_client_can_revoke_its_token(organisation_x):
    client_id, client_secret = create_api_client("--name", "Viewer", "--role", "recruiter")
    access = oauth_token(client_id, client_secret).json()["access_token"]
    client = bearer(access)

    revoked = client.post(REVOKE_URL)
    after = client.get(ME_URL)

    assert (revoked.status_code, after.status_code) == (204, 401)
