"""Reusable checks and clean-ups of field values, called by services, serializers and feeds."""

import nh3
from django_countries import countries

from recruitment.exceptions import DomainValidationError

# Tags a vacancy description may keep; everything else (scripts, styles, handlers) is stripped.
ALLOWED_TAGS = {
    "a", "b", "blockquote", "br", "code", "dd", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan"}}


def sanitise_html(html: str) -> str:
    """Keep safe formatting tags only; links get rel=noopener noreferrer."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    ).strip()


def validate_country_code(code: str) -> str:
    """An ISO 3166-1 alpha-2 code in upper case, or DomainValidationError."""
    normalised = code.strip().upper()
    if normalised not in countries:
        raise DomainValidationError(f"Unknown country code: {code!r}.", code="invalid_country")
    return normalised
