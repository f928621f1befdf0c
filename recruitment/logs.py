"""Structured (one JSON object per line) log formatting; messages never carry personal data."""

import json
import logging
import traceback
from datetime import UTC, datetime

# Attributes of every record, and those another handler's formatter may have added to it.
_STANDARD = {*vars(logging.makeLogRecord({})), "message", "asctime"}


def _request(value: object) -> object:
    """A request as method and path: the query string may carry personal data (`?email=`,
    signed links), so it is never logged."""
    method, path = getattr(value, "method", None), getattr(value, "path", None)
    return f"{method} {path}" if method and path else value


def _exception(exc_info: tuple) -> dict[str, object]:
    """The exception's type and where it was raised, without its message: messages repeat the
    values involved (a unique violation names the email address)."""
    kind, _, tb = exc_info
    frames = [f"{frame.filename}:{frame.lineno} in {frame.name}" for frame in
              traceback.extract_tb(tb)]  # fmt: skip
    return {"type": f"{kind.__module__}.{kind.__qualname__}", "frames": frames}


class JsonFormatter(logging.Formatter):
    """Render a record and its `extra=` fields as one JSON line."""

    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
        }
        payload.update({key: value for key, value in vars(record).items() if key not in _STANDARD})
        if "request" in payload:
            payload["request"] = _request(payload["request"])
        if record.exc_info and record.exc_info[0] is not None:
            payload["exception"] = _exception(record.exc_info)
        return json.dumps(payload, default=str)
