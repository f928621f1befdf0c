"""FilterSets of every list (the same parameters are documented in the OpenAPI schema)."""

import copy
from datetime import UTC

import django_filters as filters
from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.choices import flatten_choices, normalize_choices
from django.utils.functional import cached_property
from django_filters.fields import ChoiceField, IsoDateTimeField, MultipleChoiceField
from django_filters.filters import QuerySetRequestMixin
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions
from rest_framework.filters import BaseFilterBackend

from recruitment import candidate_search
from recruitment.enums import (
    ApplicationStatus,
    DegreeLevel,
    FamilyStatus,
    Grade,
    HardshipClass,
    Modality,
    OrganisationKind,
    VacancyStatus,
)
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

CEFR_LEVELS = [(level, level) for level in ("A1", "A2", "B1", "B2", "C1", "C2")]


class UpdatedSinceFilter(BaseFilterBackend):
    """`?updated_since=` on every list whose rows carry `updated_at`, for incremental sync:
    rows changed at or after the instant (ISO-8601 with an offset, or UTC)."""

    def filter_queryset(self, request, queryset, view):
        value = request.query_params.get("updated_since")
        if value is None or getattr(view, "detail", False) or not self._applies(queryset):
            return queryset
        try:
            moment = UtcIsoDateTimeField().clean(value)
        except ValidationError as error:  # reported in our error shape
            raise exceptions.ValidationError({"updated_since": list(error.messages)}) from None
        return queryset.filter(updated_at__gte=moment)

    @staticmethod
    def _applies(queryset):
        return any(field.name == "updated_at" for field in queryset.model._meta.get_fields())

    def get_schema_operation_parameters(self, view):
        model = getattr(getattr(view, "queryset", None), "model", None)
        if model is None or not any(f.name == "updated_at" for f in model._meta.get_fields()):
            return []
        return [
            {
                "name": "updated_since",
                "required": False,
                "in": "query",
                "description": "Rows changed at or after this instant (ISO-8601), for sync.",
                "schema": {"type": "string", "format": "date-time"},
            }
        ]


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


class _SharedFields(dict):
    """A filter form's fields. Django gives each form a deep copy of its class's fields (their
    choices and widgets included), so that a form may change its own fields without changing
    another form's. A filter form only validates query parameters: it never renders a field
    and never changes one, so each form uses its class's fields as they are. Model choice
    fields keep Django's copy: it gives each form its own queryset."""

    def __deepcopy__(self, memo):
        return {
            name: copy.deepcopy(field, memo) if isinstance(field, forms.ModelChoiceField) else field
            for name, field in self.items()
        }


class _KnownChoices:
    """A choice field's `valid_value` as one look-up in the set of its choices' keys, where
    Django walks every choice for each value sent (and django-filter's iterator normalises
    them again on each walk). The set is made when choices given as a list or tuple are set,
    which is when Django's own ChoiceField reads them too; forms share the field, and a copy
    of it shares the set. Any other choices (a callable, another field's iterator) are walked
    as Django walks them, and django-filter's empty and null choices are read from the field
    each time."""

    @property
    def choices(self):
        return super().choices

    @choices.setter
    def choices(self, value):
        super(_KnownChoices, type(self)).choices.__set__(self, value)
        self._known = None
        if isinstance(value, (list, tuple)):
            normalized = flatten_choices(normalize_choices(value))
            self._known = frozenset(str(key) for key, _ in normalized)

    def valid_value(self, value):
        if self._known is None:
            return super().valid_value(value)
        text = str(value)
        return (
            text in self._known
            or (self.empty_label is not None and text == "")
            or (self.null_label is not None and text == str(self.null_value))
        )


class KnownChoiceField(_KnownChoices, ChoiceField):
    pass


class KnownMultipleChoiceField(_KnownChoices, MultipleChoiceField):
    pass


class ChoiceFilter(filters.ChoiceFilter):
    field_class = KnownChoiceField


class MultipleChoiceFilter(filters.MultipleChoiceFilter):
    field_class = KnownMultipleChoiceField


def _sent(data, prefix: str | None, name: str) -> bool:
    """Whether the query parameters hold the filter `name` (under the form's prefix, if any)."""
    return (f"{prefix}-{name}" if prefix else name) in data


