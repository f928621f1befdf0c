"""Saved searches (job alerts)."""

from datetime import datetime
from decimal import Decimal

from rest_framework import serializers

from api.filters import VacancyFilterSet
from recruitment.models import SavedSearch, Vacancy
from recruitment.vacancy_search import SEARCH_FIELDS

from .common import StrictModelSerializer


class SavedSearchSerializer(StrictModelSerializer):
    criteria = serializers.DictField(
        help_text="Vacancy list filters: " + ", ".join(f"`{name}`" for name in SEARCH_FIELDS)
        + " (`grade` may be a list).",
    )  # fmt: skip

    class Meta:
        model = SavedSearch
        fields = ["id", "name", "criteria", "frequency", "last_notified_at", "created_at",
                  "updated_at"]  # fmt: skip
        read_only_fields = ["id", "last_notified_at", "created_at", "updated_at"]

    def validate_criteria(self, value):
        unknown = sorted(set(value) - set(SEARCH_FIELDS))
        if unknown:
            raise serializers.ValidationError(f"Unknown criteria: {', '.join(unknown)}.")
        as_lists = {
            key: [str(item) for item in item_list]
            for key, raw in value.items()
            for item_list in [raw if isinstance(raw, list) else [raw]]
        }
        form = VacancyFilterSet(data=_QueryData(as_lists), queryset=Vacancy.objects.none()).form
        if not form.is_valid():
            raise serializers.ValidationError(
                {key: [str(error) for error in errors] for key, errors in form.errors.items()}
            )
        # Stored as the list reads them (ids as integers, instants with their offset), so
        # recruitment.vacancy_search applies exactly what was validated.
        return {key: _stored(form.cleaned_data[key]) for key in as_lists}


def _stored(value):
    if isinstance(value, Decimal):
        return int(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return list(value) if isinstance(value, list | tuple) else value


class _QueryData(dict):
    """What django-filter reads from a query string: getlist for multiple values."""

    def getlist(self, key, default=None):
        return dict.get(self, key, default or [])  # not self.get: that returns one value

    def get(self, key, default=None):  # a single value, as QueryDict.get
        values = super().get(key)
        return values[-1] if values else default
