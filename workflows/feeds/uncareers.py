"""Adapter for the careers.un.org (Inspira) public job-opening list: the UN Secretariat's posts.

The source mixes key case (`jf.Code` beside `jl.code`), so every key is matched case-blind.
"""

from datetime import datetime
from typing import Any

from recruitment.enums import ContractType, FeedKind, Grade
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
    country_for_city,
    extract_contract_type,
    extract_number_of_posts,
    normalise_grade,
    organisation_slug_for,
    parse_deadline,
    sanitise_html,
)

JOB_URL_TEMPLATE = "https://careers.un.org/jobSearchDescription/{job_id}?language=en"
# Level codes careers.un.org uses beyond the staff grades normalise_grade reads.
_LEVEL_CODES = {"I": Grade.INTERN, "INT": Grade.INTERN, "C": Grade.CONSULTANT, "UNV": Grade.UNV}
# Job-opening categories (`jc.code`) that fix the contract type.
_CATEGORY_CONTRACTS = {
    "INT": ContractType.INTERNSHIP,
    "CON": ContractType.CONSULTANCY,
    "IC": ContractType.CONSULTANCY,
}
_SECRETARIAT = "United Nations Secretariat"


def _keys(value: object) -> dict[str, Any]:
    """`value` as a dict with lower-cased keys; {} for anything else."""
    if not isinstance(value, dict):
        return {}
    return {str(key).lower(): item for key, item in value.items()}


def _items(document: object) -> tuple[list[Any], int | None]:
    """The job list and its announced count, from `{data: {list, count}}` or variants."""
    top = _keys(document)
    status = top.get("status")
    if status is not None and status not in (1, True, "1", "success", "Success"):
        raise FeedParseError("source_error", f"the source answered status {status!r}")
    data = top.get("data", document)
    if isinstance(data, list):
        return data, None
    data = _keys(data)
    items = data.get("list") if isinstance(data.get("list"), list) else data.get("items")
    if not isinstance(items, list):
        raise FeedParseError("unexpected_shape", "expected {data: {list: [...]}}")
    count = data.get("count")
    return items, count if isinstance(count, int) else None


def _grade(item: dict[str, Any]) -> tuple[str | None, str]:
    level = _keys(item.get("jl"))
    raw = text_value(level.get("code")) or text_value(item.get("joblevel"))
    if not raw:
        return normalise_grade(text_value(level.get("name")))
    if raw.upper() in _LEVEL_CODES:
        return _LEVEL_CODES[raw.upper()].value, raw
    grade, spelling = normalise_grade(raw)
    return grade, spelling or raw


def _duty_stations(value: object) -> tuple[tuple[str, str], ...]:
    stations = []
    for station in value if isinstance(value, list) else [value]:
        fields = _keys(station)
        name = text_value(fields.get("description")) if fields else text_value(station)
        if name:
            # The list gives no country; headquarters and hub cities are known, others stay ''.
            city = clean_city(name)
            stations.append((city, country_for_city(city)))
    return tuple(dict.fromkeys(stations))


def _entry(
    original: dict[str, Any],
    fetched_at: datetime,
    job_url_template: str,
    default_zone: str | None,
    organisation_name: str,
) -> FeedEntry:
    item = _keys(original)
    job_id = text_value(item.get("jobid"))
    if not job_id:
        raise ItemRejected("missing_identifier", "the item has no jobId", "jobId")
    posting_title = collapse_whitespace(text_value(item.get("postingtitle")))
    title = collapse_whitespace(text_value(item.get("jobtitle"))) or posting_title
    if not title:
        raise ItemRejected("missing_title", "the item has no jobTitle or postingTitle", "jobTitle")
    grade, grade_raw = _grade(item)
    category = _keys(item.get("jc"))
    family = _keys(item.get("jf"))
    department = text_value(_keys(item.get("dept")).get("name"))
    organisation = department or organisation_name or _SECRETARIAT
    # Every careers.un.org opening is a Secretariat post; departments not in the alias table
    # (DESA, regional commissions, missions) are the Secretariat itself.
    slug = organisation_slug_for(department) or organisation_slug_for(organisation)
    opens = parse_deadline(
        text_value(item.get("startdate")), now=fetched_at, default_zone=default_zone,
        end_of_day=False,
    )  # fmt: skip
    closes = parse_deadline(
        text_value(item.get("enddate")), now=fetched_at, default_zone=default_zone
    )
    contract = _CATEGORY_CONTRACTS.get(text_value(category.get("code")).upper())
    return FeedEntry(
        external_id=job_id,
        url=job_url_template.format(job_id=job_id),
        title=title,
        organisation_name=organisation,
        organisation_slug=slug or "un-secretariat",
        organisation_job_number=job_id,
        grade=grade,
        grade_raw=grade_raw,
        contract_type=contract.value if contract else extract_contract_type(posting_title),
        category=text_value(family.get("name")) or text_value(category.get("name")),
        number_of_posts=extract_number_of_posts(posting_title),
        duty_stations=_duty_stations(item.get("dutystation")),
        **deadline_fields(opens, closes),
        description=sanitise_html(text_value(item.get("jobdescription"))),
        raw=original,
    )


@register(FeedKind.UNCAREERS)
def parse(
    content: bytes,
    *,
    fetched_at: datetime,
    job_url_template: str = JOB_URL_TEMPLATE,
    default_zone: str | None = None,
    organisation_name: str = "",
) -> ParseResult:
    """Parse a careers.un.org job-opening list into entries.

    `jobId` is both the external id and the organisation's job number; `jl.code` is the grade
    ("I" = intern); `startDate`/`endDate` open and close. `job_url_template` builds the public
    page link from `{job_id}`. Raises FeedParseError for non-JSON, a failed status or another
    shape.
    """
    items, count = _items(load_json(content))
    builder = ParseResultBuilder()
    for index, item in enumerate(items):
        try:
            if not isinstance(item, dict):
                raise ItemRejected("not_an_object", "the item is not a JSON object")
            builder.add(_entry(item, fetched_at, job_url_template, default_zone, organisation_name))
        except ItemRejected as error:
            builder.reject_item(text_value(_keys(item).get("jobid")) or f"item[{index}]", error)
    return builder.build(total=count)
