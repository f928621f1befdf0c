"""Request body parsing: JSON, refusing the NUL character PostgreSQL cannot store."""

from drf_orjson_renderer.parsers import ORJSONParser
from rest_framework.exceptions import ParseError

NUL = "\x00"


def contains_nul(value) -> bool:
    """Whether a parsed JSON value holds a NUL character in any string, key or value."""
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(contains_nul(key) or contains_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(contains_nul(item) for item in value)
    return False


class JSONParser(ORJSONParser):
    """ORJSON, but a NUL character anywhere is a 400 (PostgreSQL text cannot hold one, and a
    lookup with it would be a 500)."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if contains_nul(data):
            raise ParseError("Text may not contain the NUL character (\\u0000).")
        return data
