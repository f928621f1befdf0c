"""Adapter for schema.org JobPosting JSON-LD, standalone or embedded in HTML pages.

Pages without JSON-LD that come from the UNjobs aggregator are read from their HTML instead, with
the standard library's html.parser: UN sites in our samples carry no JobPosting markup.
"""

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

from recruitment.enums import ContractType, DeadlineStatus, FeedKind
from workflows.feeds.base import (
    FeedEntry,
    FeedParseError,
    ItemRejected,
    ParseResult,
    ParseResultBuilder,
    deadline_fields,
    register,
    text_value,
)
from workflows.feeds.normalise import (
    Deadline,
    clean_city,
    collapse_whitespace,
    extract_contract_type,
    extract_number_of_posts,
    extract_post_numbers,
    infer_day_first,
    is_grade_only,
    normalise_country,
    normalise_grade,
    organisation_slug_for,
    parse_deadline,
    sanitise_html,
)

# schema.org employmentType values that name a contract type (FULL_TIME etc. do not).
_EMPLOYMENT_TYPES = {
    "TEMPORARY": ContractType.TEMPORARY,
    "CONTRACTOR": ContractType.CONSULTANCY,
    "INTERN": ContractType.INTERNSHIP,
    "VOLUNTEER": ContractType.VOLUNTEER,
    # Not schema.org values, but allowed (employmentType is text): our own feeds write them.
    "FIXED_TERM": ContractType.FIXED_TERM,
    "SECONDMENT": ContractType.SECONDMENT,
}
# A document this share or more of undecodable characters is binary (a compressed body).
_MAX_REPLACEMENT_SHARE = 0.01
_UNJOBS_ID_RE = re.compile(r"unjobs\.org/vacancies/(\d+)")
# UNjobs computes its "Closing date" in the page's script: posted (epoch ms) + duration (ms).
_UNJOBS_EPOCH_RE = re.compile(r"var \w+pi = (\d{12,14});var \w+pd = (\d{1,14})")
_BLOCK_TAGS = frozenset({
    "p", "div", "li", "ul", "ol", "br", "tr", "td", "th", "table", "h1", "h2", "h3", "h4", "h5",
    "h6", "blockquote", "section", "article",
})  # fmt: skip

# Labels on UNjobs pages (copied from each organisation's own posting), most specific first.
_JOB_NUMBER_LABELS = ("Job no", "Job Identification", "Job ID", "Job Opening ID",
                      "Requisition ID", "Vacancy No", "Vacancy Number", "Post Number")  # fmt: skip
_DEADLINE_LABELS = ("Application close", "Apply Before", "Apply by", "Closing Date",
                    "Deadline for Applications", "Deadline")  # fmt: skip
_OPENING_LABELS = ("Advertised", "Posting Date", "Date posted", "Posted on")
_GRADE_LABELS = ("Grade level of Post", "Grade", "Post level", "Level")
_CONTRACT_LABELS = ("Position type", "Vacancy Type", "Contract type", "Type of contract",
                    "Appointment type")  # fmt: skip
_CATEGORY_LABELS = ("Categories", "Category")


def _label_re(labels: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(label) for label in labels)
    return re.compile(rf"^(?:{alternatives})\b\s*:?\s*(?P<value>.*)$", re.IGNORECASE)


_JOB_NUMBER_RE = _label_re(_JOB_NUMBER_LABELS)
_DEADLINE_RE = _label_re(_DEADLINE_LABELS)
_OPENING_RE = _label_re(_OPENING_LABELS)
_GRADE_LABEL_RE = _label_re(_GRADE_LABELS)
_CONTRACT_RE = _label_re(_CONTRACT_LABELS)
_CATEGORY_RE = _label_re(_CATEGORY_LABELS)


@dataclass(slots=True)
class _Line:
    text: str
    bold: bool


@dataclass(slots=True)
class _PageFacts:
    """What the HTML collector found; UNjobs fields stay empty on other pages."""

    json_ld: list[str] = field(default_factory=list)
    og_url: str = ""
    canonical: str = ""
    heading: str = ""
    side_labels: dict[str, str] = field(default_factory=dict)  # "Organization" -> value
    side_links: dict[str, str] = field(default_factory=dict)  # "Organization" -> href
    snippet_start: int = -1
    snippet_end: int = -1
    lines: list[_Line] = field(default_factory=list)


