"""api.filters' FilterSet base and fields: the same answers as django-filter's, for less work
per request."""

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django_filters.fields import ChoiceField, MultipleChoiceField

from api.filters import (
    ApplicationFilterSet,
    CandidateProfileFilterSet,
    DutyStationFilterSet,
    KnownChoiceField,
    KnownMultipleChoiceField,
    OrganisationFilterSet,
    PlacementFilterSet,
    VacancyFilterSet,
)
from recruitment.enums import Grade, PlacementStatus
from recruitment.models import CandidateProfile, Placement, Vacancy

CHOICES = {
    "an enum": {"choices": Grade.choices},
    "groups": {"choices": [("Field", [("P-2", "P-2"), ("P-3", "P-3")]), ("G-5", "G-5")]},
    "a null choice": {"choices": [("a", "A")], "null_label": "None"},
    "number keys": {"choices": [(1, "one"), (2, "two")]},
}
SENT = ["P-2", "P-3", "G-5", "Field", "Z-9", "p-2", "a", "null", "1", "2", "3", "", " P-2"]


def outcome(field, value):
    try:
        return field.clean(value)
    except ValidationError as error:
        return error.messages


@pytest.mark.parametrize("choices", CHOICES.values(), ids=CHOICES.keys())
def test_known_choice_fields_answer_as_django_filters_fields(choices):
    single = {value: outcome(ChoiceField(required=False, **choices), value) for value in SENT}
    several = {
        value: outcome(MultipleChoiceField(required=False, **choices), [value, "P-2"])
        for value in SENT
    }

    assert {
        value: outcome(KnownChoiceField(required=False, **choices), value) for value in SENT
    } == single
    assert {
        value: outcome(KnownMultipleChoiceField(required=False, **choices), [value, "P-2"])
        for value in SENT
    } == several


def test_known_choices_follow_choices_set_later_and_choices_that_are_not_a_list():
    field = KnownChoiceField(choices=[("a", "A")])
    field.choices = [("b", "B")]
    nullable = KnownChoiceField(choices=[("a", "A")])
    nullable.null_label = "None"  # set after the choices, as a FilterSet may
    offered = [("c", "C")]
    called = KnownChoiceField(choices=lambda: offered)
    borrowed = KnownChoiceField(choices=ChoiceField(choices=lambda: offered).choices)
    before = [outcome(called, "c"), outcome(borrowed, "c")]
    offered[:] = [("d", "D")]

    assert [outcome(field, "b"), outcome(field, "a"), outcome(nullable, "null")] == [
        "b",
        ["Select a valid choice. a is not one of the available choices."],
        "null",
    ]
    assert [*before, outcome(called, "d"), outcome(borrowed, "d")] == ["c", "c", "d", "d"]


def test_a_filtersets_choice_filters_answer_with_djangos_messages():
    filterset = VacancyFilterSet(
        data=QueryDict("grade=P-2&grade=Z-9&open=perhaps&status=published"),
        queryset=Vacancy.objects.all(),
    )

    assert filterset.is_valid() is False
    assert filterset.errors == {
        "grade": ["Select a valid choice. Z-9 is not one of the available choices."],
        "open": ["Select a valid choice. perhaps is not one of the available choices."],
    }
    assert isinstance(filterset.form.fields["grade"], KnownMultipleChoiceField)


def test_a_filterset_copies_the_filters_sent_only_and_only_when_asked():
    filterset = CandidateProfileFilterSet(
        data=QueryDict("citizenship=NO&language=fr"), queryset=CandidateProfile.objects.all()
    )
    assert filterset.is_valid()
    filterset.qs  # noqa: B018 - the search lists filter through candidate_search

    copied_before_asked = "filters" in vars(filterset)
    filters = filterset.filters

    assert copied_before_asked is False
    assert sorted(filters) == ["citizenship", "language"]
    assert [(f.parent, f.model) for f in filters.values()] == [(filterset, CandidateProfile)] * 2
    assert all(f is not CandidateProfileFilterSet.base_filters[n] for n, f in filters.items())


def test_filter_forms_use_their_classs_fields_and_copy_model_choice_fields():
    data = QueryDict(f"status={PlacementStatus.values[0]}&organisation=1")
    first, second = (PlacementFilterSet(data=data, queryset=Placement.objects.all()) for _ in "12")
    forms = [first.form, second.form]
    fields = type(forms[0]).base_fields

    assert [sorted(form.fields) for form in forms] == [["organisation", "status"]] * 2
    assert [form.fields["status"] is fields["status"] for form in forms] == [True, True]
    assert [form.fields["organisation"] is fields["organisation"] for form in forms] == [False] * 2
    assert forms[0].fields["organisation"].queryset is not forms[1].fields["organisation"].queryset


@pytest.mark.django_db
@pytest.mark.parametrize(
    "filterset_class",
    [OrganisationFilterSet, DutyStationFilterSet, VacancyFilterSet, CandidateProfileFilterSet,
     ApplicationFilterSet, PlacementFilterSet],
)  # fmt: skip
def test_cleaning_a_filter_form_leaves_the_shared_fields_as_they_were(filterset_class):
    """Forms share their class's fields: validating one request's parameters, good or bad,
    must not change a field (or its widget) that the next request's form uses."""
    names = list(filterset_class.base_filters)

    def clean(value: str) -> dict:
        data = QueryDict(mutable=True)
        for name in names:
            data.setlist(name, [value, value])
        filterset = filterset_class(data=data, queryset=filterset_class._meta.model.objects.all())
        filterset.is_valid()
        return filterset.errors

    fields = filterset_class._shared_form_class().base_fields
    clean("1")  # anything a field works out once, on first use
    before = {name: (vars(f).copy(), vars(f.widget).copy()) for name, f in fields.items()}
    errors = [clean(value) for value in ("x", "2026-01-01", "", "\x00")]

    assert sorted(fields) == sorted(names)
    assert {name: (vars(f), vars(f.widget)) for name, f in fields.items()} == before
    assert any(errors) or filterset_class is DutyStationFilterSet  # its filters take any text
