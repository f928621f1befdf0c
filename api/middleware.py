"""HTTP-level guards that wrap every API request: idempotency keys, rate-limit headers, and the
API's boundary (NUL characters in query strings are refused, and answers carry the API's own
headers; the rest come from Django's SecurityMiddleware)."""

import hashlib
import re
import tempfile

import orjson
from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.settings import api_settings

from api.throttles import caller_id
from recruitment.idempotency import (
    idempotency_key_claim,
    idempotency_key_complete,
    idempotency_key_release,
)

HEADER = "Idempotency-Key"
# The IETF draft makes the key a string; we accept 1-255 visible ASCII characters (UUIDs).
KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,255}")
REPLAYED_HEADERS = ("Content-Type", "Location", "ETag")
# Results not kept: the client should simply retry these (auth, throttling, server errors).
NOT_STORED = {401, 429}
CHUNK = 64 * 1024
# Login and token endpoints answer with bearer tokens, which must never be stored in clear;
# the key is accepted there and ignored (a second login simply issues another token).
NOT_IDEMPOTENT_PREFIX = "/api/v1/auth/"


def max_request_bytes() -> int:
    """The largest body accepted at all: a document and its multipart envelope."""
    return settings.DOCUMENT_MAX_BYTES + 64 * 1024


def error_response(status: int, code: str, detail: str, **headers: str) -> HttpResponse:
    response = HttpResponse(
        orjson.dumps({"code": code, "detail": detail}),
        status=status,
        content_type="application/json",
    )
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _authenticated_caller(request) -> str | None:
    """The caller as the API will see it (None: the credentials fail, the view answers 401)."""
    drf_request = Request(
        request,
        parsers=[cls() for cls in api_settings.DEFAULT_PARSER_CLASSES],
        authenticators=[cls() for cls in api_settings.DEFAULT_AUTHENTICATION_CLASSES],
    )
    try:
        drf_request.user  # noqa: B018 - runs the authenticators
    except exceptions.APIException:
        return None
    return caller_id(drf_request)


def _fingerprint(request, spool) -> str | None:
    """SHA-256 of method, path, query and body, reading the body once into `spool`, which then
    replaces the request stream (None: the body is larger than any we accept). A multipart
    body is hashed with its boundary replaced: clients draw a new one for every retry."""
    digest = hashlib.sha256(f"{request.method} {request.get_full_path()}\n".encode())
    total = 0
    while chunk := request._stream.read(CHUNK):
        total += len(chunk)
        if total > max_request_bytes():
            return None
        spool.write(chunk)
    spool.seek(0)
    boundary = _multipart_boundary(request)
    if boundary:
        digest.update(spool.read().replace(b"--" + boundary, b"--boundary"))
    else:
        while chunk := spool.read(CHUNK):
            digest.update(chunk)
    spool.seek(0)
    request._stream = spool
    return digest.hexdigest()


def _multipart_boundary(request) -> bytes | None:
    content_type, _, parameters = request.META.get("CONTENT_TYPE", "").partition(";")
    if content_type.strip().lower() != "multipart/form-data":
        return None
    for parameter in parameters.split(";"):
        name, _, value = parameter.strip().partition("=")
        if name.lower() == "boundary" and value:
            return value.strip('"').encode("latin-1")
    return None


class IdempotencyMiddleware:
    """POSTs with an `Idempotency-Key`: the first result per caller and key is stored for
    IDEMPOTENCY_KEY_TTL_HOURS and replayed (`Idempotent-Replayed: true`) for the same body;
    another body with the key answers 422, a request while the first still runs 409."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER)
        if (
            request.method != "POST"
            or key is None
            or not request.path.startswith("/api/")
            or request.path.startswith(NOT_IDEMPOTENT_PREFIX)
        ):
            return self.get_response(request)
        if not KEY_PATTERN.fullmatch(key):
            return error_response(
                400, "invalid_idempotency_key",
                "Idempotency-Key must be 1-255 visible ASCII characters.",
            )  # fmt: skip
        if int(request.META.get("CONTENT_LENGTH") or 0) > max_request_bytes():
            return error_response(413, "payload_too_large", "The request body is too large.")
        with tempfile.SpooledTemporaryFile(max_size=1024 * 1024) as spool:
            fingerprint = _fingerprint(request, spool)
            if fingerprint is None:
                return error_response(413, "payload_too_large", "The request body is too large.")
            caller = _authenticated_caller(request)
            # Authentication may have read the body (OAuth2 reads form fields): rewind it.
            spool.seek(0)
            request._read_started = False
            if caller is None:
                return self.get_response(request)
            return self._handle(request, caller, key, fingerprint)

    def _handle(self, request, caller, key, fingerprint):
        claim = idempotency_key_claim(
            caller=caller, key=key, fingerprint=fingerprint, now=timezone.now()
        )
        if not claim.owned:
            return self._answer_stored(claim.stored, fingerprint)
        try:
            response = self.get_response(request)
        except BaseException:
            idempotency_key_release(caller=caller, key=key)
            raise
        if (
            response.status_code >= 500
            or response.status_code in NOT_STORED
            or (response.streaming)
        ):
            idempotency_key_release(caller=caller, key=key)
            return response
        headers = {name: response[name] for name in REPLAYED_HEADERS if response.has_header(name)}
        idempotency_key_complete(
            caller=caller, key=key, status=response.status_code, headers=headers,
            body=response.content,
        )  # fmt: skip
        return response

    def _answer_stored(self, stored, fingerprint):
        if stored is None:  # expired and deleted between our insert and read: rare, retryable
            return error_response(
                409, "idempotency_key_in_progress", "Retry the request.", Retry_After="1"
            )
        if stored.fingerprint != fingerprint:
            return error_response(
                422, "idempotency_key_reused",
                "This Idempotency-Key was used with another request body.",
            )  # fmt: skip
        if stored.response_status is None:
            return error_response(
                409, "idempotency_key_in_progress",
                "A request with this Idempotency-Key is still being processed.",
                Retry_After="1",
            )  # fmt: skip
        response = HttpResponse(bytes(stored.response_body), status=stored.response_status)
        for name, value in stored.response_headers.items():
            response[name] = value
        response["Idempotent-Replayed"] = "true"
        return response


class RateLimitHeadersMiddleware:
    """Adds `RateLimit-Policy` and `RateLimit` (IETF httpapi draft) from the limits the
    request was counted against; `RateLimit` shows the one closest to running out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        states = getattr(request, "rate_limits", None)
        if states:
            response["RateLimit-Policy"] = ", ".join(
                f'"{name}";q={hit.limit};w={hit.period}' for name, hit in states
            )
            name, hit = min(states, key=lambda state: (state[1].remaining, -state[1].reset_seconds))
            response["RateLimit"] = f'"{name}";r={hit.remaining};t={hit.reset_seconds}'
        return response


API_PREFIX = "/api/v1/"
NUL = "\x00"
# JSON is never a document to render: no scripts, no frames, nothing loaded (OWASP API8).
API_CSP = "default-src 'none'; frame-ancestors 'none'"


class ApiBoundaryMiddleware:
    """Refuses NUL in query strings (PostgreSQL text cannot hold it: a query with it would be a
    500). API answers forbid rendering and framing, and are never cached: most carry personal
    data, and a shared cache must not hand one caller's answer to another."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if any(NUL in key or NUL in "".join(values) for key, values in request.GET.lists()):
            response = JsonResponse(
                {"code": "parse_error", "detail": "Query parameters may not contain NUL (%00)."},
                status=400,
            )
        else:
            response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", API_CSP)
        response.headers.setdefault("Cache-Control", "no-store")
        return response
