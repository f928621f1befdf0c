"""Errors of the life cycles."""

from recruitment.exceptions import ConflictError, DomainError


class InvalidTransition(ConflictError):
    """The move is not in the table for this status and role, or a guard refused it (HTTP 409)."""

    code = "invalid_transition"


class StaleVersion(DomainError):
    """The caller's If-Match version is not the current one (HTTP 412)."""

    code = "stale_version"
