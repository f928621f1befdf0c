"""Our vacancies as others read them: schema.org JobPosting, RSS 2.0 and JSON Feed 1.1.

Pure functions (no queries, no I/O) over vacancies whose organisation, scheme and duty stations
are loaded. They write what our own `rss` and `jsonld` adapters read, so a vacancy published here
and synced back by another tracker arrives with the same fields (see the round-trip tests).
"""

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from xml.etree.ElementTree import Element, SubElement, register_namespace, tostring

from django_countries import countries

from recruitment.enums import ContractType
from recruitment.models import Vacancy

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
# JSON Feed extensions are keys starting with "_": each item carries its JobPosting here.
JSON_FEED_JOB_POSTING = "_job_posting"
# A JSON-LD term for the UN grade, which schema.org has no property for; declared in @context.
GRADE_TERM = "urn:recruitment-tracker:grade"
JOB_POSTING_CONTEXT: list[object] = ["https://schema.org", {"grade": GRADE_TERM}]

# schema.org's employmentType values first (what search engines read); our own contract type
# follows where schema.org has none, so our jsonld adapter reads the type back exactly.
EMPLOYMENT_TYPES: dict[str, list[str]] = {
    ContractType.TEMPORARY: ["TEMPORARY"],
    ContractType.FIXED_TERM: ["FULL_TIME", "FIXED_TERM"],
    ContractType.CONSULTANCY: ["CONTRACTOR"],
    ContractType.VOLUNTEER: ["VOLUNTEER"],
    ContractType.INTERNSHIP: ["INTERN"],
    ContractType.SECONDMENT: ["FULL_TIME", "SECONDMENT"],
}

_CONTENT = "http://purl.org/rss/1.0/modules/content/"
_ATOM = "http://www.w3.org/2005/Atom"
register_namespace("content", _CONTENT)
register_namespace("atom", _ATOM)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def date_posted(vacancy: Vacancy) -> datetime:
    """When the vacancy was advertised: its opening date, else when it was published."""
    return vacancy.opens_at or vacancy.status_changed_at or vacancy.created_at


def _country_name(code: str) -> str:
    return str(countries.name(code)) or code


def eligibility_text(rules: Mapping[str, Any] | None) -> str:
    """The nationality rule of a rule set in words ('' when the rules set none)."""
    nationalities = (rules or {}).get("nationalities")
    if not isinstance(nationalities, Mapping):
        return ""
    if allowed := nationalities.get("allowed"):
        return "Open to nationals of " + ", ".join(_country_name(c) for c in allowed) + " only."
    if excluded := nationalities.get("excluded"):
        return "Not open to nationals of " + ", ".join(_country_name(c) for c in excluded) + "."
    if eligible := nationalities.get("eligible_countries"):
        text = "Open to nationals of " + ", ".join(_country_name(c) for c in eligible)
        if nationalities.get("exclude_duty_station_country"):
            text += ", except nationals of the duty-station country"
        return text + "."
    if nationalities.get("duty_station_country"):
        return "Open to nationals of the duty-station country only."
    return ""


