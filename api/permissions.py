"""Who may call what. Object scoping is done by selectors (outside the scope is 404)."""

from oauth2_provider.models import AbstractAccessToken
from rest_framework import permissions

from recruitment import selectors
from recruitment.enums import Role


def token_allows(request, scope: str) -> bool:
    """OAuth2 tokens carry scopes; our login tokens allow reading and writing."""
    if isinstance(request.auth, AbstractAccessToken):
        return scope in request.auth.scope.split()
    return True


def role_of(request) -> str | None:
    """The caller's role, or None when anonymous."""
    return selectors.role_of(request.user)


class ScopedWrite(permissions.BasePermission):
    """Anyone may read (views narrow it); writing needs a login and, for OAuth2, the write scope."""

    message = "This token lacks the scope for this operation."

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return token_allows(request, "read")
        return bool(request.user and request.user.is_authenticated) and token_allows(
            request, "write"
        )


class HasRole(ScopedWrite):
    """ScopedWrite, and the caller must hold one of `roles` (for every method)."""

    roles: frozenset[str] = frozenset()
    message = "Your role may not do this."

    def has_permission(self, request, view):
        if role_of(request) not in self.roles:
            return False
        if not super().has_permission(request, view):
            self.message = ScopedWrite.message
            return False
        return True


def roles(*allowed: str) -> type[HasRole]:
    """A permission class admitting only callers with one of `allowed` roles."""
    return type("HasRole_" + "_".join(allowed), (HasRole,), {"roles": frozenset(allowed)})


class AdminWritesOthersRead(ScopedWrite):
    """Reference data: everyone reads, only admins write."""

    message = "Only admins change reference data."

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            self.message = ScopedWrite.message
            return False
        return request.method in permissions.SAFE_METHODS or role_of(request) == Role.ADMIN
