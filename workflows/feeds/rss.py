"""Adapter for RSS 2.0, RSS 1.0 and Atom feeds of agency career sites and their mirrors.

UNICEF (PageUp), UNHCR (Workday), World Bank (Cornerstone), WHO (Taleo) and UNDP (Oracle) put
grade, contract type, post number and duty station inside titles and descriptions; they are
read from there. XML is parsed by defusedxml, so entity declarations fail the document.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import feedparser
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring

from recruitment.enums import DeadlineStatus, FeedKind
from workflows.feeds.base import (
    FeedEntry,
    FeedParseError,
    ItemRejected,
    ParseResult,
    ParseResultBuilder,
    deadline_fields,
    register,
)
from workflows.feeds.normalise import (
    Deadline,
    collapse_whitespace,
    extract_contract_type,
    extract_duty_station,
    extract_number_of_posts,
    extract_post_numbers,
    html_to_text,
    normalise_grade,
    organisation_slug_for,
    parse_deadline,
    parse_location,
    sanitise_html,
)

_ATOM = "{http://www.w3.org/2005/Atom}"
_RSS1 = "{http://purl.org/rss/1.0/}"
_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"

# Where each career platform keeps the organisation's own job number in the item link.
# Workday's "-1"/"-2" suffix numbers re-postings of one requisition, so it is left out: a
# re-posted requisition is the same vacancy.
_JOB_NUMBER_IN_LINK: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("pageuppeople.com", re.compile(r"/job/(\d+)")),
    ("myworkdayjobs.com", re.compile(r"_(JR\d+)(?:-\d+)?(?:[/?]|$)")),
    ("myworkdaysite.com", re.compile(r"_(JR\d+)(?:-\d+)?(?:[/?]|$)")),
    ("csod.com", re.compile(r"/requisition/(\d+)")),
    ("oraclecloud.com", re.compile(r"/job/(\d+)")),
    ("taleo.net", re.compile(r"[?&]job=([A-Za-z0-9-]+)")),
    ("careers.who.int", re.compile(r"[?&]job=([A-Za-z0-9-]+)")),
)
_HAS_VACANCY_RE = re.compile(r"^(?P<name>[^.\n]{2,80}?) has a vacancy\b", re.I)
_FEED_TITLE_ORGANISATION_RE = re.compile(
    r"^(?P<name>.+?)\s+(?:job\s+vacancies|job\s+openings|vacancies|jobs|careers)\b", re.I
)
_LOCATION_RE = re.compile(
    r"(?=[ld])\b(?:location|duty\s+station)\s*:\s*(?P<value>.+?)(?:\.\s|\.$|\n|$)", re.I
)
_POSTED_RE = re.compile(r"(?=p)\bposted\s*:\s*(?P<value>.+?)(?:\.\s|\.$|\n|$)", re.I)
_GRADE_LABEL_RE = re.compile(
    r"(?=[gpl])\b(?:grade|post\s+level|level)\s*:\s*(?P<value>[^\n,;]{1,24})", re.I
)
_CONTRACT_LABEL_RE = re.compile(
    r"(?=[ctapv])\b(?:contract\s+type|type\s+of\s+contract|appointment\s+type|position\s+type"
    r"|vacancy\s+type)\s*:\s*(?P<value>[^\n]{1,60})",
    re.I,
)
_DEADLINE_LABEL_RE = re.compile(
    r"(?=[dcae])\b(?:deadline(?:\s+for\s+applications)?|closing\s+date|application\s+close"
    r"|apply\s+by"
    r"|apply\s+before|closes\s+on|expiry\s+date)\s*:?\s*",
    re.I,
)
_JOB_TITLE_LABEL_RE = re.compile(r"(?=j)\bjob\s+title\b", re.I)
_DEADLINE_WORDS = 8
_RELATIVE_ANCHORS = ("fetched_at", "published")


@dataclass(slots=True)
class _Item:
    """An item's fields as written, whichever of RSS 2.0, RSS 1.0 or Atom it came from."""

    title: str = ""
    link: str = ""
    guid: str = ""
    description: str = ""
    content: str = ""
    published: str = ""
    source: str = ""
    categories: list[str] = field(default_factory=list)

    def raw(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "link": self.link,
            "guid": self.guid,
            "description": self.description,
            "content": self.content,
            "published": self.published,
            "source": self.source,
            "categories": list(self.categories),
        }


