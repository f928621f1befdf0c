"""Database constraints of the models: they hold even when code bypasses the services."""

import pytest
from django.db import IntegrityError, transaction

from recruitment.enums import ApplicationStatus
from recruitment.models import Application, User, Vacancy
from tests.factories import make_application, make_vacancy

INACTIVE_STATUSES = [
    ApplicationStatus.REJECTED,
    ApplicationStatus.WITHDRAWN,
    ApplicationStatus.DECLINED,
    ApplicationStatus.NOT_SELECTED,
]
ACTIVE_STATUSES = [status for status in ApplicationStatus if status not in INACTIVE_STATUSES]


def violated(raised):
    """The name of the constraint PostgreSQL reported for a caught IntegrityError."""
    return raised.value.__cause__.diag.constraint_name


@pytest.mark.parametrize("existing", ACTIVE_STATUSES)
def test_application_two_active_to_same_vacancy_violate_partial_unique(
    organisation_x, candidate_a, existing
):
    vacancy = make_vacancy(organisation=organisation_x)
    first = make_application(candidate=candidate_a, vacancy=vacancy, status=existing)

    with pytest.raises(IntegrityError) as raised, transaction.atomic():
        make_application(candidate=candidate_a, vacancy=vacancy)

    assert violated(raised) == "application_one_active_per_vacancy"
    assert list(Application.objects.values_list("id", flat=True)) == [first.pk]


@pytest.mark.parametrize("inactive", INACTIVE_STATUSES)
def test_application_inactive_and_active_to_same_vacancy_are_allowed(
    organisation_x, candidate_a, inactive
):
    vacancy = make_vacancy(organisation=organisation_x)
    old = make_application(candidate=candidate_a, vacancy=vacancy, status=inactive)

    new = make_application(candidate=candidate_a, vacancy=vacancy)

    assert sorted(Application.objects.values_list("id", "status")) == [
        (old.pk, inactive),
        (new.pk, "submitted"),
    ]


def test_application_several_inactive_to_same_vacancy_are_allowed(organisation_x, candidate_a):
    vacancy = make_vacancy(organisation=organisation_x)

    for _ in range(2):
        make_application(candidate=candidate_a, vacancy=vacancy, status="withdrawn")

    assert Application.objects.filter(status="withdrawn").count() == 2


def test_application_active_of_different_candidates_are_allowed(
    organisation_x, candidate_a, candidate_b
):
    vacancy = make_vacancy(organisation=organisation_x)

    make_application(candidate=candidate_a, vacancy=vacancy)
    make_application(candidate=candidate_b, vacancy=vacancy)

    assert Application.objects.filter(vacancy=vacancy, status="submitted").count() == 2


def test_application_moving_back_to_active_beside_active_is_refused(organisation_x, candidate_a):
    vacancy = make_vacancy(organisation=organisation_x)
    withdrawn = make_application(candidate=candidate_a, vacancy=vacancy, status="withdrawn")
    make_application(candidate=candidate_a, vacancy=vacancy)

    with pytest.raises(IntegrityError) as raised, transaction.atomic():
        Application.objects.filter(pk=withdrawn.pk).update(status="screening")

    assert violated(raised) == "application_one_active_per_vacancy"
    assert Application.objects.get(pk=withdrawn.pk).status == "withdrawn"


def test_application_status_check_rejects_unknown_status(organisation_x, candidate_a):
    application = make_application(candidate=candidate_a, vacancy=make_vacancy())

    with pytest.raises(IntegrityError) as raised, transaction.atomic():
        Application.objects.filter(pk=application.pk).update(status="hired")

    assert violated(raised) == "application_status_valid"
    assert Application.objects.get().status == "submitted"


def test_vacancy_status_check_rejects_unknown_status(organisation_x):
    vacancy = make_vacancy(organisation=organisation_x)

    with pytest.raises(IntegrityError) as raised, transaction.atomic():
        Vacancy.objects.filter(pk=vacancy.pk).update(status="archived")

    assert violated(raised) == "vacancy_status_valid"
    assert Vacancy.objects.get().status == "published"


def test_vacancy_grade_check_rejects_unknown_grade(organisation_x):
    vacancy = make_vacancy(organisation=organisation_x)

    with pytest.raises(IntegrityError) as raised, transaction.atomic():
        Vacancy.objects.filter(pk=vacancy.pk).update(grade="P-9")

    assert violated(raised) == "vacancy_grade_valid"
    assert Vacancy.objects.get().grade is None


def test_user_role_check_rejects_unknown_role(candidate_a):
    with pytest.raises(IntegrityError) as raised, transaction.atomic():
        User.objects.filter(pk=candidate_a.pk).update(role="superuser")

    assert violated(raised) == "user_role_valid"
    assert User.objects.get().role == "candidate"
