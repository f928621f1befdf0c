"""FilterSets of every list (the same parameters are documented in the OpenAPI schema)."""

from datetime import UTC

import django_filters as filters
from django.core.exceptions import ValidationError
from django_filters.fields import IsoDateTimeField

from recruitment.enums import ApplicationStatus, Grade, OrganisationKind, VacancyStatus
from recruitment.models import Application, CandidateProfile, DutyStation, Organisation, Vacancy
from recruitment.vacancy_search import SEARCH_FIELDS, vacancy_search


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO-8601 instant, sent to the database in UTC: PostgreSQL refuses offsets beyond
    ±15:59 (a 500 otherwise), and an instant outside years 1-9999 in UTC is a 400."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(UTC)
        except OverflowError:
            raise ValidationError("The date is out of range.", code="invalid") from None


class UtcIsoDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


class UpdatedSinceFilterSet(filters.FilterSet):
    updated_since = UtcIsoDateTimeFilter(
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
    closes_after = UtcIsoDateTimeFilter(field_name="closes_at", lookup_expr="gte")
    closes_before = UtcIsoDateTimeFilter(field_name="closes_at", lookup_expr="lt")

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
