"""ETag / If-Match on resources with a version: a stale write answers 412 and changes nothing."""

from rest_framework.exceptions import ValidationError


def etag_for(version: int) -> str:
    return f'"{version}"'


def expected_version(request) -> int | None:
    """The version named by If-Match (`"3"`, `W/"3"` or `3`), or None when absent.
    A header that is not a version is a 400, not a silent pass."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    value = header.removeprefix("W/").strip('"')
    if not value.isdigit():
        raise ValidationError({"If-Match": ['Send the ETag you read, e.g. "3".']})
    return int(value)
