"""Adapter for a partner organisation's bulk upload in our posting schema, checked field by field.

Document: {"vacancies": [{...}, ...]}. Per vacancy (unknown keys are rejected, so a misspelt
field is reported rather than silently dropped):

| field | rule |
|---|---|
| external_id | required; text, 1-255 characters; unique within the document |
| title | required; text, 3-255 characters |
| closes_at | required; ISO-8601 date-time WITH offset ("2026-03-20T23:59:00+01:00") |
| closes_at_zone | optional; IANA zone the deadline is announced in ("Europe/Oslo") |
| opens_at | optional; ISO-8601 date-time with offset |
| url | optional; absolute http(s) URL, at most 2048 characters |
| description | optional; HTML (sanitised), at most 100,000 characters |
| grade | optional; any spelling normalise_grade reads to a Grade ("P-2", "P2", "NOB", "UNV") |
| contract_type | optional; a ContractType value ("fixed_term", "temporary", ...) |
| duty_stations | optional; at most 20 {"city": text, "country": ISO alpha-2/alpha-3 or name} |
| number_of_posts | optional; integer 1-999 (default 1) |
| organisation_job_number | optional; text, at most 64 characters |
| category | optional; text, at most 255 characters |
| languages | optional; list of two-letter ISO 639-1 codes |
"""

import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from recruitment.enums import ContractType, DeadlineStatus, FeedKind
from workflows.feeds.base import (
    FeedEntry,
    FeedParseError,
    ParseResult,
    ParseResultBuilder,
    RejectReason,
    load_json,
    register,
)
from workflows.feeds.normalise import (
    collapse_whitespace,
    extract_post_numbers,
    normalise_country,
    normalise_grade,
    organisation_slug_for,
    sanitise_html,
)

_FIELDS = frozenset({
    "external_id", "title", "closes_at", "closes_at_zone", "opens_at", "url", "description",
    "grade", "contract_type", "duty_stations", "number_of_posts", "organisation_job_number",
    "category", "languages",
})  # fmt: skip
_CONTRACT_TYPES = frozenset(ContractType.values)
_LANGUAGE_RE = re.compile(r"[a-z]{2}")
_MAX_DUTY_STATIONS = 20
_MAX_POSTS = 999


class _Checker:
    """Validates one vacancy, collecting every field's reason instead of stopping at the first."""

    def __init__(self, item: dict[str, Any]) -> None:
        self.item = item
        self.reasons: list[RejectReason] = []

    def fail(self, field: str, code: str, message: str) -> None:
        self.reasons.append(RejectReason(code, message, field))

    def text(
        self,
        field: str,
        *,
        required: bool,
        minimum: int = 1,
        maximum: int = 255,
        collapse: bool = True,
    ) -> str:
        value = self.item.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(field, "required", f"{field} is required")
            return ""
        if not isinstance(value, str):
            self.fail(field, "not_text", f"{field} must be a string")
            return ""
        value = collapse_whitespace(value) if collapse else value.strip()
        if not minimum <= len(value) <= maximum:
            self.fail(field, "length", f"{field} must be {minimum}-{maximum} characters long")
            return ""
        return value

    def moment(self, field: str, *, required: bool) -> datetime | None:
        text = self.text(field, required=required, maximum=64)
        if not text:
            return None
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            self.fail(field, "invalid_datetime", f"{field} must be an ISO-8601 date-time")
            return None
        if value.tzinfo is None or len(text) <= 10:
            # Our schema asks for the offset: a bare date or local time would be a guess.
            self.fail(field, "offset_required", f"{field} must carry a UTC offset (+01:00, Z)")
            return None
        return value

    def zone(self, field: str) -> str:
        name = self.text(field, required=False, maximum=64)
        if name:
            try:
                ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                self.fail(field, "unknown_zone", f"{field} {name!r} is not an IANA time zone")
                return ""
        return name

    def url(self, field: str) -> str:
        url = self.text(field, required=False, maximum=2048)
        parts = urlsplit(url)
        if url and (parts.scheme not in ("http", "https") or not parts.netloc):
            self.fail(field, "invalid_url", f"{field} must be an absolute http(s) URL")
            return ""
        return url

    def grade(self, field: str) -> tuple[str | None, str]:
        raw = self.text(field, required=False, maximum=32)
        if not raw:
            return None, ""
        grade, _ = normalise_grade(raw)
        if grade is None:
            self.fail(field, "unknown_grade", f"{field} {raw!r} is not a grade we know")
        return grade, raw

    def contract_type(self, field: str) -> str | None:
        value = self.text(field, required=False, maximum=32)
        if value and value not in _CONTRACT_TYPES:
            allowed = ", ".join(sorted(_CONTRACT_TYPES))
            self.fail(field, "invalid_choice", f"{field} must be one of: {allowed}")
            return None
        return value or None

    def duty_stations(self, field: str) -> tuple[tuple[str, str], ...]:
        value = self.item.get(field)
        if value is None:
            return ()
        if not isinstance(value, list) or len(value) > _MAX_DUTY_STATIONS:
            self.fail(field, "invalid_list", f"{field} must be a list of at most 20 objects")
            return ()
        stations = []
        for index, station in enumerate(value):
            name = f"{field}[{index}]"
            if not isinstance(station, dict) or set(station) - {"city", "country"}:
                self.fail(name, "invalid_station", f"{name} must be {{city, country}}")
                continue
            city, country = station.get("city") or "", station.get("country") or ""
            if not isinstance(city, str) or not isinstance(country, str) or len(city) > 255:
                self.fail(name, "invalid_station", f"{name}: city and country must be text")
                continue
            code = normalise_country(country)
            if country and not code:
                self.fail(f"{name}.country", "unknown_country", f"{country!r} is not a country")
                continue
            if not city.strip() and not code:
                self.fail(name, "empty_station", f"{name} names neither city nor country")
                continue
            stations.append((collapse_whitespace(city), code))
        return tuple(dict.fromkeys(stations))

    def number_of_posts(self, field: str) -> int:
        value = self.item.get(field, 1)
        # bool is an int in Python; "true" posts is a client bug, not one post.
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= _MAX_POSTS:
            self.fail(field, "invalid_number", f"{field} must be an integer from 1 to 999")
            return 1
        return value

    def languages(self, field: str) -> tuple[str, ...]:
        value = self.item.get(field)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(
            isinstance(code, str) and _LANGUAGE_RE.fullmatch(code) for code in value
        ):
            self.fail(field, "invalid_languages", f"{field} must list ISO 639-1 codes ('en')")
            return ()
        return tuple(dict.fromkeys(value))


