"""Maps every error to HTTP in one place, with one body shape (`ErrorSerializer`)."""

from datetime import datetime

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from recruitment.exceptions import (
    ConflictError,
    DomainError,
    DomainValidationError,
    NotFoundError,
    NotPermittedError,
)
from workflows.exceptions import StaleVersion

DATETIME = serializers.DateTimeField()

DOMAIN_STATUS = (
    (DomainValidationError, status.HTTP_400_BAD_REQUEST),
    (NotFoundError, status.HTTP_404_NOT_FOUND),
    (NotPermittedError, status.HTTP_403_FORBIDDEN),
    (ConflictError, status.HTTP_409_CONFLICT),
    (StaleVersion, status.HTTP_412_PRECONDITION_FAILED),
)


def _domain_response(error: DomainError) -> Response:
    http_status = next(
        (code for kind, code in DOMAIN_STATUS if isinstance(error, kind)),
        status.HTTP_400_BAD_REQUEST,
    )
    extra = {
        key: DATETIME.to_representation(value) if isinstance(value, datetime) else value
        for key, value in error.extra.items()
    }
    return Response({"code": error.code, "detail": error.detail, **extra}, http_status)


def _codes(detail):
    """DRF's nested error details as plain messages (lists and dicts kept)."""
    if isinstance(detail, dict):
        return {str(key): _codes(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_codes(item) for item in detail]
    return str(detail)


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return _domain_response(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django's 500 handling, without details in the body
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = {
            "code": "validation_error",
            "detail": "The request is not valid; see `fields`.",
            "fields": _codes(detail),
        }
    else:
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        response.data = {
            "code": code if isinstance(code, str) else "error",
            "detail": str(getattr(exc, "detail", exc)),
        }
    return response


# Django's own error views, for what never reaches a DRF view (unknown URLs, a crash, a bad
# Host header): the same error shape as JSON, and never a stack trace or a debug page.
def _django_error(code: str, detail: str, http_status: int) -> JsonResponse:
    return JsonResponse({"code": code, "detail": detail}, status=http_status)


def bad_request(request, exception=None):
    return _django_error("bad_request", "The request is not valid.", 400)


def permission_denied(request, exception=None):
    return _django_error("permission_denied", "You may not do this.", 403)


def page_not_found(request, exception=None):
    return _django_error("not_found", "Not found.", 404)


def server_error(request):
    return _django_error("server_error", "An unexpected error occurred; it has been logged.", 500)
