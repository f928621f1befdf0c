"""Feed documents for the adapter tests: the project's fixtures and the shared real samples."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

# A fixed fetch time: relative dates ("Posted 2 Days Ago") are read from it.
FETCHED_AT = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)
REPOSITORY = Path(__file__).resolve().parents[3]
FIXTURES = REPOSITORY / "tests" / "fixtures" / "feeds"
SHARED_FEEDS = REPOSITORY.parent / "shared" / "feeds"


def fixture_bytes(kind, name):
    """A document the project wrote, under tests/fixtures/feeds/<kind>/."""
    return (FIXTURES / kind / name).read_bytes()


def _without_notes(value):
    if isinstance(value, dict):
        return {key: _without_notes(item) for key, item in value.items() if key != "_note"}
    if isinstance(value, list):
        return [_without_notes(item) for item in value]
    return value


def shared_bytes(relative):
    """A document from ../shared/feeds (real or constructed); skips when the folder is absent.

    Constructed documents lose their `_note` keys, as the folder's README asks.
    """
    path = SHARED_FEEDS / relative
    if not path.is_file():
        pytest.skip("../shared/feeds not present")
    content = path.read_bytes()
    if relative.startswith("constructed/"):
        return json.dumps(_without_notes(json.loads(content))).encode()
    return content
