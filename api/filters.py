"""FilterSets of every list (the same parameters are documented in the OpenAPI schema)."""

import django_filters as filters

from recruitment.enums import ApplicationStatus, Grade, OrganisationKind, VacancyStatus
from recruitment.list_search import (
    APPLICATION_SEARCH_FIELDS,
    PLACEMENT_SEARCH_FIELDS,
    application_search,
    placement_search,
)
from recruitment.models import (
    Application,
    CandidateProfile,
    DutyStation,
    Organisation,
    Placement,
    Vacancy,
)
from recruitment.vacancy_search import SEARCH_FIELDS, vacancy_search


class UpdatedSinceFilterSet(filters.FilterSet):
    updated_since = filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label="Changed at or after (ISO-8601)."
    )


class OrganisationFilterSet(UpdatedSinceFilterSet):
    kind = filters.ChoiceFilter(choices=OrganisationKind.choices)
    needs_review = filters.BooleanFilter()

    class Meta:
        model = Organisation
        fields = ["kind", "needs_review"]


class DutyStationFilterSet(UpdatedSinceFilterSet):
    country = filters.CharFilter(field_name="country", lookup_expr="iexact")
    city = filters.CharFilter(field_name="city", lookup_expr="iexact")

    class Meta:
        model = DutyStation
        fields = ["country", "city"]


class VacancyFilterSet(UpdatedSinceFilterSet):
    status = filters.MultipleChoiceFilter(choices=VacancyStatus.choices)
    organisation = filters.CharFilter(field_name="organisation__slug", label="Organisation slug.")
    organisation_id = filters.NumberFilter(field_name="organisation_id")
    scheme = filters.CharFilter(field_name="scheme__code", label="Scheme code.")
    grade = filters.MultipleChoiceFilter(choices=Grade.choices)
    country = filters.CharFilter(
        field_name="duty_stations__country", lookup_expr="iexact", distinct=True,
        label="ISO alpha-2 country of a duty station.",
    )  # fmt: skip
    duty_station_id = filters.NumberFilter(field_name="duty_stations", distinct=True)
    closes_after = filters.IsoDateTimeFilter(field_name="closes_at", lookup_expr="gte")
    closes_before = filters.IsoDateTimeFilter(field_name="closes_at", lookup_expr="lt")

    class Meta:
        model = Vacancy
        fields = ["status", "organisation", "scheme", "grade"]

    def filter_queryset(self, queryset):
        """The search criteria go through recruitment.vacancy_search, which saved searches
        (job alerts) use too, so an alert matches exactly what the list would show."""
        data = self.form.cleaned_data
        queryset = vacancy_search(queryset, {key: data.get(key) for key in SEARCH_FIELDS})
        for name, value in data.items():
            if name not in SEARCH_FIELDS:
                queryset = self.filters[name].filter(queryset, value)
        return queryset


class CandidateProfileFilterSet(UpdatedSinceFilterSet):
    citizenship = filters.CharFilter(method="filter_citizenship", label="ISO alpha-2 code.")
    language = filters.CharFilter(
        field_name="languages__language", lookup_expr="iexact", distinct=True,
        label="ISO 639-1 code.",
    )  # fmt: skip

    class Meta:
        model = CandidateProfile
        fields = ["citizenship", "language"]

    def filter_citizenship(self, queryset, name, value):
        return queryset.filter(citizenships__contains=[value.upper()])


class ApplicationFilterSet(UpdatedSinceFilterSet):
    vacancy = filters.NumberFilter(field_name="vacancy_id")
    status = filters.MultipleChoiceFilter(choices=ApplicationStatus.choices)

    class Meta:
        model = Application
        fields = ["vacancy", "status"]

    def filter_queryset(self, queryset):
        """Through recruitment.list_search, which CSV exports use too."""
        data = self.form.cleaned_data
        return application_search(queryset, {k: data.get(k) for k in APPLICATION_SEARCH_FIELDS})


class PlacementFilterSet(filters.FilterSet):
    class Meta:
        model = Placement
        fields = ["status", "organisation", "duty_station", "scheme"]

    def filter_queryset(self, queryset):
        """Through recruitment.list_search, which CSV exports use too."""
        data = self.form.cleaned_data
        return placement_search(queryset, {k: data.get(k) for k in PLACEMENT_SEARCH_FIELDS})


def criteria_json(filterset) -> dict:
    """A valid filterset's cleaned values as JSON (ids for objects, ISO-8601 for moments):
    what an export job stores and applies later."""
    out = {}
    for key, value in filterset.form.cleaned_data.items():
        if value in (None, "", [], ()):
            continue
        if hasattr(value, "pk"):
            value = value.pk
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        elif isinstance(value, (list, tuple)):
            value = list(value)
        out[key] = value
    return out
