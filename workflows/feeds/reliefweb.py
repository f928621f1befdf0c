"""Adapter for ReliefWeb's API v2 `/jobs` list, and for its Post API job documents.

An aggregated source: each item names its own organisation (`source`).
"""

from datetime import datetime
from typing import Any

from recruitment.enums import ContractType, FeedKind
from workflows.feeds.base import (
    FeedEntry,
    FeedParseError,
    ItemRejected,
    ParseResult,
    ParseResultBuilder,
    deadline_fields,
    load_json,
    register,
    text_value,
)
from workflows.feeds.normalise import (
    clean_city,
    collapse_whitespace,
    extract_number_of_posts,
    extract_post_numbers,
    normalise_country,
    normalise_grade,
    organisation_slug_for,
    parse_deadline,
    sanitise_html,
)

# ReliefWeb's job types (https://api.reliefweb.int/v1/references/job-types); "Job" says nothing.
_JOB_TYPES = {
    "consultancy": ContractType.CONSULTANCY,
    "internship": ContractType.INTERNSHIP,
    "volunteer opportunity": ContractType.VOLUNTEER,
    "volunteer": ContractType.VOLUNTEER,
}


def next_page_url(content: bytes) -> str | None:
    """The `links.next.href` of a `/jobs` list page; None on the last page or another shape."""
    document = load_json(content)
    return _next_url(document) if isinstance(document, dict) else None


def _next_url(document: dict[str, Any]) -> str | None:
    links = document.get("links")
    following = links.get("next") if isinstance(links, dict) else None
    href = following.get("href") if isinstance(following, dict) else following
    return text_value(href) or None


def _names(value: object) -> list[str]:
    """Names of a taxonomy list ([{"name": ...}], a bare string, or a list of strings)."""
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if not isinstance(value, list):
        return []
    names = []
    for term in value:
        name = text_value(term.get("name")) if isinstance(term, dict) else text_value(term)
        if name:
            names.append(name)
    return names


def _countries(value: object) -> list[str]:
    """ISO alpha-2 codes of the `country` list, primary country first (iso3, else name)."""
    if not isinstance(value, list):
        return []
    terms = [term for term in value if isinstance(term, dict)]
    terms.sort(key=lambda term: not term.get("primary"))
    codes = []
    for term in terms:
        code = normalise_country(text_value(term.get("iso3"))) or normalise_country(
            text_value(term.get("name"))
        )
        if code and code not in codes:
            codes.append(code)
    return codes


def _duty_stations(cities: list[str], countries: list[str]) -> tuple[tuple[str, str], ...]:
    # Cities belong to a country only when there is exactly one; otherwise none is guessed.
    country = countries[0] if len(countries) == 1 else ""
    stations = [(clean_city(city), country) for city in cities]
    stations += [("", code) for code in countries if code != country or not cities]
    return tuple(dict.fromkeys(stations))


def _api_entry(
    item: dict[str, Any], fetched_at: datetime, default_zone: str | None, organisation_name: str
) -> FeedEntry:
    fields: dict[str, Any] = item["fields"]
    external_id = _required(text_value(fields.get("id")) or text_value(item.get("id")), "id")
    title = _required(collapse_whitespace(text_value(fields.get("title"))), "title")
    sources = [term for term in fields.get("source") or [] if isinstance(term, dict)]
    source = sources[0] if sources else {}
    name = text_value(source.get("name")) or organisation_name
    slug = organisation_slug_for(text_value(source.get("shortname"))) or organisation_slug_for(name)
    dates = fields.get("date") if isinstance(fields.get("date"), dict) else {}
    closes = parse_deadline(
        text_value(dates.get("closing")), now=fetched_at, default_zone=default_zone
    )
    opens = parse_deadline(
        text_value(dates.get("created")), now=fetched_at, default_zone=default_zone,
        end_of_day=False,
    )  # fmt: skip
    grade, grade_raw = normalise_grade(title)
    job_types = [_JOB_TYPES.get(name.lower()) for name in _names(fields.get("type"))]
    # The API says `career_categories`; some real documents say `career_category`.
    categories = _names(fields.get("career_categories") or fields.get("career_category"))
    post_numbers = extract_post_numbers(title)
    return FeedEntry(
        external_id=external_id,
        url=text_value(fields.get("url_alias")) or text_value(fields.get("url")),
        title=title,
        organisation_name=name,
        organisation_slug=slug,
        organisation_job_number=post_numbers[0] if post_numbers else "",
        post_numbers=post_numbers,
        grade=grade,
        grade_raw=grade_raw,
        contract_type=next((kind for kind in job_types if kind), None),
        category=categories[0] if categories else "",
        number_of_posts=extract_number_of_posts(title),
        duty_stations=_duty_stations(_names(fields.get("city")), _countries(fields.get("country"))),
        **deadline_fields(opens, closes),
        description=sanitise_html(
            text_value(fields.get("body-html")) or text_value(fields.get("body"))
        ),
        raw=item,
    )