class _SentFieldsForm(forms.Form):
    """A filter form bound to query parameters validates the filters that were sent only. An
    absent filter is not filtered on: its field would clean to an empty value, so the form
    skips cleaning it and handing it on (a vacancy search sends 2 of 20)."""

    def __init__(self, data=None, *args, prefix=None, **kwargs):
        if data is not None:
            fields = type(self).base_fields
            self.base_fields = _SharedFields(
                (name, field) for name, field in fields.items() if _sent(data, prefix, name)
            )
        # Never rendered: no label suffix to translate.
        kwargs.setdefault("label_suffix", "")
        super().__init__(data, *args, prefix=prefix, **kwargs)

    def _clean_fields(self):
        """Django's, without a BoundField per field: each value is its widget's reading of the
        query string, cleaned by its field (a filter form has no disabled field and no
        `clean_<name>` method; one that had would take Django's way)."""
        if any(
            field.disabled or hasattr(self, f"clean_{name}") for name, field in self.fields.items()
        ):
            return super()._clean_fields()
        for name, field in self.fields.items():
            value = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            try:
                self.cleaned_data[name] = field.clean(value)
            except ValidationError as error:
                self.add_error(name, error)


class UpdatedSinceFilterSet(filters.FilterSet):
    """Base of every FilterSet; `updated_since` itself is applied by UpdatedSinceFilter.

    Same behaviour as django-filter's FilterSet, at a fraction of its cost per request (about
    3 ms on a vacancy search): it deep-copies every filter with its choices and builds a new
    form class from new form fields. Filters keep no per-request state but `model`, `parent`,
    their `extra` and a `method`'s binding, so a shallow copy with those renewed does; and the
    form class is built once per FilterSet class, whose forms share their fields (_SharedFields),
    unless a filter's queryset depends on the request. Bound to query parameters, it keeps
    the filters that were sent only, as its form does (`_SentFieldsForm`).
    """

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix

    @cached_property
    def filters(self):
        """The filters, copied when first asked for (a FilterSet that filters through its own
        `filter_queryset`, as the search lists' do, never asks)."""
        filters = {}
        for name, base in self.base_filters.items():
            if self.is_bound and not _sent(self.data, self.form_prefix, name):
                continue
            filter_ = copy.copy(base)
            filter_.extra = dict(base.extra)
            filter_.model, filter_.parent = self.queryset.model, self
            if base.method is not None:  # rebinds its FilterMethod to the copy
                filter_.method = base.method
            filters[name] = filter_
        return filters

    @property
    def qs(self):
        """django-filter's, without first cloning the queryset (`.all()`): every filter
        clones it anyway, and an unfiltered list reads it as it is."""
        if not hasattr(self, "_qs"):
            queryset = self.queryset
            if self.is_bound:
                self.errors  # noqa: B018 - validates the form before filtering
                queryset = self.filter_queryset(queryset)
            self._qs = queryset
        return self._qs

    @classmethod
    def _shared_form_class(cls):
        if "_form_class" not in cls.__dict__:
            per_request = any(
                isinstance(filter_, QuerySetRequestMixin) and callable(filter_.queryset)
                for filter_ in cls.base_filters.values()
            )
            form_class = None
            if not per_request:
                fields = {name: filter_.field for name, filter_ in cls.base_filters.items()}
                form_class = type(f"{cls.__name__}Form", (_SentFieldsForm, cls._meta.form), fields)
                form_class.base_fields = _SharedFields(form_class.base_fields)
            cls._form_class = form_class
        return cls._form_class

    def get_form_class(self):
        return self._shared_form_class() or super().get_form_class()


