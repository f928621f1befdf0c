"""The demo data of `make run` loads idempotently."""

from io import StringIO

from django.core.management import call_command

from recruitment.enums import VacancyStatus
from recruitment.models import Organisation, Scheme, User, Vacancy
from workflows.models import VacancyStatusChange


def counts():
    return {
        "organisations": Organisation.objects.count(),
        "schemes": Scheme.objects.count(),
        "users": sorted(User.objects.values_list("email", "role")),
        "published": Vacancy.objects.filter(status=VacancyStatus.PUBLISHED).count(),
        "vacancies": Vacancy.objects.count(),
        "status_changes": VacancyStatusChange.objects.count(),
    }


def test_seed_demo_twice_adds_nothing_the_second_time(db):
    call_command("seed_demo", stdout=StringIO())
    first = counts()

    call_command("seed_demo", stdout=StringIO())

    assert counts() == first
    assert first == {
        "organisations": 6,
        "schemes": 5,
        "users": [
            ("admin@demo.example", "admin"),
            ("candidate@demo.example", "candidate"),
            ("partner@demo.example", "partner"),
            ("recruiter@demo.example", "recruiter"),
        ],
        "published": 20,
        "vacancies": 20,
        "status_changes": 20,
    }
