"""manage.py seed_scale at a tiny size: counts, determinism, search vectors, the hot vacancy."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from recruitment.models import Application, CandidateProfile, Experience, User, Vacancy

pytestmark = pytest.mark.django_db


def seed(**sizes):
    options = {"vacancies": 30, "candidates": 40, "applications": 120, "hot_applicants": 25,
               "seed": 7, **sizes}  # fmt: skip
    call_command("seed_scale", **options, stdout=None)


def vacancy_facts() -> list[tuple]:
    return list(
        Vacancy.objects.order_by("id").values_list(
            "title", "grade", "closes_at", "status", "skills", "organisation__slug"
        )
    )


def candidate_facts() -> list[tuple]:
    return list(CandidateProfile.objects.order_by("id").values_list(
        "given_name", "family_name", "date_of_birth", "skills", "citizenships",
    ))  # fmt: skip


def stale_vectors() -> tuple[int, int]:
    """Rows whose stored vector differs from what the triggers' functions compute."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM recruitment_vacancy WHERE search_vector IS DISTINCT FROM "
            "recruitment_vacancy_search_vector(id, title, description, organisation_id)"
        )
        vacancies = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM recruitment_candidateprofile WHERE search_vector IS DISTINCT "
            "FROM recruitment_candidate_search_vector(id, skills)"
        )
        return vacancies, cursor.fetchone()[0]


def test_seed_scale_loads_the_requested_sizes_with_current_vectors():
    seed()

    hot = Vacancy.objects.order_by("id").first()
    assert (Vacancy.objects.count(), CandidateProfile.objects.count(),
            Application.objects.count()) == (30, 40, 120)  # fmt: skip
    assert User.objects.filter(candidate_profile__isnull=False).count() == 40
    assert Application.objects.filter(vacancy=hot).count() == 25
    assert Experience.objects.count() >= 40
    assert stale_vectors() == (0, 0)
    # Match facts computed after the COPY: everyone holds a bachelor's and English at B1+.
    assert (
        CandidateProfile.objects.filter(
            match_degree_rank__gte=2, match_languages__contains=["en"]
        ).count()
        == 40
    )
    assert not User.objects.get(
        candidate_profile=CandidateProfile.objects.first()
    ).has_usable_password()


def test_seed_scale_is_deterministic_for_a_seed():
    seed()
    first_vacancies, first_candidates = vacancy_facts(), candidate_facts()
    Application.objects.all().delete()
    Vacancy.objects.all().delete()
    User.objects.all().delete()

    seed()

    assert vacancy_facts() == first_vacancies
    assert candidate_facts() == first_candidates


def test_seed_scale_refuses_more_applications_than_pairs():
    with pytest.raises(CommandError, match="a candidate applies once per vacancy"):
        seed(vacancies=3, candidates=2, applications=5)

    assert Vacancy.objects.count() == 0
