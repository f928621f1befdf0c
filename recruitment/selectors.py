"""Reads, each scoped to the caller: what a user may see is decided here and only here."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from recruitment import eligibility, matching
from recruitment.enums import Role, VacancyStatus
from recruitment.models import (
    ApiToken,
    Application,
    CandidateProfile,
    Document,
    DutyStation,
    EligibilityRuleSet,
    Feed,
    Organisation,
    OrganisationMembership,
    Placement,
    Tombstone,
    User,
    Vacancy,
    VacancySource,
)

Caller = AbstractBaseUser | AnonymousUser


def role_of(user: Caller) -> str | None:
    """The caller's role, or None for an anonymous caller."""
    return getattr(user, "role", None) if user.is_authenticated else None


TOKEN_FIELDS = [field.attname for field in ApiToken._meta.concrete_fields]
TOKEN_USER_FIELDS = [field.attname for field in User._meta.concrete_fields]
# The token's columns, then its user's. bandit B608, accepted 2026-11-28: column names from the
# models' metadata only.
TOKEN_SQL = (
    f"SELECT {', '.join(f't.{name}' for name in TOKEN_FIELDS)}, "  # nosec B608
    f"{', '.join(f'u.{name}' for name in TOKEN_USER_FIELDS)} "
    f"FROM {ApiToken._meta.db_table} t JOIN {User._meta.db_table} u ON u.id = t.user_id "
    "WHERE t.key_hash = %s"
)


def api_token_with_user(*, key_hash: str) -> ApiToken | None:
    """The login token with this hash, its user loaded, or None. Every authenticated request
    runs it: one plain statement, so no query is built and compiled each time."""
    with connection.cursor() as cursor:
        cursor.execute(TOKEN_SQL, [key_hash])
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(TOKEN_FIELDS)
    token = ApiToken.from_db(connection.alias, TOKEN_FIELDS, row[:split])
    token.user = User.from_db(connection.alias, TOKEN_USER_FIELDS, row[split:])
    return token


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


def vacancy_scope(*, user: Caller) -> QuerySet[Vacancy]:
    """Vacancies the caller may see: published ones for everyone, plus all of the partner's own
    organisation for its members, and every vacancy for recruiters and admins. Only the scope:
    for queries that read rows, not model instances (see vacancy_list)."""
    queryset = Vacancy.objects.all()
    role = role_of(user)
    if role in (Role.RECRUITER, Role.ADMIN):
        return queryset
    published = Q(status=VacancyStatus.PUBLISHED)
    if role == Role.PARTNER:
        return queryset.filter(published | Q(organisation_id__in=_member_organisation_ids(user)))
    return queryset.filter(published)


def vacancy_list(*, user: Caller) -> QuerySet[Vacancy]:
    """vacancy_scope as model instances, with what their representation reads."""
    return _vacancy_instances(vacancy_scope(user=user))


def _vacancy_instances(queryset: QuerySet[Vacancy]) -> QuerySet[Vacancy]:
    # The search vector is for WHERE clauses only; loading it would ship kilobytes per row.
    return (
        queryset.defer("search_vector")
        .select_related("organisation", "scheme")
        .prefetch_related(
            Prefetch("duty_stations", queryset=DutyStation.objects.order_by("id")),
            Prefetch(
                "sources", queryset=VacancySource.objects.select_related("feed").order_by("id")
            ),
        )
    )


def vacancy_feed_list() -> QuerySet[Vacancy]:
    """The public feeds' vacancies: the published ones, whoever asks (feeds are shared and
    cached, so they never depend on the caller)."""
    return vacancy_list(user=AnonymousUser())


def vacancy_editable_scope(*, user: Caller) -> QuerySet[Vacancy]:
    """Vacancies the caller may change: their organisation's for partners, all for staff.
    Only the scope (see vacancy_editable_list)."""
    role = role_of(user)
    if role in (Role.RECRUITER, Role.ADMIN):
        return Vacancy.objects.all()
    if role == Role.PARTNER:
        return Vacancy.objects.filter(organisation_id__in=_member_organisation_ids(user))
    return Vacancy.objects.none()


def vacancy_editable_list(*, user: Caller) -> QuerySet[Vacancy]:
    """vacancy_editable_scope as model instances, with what their representation reads."""
    return _vacancy_instances(vacancy_editable_scope(user=user))


def candidate_profile_scope(*, user: Caller) -> QuerySet[CandidateProfile]:
    """Candidate profiles the caller may read: all for recruiters and admins, none otherwise.
    Only the scope: for queries that read rows (see candidate_profile_list)."""
    if role_of(user) not in (Role.RECRUITER, Role.ADMIN):
        return CandidateProfile.objects.none()
    return CandidateProfile.objects.all()


