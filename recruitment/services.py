"""Writes that are not status changes: users, tokens, vacancies' fields, candidate profiles."""

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, router, transaction
from django.db.models import Model
from django.db.models.deletion import Collector
from django.utils import timezone

from recruitment.enums import Role, TombstoneReason
from recruitment.exceptions import ConflictError, DomainValidationError
from recruitment.models import (
    ApiToken,
    CandidateProfile,
    DutyStation,
    Education,
    Evaluation,
    Experience,
    LanguageSkill,
    Organisation,
    OrganisationMembership,
    PlacementChecklistItem,
    SavedSearch,
    Tombstone,
    User,
    Vacancy,
)
from recruitment.models.users import hash_token
from recruitment.validators import sanitise_html


def user_create(
    *,
    email: str,
    password: str | None,
    role: str,
    organisation: Organisation | None = None,
    name: str = "",
    is_api_client: bool = False,
    profile_fields: Mapping[str, object] | None = None,
) -> User:
    """Create a user with its role's companions: a profile for a candidate, a membership for a
    partner member (who must name an organisation). Admins get access to the admin site.

    Raises ConflictError(code="email_taken") and DomainValidationError.
    """
    if role == Role.PARTNER and organisation is None:
        raise DomainValidationError(
            "A partner user needs an organisation.", code="organisation_required"
        )
    if role != Role.PARTNER and organisation is not None:
        raise DomainValidationError(
            "Only partner users belong to an organisation.", code="organisation_not_allowed"
        )
    email = email.strip().lower()
    taken = ConflictError("A user with this email exists.", code="email_taken")
    if User.objects.filter(email=email).exists():
        raise taken
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email,
                password,
                role=role,
                name=name,
                is_api_client=is_api_client,
                is_staff=role == Role.ADMIN,
                is_superuser=role == Role.ADMIN,
            )
            if role == Role.CANDIDATE:
                CandidateProfile.objects.create(user=user, **(profile_fields or {}))
            if organisation is not None:
                OrganisationMembership.objects.create(user=user, organisation=organisation)
    except IntegrityError as error:  # a concurrent registration with the same email won
        if "email" in str(error):
            raise taken from None
        raise
    return user


def api_token_issue(*, user: AbstractBaseUser) -> tuple[str, ApiToken]:
    """Issue a bearer token; only its hash is stored, so the raw key is returned once."""
    raw = ApiToken.new_raw_key()
    token = ApiToken.objects.create(
        user=user,
        key_hash=hash_token(raw),
        expires_at=timezone.now() + timedelta(hours=settings.API_TOKEN_TTL_HOURS),
    )
    return raw, token