@dataclass(frozen=True, slots=True)
class _Context:
    fetched_at: datetime
    organisation_name: str
    feed_organisation: str
    relative_to: str
    default_zone: str | None
    day_first: bool | None


def _text(element: Element) -> str:
    return "".join(element.itertext()).strip()


def _rss2_items(channel: Element) -> list[_Item]:
    items = []
    for node in channel.iter("item"):
        item = _Item()
        for child in node:
            tag = child.tag
            if tag == "title":
                item.title = _text(child)
            elif tag == "link":
                item.link = _text(child)
            elif tag == "guid":
                item.guid = _text(child)
            elif tag == "description":
                item.description = _text(child)
            elif tag == _CONTENT_ENCODED:
                item.content = _text(child)
            elif tag == "pubDate" or (tag == f"{_DC}date" and not item.published):
                item.published = _text(child)
            elif tag == "source":
                item.source = _text(child)
            elif tag == "category":
                item.categories.append(_text(child))
        items.append(item)
    return items


def _atom_text(element: Element) -> str:
    # type="html" holds escaped markup (already unescaped by the XML parser); "xhtml" holds
    # elements, whose text is enough for titles and is wrapped for descriptions.
    if element.get("type") == "xhtml":
        return "<p>" + _text(element) + "</p>"
    return _text(element)


def _atom_items(feed: Element) -> list[_Item]:
    items = []
    for node in feed.iter(f"{_ATOM}entry"):
        item = _Item()
        for child in node:
            tag = child.tag
            if tag == f"{_ATOM}title":
                item.title = html_to_text(_atom_text(child)).replace("\n", " ")
            elif tag == f"{_ATOM}link" and child.get("rel", "alternate") == "alternate":
                item.link = item.link or (child.get("href") or "").strip()
            elif tag == f"{_ATOM}id":
                item.guid = _text(child)
            elif tag == f"{_ATOM}summary":
                item.description = _atom_text(child)
            elif tag == f"{_ATOM}content":
                item.content = _atom_text(child)
            elif tag == f"{_ATOM}published" or (tag == f"{_ATOM}updated" and not item.published):
                item.published = _text(child)
            elif tag == f"{_ATOM}category" and child.get("term"):
                item.categories.append(child.get("term", "").strip())
            elif tag == f"{_ATOM}source":
                title = child.find(f"{_ATOM}title")
                item.source = _text(title) if title is not None else ""
        items.append(item)
    return items


def _rss1_items(root: Element) -> list[_Item]:
    items = []
    for node in root.iter(f"{_RSS1}item"):
        item = _Item(guid=node.get(f"{_RDF}about", ""))
        for child in node:
            if child.tag == f"{_RSS1}title":
                item.title = _text(child)
            elif child.tag == f"{_RSS1}link":
                item.link = _text(child)
            elif child.tag == f"{_RSS1}description":
                item.description = _text(child)
            elif child.tag == _CONTENT_ENCODED:
                item.content = _text(child)
            elif child.tag == f"{_DC}date":
                item.published = _text(child)
        items.append(item)
    return items


def _read_well_formed(root: Element) -> tuple[str, list[_Item]]:
    if root.tag == "rss":
        channel = root.find("channel")
        if channel is None:
            raise FeedParseError("not_a_feed", "an <rss> document without <channel>")
        title = channel.find("title")
        return (_text(title) if title is not None else ""), _rss2_items(channel)
    if root.tag == f"{_ATOM}feed":
        title = root.find(f"{_ATOM}title")
        return (_text(title) if title is not None else ""), _atom_items(root)
    if root.tag == f"{_RDF}RDF":
        title = root.find(f"{_RSS1}channel/{_RSS1}title")
        return (_text(title) if title is not None else ""), _rss1_items(root)
    raise FeedParseError("not_a_feed", f"the root element is <{root.tag}>, not rss, feed or RDF")


