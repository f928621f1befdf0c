"""Reusable checks and clean-ups of field values, called by services, serializers and feeds."""

import html
import re
from datetime import date

import nh3
from django_countries import countries

from recruitment.enums import ContractType
from recruitment.exceptions import DomainValidationError

# Tags a vacancy description may keep; everything else is unwrapped (its text stays).
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "div", "dl", "dt", "em", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    # No style, class, id or on* attribute survives: descriptions are shown inside our clients.
    attributes={"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}},
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer nofollow",
    strip_comments=True,
    clean_content_tags={"script", "style", "noscript", "iframe", "object", "template"},
)
_LOOKS_LIKE_HTML_RE = re.compile(r"<[A-Za-z/!]")
_PARAGRAPH_BREAK_RE = re.compile(r"\n\s*\n")


def sanitise_html(markup: str | None) -> str:
    """Sanitise a description with nh3; plain text becomes paragraphs and line breaks.

    Scripts, styles and their content are removed, and so are all attributes except link
    targets (http, https, mailto only) and table spans.
    """
    if not markup or not markup.strip():
        return ""
    if not _LOOKS_LIKE_HTML_RE.search(markup):
        paragraphs = _PARAGRAPH_BREAK_RE.split(markup.strip())
        markup = "".join(
            "<p>" + "<br>".join(html.escape(line.strip()) for line in p.splitlines()) + "</p>"
            for p in paragraphs
            if p.strip()
        )
    return _CLEANER.clean(markup).strip()


def validate_country_code(code: str) -> str:
    """An ISO 3166-1 alpha-2 code in upper case, or DomainValidationError."""
    normalised = code.strip().upper()
    if normalised not in countries:
        raise DomainValidationError(f"Unknown country code: {code!r}.", code="invalid_country")
    return normalised


def validate_contract_term(*, contract_type: str, start: date, end: date) -> None:
    """UN contract rules for one term: temporary at most 364 days; fixed-term 1 to 5 years.

    Raises DomainValidationError(code="contract_invalid") with the rule that was broken.
    """
    days = (end - start).days
    if days <= 0:
        raise DomainValidationError(
            "The end date must be after the start date.", code="contract_invalid"
        )
    if contract_type == ContractType.TEMPORARY and days > 364:
        raise DomainValidationError(
            f"A temporary appointment lasts at most 364 days, not {days}.", code="contract_invalid"
        )
    if contract_type == ContractType.FIXED_TERM and not 365 <= days <= 5 * 365 + 1:
        raise DomainValidationError(
            f"A fixed-term appointment runs 1 to 5 years a term, not {days} days.",
            code="contract_invalid",
        )