class _PageCollector(HTMLParser):
    """One pass over a page: JSON-LD scripts, UNjobs' side list, heading and posting body."""

    def __init__(self, line_starts: list[int]) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = _PageFacts()
        self._line_starts = line_starts
        self._script_json = False
        self._script_parts: list[str] = []
        self._in_heading = False
        self._heading_parts: list[str] = []
        self._side_list_depth = 0
        self._side_label = ""
        self._side_in_link = False
        self._snippet_depth = 0
        self._bold_depth = 0
        self._line_parts: list[tuple[str, bool]] = []

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def _flush_line(self) -> None:
        text = collapse_whitespace("".join(part for part, _ in self._line_parts))
        if text:
            bold = all(is_bold for part, is_bold in self._line_parts if part.strip())
            self.facts.lines.append(_Line(text, bold))
        self._line_parts = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "script":
            self._script_json = attributes.get("type", "").lower() == "application/ld+json"
            self._script_parts = []
        elif tag == "meta" and attributes.get("property") == "og:url":
            self.facts.og_url = attributes.get("content", "")
        elif tag == "link" and attributes.get("rel") == "canonical":
            self.facts.canonical = attributes.get("href", "")
        elif tag == "h2" and not self.facts.heading:
            self._in_heading = True
        elif tag == "ul" and (attributes.get("id") == "cats" or self._side_list_depth):
            self._side_list_depth += 1
        elif tag == "li" and self._side_list_depth:
            self._side_label = ""
        elif tag == "a" and self._side_list_depth and self._side_label:
            self._side_in_link = True
            self.facts.side_links[self._side_label] = attributes.get("href", "")
        if tag == "div":
            if self._snippet_depth:
                self._snippet_depth += 1
            elif "fp-snippet" in attributes.get("class", "").split():
                self._snippet_depth = 1
                self.facts.snippet_start = self._offset() + len(self.get_starttag_text() or "")
        if self._snippet_depth:
            if tag in _BLOCK_TAGS:
                self._flush_line()
            if tag in ("b", "strong"):
                self._bold_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script_json:
            self.facts.json_ld.append("".join(self._script_parts))
            self._script_json = False
        elif tag == "h2" and self._in_heading:
            self._in_heading = False
            self.facts.heading = collapse_whitespace("".join(self._heading_parts))
        elif tag == "ul" and self._side_list_depth:
            self._side_list_depth -= 1
        elif tag == "a" and self._side_in_link:
            self._side_in_link = False
        if self._snippet_depth:
            if tag in _BLOCK_TAGS:
                self._flush_line()
            if tag in ("b", "strong") and self._bold_depth:
                self._bold_depth -= 1
            if tag == "div":
                self._snippet_depth -= 1
                if not self._snippet_depth:
                    self.facts.snippet_end = self._offset()

    def handle_data(self, data: str) -> None:
        if self._script_json:
            self._script_parts.append(data)
        if self._in_heading:
            self._heading_parts.append(data)
        if self._side_list_depth:
            if self._side_in_link:
                label = self._side_label
                value = collapse_whitespace(self.facts.side_labels.get(label, "") + " " + data)
                self.facts.side_labels[label] = value
            elif data.strip().endswith(":"):
                self._side_label = collapse_whitespace(data).rstrip(":").strip()
        if self._snippet_depth:
            self._line_parts.append((data, self._bold_depth > 0))


def _decode(content: bytes) -> str:
    if content[:2] == b"\x1f\x8b":
        raise FeedParseError("compressed_body", "the body is gzip data that was never decoded")
    text = content.decode("utf-8", errors="replace")
    if text.count("\ufffd") > max(8, len(text) * _MAX_REPLACEMENT_SHARE) or "\x00" in text:
        raise FeedParseError(
            "not_text", "the document is binary (for example a compressed body never decoded)"
        )
    return text


@dataclass(frozen=True, slots=True)
class _Context:
    fetched_at: datetime
    organisation_name: str
    default_zone: str | None
    day_first: bool | None

    def read(
        self, text: str, *, end_of_day: bool = True, day_first: bool | None = None
    ) -> Deadline:
        return parse_deadline(
            text,
            now=self.fetched_at,
            default_zone=self.default_zone,
            day_first=self.day_first if day_first is None else day_first,
            end_of_day=end_of_day,
        )


