"""Domain errors; the API maps each to one HTTP status in api/exceptions.py (no DRF here)."""


class DomainError(Exception):
    """Base of every error a service raises on purpose; `code` is machine-readable."""

    code = "domain_error"

    def __init__(self, detail: str, *, code: str | None = None, **extra: object) -> None:
        super().__init__(detail)
        self.detail = detail
        if code:
            self.code = code
        self.extra = extra


class DomainValidationError(DomainError):
    """The input breaks a business rule (HTTP 400)."""

    code = "invalid"


class NotFoundError(DomainError):
    """The object does not exist or is outside the caller's scope (HTTP 404)."""

    code = "not_found"


class ConflictError(DomainError):
    """The request conflicts with the current state, e.g. a duplicate (HTTP 409)."""

    code = "conflict"


class NotPermittedError(DomainError):
    """The caller may see the object but not do this to it (HTTP 403)."""

    code = "permission_denied"
