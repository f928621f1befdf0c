"""The contract every feed adapter keeps: bytes in, normalised FeedEntry records out, no I/O.

Holds the record types, the error that fails a whole run, and the registry of parsers by kind.
"""

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

import orjson

from recruitment.enums import ContractType, DeadlineStatus, Grade
from workflows.feeds.normalise import Deadline

_GRADES = frozenset(Grade.values)
_CONTRACT_TYPES = frozenset(ContractType.values)
_DEADLINE_STATUSES = frozenset(DeadlineStatus)
# Bump when the hashed fields or their encoding change: every stored hash then differs once.
_HASH_VERSION = "feed-entry-v2"


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One vacancy as a feed describes it, normalised; `raw` keeps the item's payload."""

    external_id: str
    url: str
    title: str
    organisation_name: str = ""  # as the source writes it
    organisation_slug: str | None = None  # from the alias table; None when unknown
    organisation_job_number: str = ""  # the organisation's own job/requisition number
    post_numbers: tuple[str, ...] = ()  # position numbers from the title, zeros stripped
    grade: str | None = None  # a Grade value
    grade_raw: str = ""
    contract_type: str | None = None  # a ContractType value
    category: str = ""
    number_of_posts: int = 1
    duty_stations: tuple[tuple[str, str], ...] = ()  # (city, ISO alpha-2 or '')
    opens_at: datetime | None = None
    opens_at_raw: str = ""
    opens_at_status: str = DeadlineStatus.MISSING
    closes_at: datetime | None = None
    closes_at_raw: str = ""
    closes_at_zone: str = ""
    closes_at_status: str = DeadlineStatus.MISSING
    closes_at_zone_assumed: bool = False
    description: str = ""  # sanitised HTML
    languages: tuple[str, ...] = ()  # ISO 639-1 codes the source states as required
    raw: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        # Adapters build entries from untrusted input; a wrong value must fail here, not in SQL.
        if not self.external_id:
            raise ValueError("external_id is empty")
        if self.grade is not None and self.grade not in _GRADES:
            raise ValueError(f"grade {self.grade!r} is not a Grade value")
        if self.contract_type is not None and self.contract_type not in _CONTRACT_TYPES:
            raise ValueError(f"contract_type {self.contract_type!r} is not a ContractType value")
        if self.number_of_posts < 1:
            raise ValueError("number_of_posts must be at least 1")
        for name in ("opens_at", "closes_at"):
            moment = getattr(self, name)
            if moment is not None and moment.tzinfo is None:
                raise ValueError(f"{name} must be timezone-aware")
        for name in ("opens_at_status", "closes_at_status"):
            if getattr(self, name) not in _DEADLINE_STATUSES:
                raise ValueError(f"{name} {getattr(self, name)!r} is not a DeadlineStatus")

    def content_hash(self) -> str:
        """sha256 hex of the normalised fields, stable across fetches of an unchanged item.

        Leaves out `raw` (sources add scores and timestamps to it) and relative dates
        ("Posted 2 Days Ago" reads differently and computes to another instant every day).
        Instants are hashed in UTC, so the same moment written in two zones hashes alike.
        """
        values = [getattr(self, name) for name in _HASHED_FIELDS]
        for index, status_index in _RELATIVE_PAIRS:
            if values[status_index] == DeadlineStatus.RELATIVE:
                values[index] = values[index + 1] = None  # the instant and its raw text
        encoded = json.dumps(
            [_HASH_VERSION, values], ensure_ascii=False, separators=(",", ":"), default=_utc
        )
        return hashlib.sha256(encoded.encode()).hexdigest()


def deadline_fields(opens: Deadline, closes: Deadline) -> dict[str, Any]:
    """FeedEntry's opening and closing fields from two read dates."""
    return {
        "opens_at": opens.at,
        "opens_at_raw": opens.raw,
        "opens_at_status": opens.status,
        "closes_at": closes.at,
        "closes_at_raw": closes.raw,
        "closes_at_zone": closes.zone,
        "closes_at_status": closes.status,
        "closes_at_zone_assumed": closes.zone_assumed,
    }


def _utc(value: object) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    raise TypeError(f"cannot hash {type(value).__name__}")