def _post_api_entry(
    document: dict[str, Any], fetched_at: datetime, default_zone: str | None, organisation_name: str
) -> FeedEntry:
    """A Post API job document: taxonomy terms are bare ids, so only texts and dates are read."""
    external_id = _required(
        text_value(document.get("uuid")) or text_value(document.get("url")), "uuid"
    )
    title = _required(collapse_whitespace(text_value(document.get("title"))), "title")
    closes = parse_deadline(
        text_value(document.get("closing_date")), now=fetched_at, default_zone=default_zone
    )
    grade, grade_raw = normalise_grade(title)
    post_numbers = extract_post_numbers(title)
    return FeedEntry(
        external_id=external_id,
        url=text_value(document.get("url")),
        title=title,
        organisation_name=organisation_name,
        organisation_slug=organisation_slug_for(organisation_name),
        organisation_job_number=post_numbers[0] if post_numbers else "",
        post_numbers=post_numbers,
        grade=grade,
        grade_raw=grade_raw,
        number_of_posts=extract_number_of_posts(title),
        closes_at=closes.at,
        closes_at_raw=closes.raw,
        closes_at_zone=closes.zone,
        closes_at_status=closes.status,
        closes_at_zone_assumed=closes.zone_assumed,
        description=sanitise_html(text_value(document.get("body"))),
        raw=document,
    )


def _identifier(item: object) -> str:
    if not isinstance(item, dict):
        return ""
    fields = item.get("fields") if isinstance(item.get("fields"), dict) else item
    return (
        text_value(fields.get("id")) or text_value(item.get("id")) or text_value(item.get("uuid"))
    )


def _required(value: str, field: str) -> str:
    if not value:
        code = "missing_title" if field == "title" else "missing_identifier"
        raise ItemRejected(code, f"the item has no {field}", field)
    return value


def _is_post_api_document(value: object) -> bool:
    return isinstance(value, dict) and "title" in value and ("uuid" in value or "url" in value)


@register(FeedKind.RELIEFWEB)
def parse(
    content: bytes,
    *,
    fetched_at: datetime,
    default_zone: str | None = None,
    organisation_name: str = "",
) -> ParseResult:
    """Parse a ReliefWeb `/jobs` list page (or Post API job documents) into entries.

    `default_zone` reads deadlines written without a zone; `organisation_name` names items that
    do not name their own. The result carries `total` (`totalCount`) and `next_url`
    (`links.next`) so the sync can page. Raises FeedParseError when the document is not JSON
    or has neither shape.
    """
    document = load_json(content)
    builder = ParseResultBuilder()
    if isinstance(document, dict) and isinstance(document.get("data"), list):
        items, post_api = document["data"], False
    elif _is_post_api_document(document):
        items, post_api = [document], True
    elif isinstance(document, list) and all(_is_post_api_document(item) for item in document):
        items, post_api = document, True
    else:
        raise FeedParseError(
            "unexpected_shape", "expected a /jobs list ({data: [...]}) or Post API job documents"
        )
    for index, item in enumerate(items):
        position = f"item[{index}]"
        if not post_api and not (isinstance(item, dict) and isinstance(item.get("fields"), dict)):
            builder.reject(
                _identifier(item) or position, "missing_fields", "the item has no `fields` object"
            )
            continue
        entry_of = _post_api_entry if post_api else _api_entry
        try:
            builder.add(entry_of(item, fetched_at, default_zone, organisation_name))
        except ItemRejected as error:
            builder.reject_item(_identifier(item) or position, error)
    if isinstance(document, dict) and not post_api:
        total = document.get("totalCount")
        return builder.build(
            total=total if isinstance(total, int) else None, next_url=_next_url(document)
        )
    return builder.build()
