"""Registration, login tokens, revocation and the caller's identity."""

from django.contrib.auth import authenticate
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from oauth2_provider.models import AbstractAccessToken
from rest_framework import exceptions, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import ScopedWrite
from api.serializers.accounts import (
    MeSerializer,
    RegisterRequestSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from recruitment import ratelimits, services
from recruitment.enums import Role
from recruitment.models import ApiToken
from recruitment.selectors import organisation_of


def _me(user):
    organisation = organisation_of(user)
    return {
        "id": user.pk,
        "email": None if user.is_api_client else user.email,
        "name": user.name,
        "role": user.role,
        "is_api_client": user.is_api_client,
        "organisation": organisation.slug if organisation else None,
    }


class RegisterView(APIView):
    """Create a candidate account (and its empty profile). Staff accounts are made by admins."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_scope = "register"

    @extend_schema(request=RegisterRequestSerializer, responses={201: MeSerializer})
    def post(self, request):
        serializer = RegisterRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = services.user_create(
            email=data["email"],
            password=data["password"],
            role=Role.CANDIDATE,
            name=" ".join(filter(None, [data.get("given_name"), data.get("family_name")])),
            profile_fields={
                "given_name": data.get("given_name", ""),
                "family_name": data.get("family_name", ""),
            },
        )
        return Response(_me(user), status=status.HTTP_201_CREATED)


class AccountLocked(exceptions.Throttled):
    default_detail = "Too many failed logins; this account is locked for a while."
    default_code = "account_locked"


class TokenView(APIView):
    """Log in with email and password; returns a bearer token that expires. After
    LOGIN_LOCKOUT_FAILURES failed logins in a row the email is locked (429 `account_locked`,
    with `Retry-After`) for LOGIN_LOCKOUT_SECONDS, whatever password is sent."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_scope = "login"

    def get_authenticate_header(self, request):
        # Makes a failed login a 401 (with WWW-Authenticate), although this view authenticates
        # nobody itself.
        return 'Bearer realm="api"'

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer})
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email = serializer.validated_data["email"].lower()
        locked = ratelimits.login_locked_seconds(email=email, now=timezone.now())
        if locked:
            raise AccountLocked(wait=locked)
        user = authenticate(request, email=email, password=serializer.validated_data["password"])
        if user is None or user.is_api_client:
            ratelimits.login_failure_record(email=email, now=timezone.now())
            raise exceptions.AuthenticationFailed("Wrong email or password.")
        ratelimits.login_failures_clear(email=email)
        raw, token = services.api_token_issue(user=user)
        return Response(TokenSerializer({"token": raw, "expires_at": token.expires_at}).data)


class TokenRevokeView(APIView):
    """Revoke the token this request is authenticated with (any scope may give up its access)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        if isinstance(request.auth, ApiToken):
            services.api_token_revoke(token=request.auth)
        elif isinstance(request.auth, AbstractAccessToken):
            request.auth.revoke()
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    """Who is calling: id, email (or client name), role and organisation."""

    permission_classes = [permissions.IsAuthenticated, ScopedWrite]

    @extend_schema(responses={200: MeSerializer})
    def get(self, request):
        return Response(_me(request.user))