def api_token_revoke(*, token: ApiToken) -> None:
    """Revoke a token now; revoking twice keeps the first time."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


_VACANCY_FIELDS = (
    "organisation", "title", "reference", "grade", "grade_raw", "category", "contract_type",
    "number_of_posts", "opens_at", "closes_at", "closes_at_raw", "closes_at_zone", "description",
    "scheme", "funding_status", "planned_start_date", "planned_end_date", "blind_review",
    "scorecard_template", "rule_set", "modality", "skills", "required_languages",
)  # fmt: skip


def _vacancy_assign(vacancy: Vacancy, data: Mapping[str, object]) -> None:
    for field in _VACANCY_FIELDS:
        if field in data:
            setattr(vacancy, field, data[field])
    vacancy.description = sanitise_html(vacancy.description or "")
    if "grade" in data and "grade_raw" not in data:
        vacancy.grade_raw = vacancy.grade or ""
    if "closes_at" in data and "closes_at_raw" not in data:
        vacancy.closes_at_raw = vacancy.closes_at.isoformat() if vacancy.closes_at else ""
        vacancy.closes_at_zone = ""


def _vacancy_changed_fields(data: Mapping[str, object]) -> list[str]:
    fields = {field for field in _VACANCY_FIELDS if field in data} | {"description", "updated_at"}
    if "grade" in data:
        fields.add("grade_raw")
    if "closes_at" in data:
        fields |= {"closes_at_raw", "closes_at_zone"}
    return sorted(fields)


def vacancy_create(
    *,
    organisation: Organisation,
    created_by: AbstractBaseUser | None,
    data: Mapping[str, object],
    duty_stations: Iterable[DutyStation] = (),
) -> Vacancy:
    """Create a draft vacancy of `organisation`; the description is sanitised, the raw grade and
    deadline default to what was given."""
    vacancy = Vacancy(organisation=organisation, created_by=created_by)
    _vacancy_assign(vacancy, data)
    with transaction.atomic():
        vacancy.save()
        vacancy.duty_stations.set(duty_stations)
    return vacancy


def vacancy_update(
    *,
    vacancy: Vacancy,
    data: Mapping[str, object],
    duty_stations: Iterable[DutyStation] | None = None,
) -> Vacancy:
    """Change a vacancy's fields (never its status or sources; the organisation only when the
    caller, a recruiter or admin, names one). The scorecard cannot change once reviewers have
    scored with it: DomainValidationError(code="scorecard_locked")."""
    if (
        "scorecard_template" in data
        and data["scorecard_template"] != vacancy.scorecard_template
        and Evaluation.objects.filter(application__vacancy=vacancy).exists()
    ):
        raise DomainValidationError(
            "Reviewers have scored with this scorecard; it can no longer change.",
            code="scorecard_locked",
        )
    _vacancy_assign(vacancy, data)
    with transaction.atomic():
        # Only the edited columns: a full save would write back a status (or anything else)
        # that a concurrent transition changed since this request read the row.
        vacancy.save(update_fields=_vacancy_changed_fields(data))
        if duty_stations is not None:
            vacancy.duty_stations.set(duty_stations)
    return vacancy


_PROFILE_LISTS = {"education": Education, "experience": Experience, "languages": LanguageSkill}


def candidate_profile_update(
    *, profile: CandidateProfile, data: Mapping[str, object]
) -> CandidateProfile:
    """Update a profile's fields; a nested list that is given (education, experience, languages)
    replaces the stored one entirely, in one transaction."""
    with transaction.atomic():
        for field, value in data.items():
            if field not in _PROFILE_LISTS:
                setattr(profile, field, value)
        profile.save()
        for field, model in _PROFILE_LISTS.items():
            if field in data:
                replaced = model.objects.filter(profile=profile)
                tombstone_record(objects=replaced, owner=profile.user)
                replaced.delete()
                model.objects.bulk_create(model(profile=profile, **item) for item in data[field])
    return profile


def checklist_item_complete(
    *, item: PlacementChecklistItem, user: AbstractBaseUser, completed: bool, now: datetime
) -> PlacementChecklistItem:
    """Mark a placement's checklist item done (by whom, when) or undo it."""
    item.completed_at, item.completed_by = (now, user) if completed else (None, None)
    item.save(update_fields=["completed_at", "completed_by", "updated_at"])
    return item


def tombstone_record(
    *,
    objects: Iterable[Model],
    reason: str = TombstoneReason.DELETED,
    owner: AbstractBaseUser | None = None,
    organisation: Organisation | None = None,
) -> list[Tombstone]:
    """Record that `objects` are being deleted or erased (`reason`), for mirroring clients.

    Call it inside the transaction that deletes them, before the delete: the tombstones commit
    or roll back with it. `owner` (the person whose records they are) and `organisation` (a
    partner's records) decide who else besides staff sees the tombstones. One INSERT.
    """
    return Tombstone.objects.bulk_create(
        Tombstone(
            model_label=item._meta.label_lower,
            object_id=str(item.pk),
            reason=reason,
            owner=owner,
            organisation=organisation,
        )
        for item in objects
    )


def tombstone_record_cascade(
    *, objects: Iterable[Model], reason: str = TombstoneReason.DELETED
) -> list[Tombstone]:
    """Tombstones for `objects` and for every row their deletion cascades to (Django's own
    deletion collector decides, as `delete()` will). For deletes of arbitrary records, such as
    the admin site's; staff see these tombstones. Two queries per cascaded relation."""
    objects = list(objects)
    if not objects:
        return []
    collector = Collector(using=router.db_for_write(type(objects[0])))
    collector.collect(objects)
    doomed: list[Model] = [
        item
        for model, instances in collector.data.items()
        if not model._meta.auto_created  # many-to-many links are not records
        for item in instances
    ]
    for queryset in collector.fast_deletes:
        if not queryset.model._meta.auto_created:
            doomed.extend(queryset.only("pk"))
    return tombstone_record(objects=doomed, reason=reason)


def saved_search_delete(*, search: SavedSearch) -> None:
    """Delete a candidate's saved search and leave its tombstone, in one transaction."""
    with transaction.atomic():
        tombstone_record(objects=[search], owner=search.user)
        search.delete()


def candidate_legal_hold_set(*, profile: CandidateProfile, legal_hold: bool) -> CandidateProfile:
    """Set or lift a profile's legal hold. Only this column is written: not `updated_at`,
    which is the candidate's activity that the retention period counts from."""
    profile.legal_hold = legal_hold
    profile.save(update_fields=["legal_hold"])
    return profile