# Field order is the dataclass order: part of the hash, like _HASH_VERSION.
_HASHED_FIELDS = tuple(item.name for item in fields(FeedEntry) if item.name != "raw")
# (index of the instant, index of its status); the raw text follows the instant.
_RELATIVE_PAIRS = tuple(
    (_HASHED_FIELDS.index(prefix), _HASHED_FIELDS.index(f"{prefix}_status"))
    for prefix in ("opens_at", "closes_at")
)
assert all(_HASHED_FIELDS[i + 1] == _HASHED_FIELDS[i] + "_raw" for i, _ in _RELATIVE_PAIRS)


@dataclass(frozen=True, slots=True)
class RejectReason:
    """Why an item was not taken: a stable machine `code`, a message for people, the field."""

    code: str
    message: str
    field: str = ""


@dataclass(frozen=True, slots=True)
class RejectedItem:
    """An item of the document that was skipped; the rest of the run goes on."""

    identifier: str  # the item's external id, or its position ("item[3]") when it has none
    reasons: tuple[RejectReason, ...]

    @property
    def code(self) -> str:
        """The first reason's code, for counts by reason."""
        return self.reasons[0].code


@dataclass(frozen=True, slots=True)
class ParseResult:
    """What one document yielded: accepted entries and rejected items, in document order."""

    entries: tuple[FeedEntry, ...] = ()
    rejected: tuple[RejectedItem, ...] = ()
    total: int | None = None  # items in the whole listing, for sources that page
    next_url: str | None = None  # the next page to fetch; None on the last page


class FeedParseError(Exception):
    """The document cannot be read at all: the run fails and changes nothing."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class ItemRejected(Exception):
    """Raised by an adapter for one unusable item; the adapter records it and goes on."""

    def __init__(self, code: str, message: str, field: str = "") -> None:
        super().__init__(f"{code}: {message}")
        self.reason = RejectReason(code, message, field)


class ParseResultBuilder:
    """Collects entries and rejections; a repeated external id is rejected, not duplicated."""

    def __init__(self) -> None:
        self._entries: list[FeedEntry] = []
        self._rejected: list[RejectedItem] = []
        self._seen: set[str] = set()

    def add(self, entry: FeedEntry) -> None:
        """Accept `entry`, unless an earlier entry of the document had the same external id."""
        if entry.external_id in self._seen:
            self.reject(
                entry.external_id,
                "duplicate_external_id",
                "an earlier item of this document has the same id; the first one is kept",
            )
            return
        self._seen.add(entry.external_id)
        self._entries.append(entry)

    def reject(self, identifier: str, code: str, message: str, *, field: str = "") -> None:
        """Record one item as rejected for one reason."""
        self._rejected.append(RejectedItem(identifier, (RejectReason(code, message, field),)))

    def reject_item(self, identifier: str, error: ItemRejected) -> None:
        """Record one item as rejected for the reason `error` carries."""
        self._rejected.append(RejectedItem(identifier, (error.reason,)))

    def reject_reasons(self, identifier: str, reasons: Iterable[RejectReason]) -> None:
        """Record one item as rejected for several reasons (per-field validation)."""
        self._rejected.append(RejectedItem(identifier, tuple(reasons)))

    def build(self, *, total: int | None = None, next_url: str | None = None) -> ParseResult:
        """The result, in document order."""
        return ParseResult(tuple(self._entries), tuple(self._rejected), total, next_url)


def load_json(content: bytes) -> object:
    """Decode a JSON document (UTF-8/16/32) or raise FeedParseError('invalid_json')."""
    try:
        # orjson reads UTF-8 several times faster; json detects UTF-16/32 and BOMs.
        return orjson.loads(content)
    except orjson.JSONDecodeError:
        pass
    try:
        return json.loads(content)
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise FeedParseError("invalid_json", f"the document is not JSON ({error})") from error


def text_value(value: object) -> str:
    """A JSON scalar as stripped text; '' for null, objects and lists."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    return ""


Parser = Callable[..., ParseResult]
# FeedKind value -> parse(content: bytes, *, fetched_at: datetime, **options) -> ParseResult.
# Filled by each adapter module's @register; importing workflows.feeds imports them all.
PARSERS: dict[str, Parser] = {}


def register(kind: str) -> Callable[[Parser], Parser]:
    """Register the decorated function as the parser of feeds of `kind` (a FeedKind value)."""

    def decorator(parser: Parser) -> Parser:
        PARSERS[str(kind)] = parser
        return parser

    return decorator
