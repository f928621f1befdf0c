"""The search vectors are kept by PostgreSQL triggers, whatever path writes the rows."""

import pytest
from django.db import connection
from django.utils import timezone

from recruitment.bulk import copy_rows, reserve_ids
from recruitment.models import Vacancy
from recruitment.vacancy_search import vacancy_search
from tests.factories import make_duty_station, make_organisation

pytestmark = pytest.mark.django_db


def vector(vacancy_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM recruitment_vacancy WHERE id = %s",
                       [vacancy_id])  # fmt: skip
        return cursor.fetchone()[0]


def test_copied_vacancy_gets_its_vector_and_database_defaults():
    organisation = make_organisation(slug="wfp", name="World Food Programme", acronym="WFP")
    station = make_duty_station(city="Juba", country="SS")
    [vacancy_id] = reserve_ids(Vacancy, 1)
    now = timezone.now()

    # The columns a feed sync names: none of the matching ones.
    columns = ["id", "created_at", "updated_at", "title", "organisation_id", "description",
               "status", "funding_status", "closes_at_status", "grade_raw", "reference",
               "category", "closes_at_raw", "closes_at_zone", "fingerprint", "number_of_posts",
               "blind_review"]  # fmt: skip
    row = (vacancy_id, now, now, "Logistics Officers", organisation.pk, "<p>Convoys</p>",
           "published", "unconfirmed", "parsed", "", "", "", "", "", "", 1, False)  # fmt: skip
    copy_rows(Vacancy, columns, [row])
    copy_rows(Vacancy.duty_stations.through, ["vacancy_id", "dutystation_id"],
              [(vacancy_id, station.pk)])  # fmt: skip

    vacancy = Vacancy.objects.get(pk=vacancy_id)
    assert (vacancy.modality, vacancy.skills, vacancy.required_languages) == ("on_site", [], [])
    assert vector(vacancy_id) == (
        "'convoy':10C 'food':4B 'juba':8B 'logist':1A 'offic':2A 'programm':5B 'ss':9B "
        "'wfp':6B,7B 'world':3B"
    )
    assert list(vacancy_search(Vacancy.objects.all(), {"q": "logistic juba"})) == [vacancy]