def _entry(
    item: dict[str, Any], organisation_name: str, organisation_slug: str | None
) -> FeedEntry | list[RejectReason]:
    check = _Checker(item)
    for unknown in sorted(set(item) - _FIELDS):
        check.fail(unknown, "unknown_field", f"{unknown} is not a field of the posting schema")
    external_id = check.text("external_id", required=True)
    title = check.text("title", required=True, minimum=3)
    closes_at = check.moment("closes_at", required=True)
    zone = check.zone("closes_at_zone")
    opens_at = check.moment("opens_at", required=False)
    url = check.url("url")
    description = check.text("description", required=False, maximum=100_000, collapse=False)
    grade, grade_raw = check.grade("grade")
    contract_type = check.contract_type("contract_type")
    duty_stations = check.duty_stations("duty_stations")
    number_of_posts = check.number_of_posts("number_of_posts")
    job_number = check.text("organisation_job_number", required=False, maximum=64)
    category = check.text("category", required=False)
    languages = check.languages("languages")
    if closes_at and opens_at and opens_at > closes_at:
        check.fail("opens_at", "opens_after_closing", "opens_at is after closes_at")
    if check.reasons:
        return check.reasons
    return FeedEntry(
        external_id=external_id,
        url=url,
        title=title,
        organisation_name=organisation_name,
        organisation_slug=organisation_slug or organisation_slug_for(organisation_name),
        organisation_job_number=job_number,
        post_numbers=extract_post_numbers(title),
        grade=grade,
        grade_raw=grade_raw,
        contract_type=contract_type,
        category=category,
        number_of_posts=number_of_posts,
        duty_stations=duty_stations,
        opens_at=opens_at,
        opens_at_raw=str(item.get("opens_at") or ""),
        opens_at_status=DeadlineStatus.PARSED if opens_at else DeadlineStatus.MISSING,
        closes_at=closes_at,
        closes_at_raw=str(item["closes_at"]),
        closes_at_zone=zone,
        closes_at_status=DeadlineStatus.PARSED,
        description=sanitise_html(description),
        languages=languages,
        raw=item,
    )


@register(FeedKind.PARTNER)
def parse(
    content: bytes,
    *,
    fetched_at: datetime,
    organisation_name: str = "",
    organisation_slug: str | None = None,
) -> ParseResult:
    """Validate a partner's {"vacancies": [...]} upload; each bad vacancy is rejected with one
    reason per failing field (RejectReason.field names it), the others are accepted.

    The organisation is the partner's own, given by the caller, never read from the document.
    `fetched_at` is unused: past deadlines are accepted so a partner can re-send closed posts.
    Raises FeedParseError when the document is not JSON or has no "vacancies" list.
    """
    document = load_json(content)
    if not isinstance(document, dict) or not isinstance(document.get("vacancies"), list):
        raise FeedParseError("unexpected_shape", 'expected {"vacancies": [...]}')
    builder = ParseResultBuilder()
    for index, item in enumerate(document["vacancies"]):
        position = f"vacancies[{index}]"
        if not isinstance(item, dict):
            builder.reject(position, "not_an_object", "the vacancy is not a JSON object")
            continue
        result = _entry(item, organisation_name, organisation_slug)
        identifier = item.get("external_id")
        if isinstance(result, FeedEntry):
            builder.add(result)
        else:
            builder.reject_reasons(
                identifier if isinstance(identifier, str) and identifier.strip() else position,
                result,
            )
    return builder.build()