class OrganisationFilterSet(UpdatedSinceFilterSet):
    kind = ChoiceFilter(choices=OrganisationKind.choices)
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
    q = filters.CharFilter(
        method="filter_nothing", max_length=200,
        label="Full-text search of title, organisation, duty stations and description "
        '(web-search syntax: words, "a phrase", -excluded, or).',
    )  # fmt: skip
    status = MultipleChoiceFilter(choices=VacancyStatus.choices)
    organisation = filters.CharFilter(field_name="organisation__slug", label="Organisation slug.")
    organisation_id = filters.NumberFilter(field_name="organisation_id")
    scheme = filters.CharFilter(field_name="scheme__code", label="Scheme code.")
    grade = MultipleChoiceFilter(choices=Grade.choices, label="One or several grades.")
    category = filters.CharFilter(field_name="category", lookup_expr="iexact")
    country = filters.CharFilter(
        method="filter_nothing", label="ISO alpha-2 country of a duty station."
    )
    duty_station_id = filters.NumberFilter(method="filter_nothing")
    hardship = MultipleChoiceFilter(
        choices=HardshipClass.choices, method="filter_nothing",
        label="Current ICSC hardship class of a duty station (one or several).",
    )  # fmt: skip
    family_status = MultipleChoiceFilter(
        choices=FamilyStatus.choices, method="filter_nothing",
        label="Current family status of a duty station.",
    )  # fmt: skip
    modality = MultipleChoiceFilter(
        choices=Modality.choices, label="On site, remote or hybrid (one or several)."
    )
    open = ChoiceFilter(
        choices=[("true", "true"), ("false", "false")], method="filter_nothing",
        label="`true`: published and before its deadline; `false`: the others.",
    )  # fmt: skip
    closes_after = UtcIsoDateTimeFilter(field_name="closes_at", lookup_expr="gte")
    closes_before = UtcIsoDateTimeFilter(field_name="closes_at", lookup_expr="lt")
    language = filters.CharFilter(
        method="filter_nothing", max_length=3, label="ISO 639-1 code of a required language."
    )

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

    def filter_nothing(self, queryset, name, value):
        return queryset  # applied by recruitment.vacancy_search in filter_queryset


class CandidateProfileFilterSet(UpdatedSinceFilterSet):
    q = filters.CharFilter(
        method="filter_nothing", max_length=200,
        label="Full-text search of skills, experience titles and education.",
    )  # fmt: skip
    citizenship = filters.CharFilter(method="filter_nothing", label="ISO alpha-2 code.")
    language = filters.CharFilter(
        method="filter_nothing", max_length=3,
        label="ISO 639-1 code of a declared language (any skill).",
    )  # fmt: skip
    language_level = ChoiceFilter(
        choices=CEFR_LEVELS, method="filter_nothing",
        label="With `language`: at least this CEFR level, other scales compared on the "
        "eligibility rules' common scale.",
    )  # fmt: skip
    degree_level = ChoiceFilter(
        choices=DegreeLevel.choices, method="filter_nothing",
        label="Holds a degree of at least this level.",
    )  # fmt: skip
    min_years_experience = filters.NumberFilter(
        method="filter_nothing", min_value=0, max_value=60,
        label="At least this many years of professional experience (jobs summed).",
    )  # fmt: skip
    eligible_for = filters.NumberFilter(
        method="filter_nothing", min_value=1,
        label="Applied to this vacancy and passed its eligibility rules (as stored on the "
        "application when it was made).",
    )  # fmt: skip

    class Meta:
        model = CandidateProfile
        fields = ["citizenship", "language"]

    def filter_queryset(self, queryset):
        """Through recruitment.candidate_search: every criterion a condition of one filter."""
        return candidate_search.candidate_search(queryset, self.form.cleaned_data)

    def filter_nothing(self, queryset, name, value):
        return queryset  # applied by filter_queryset

    def is_valid(self):
        valid = super().is_valid()
        if (
            valid
            and self.form.cleaned_data.get("language_level")
            and not (self.form.cleaned_data.get("language"))
        ):
            self.form.add_error("language_level", "Give `language` too.")
            return False
        return valid


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(filters.NumberFilter):
    """An object's id: a whole number (NumberFilter alone takes decimals, which no id is)."""

    field_class = forms.IntegerField


class ApplicationFilterSet(UpdatedSinceFilterSet):
    vacancy = IdFilter(field_name="vacancy_id")
    status = MultipleChoiceFilter(choices=ApplicationStatus.choices)
    # Applied by recruitment.list_search (below), which CSV exports use too.
    min_days_in_stage = filters.NumberFilter(
        method="filter_nothing", min_value=0, max_value=3650,
        label="In the current status for at least this many days.",
    )  # fmt: skip
    max_days_in_stage = filters.NumberFilter(
        method="filter_nothing", min_value=0, max_value=3650,
        label="In the current status for at most this many days.",
    )  # fmt: skip

    def filter_nothing(self, queryset, name, value):
        return queryset

    class Meta:
        model = Application
        fields = ["vacancy", "status"]

    def filter_queryset(self, queryset):
        """Through recruitment.list_search, which CSV exports use too."""
        data = self.form.cleaned_data
        return application_search(queryset, {k: data.get(k) for k in APPLICATION_SEARCH_FIELDS})


class PlacementFilterSet(UpdatedSinceFilterSet):
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
