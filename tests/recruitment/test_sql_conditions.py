"""SQL conditions: several become one, with their parameters in order."""

import pytest
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from recruitment.models import Organisation
from recruitment.sql_conditions import all_of, condition
from tests.factories import make_organisation

ORGANISATION = Organisation._meta.db_table


def test_one_condition_is_itself():
    only = condition("1 = %s", [1])

    assert all_of([only]) is only


def test_conditions_join_with_their_parameters_in_order():
    joined = all_of([condition("a = %s", [1]), condition("b IN (%s, %s)", [2, 3])])

    assert (joined.sql, joined.params) == ("(a = %s) AND (b IN (%s, %s))", [1, 2, 3])


@pytest.mark.django_db
def test_the_joined_condition_filters_a_queryset():
    wfp = make_organisation(slug="wfp", acronym="WFP")
    make_organisation(slug="who", acronym="WHO")
    make_organisation(slug="wfp-nyc", acronym="OTHER")
    slug = condition(f"{ORGANISATION}.slug LIKE %s", ["wfp%"])
    acronym = condition(f"{ORGANISATION}.acronym = %s", ["WFP"])

    found = Organisation.objects.filter(all_of([slug, acronym])).values_list("id", flat=True)

    assert list(found) == [wfp.pk]


@pytest.mark.django_db
def test_a_condition_resolves_to_itself_and_filters_as_djangos_raw_sql():
    wfp = make_organisation(slug="wfp")
    make_organisation(slug="who")
    sql, params = f"{ORGANISATION}.slug LIKE %s", ["wfp%"]
    ours, djangos = condition(sql, params), RawSQL(sql, params, output_field=BooleanField())
    queryset = Organisation.objects.all()
    summarized = ours.resolve_expression(queryset.query, summarize=True)

    assert ours.resolve_expression(queryset.query) is ours
    assert (summarized is ours, summarized.is_summary) == (False, True)
    assert str(queryset.filter(ours).query) == str(queryset.filter(djangos).query)
    assert str(queryset.exclude(ours).query) == str(queryset.exclude(djangos).query)
    assert str(queryset.filter(ours) | queryset.filter(slug="who")) == str(
        queryset.filter(djangos) | queryset.filter(slug="who")
    )
    assert list(queryset.filter(ours).values_list("id", flat=True)) == [wfp.pk]
