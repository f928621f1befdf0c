"""Plain, typed, deterministic factories: every default is visible here and nowhere random."""

from datetime import date, timedelta
from itertools import count

from django.utils import timezone

from recruitment import services
from recruitment.enums import (
    NOMINATED_APPLICATION_STATUSES,
    ApplicationStatus,
    OrganisationKind,
    Role,
    VacancyStatus,
)
from recruitment.models import (
    Application,
    CandidateProfile,
    DutyStation,
    Organisation,
    Scheme,
    User,
    Vacancy,
)

_sequence = count(1)
PASSWORD = "correct horse battery staple"


def make_organisation(*, slug: str = "unicef", **overrides) -> Organisation:
    defaults = {"name": slug.upper(), "acronym": slug.upper(), "kind": OrganisationKind.UN_AGENCY}
    return Organisation.objects.create(slug=slug, **{**defaults, **overrides})


def make_user(
    *, role: str = Role.CANDIDATE, email: str | None = None, organisation=None, **profile
) -> User:
    email = email or f"{role}{next(_sequence)}@example.org"
    return services.user_create(
        email=email, password=PASSWORD, role=role, organisation=organisation,
        profile_fields=profile or None,
    )  # fmt: skip


def make_candidate(**profile) -> User:
    return make_user(role=Role.CANDIDATE, **profile)


def make_duty_station(*, city: str = "Nairobi", country: str = "KE") -> DutyStation:
    return DutyStation.objects.create(city=city, country=country)


def make_scheme(*, code: str = "jpo", **overrides) -> Scheme:
    return Scheme.objects.create(code=code, name=overrides.pop("name", code.upper()), **overrides)


def make_vacancy(
    *,
    organisation: Organisation | None = None,
    status: str = VacancyStatus.PUBLISHED,
    title: str = "Programme Officer",
    closes_in: timedelta | None = timedelta(days=30),
    **overrides,
) -> Vacancy:
    """A vacancy, published by default. Status is set directly: this is test set-up, not a move."""
    organisation = organisation or Organisation.objects.first() or make_organisation()
    closes_at = timezone.now() + closes_in if closes_in is not None else None
    defaults = {"description": "<p>Work with partners.</p>", "closes_at": closes_at}
    return Vacancy.objects.create(
        organisation=organisation, title=title, status=status, **{**defaults, **overrides}
    )


def make_application(
    *, candidate: User, vacancy: Vacancy, status: str = ApplicationStatus.SUBMITTED
) -> Application:
    """An application in `status` (set directly, as test set-up)."""
    profile = CandidateProfile.objects.get(user=candidate)
    nominated_at = timezone.now() if status in NOMINATED_APPLICATION_STATUSES else None
    return Application.objects.create(
        candidate=profile, vacancy=vacancy, status=status, nominated_at=nominated_at
    )


def birthday(years: int) -> date:
    return date.today().replace(year=date.today().year - years)