# ---------------------------------------------------------------------------------------------
# JSON-LD
# ---------------------------------------------------------------------------------------------


def _is_job_posting(node: dict[str, Any]) -> bool:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and k.rsplit("/", 1)[-1] == "JobPosting" for k in kinds)


def _job_postings(node: object) -> list[dict[str, Any]]:
    """JobPosting objects in a JSON-LD value: a list, an @graph, or nested under other nodes."""
    found: list[dict[str, Any]] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, list):
            stack.extend(reversed(current))
        elif isinstance(current, dict):
            if _is_job_posting(current):
                found.append(current)
            elif "@graph" in current:
                stack.append(current["@graph"])
            elif str(current.get("version", "")).startswith("https://jsonfeed.org/version/"):
                # A JSON Feed whose items carry their JobPosting in the `_job_posting` extension.
                items = current.get("items")
                stack.extend(
                    reversed([i.get("_job_posting") for i in items if isinstance(i, dict)])
                    if isinstance(items, list)
                    else []
                )
    return found


def _first(value: object) -> object:
    return value[0] if isinstance(value, list) and value else value


def _identifier(posting: dict[str, Any]) -> str:
    identifier = _first(posting.get("identifier"))
    if isinstance(identifier, dict):
        return text_value(identifier.get("value")) or text_value(identifier.get("@id"))
    return text_value(identifier)


def _organisation(posting: dict[str, Any]) -> str:
    organisation = _first(posting.get("hiringOrganization"))
    if isinstance(organisation, dict):
        return text_value(organisation.get("name"))
    return text_value(organisation)


