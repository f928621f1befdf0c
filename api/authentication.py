"""Bearer authentication: our hashed login tokens, and OAuth2 client-credentials tokens."""

from django.utils import timezone
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework import authentication, exceptions

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
        token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(raw)).first()
        if token is None or not token.is_valid(timezone.now()) or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked token.")
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class ClientCredentialsAuthentication(OAuth2Authentication):
    """OAuth2 access tokens; a client-credentials token acts as its API client's own user."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            if authentication.get_authorization_header(request).lower().startswith(b"bearer "):
                # A bearer token was sent and nobody accepted it: fail, don't fall to anonymous.
                raise exceptions.AuthenticationFailed("Invalid, expired or revoked token.")
            return None
        user, access_token = result
        if user is None:
            user = access_token.application.user
        if user is None or not user.is_active:
            raise exceptions.AuthenticationFailed("This client has no active identity.")
        return user, access_token