def job_posting(
    vacancy: Vacancy, *, url: str, rules: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The vacancy as a schema.org JobPosting (JSON-LD). `url` is its public address; `rules`
    are the eligibility rules it is judged by (its nationality rule becomes
    `eligibilityToWorkRequirement`, and `applicantLocationRequirements` when it has no duty
    station)."""
    posting: dict[str, Any] = {
        "@context": JOB_POSTING_CONTEXT,
        "@type": "JobPosting",
        "@id": url,
        "url": url,
        "title": vacancy.title,
        "description": vacancy.description,
        "datePosted": _iso(date_posted(vacancy)),
        "validThrough": _iso(vacancy.closes_at),
        "hiringOrganization": {"@type": "Organization", "name": vacancy.organisation.name},
        "identifier": {
            "@type": "PropertyValue",
            "name": vacancy.organisation.name,
            "value": vacancy.reference or str(vacancy.pk),
        },
        "totalJobOpenings": vacancy.number_of_posts,
    }
    stations = list(vacancy.duty_stations.all())
    if stations:
        posting["jobLocation"] = [
            {
                "@type": "Place",
                "address": {
                    "@type": "PostalAddress",
                    "addressLocality": station.city,
                    "addressCountry": station.country.code,
                },
            }
            for station in stations
        ]
    nationalities = (rules or {}).get("nationalities")
    allowed = nationalities.get("allowed") if isinstance(nationalities, Mapping) else None
    if not stations and allowed:
        posting["jobLocationType"] = "TELECOMMUTE"
        posting["applicantLocationRequirements"] = [
            {"@type": "Country", "name": _country_name(code), "identifier": code}
            for code in allowed
        ]
    if eligibility := eligibility_text(rules):
        posting["eligibilityToWorkRequirement"] = eligibility
    if vacancy.contract_type:
        posting["employmentType"] = EMPLOYMENT_TYPES[vacancy.contract_type]
    if vacancy.category:
        posting["occupationalCategory"] = vacancy.category
    if vacancy.grade or vacancy.grade_raw:
        posting["grade"] = vacancy.grade_raw or vacancy.grade
    return posting


def _rss_summary(vacancy: Vacancy) -> str:
    """Labelled lines that RSS readers show and our rss adapter reads back (HTML paragraphs)."""
    lines = [f"{vacancy.organisation.name} has a vacancy."]
    if vacancy.grade or vacancy.grade_raw:
        lines.append(f"Grade: {vacancy.grade_raw or vacancy.grade}")
    if vacancy.contract_type:
        lines.append(f"Contract type: {ContractType(vacancy.contract_type).label}")
    stations = list(vacancy.duty_stations.all())
    if stations:
        station = stations[0]  # RSS has one location line; the JSON Feed lists them all
        lines.append(f"Location: {station.city}, {_country_name(station.country.code)}")
    if vacancy.closes_at:
        lines.append(f"Deadline: {_iso(vacancy.closes_at)}")
    return "".join(f"<p>{line}</p>" for line in lines)


def rss_document(
    vacancies: Iterable[Vacancy],
    *,
    title: str,
    link: str,
    self_url: str,
    url_of: Callable[[Vacancy], str],
    last_modified: datetime | None,
) -> bytes:
    """An RSS 2.0 document of `vacancies` (UTF-8 bytes, XML declaration included)."""
    rss = Element("rss", {"version": "2.0"})
    channel = SubElement(rss, "channel")
    SubElement(channel, "title").text = title
    SubElement(channel, "link").text = link
    SubElement(channel, "description").text = title
    SubElement(
        channel,
        f"{{{_ATOM}}}link",
        {"href": self_url, "rel": "self", "type": "application/rss+xml"},
    )
    if last_modified is not None:
        SubElement(channel, "lastBuildDate").text = format_datetime(
            last_modified.astimezone(UTC), usegmt=True
        )
    for vacancy in vacancies:
        url = url_of(vacancy)
        item = SubElement(channel, "item")
        SubElement(item, "title").text = vacancy.title
        SubElement(item, "link").text = url
        SubElement(item, "guid", {"isPermaLink": "true"}).text = url
        SubElement(item, "description").text = _rss_summary(vacancy)
        SubElement(item, f"{{{_CONTENT}}}encoded").text = vacancy.description
        SubElement(item, "pubDate").text = format_datetime(
            date_posted(vacancy).astimezone(UTC), usegmt=True
        )
        if vacancy.category:
            SubElement(item, "category").text = vacancy.category
    return tostring(rss, encoding="utf-8", xml_declaration=True)


def json_feed_document(
    vacancies: Iterable[Vacancy],
    *,
    title: str,
    home_page_url: str,
    feed_url: str,
    url_of: Callable[[Vacancy], str],
) -> dict[str, Any]:
    """A JSON Feed 1.1 document of `vacancies`; each item carries its JobPosting in the
    `_job_posting` extension."""
    items = []
    for vacancy in vacancies:
        url = url_of(vacancy)
        item: dict[str, Any] = {
            "id": url,
            "url": url,
            "title": vacancy.title,
            "content_html": vacancy.description,
            "date_published": _iso(date_posted(vacancy)),
            "date_modified": _iso(vacancy.updated_at),
            JSON_FEED_JOB_POSTING: job_posting(vacancy, url=url),
        }
        if vacancy.category:
            item["tags"] = [vacancy.category]
        items.append(item)
    return {
        "version": JSON_FEED_VERSION,
        "title": title,
        "home_page_url": home_page_url,
        "feed_url": feed_url,
        "items": items,
    }