def _locations(posting: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    places = posting.get("jobLocation")
    stations = []
    for place in places if isinstance(places, list) else [places]:
        address = place.get("address") if isinstance(place, dict) else None
        if isinstance(address, str):
            stations.append((clean_city(address), ""))
            continue
        if not isinstance(address, dict):
            continue
        country = address.get("addressCountry")
        if isinstance(country, dict):
            country = country.get("name") or country.get("identifier")
        city = clean_city(text_value(address.get("addressLocality")))
        code = normalise_country(text_value(country))
        if city or code:
            stations.append((city, code))
    return tuple(dict.fromkeys(stations))


def _posting_entry(
    posting: dict[str, Any], page_url: str, index: int, context: _Context
) -> FeedEntry:
    title = collapse_whitespace(text_value(posting.get("title")))
    if not title:
        raise ItemRejected("missing_title", "the JobPosting has no title", "title")
    job_number = _identifier(posting)
    url = text_value(posting.get("url")) or page_url
    external_id = (
        text_value(posting.get("url"))
        or text_value(posting.get("@id"))
        or job_number
        or (f"{page_url}#{index}" if page_url else "")
    )
    if not external_id:
        raise ItemRejected("missing_identifier", "no url, @id or identifier", "identifier")
    organisation = _organisation(posting) or context.organisation_name
    grade, grade_raw = normalise_grade(title)
    if grade is None and (stated := text_value(posting.get("grade"))):
        # Our own term (declared in the posting's @context): schema.org has no grade property.
        grade, grade_raw = normalise_grade(stated)
    employment = posting.get("employmentType")
    kinds = employment if isinstance(employment, list) else [employment]
    contract = next(
        (
            _EMPLOYMENT_TYPES[k].value
            for k in kinds
            if isinstance(k, str) and k in _EMPLOYMENT_TYPES
        ),
        extract_contract_type(title),
    )
    opens = context.read(text_value(posting.get("datePosted")), end_of_day=False)
    closes = context.read(text_value(posting.get("validThrough")))
    openings = posting.get("totalJobOpenings")
    category = _first(posting.get("occupationalCategory") or posting.get("industry"))
    return FeedEntry(
        external_id=external_id,
        url=url,
        title=title,
        organisation_name=organisation,
        organisation_slug=organisation_slug_for(organisation),
        organisation_job_number=job_number,
        post_numbers=extract_post_numbers(title),
        grade=grade,
        grade_raw=grade_raw,
        contract_type=contract,
        category=text_value(category),
        number_of_posts=(
            openings
            if isinstance(openings, int) and openings > 0
            else extract_number_of_posts(title)
        ),
        duty_stations=_locations(posting),
        **deadline_fields(opens, closes),
        description=sanitise_html(text_value(posting.get("description"))),
        raw=posting,
    )


# ---------------------------------------------------------------------------------------------
# UNjobs pages
# ---------------------------------------------------------------------------------------------


def _labelled(lines: list[_Line], pattern: re.Pattern[str]) -> list[str]:
    """Values of every line matching `pattern`; an empty value is read from the next line
    when that line is not itself a label (UNHCR pages detach labels from their values)."""
    values = []
    for index, line in enumerate(lines):
        match = pattern.match(line.text)
        if not match:
            continue
        value = match["value"].strip()
        if not value and index + 1 < len(lines) and not lines[index + 1].bold:
            value = lines[index + 1].text
        if value:
            values.append(value)
    return values


def _earliest(deadlines: list[Deadline]) -> Deadline | None:
    """The earliest readable deadline: whoever applies by it meets every other one too."""
    parsed = [d for d in deadlines if d.status == DeadlineStatus.PARSED and d.at is not None]
    if parsed:
        return min(parsed, key=lambda d: d.at or datetime.max.replace(tzinfo=UTC))
    return next((d for d in deadlines if d.status == DeadlineStatus.AMBIGUOUS), None)


def _unjobs_grade(facts: _PageFacts, header: str) -> tuple[str | None, str]:
    candidates = [facts.side_labels.get("Grade", "")]
    candidates += _labelled(facts.lines, _GRADE_LABEL_RE)
    candidates += [header, facts.heading]
    for candidate in candidates:
        grade, raw = normalise_grade(candidate)
        if grade is not None:
            return grade, raw
    # Detached labels leave the grade alone on its own line ("PR2").
    for line in facts.lines:
        if is_grade_only(line.text):
            return normalise_grade(line.text)
    return None, ""


def _unjobs_entry(text: str, facts: _PageFacts, page_url: str, context: _Context) -> FeedEntry:
    page = facts.og_url or facts.canonical or page_url
    id_match = _UNJOBS_ID_RE.search(page)
    external_id = id_match[1] if id_match else page
    if not external_id:
        raise ItemRejected("missing_identifier", "the page names no URL or UNjobs id", "url")
    title = facts.heading
    if not title:
        raise ItemRejected("missing_title", "the page has no heading", "title")
    lines = facts.lines
    # The posting's own title heads the body in bold: it carries grade and post numbers.
    header = lines[0].text if lines and lines[0].bold else ""
    organisation = facts.side_labels.get("Organization", "") or context.organisation_name
    organisation_link = facts.side_links.get("Organization", "").rstrip("/").rsplit("/", 1)[-1]
    city = clean_city(facts.side_labels.get("City", ""))
    country = normalise_country(facts.side_labels.get("Country", ""))
    # A numeric date's order is settled by the page's other dates ("Posting Date 02/19/2026").
    day_first = context.day_first
    if day_first is None:
        day_first = infer_day_first(line.text for line in lines)
    deadline_texts = _labelled(lines, _DEADLINE_RE)
    closes = _earliest([context.read(t, day_first=day_first) for t in deadline_texts])
    epoch = _UNJOBS_EPOCH_RE.search(text)
    if closes is None and epoch:
        # UNjobs' own closing day (00:00 UTC of that day, shown as a date): read as that day.
        milliseconds = int(epoch[1]) + int(epoch[2])
        day = datetime.fromtimestamp(milliseconds / 1000, UTC).date().isoformat()
        moment = context.read(day)
        closes = Deadline(moment.at, str(milliseconds), moment.zone, moment.status, True)
    closes = closes or parse_deadline(None)
    opening_texts = _labelled(lines, _OPENING_RE)
    opens = (
        context.read(opening_texts[0], end_of_day=False, day_first=day_first)
        if opening_texts
        else None
    )
    if (opens is None or opens.at is None) and epoch:
        opens = context.read(epoch[1], end_of_day=False)
    opens = opens or parse_deadline(None)
    grade, grade_raw = _unjobs_grade(facts, header)
    contracts = [extract_contract_type(value) for value in _labelled(lines, _CONTRACT_RE)]
    contract = next((c for c in contracts if c), None) or extract_contract_type(header or title)
    job_numbers = _labelled(lines, _JOB_NUMBER_RE)
    categories = _labelled(lines, _CATEGORY_RE)
    description = ""
    if 0 <= facts.snippet_start <= facts.snippet_end:
        description = sanitise_html(text[facts.snippet_start : facts.snippet_end])
    return FeedEntry(
        external_id=external_id,
        url=page,
        title=title,
        organisation_name=organisation,
        organisation_slug=organisation_slug_for(organisation)
        or organisation_slug_for(organisation_link),
        organisation_job_number=job_numbers[0].split()[0] if job_numbers else "",
        post_numbers=extract_post_numbers(header),
        grade=grade,
        grade_raw=grade_raw,
        contract_type=contract,
        category=categories[0] if categories else "",
        number_of_posts=extract_number_of_posts(header or title),
        duty_stations=((city, country),) if city or country else (),
        **deadline_fields(opens, closes),
        description=description,
        raw={
            "source": "unjobs",
            "url": page,
            "heading": title,
            "header": header,
            "labels": dict(facts.side_labels),
            "job_numbers": job_numbers,
            "deadlines": deadline_texts,
            "openings": opening_texts,
        },
    )


def _line_starts(text: str) -> list[int]:
    starts = [0]
    index = text.find("\n")
    while index != -1:
        starts.append(index + 1)
        index = text.find("\n", index + 1)
    return starts


@register(FeedKind.JSONLD)
def parse(
    content: bytes,
    *,
    fetched_at: datetime,
    url: str = "",
    organisation_name: str = "",
    default_zone: str | None = None,
    day_first: bool | None = None,
) -> ParseResult:
    """Parse JobPosting JSON-LD (a .jsonld document, or scripts in an HTML page) into entries.

    An HTML page without JobPosting markup is read as a UNjobs vacancy page: heading, the side
    list (organisation, country, city, grade), the posting's labelled lines (job number,
    deadlines with Windows zone names, position type) and its body as the description. Where a
    page states two deadlines, the earliest is kept and all are listed in `raw["deadlines"]`.

    `url` is the page's address when the document does not state it. Raises FeedParseError for
    binary or undecodable bodies, and for documents with no job posting at all.
    """
    text = _decode(content)
    context = _Context(fetched_at, organisation_name, default_zone, day_first)
    builder = ParseResultBuilder()
    if text.lstrip().startswith(("{", "[")):
        try:
            document = json.loads(text)
        except (ValueError, RecursionError) as error:
            raise FeedParseError("invalid_json", f"the document is not JSON ({error})") from error
        postings = _job_postings(document)
        if not postings:
            raise FeedParseError("no_job_posting", "the JSON-LD holds no JobPosting")
        for index, posting in enumerate(postings):
            try:
                builder.add(_posting_entry(posting, url, index, context))
            except ItemRejected as error:
                builder.reject_item(_identifier(posting) or f"posting[{index}]", error)
        return builder.build()

    collector = _PageCollector(_line_starts(text))
    collector.feed(text)
    collector.close()
    collector._flush_line()
    facts = collector.facts
    page_url = facts.og_url or facts.canonical or url
    postings: list[dict[str, Any]] = []
    for index, script in enumerate(facts.json_ld):
        try:
            postings += _job_postings(json.loads(script))
        except (ValueError, RecursionError) as error:
            builder.reject(f"script[{index}]", "invalid_json_ld", f"unreadable JSON-LD ({error})")
    for index, posting in enumerate(postings):
        try:
            builder.add(_posting_entry(posting, page_url, index, context))
        except ItemRejected as error:
            builder.reject_item(_identifier(posting) or f"posting[{index}]", error)
    if postings:
        return builder.build()
    if not facts.side_labels and not facts.lines:
        raise FeedParseError("no_job_posting", "no JobPosting JSON-LD and no vacancy page found")
    try:
        builder.add(_unjobs_entry(text, facts, url, context))
    except ItemRejected as error:
        builder.reject_item(page_url or "page", error)
    return builder.build()
