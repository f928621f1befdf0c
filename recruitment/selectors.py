"""Reads, each scoped to the caller: what a user may see is decided here and only here."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Prefetch, Q, QuerySet

from recruitment.enums import Role, VacancyStatus
from recruitment.models import (
    Application,
    CandidateProfile,
    DutyStation,
    Feed,
    Organisation,
    OrganisationMembership,
    Vacancy,
    VacancySource,
)

Caller = AbstractBaseUser | AnonymousUser


def role_of(user: Caller) -> str | None:
    """The caller's role, or None for an anonymous caller."""
    return getattr(user, "role", None) if user.is_authenticated else None


def organisation_of(user: Caller) -> Organisation | None:
    """The organisation a partner member (or partner API client) acts for."""
    if role_of(user) != Role.PARTNER:
        return None
    membership = (
        OrganisationMembership.objects.select_related("organisation").filter(user=user).first()
    )
    return membership.organisation if membership else None


def _member_organisation_ids(user: Caller) -> QuerySet[OrganisationMembership]:
    # A subquery, not a join: joining memberships would repeat a row once per member.
    return OrganisationMembership.objects.filter(user=user).values("organisation_id")


def vacancy_list(*, user: Caller) -> QuerySet[Vacancy]:
    """Vacancies the caller may see: published ones for everyone, plus all of the partner's own
    organisation for its members, and every vacancy for recruiters and admins."""
    queryset = Vacancy.objects.select_related("organisation", "scheme").prefetch_related(
        Prefetch("duty_stations", queryset=DutyStation.objects.order_by("id")),
        Prefetch("sources", queryset=VacancySource.objects.select_related("feed").order_by("id")),
    )
    role = role_of(user)
    if role in (Role.RECRUITER, Role.ADMIN):
        return queryset
    published = Q(status=VacancyStatus.PUBLISHED)
    if role == Role.PARTNER:
        return queryset.filter(published | Q(organisation_id__in=_member_organisation_ids(user)))
    return queryset.filter(published)


def vacancy_editable_list(*, user: Caller) -> QuerySet[Vacancy]:
    """Vacancies the caller may change: their organisation's for partners, all for staff."""
    role = role_of(user)
    if role in (Role.RECRUITER, Role.ADMIN):
        return vacancy_list(user=user)
    if role == Role.PARTNER:
        return vacancy_list(user=user).filter(organisation_id__in=_member_organisation_ids(user))
    return Vacancy.objects.none()


def candidate_profile_list(*, user: Caller) -> QuerySet[CandidateProfile]:
    """Candidate profiles the caller may read: all for recruiters and admins, none otherwise."""
    if role_of(user) not in (Role.RECRUITER, Role.ADMIN):
        return CandidateProfile.objects.none()
    return CandidateProfile.objects.select_related("user").prefetch_related(
        "education", "experience", "languages"
    )


def candidate_profile_get(*, user: Caller) -> CandidateProfile | None:
    """The caller's own profile with its nested lists, or None when the caller has none."""
    if not user.is_authenticated:
        return None
    return (
        CandidateProfile.objects.select_related("user")
        .prefetch_related("education", "experience", "languages")
        .filter(user=user)
        .first()
    )


def application_list(*, user: Caller) -> QuerySet[Application]:
    """Applications the caller may see: a candidate's own; for partner members, those nominated
    to their organisation's vacancies; all for recruiters and admins."""
    queryset = Application.objects.select_related("vacancy", "vacancy__organisation", "candidate")
    role = role_of(user)
    if role in (Role.RECRUITER, Role.ADMIN):
        return queryset
    if role == Role.CANDIDATE:
        return queryset.filter(candidate__user=user)
    if role == Role.PARTNER:
        return queryset.filter(
            vacancy__organisation_id__in=_member_organisation_ids(user),
            nominated_at__isnull=False,
        )
    return Application.objects.none()


def feed_list(*, user: Caller) -> QuerySet[Feed]:
    """Feeds the caller manages: all for recruiters and admins, their organisation's for
    partner members, none otherwise."""
    queryset = Feed.objects.select_related("organisation")
    role = role_of(user)
    if role in (Role.RECRUITER, Role.ADMIN):
        return queryset
    if role == Role.PARTNER:
        return queryset.filter(organisation_id__in=_member_organisation_ids(user))
    return Feed.objects.none()
