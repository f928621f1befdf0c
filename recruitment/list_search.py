"""The application and placement list criteria, in one place: the lists' filters and the CSV
exports (also those run later by a background job) both apply them through these functions."""

from collections.abc import Mapping
from datetime import datetime, timedelta

from django.db.models import Model, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from recruitment.models import Application, Placement

APPLICATION_SEARCH_FIELDS = (
    "vacancy", "status", "updated_since", "min_days_in_stage", "max_days_in_stage",
)  # fmt: skip
PLACEMENT_SEARCH_FIELDS = ("status", "organisation", "duty_station", "scheme")


def _pk(value: object) -> int:
    return value.pk if isinstance(value, Model) else int(str(value))


def _moment(value: object) -> datetime | None:
    moment = value if isinstance(value, datetime) else parse_datetime(str(value))
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _given(criteria: Mapping[str, object]) -> dict[str, object]:
    return {key: value for key, value in criteria.items() if value not in (None, "", [], ())}


def application_search(
    queryset: QuerySet[Application], criteria: Mapping[str, object]
) -> QuerySet[Application]:
    """Narrow `queryset` by the application list's criteria (cleaned filter values, or the
    JSON an export job stored); missing or empty ones are ignored."""
    given = _given(criteria)
    if "vacancy" in given:
        queryset = queryset.filter(vacancy_id=_pk(given["vacancy"]))
    if "status" in given:
        statuses = given["status"]
        queryset = queryset.filter(status__in=[statuses] if isinstance(statuses, str) else statuses)
    if "updated_since" in given:
        queryset = queryset.filter(updated_at__gte=_moment(given["updated_since"]))
    # Days in the current status; a status never changed dates from the application itself.
    in_stage_since = Coalesce("status_changed_at", "created_at")
    if "min_days_in_stage" in given:
        cut = timezone.now() - timedelta(days=int(given["min_days_in_stage"]))
        queryset = queryset.alias(in_stage_since=in_stage_since).filter(in_stage_since__lte=cut)
    if "max_days_in_stage" in given:
        cut = timezone.now() - timedelta(days=int(given["max_days_in_stage"]))
        queryset = queryset.alias(in_stage_since=in_stage_since).filter(in_stage_since__gte=cut)
    return queryset


def placement_search(
    queryset: QuerySet[Placement], criteria: Mapping[str, object]
) -> QuerySet[Placement]:
    """Narrow `queryset` by the placement list's criteria; missing or empty ones are ignored."""
    given = _given(criteria)
    if "status" in given:
        queryset = queryset.filter(status=given["status"])
    for name in ("organisation", "duty_station", "scheme"):
        if name in given:
            queryset = queryset.filter(**{f"{name}_id": _pk(given[name])})
    return queryset
