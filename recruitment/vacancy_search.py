"""The vacancy search criteria, in one place: the vacancy list's filters and saved searches
(job alerts) both apply them through `vacancy_search`."""

from collections.abc import Mapping
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from recruitment.models import Vacancy

# Criteria a saved search may hold (the vacancy list accepts these and a few more).
SEARCH_FIELDS = (
    "organisation", "organisation_id", "scheme", "grade", "country", "duty_station_id",
    "closes_after", "closes_before",
)  # fmt: skip


def _moment(value: object) -> datetime | None:
    """A stored or cleaned date-time; a naive one is read in the site's time zone (UTC)."""
    moment = value if isinstance(value, datetime) else parse_datetime(str(value))
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def vacancy_search(
    queryset: QuerySet[Vacancy], criteria: Mapping[str, object]
) -> QuerySet[Vacancy]:
    """Narrow `queryset` by the given criteria (missing or empty ones are ignored); values may be
    the list filter's cleaned values or a saved search's stored strings."""
    given = {key: value for key, value in criteria.items() if value not in (None, "", [], ())}
    if "organisation" in given:
        queryset = queryset.filter(organisation__slug=given["organisation"])
    if "organisation_id" in given:
        queryset = queryset.filter(organisation_id=int(given["organisation_id"]))
    if "scheme" in given:
        queryset = queryset.filter(scheme__code=given["scheme"])
    if "grade" in given:
        grades = given["grade"]
        queryset = queryset.filter(grade__in=[grades] if isinstance(grades, str) else grades)
    if "country" in given:
        queryset = queryset.filter(duty_stations__country__iexact=given["country"]).distinct()
    if "duty_station_id" in given:
        queryset = queryset.filter(duty_stations=int(given["duty_station_id"])).distinct()
    if "closes_after" in given:
        queryset = queryset.filter(closes_at__gte=_moment(given["closes_after"]))
    if "closes_before" in given:
        queryset = queryset.filter(closes_at__lt=_moment(given["closes_before"]))
    return queryset
