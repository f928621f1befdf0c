"""Bearer authentication: our hashed login tokens, and OAuth2 client-credentials tokens."""

from django.http import QueryDict
from django.utils import timezone
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework import authentication, exceptions

from recruitment import selectors
from recruitment.models import ApiToken
from recruitment.models.users import hash_token


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer rtk_...` from POST /api/v1/auth/token/: hashed, expiring,
    revocable."""

    keyword = "Bearer"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if len(parts) != 2 or parts[0].decode().lower() != "bearer":
            return None
        raw = parts[1].decode(errors="replace")
        if not raw.startswith(ApiToken.PREFIX):
            return None  # not ours: an OAuth2 access token, tried next
        token = selectors.api_token_with_user(key_hash=hash_token(raw))
        if token is None or not token.is_valid(timezone.now()) or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked token.")
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class _WithoutBody:
    """The request as the token check reads it: method, path and headers, never the body.
    django-oauth-toolkit reads `request.POST`, which on a DRF request parses the body with the
    view's parsers: a body the view does not take (JSON sent to a multipart-only view) would
    answer 415, or malformed JSON 400, before authentication and permissions were decided."""

    POST = QueryDict()

    def __init__(self, request):
        self._request = request

    def __getattr__(self, name):
        return getattr(self._request, name)


class ClientCredentialsAuthentication(OAuth2Authentication):
    """OAuth2 access tokens, in the Authorization header only; a client-credentials token acts
    as its API client's own user."""

    def authenticate(self, request):
        if not authentication.get_authorization_header(request).lower().startswith(b"bearer "):
            return None  # anonymous, or another scheme
        checked = _WithoutBody(request)
        result = super().authenticate(checked)
        if result is None:
            request.oauth2_error = getattr(checked, "oauth2_error", {})
            # A bearer token was sent and nobody accepted it: fail, don't fall to anonymous.
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked token.")
        user, access_token = result
        if user is None:
            user = access_token.application.user
        if user is None or not user.is_active:
            raise exceptions.AuthenticationFailed("This client has no active identity.")
        return user, access_token