def candidate_profile_list(*, user: Caller) -> QuerySet[CandidateProfile]:
    """candidate_profile_scope as model instances, with their user and nested lists."""
    return (
        candidate_profile_scope(user=user)
        .defer("search_vector")
        .select_related("user")
        .prefetch_related("education", "experience", "languages")
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


def application_scope(*, user: Caller) -> QuerySet[Application]:
    """Applications the caller may see: a candidate's own; for partner members, those nominated
    to their organisation's vacancies; all for recruiters and admins. Only the scope: for
    queries that read rows (see application_list)."""
    role = role_of(user)
    if role in (Role.RECRUITER, Role.ADMIN):
        return Application.objects.all()
    if role == Role.CANDIDATE:
        return Application.objects.filter(candidate__user=user)
    if role == Role.PARTNER:
        return Application.objects.filter(
            vacancy__organisation_id__in=_member_organisation_ids(user),
            nominated_at__isnull=False,
        )
    return Application.objects.none()


def application_list(*, user: Caller) -> QuerySet[Application]:
    """application_scope as model instances, with their vacancy and candidate."""
    # The joined rows' big text columns are never shown with an application: not loaded.
    return application_scope(user=user).select_related(
        "vacancy", "vacancy__organisation", "candidate"
    ).defer(
        "vacancy__search_vector", "vacancy__description", "candidate__search_vector",
        "candidate__summary",
    )  # fmt: skip


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


def placement_list(*, user: Caller) -> QuerySet[Placement]:
    """Placements the caller may see: the placed candidate's own, their organisation's for
    partner members, all for recruiters and admins."""
    queryset = Placement.objects.select_related(
        "organisation", "duty_station", "scheme", "application__candidate"
    )
    role = role_of(user)
    if role in (Role.RECRUITER, Role.ADMIN):
        return queryset
    if role == Role.CANDIDATE:
        return queryset.filter(application__candidate__user=user)
    if role == Role.PARTNER:
        return queryset.filter(organisation_id__in=_member_organisation_ids(user))
    return Placement.objects.none()


def tombstone_list(*, user: Caller) -> QuerySet[Tombstone]:
    """Tombstones the caller may see: all for recruiters and admins; their own records' for
    candidates; their own and their organisation's for partner members; none otherwise."""
    role = role_of(user)
    if role in (Role.RECRUITER, Role.ADMIN):
        return Tombstone.objects.all()
    if role == Role.PARTNER:
        return Tombstone.objects.filter(
            Q(owner=user) | Q(organisation_id__in=_member_organisation_ids(user))
        )
    if role == Role.CANDIDATE:
        return Tombstone.objects.filter(owner=user)
    return Tombstone.objects.none()


def rule_set_for(vacancy: Vacancy) -> EligibilityRuleSet | None:
    """The rules a vacancy is judged by: its own, else its scheme's newest in force at its
    closing date (or today)."""
    if vacancy.rule_set_id is not None:
        return vacancy.rule_set
    if vacancy.scheme_id is None:
        return None
    on = (vacancy.closes_at or timezone.now()).date()
    return (
        EligibilityRuleSet.objects.filter(scheme_id=vacancy.scheme_id, effective_from__lte=on)
        .order_by("-effective_from", "-version")
        .first()
    )


def eligibility_for(*, profile: CandidateProfile, vacancy: Vacancy) -> dict[str, object]:
    """The explained eligibility of a candidate for a vacancy, as stored on applications:
    {"eligible", "rule_set" (version or None), "checks": [{"rule", "passed", "detail"}]}."""
    rule_set = rule_set_for(vacancy)
    if rule_set is None:
        return {"eligible": True, "rule_set": None, "checks": []}
    candidate = eligibility.CandidateFacts(
        date_of_birth=profile.date_of_birth,
        citizenships=tuple(profile.citizenships),
        education=tuple(
            eligibility.Degree(item.level, item.completed_on) for item in profile.education.all()
        ),
        experience=tuple(
            eligibility.Job(item.start_date, item.end_date, item.is_international)
            for item in profile.experience.all()
        ),
        languages=tuple(
            eligibility.Language(item.language, item.skill, item.level, item.scale)
            for item in profile.languages.all()
        ),
    )
    facts = eligibility.VacancyFacts(
        closes_at=vacancy.closes_at.date() if vacancy.closes_at else None,
        planned_start=vacancy.planned_start_date,
        planned_end=vacancy.planned_end_date,
        grade=vacancy.grade,
        duty_station_countries=tuple(str(s.country) for s in vacancy.duty_stations.all()),
    )
    result = eligibility.evaluate(
        candidate,
        facts,
        eligibility.RuleSet(version=rule_set.version, rules=rule_set.rules),
        today=timezone.localdate(),
    )
    return result.as_dict()


def document_list(*, user: Caller) -> QuerySet[Document]:
    """Documents the caller may see: a candidate's own; for partner members, those of
    candidates nominated to their organisation's vacancies; all for recruiters and admins."""
    queryset = Document.objects.select_related("profile")
    role = role_of(user)
    if role in (Role.RECRUITER, Role.ADMIN):
        return queryset
    if role == Role.CANDIDATE:
        return queryset.filter(profile__user=user)
    if role == Role.PARTNER:
        nominated = Application.objects.filter(
            vacancy__organisation_id__in=_member_organisation_ids(user),
            nominated_at__isnull=False,
        ).values("candidate_id")
        return queryset.filter(profile_id__in=nominated)
    return Document.objects.none()


def vacancy_shortlist(*, user: Caller, vacancy: Vacancy, limit: int) -> matching.Shortlist:
    """The vacancy's applicants ranked by match score, as far as the caller may see them:
    all active applications for recruiters and admins, only those nominated to the partner's
    organisation for its members (the vacancy itself must come from vacancy_editable_scope)."""
    nominated_only = role_of(user) not in (Role.RECRUITER, Role.ADMIN)
    return matching.shortlist_rank(vacancy=vacancy, limit=limit, nominated_only=nominated_only)
