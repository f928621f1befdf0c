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
        "organisations": 7,
        "schemes": 5,
        "users": [
            ("admin@demo.example", "admin"),
            ("candidate@demo.example", "candidate"),
            ("partner@demo.example", "partner"),
            ("recruiter@demo.example", "recruiter"),
        ],
        "published": 26,
        "vacancies": 26,
        "status_changes": 26,
    }


def test_seed_demo_ingests_its_feed_documents_through_the_sync(db):
    call_command("seed_demo", stdout=StringIO())

    ingested = [
        (
            vacancy.organisation.slug,
            vacancy.reference,
            vacancy.grade,
            vacancy.contract_type,
            vacancy.number_of_posts,
            vacancy.closes_at_zone,
            vacancy.status,
            [str(station) for station in vacancy.duty_stations.all()],
        )
        for vacancy in Vacancy.objects.filter(sources__isnull=False).order_by("id")
    ]

    assert ingested == [
        ("unicef", "593001", "P-3", "fixed_term", 1, "Atlantic/Reykjavik", "published",
         ["Dakar, SN"]),
        ("unicef", "593002", "NO-B", "temporary", 1, "Africa/Johannesburg", "published",
         ["Lusaka, ZM"]),
        ("unicef", "593003", "P-4", "fixed_term", 2, "Asia/Amman", "published", ["Amman, JO"]),
        ("unhcr", "", "P-3", None, 1, "", "published", ["Maiduguri, NG"]),
        ("wfp", "", "P-2", None, 1, "", "published", ["Cox's Bazar, BD"]),
        ("nrc", "", "CONSULTANT", "consultancy", 1, "", "published", ["Oslo, NO"]),
    ]  # fmt: skip
    assert list(Organisation.objects.filter(needs_review=True).values_list("slug", "name")) == [
        ("nrc", "Norwegian Refugee Council")
    ]
