"""Non-status writes never overwrite what a concurrent transition wrote."""

from recruitment import services
from recruitment.enums import VacancyStatus
from recruitment.models import Vacancy
from tests.factories import make_vacancy
from workflows.services import vacancy_transition


def test_vacancy_update_with_a_stale_copy_keeps_a_concurrent_close(organisation_x):
    vacancy = make_vacancy(organisation=organisation_x, status=VacancyStatus.PUBLISHED)
    stale = Vacancy.objects.get(pk=vacancy.pk)
    vacancy_transition(vacancy_id=vacancy.pk, to_status=VacancyStatus.CLOSED, actor=None)

    services.vacancy_update(vacancy=stale, data={"title": "Renamed"})

    assert Vacancy.objects.values_list("title", "status").get(pk=vacancy.pk) == (
        "Renamed",
        VacancyStatus.CLOSED,
    )