def _read_lenient(content: bytes) -> tuple[str, list[_Item]]:
    """feedparser's forgiving reader, for feeds that are not well-formed XML."""
    # Only documents without a DTD get here: an entity that expat refused to see must not
    # reach a parser that might expand it.
    lowered = content.lower()
    if b"<!doctype" in lowered or b"<!entity" in lowered:
        raise FeedParseError("invalid_xml", "malformed XML that declares a DTD is refused")
    parsed = feedparser.parse(content, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.entries:
        error = parsed.get("bozo_exception")
        raise FeedParseError("invalid_xml", f"neither XML nor a readable feed ({error})")
    items = []
    for entry in parsed.entries:
        contents = entry.get("content") or []
        items.append(
            _Item(
                title=entry.get("title", ""),
                link=entry.get("link", ""),
                guid=entry.get("id", ""),
                description=entry.get("summary", ""),
                content=contents[0].get("value", "") if contents else "",
                published=entry.get("published", "") or entry.get("updated", ""),
                source=(entry.get("source") or {}).get("title", ""),
                categories=[tag.get("term", "") for tag in entry.get("tags") or []],
            )
        )
    return parsed.feed.get("title", ""), items


def _read(content: bytes) -> tuple[str, list[_Item]]:
    """(feed title, items); raises FeedParseError for entity tricks and unreadable documents."""
    try:
        root = defused_fromstring(
            content, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException as error:
        # Entity bombs and external entities: refusing the whole document is the point.
        raise FeedParseError(
            "xml_forbidden", f"the XML declares entities or external references ({error!r})"
        ) from error
    except ParseError:
        return _read_lenient(content)
    return _read_well_formed(root)


def _organisation_from_title(title: str) -> str:
    match = _FEED_TITLE_ORGANISATION_RE.match(collapse_whitespace(title))
    return match["name"].strip() if match else ""


def _job_number(link: str) -> str:
    address = link.split("://", 1)[-1]
    host, _, rest = address.partition("/")
    host = host.rsplit("@", 1)[-1].split(":", 1)[0].lower()
    for platform, pattern in _JOB_NUMBER_IN_LINK:
        if host.endswith(platform) and (match := pattern.search("/" + rest.split("#", 1)[0])):
            return match[1]
    return ""


def _deadline(text: str, context: _Context) -> Deadline:
    """The first labelled deadline ('Apply by May-5-26') in `text`, trying shorter tails."""
    for label in _DEADLINE_LABEL_RE.finditer(text):
        words = text[label.end() :].split("\n", 1)[0].split()[:_DEADLINE_WORDS]
        for size in range(len(words), 0, -1):
            deadline = parse_deadline(
                " ".join(words[:size]).rstrip(".,;"),
                now=context.fetched_at,
                default_zone=context.default_zone,
                day_first=context.day_first,
            )
            if deadline.status in (DeadlineStatus.PARSED, DeadlineStatus.AMBIGUOUS):
                return deadline
    return parse_deadline(None)


def _opening(item: _Item, text: str, context: _Context) -> Deadline:
    published = parse_deadline(
        item.published, now=context.fetched_at, default_zone=context.default_zone,
        end_of_day=False,
    )  # fmt: skip
    if ":" in text and (match := _POSTED_RE.search(text)):
        # Workday mirrors say "Posted 2 Days Ago": relative to the fetch time, or to the item's
        # own date when that is when the text was scraped (relative_to="published").
        anchor = published.at if context.relative_to == "published" else None
        posted = parse_deadline(
            match["value"], now=anchor or context.fetched_at, default_zone=context.default_zone,
            end_of_day=False,
        )  # fmt: skip
        if posted.status in (DeadlineStatus.PARSED, DeadlineStatus.RELATIVE):
            return posted
    return published


def _entry(item: _Item, context: _Context) -> FeedEntry:
    external_id = item.guid or item.link
    if not external_id:
        raise ItemRejected("missing_identifier", "the item has neither guid nor link", "guid")
    title = collapse_whitespace(item.title)
    if not title:
        raise ItemRejected("missing_title", "the item has no title", "title")
    if (records := len(_JOB_TITLE_LABEL_RE.findall(title))) > 1:
        raise ItemRejected(
            "several_postings_in_item",
            f"the title repeats 'Job title' {records} times (a listing table scraped into one "
            "item): which posting this link points to cannot be told",
            "title",
        )
    text = html_to_text(f"{item.description}\n{item.content}")
    description_match = _HAS_VACANCY_RE.match(text)
    organisation = (
        context.organisation_name
        or (description_match["name"].strip() if description_match else "")
        or _organisation_from_title(item.source)
        or context.feed_organisation
    )
    # Every labelled value ("Grade: P3", "Location: ...") needs a colon: most texts have none.
    labelled = ":" in text
    grade, grade_raw = None, ""
    if labelled and (label := _GRADE_LABEL_RE.search(text)):
        grade, grade_raw = normalise_grade(label["value"])
    if grade is None:
        # The title may still name a UN grade; else a labelled non-UN grade ("GG") is kept raw.
        title_grade, title_raw = normalise_grade(title)
        if title_grade is not None or not grade_raw:
            grade, grade_raw = title_grade, title_raw
    contract = extract_contract_type(title)
    if contract is None and labelled and (label := _CONTRACT_LABEL_RE.search(text)):
        contract = extract_contract_type(label["value"])
    location = _LOCATION_RE.search(text) if labelled else None
    station = parse_location(location["value"]) if location else None
    station = station or extract_duty_station(title)
    post_numbers = extract_post_numbers(title)
    opens = _opening(item, text, context)
    closes = _deadline(f"{title}\n{text}", context)
    return FeedEntry(
        external_id=external_id,
        url=item.link or (item.guid if item.guid.startswith(("http://", "https://")) else ""),
        title=title,
        organisation_name=organisation,
        organisation_slug=organisation_slug_for(organisation),
        organisation_job_number=_job_number(item.link) or (post_numbers[0] if post_numbers else ""),
        post_numbers=post_numbers,
        grade=grade,
        grade_raw=grade_raw,
        contract_type=contract,
        category=item.categories[0] if item.categories else "",
        number_of_posts=extract_number_of_posts(title),
        duty_stations=(station,) if station else (),
        **deadline_fields(opens, closes),
        description=sanitise_html(item.content or item.description),
        raw=item.raw(),
    )


@register(FeedKind.RSS)
def parse(
    content: bytes,
    *,
    fetched_at: datetime,
    organisation_name: str = "",
    relative_to: str = "fetched_at",
    default_zone: str | None = None,
    day_first: bool | None = None,
) -> ParseResult:
    """Parse an RSS 2.0, RSS 1.0 or Atom document into entries.

    Options: `organisation_name` names the organisation of every item (else each item's "X has
    a vacancy" text, its <source>, or the feed title is used); `relative_to` anchors relative
    dates ("Posted 2 Days Ago") at "fetched_at" or at the item's own "published" date;
    `default_zone` and `day_first` say how to read deadlines without zone or clear order.

    Raises FeedParseError when the XML declares entities or external references (billion
    laughs, XXE), or is neither well-formed XML nor a feed feedparser can read.
    """
    if relative_to not in _RELATIVE_ANCHORS:
        raise ValueError(f"relative_to must be one of {_RELATIVE_ANCHORS}, not {relative_to!r}")
    feed_title, items = _read(content)
    context = _Context(
        fetched_at=fetched_at,
        organisation_name=organisation_name,
        feed_organisation=_organisation_from_title(feed_title),
        relative_to=relative_to,
        default_zone=default_zone,
        day_first=day_first,
    )
    builder = ParseResultBuilder()
    for index, item in enumerate(items):
        try:
            builder.add(_entry(item, context))
        except ItemRejected as error:
            builder.reject_item(item.guid or item.link or f"item[{index}]", error)
    return builder.build()
