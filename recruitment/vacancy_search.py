"""The vacancy search criteria, in one place: the vacancy list's filters and saved searches
(job alerts) both apply them through `vacancy_search`."""

from collections.abc import Mapping
from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from recruitment.enums import VacancyStatus
from recruitment.models import DutyStationClassification, Vacancy
from recruitment.sql_conditions import all_of, condition

# Criteria a saved search may hold (the vacancy list accepts these and a few more).
SEARCH_FIELDS = (
    "q", "organisation", "organisation_id", "scheme", "grade", "category", "country",
    "duty_station_id", "hardship", "family_status", "modality", "open", "closes_after",
    "closes_before", "language",
)  # fmt: skip

# The text search configuration of the stored vectors (migration 0006_search_and_matching).
SEARCH_CONFIG = "english"

VacancyStation = Vacancy.duty_stations.through

# The two criteria of nearly every search, as SQL over a top-level vacancy queryset's row
# (Django's alias for a query's own table is the table's name): built as ORM expressions
# they cost 0.6 ms more per request to resolve and compile (a search's page statement:
# 1.28 ms against 0.70 ms). `q` is answered by the GIN index on the stored vector.
VACANCY = Vacancy._meta.db_table
MATCHES_TEXT = f"{VACANCY}.search_vector @@ websearch_to_tsquery('{SEARCH_CONFIG}', %s)"
OPEN = f"{VACANCY}.status = %s AND ({VACANCY}.closes_at IS NULL OR {VACANCY}.closes_at > %s)"


def _moment(value: object) -> datetime | None:
    """A stored or cleaned date-time; a naive one is read in the site's time zone (UTC)."""
    moment = value if isinstance(value, datetime) else parse_datetime(str(value))
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _values(value: object) -> list[str]:
    return [value] if isinstance(value, str) else [str(item) for item in value]  # type: ignore[attr-defined]


def _truthy(value: object) -> bool:
    return value is True or str(value).lower() in ("true", "1", "yes")


def _at_station(condition: Q) -> Exists:
    """One of the vacancy's duty stations meets `condition` (an EXISTS, so no DISTINCT)."""
    return Exists(VacancyStation.objects.filter(condition, vacancy_id=OuterRef("pk")))


def _current_classification(field: str) -> Subquery:
    """The duty station's hardship class or family status in force today (never overwritten:
    the newest classification effective on or before today)."""
    return Subquery(
        DutyStationClassification.objects.filter(
            duty_station_id=OuterRef("dutystation_id"), effective_from__lte=timezone.localdate()
        )
        .order_by("-effective_from")
        .values(field)[:1]
    )


def vacancy_search(
    queryset: QuerySet[Vacancy], criteria: Mapping[str, object]
) -> QuerySet[Vacancy]:
    """Narrow `queryset` by the given criteria (missing or empty ones are ignored); values may be
    the list filter's cleaned values or a saved search's stored strings.

    `q` is a web-search style query (words, "phrases", -exclusions, or) over the weighted
    vector of title, organisation, duty stations and description, answered by its GIN index.
    """
    given = {key: value for key, value in criteria.items() if value not in (None, "", [], ())}
    # All in one `filter`: one clone of the query, one WHERE to build; the SQL ones as one.
    conditions, sql = [], []
    if "q" in given:
        sql.append(condition(MATCHES_TEXT, [str(given["q"])]))
    if "organisation" in given:
        conditions.append(Q(organisation__slug=given["organisation"]))
    if "organisation_id" in given:
        conditions.append(Q(organisation_id=int(given["organisation_id"])))
    if "scheme" in given:
        conditions.append(Q(scheme__code=given["scheme"]))
    if "grade" in given:
        conditions.append(Q(grade__in=_values(given["grade"])))
    if "category" in given:
        conditions.append(Q(category__iexact=given["category"]))
    if "country" in given:
        conditions.append(_at_station(Q(dutystation__country=str(given["country"]).upper())))
    if "duty_station_id" in given:
        conditions.append(_at_station(Q(dutystation_id=int(given["duty_station_id"]))))
    for field in ("hardship", "family_status"):
        if field in given:
            stations = VacancyStation.objects.filter(vacancy_id=OuterRef("pk")).annotate(
                current=_current_classification(field)
            )
            conditions.append(Exists(stations.filter(current__in=_values(given[field]))))
    if "modality" in given:
        conditions.append(Q(modality__in=_values(given["modality"])))
    if "open" in given:
        is_open = OPEN if _truthy(given["open"]) else f"NOT ({OPEN})"
        sql.append(condition(is_open, [VacancyStatus.PUBLISHED, timezone.now()]))
    if "closes_after" in given:
        conditions.append(Q(closes_at__gte=_moment(given["closes_after"])))
    if "closes_before" in given:
        conditions.append(Q(closes_at__lt=_moment(given["closes_before"])))
    if "language" in given:
        conditions.append(Q(required_languages__contains=[str(given["language"]).lower()]))
    # Every condition is on the vacancy's own row or a subquery (no join that could repeat
    # a row), so one filter means what a chain of filters would.
    if sql:
        conditions.append(all_of(sql))
    return queryset.filter(*conditions) if conditions else queryset
