"""The only code that changes a status: one function per state machine, plus application_submit.

Each runs in one transaction: lock the row, check the table, the caller's role and the guards,
write the status, the append-only status-change row and the outbox rows, then commit.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from recruitment.enums import (
    ApplicationStatus,
    ChecklistItemKind,
    ContractType,
    FundingStatus,
    PlacementStatus,
    Role,
    VacancyStatus,
)
from recruitment.exceptions import (
    ConflictError,
    DomainError,
    DomainValidationError,
    NotFoundError,
)
from recruitment.models import (
    Application,
    CandidateProfile,
    Organisation,
    Placement,
    PlacementChecklistItem,
    PlacementRenewal,
    Vacancy,
)
from recruitment.selectors import eligibility_for
from recruitment.validators import validate_contract_term
from workflows.exceptions import InvalidTransition, StaleVersion
from workflows.models import (
    ApplicationStatusChange,
    PlacementStatusChange,
    StatusChange,
    VacancyStatusChange,
)
from workflows.outbox import alerts_after_commit, outbox_email_create, outbox_webhooks_create
from workflows.transitions import (
    APPLICATION_TRANSITIONS,
    PLACEMENT_TRANSITIONS,
    SYSTEM,
    VACANCY_TRANSITIONS,
    Table,
    allowed_targets,
    is_allowed,
)


def actor_role(actor: AbstractBaseUser | None) -> str:
    """The role a caller acts in; background work (no actor) acts as the system."""
    return SYSTEM if actor is None else actor.role


@dataclass(frozen=True)
class _Machine:
    model: type[models.Model]
    change_model: type[StatusChange]
    change_fk: str
    table: Table


def _check_move(
    machine: _Machine, obj: models.Model, to_status: str, role: str, expected_version: int | None
) -> None:
    """Raise StaleVersion or InvalidTransition unless `role` may make this move now."""
    if (
        expected_version is not None
        and getattr(obj, "version", expected_version) != expected_version
    ):
        raise StaleVersion("The resource changed since you read it.", current_version=obj.version)
    if not is_allowed(machine.table, obj.status, to_status, role):
        raise InvalidTransition(
            f"Cannot move from {obj.status} to {to_status}.",
            current_status=obj.status,
            requested_status=to_status,
            allowed_transitions=allowed_targets(machine.table, obj.status, role),
        )


def _move(
    machine: _Machine,
    obj: models.Model,
    *,
    to_status: str,
    actor: AbstractBaseUser | None,
    reason: str,
    reason_code: str,
    expected_version: int | None,
) -> StatusChange:
    """Check the table and version on a locked row, then write status and audit row."""
    _check_move(machine, obj, to_status, actor_role(actor), expected_version)
    change = machine.change_model.objects.create(
        **{machine.change_fk: obj},
        from_status=obj.status,
        to_status=to_status,
        actor=actor,
        reason=reason,
        reason_code=reason_code,
    )
    obj.status = to_status
    obj.status_changed_at = change.created_at
    update_fields = ["status", "status_changed_at", "updated_at"]
    if hasattr(obj, "version"):
        obj.version += 1
        update_fields.append("version")
    obj.save(update_fields=update_fields)
    return change


_APPLICATION = _Machine(
    Application, ApplicationStatusChange, "application", APPLICATION_TRANSITIONS
)
_VACANCY = _Machine(Vacancy, VacancyStatusChange, "vacancy", VACANCY_TRANSITIONS)
_PLACEMENT = _Machine(Placement, PlacementStatusChange, "placement", PLACEMENT_TRANSITIONS)


def _status_payload(kind: str, obj: models.Model, change: StatusChange) -> dict[str, object]:
    return {
        f"{kind}_id": obj.pk,
        "from": change.from_status,
        "to": change.to_status,
        "changed_at": change.created_at.isoformat(),
    }


def _vacancy_summary(vacancy: Vacancy) -> dict[str, object]:
    """The public face of a vacancy in webhook payloads (what anyone may read of it)."""
    return {
        "id": vacancy.pk,
        "title": vacancy.title,
        "organisation": vacancy.organisation.slug,
        "grade": vacancy.grade,
        "status": vacancy.status,
        "closes_at": vacancy.closes_at.isoformat() if vacancy.closes_at else None,
    }


def _announce_application(application: Application, change: StatusChange) -> None:
    """The candidate's email and the subscribers' webhooks for one application move. Partner
    organisations hear of an application only once it was nominated to them."""
    payload = {**_status_payload("application", application, change),
               "vacancy_id": application.vacancy_id}  # fmt: skip
    outbox_email_create(
        recipient=application.candidate.user,
        event_type="application.status_changed",
        payload=payload,
    )
    outbox_webhooks_create(
        event_type="application.status_changed",
        # Receivers are recruiters, or the partner once the candidate is nominated to it: both
        # may see who applied to what. Never names, contact details or scores.
        payload={
            **payload,
            "candidate_id": application.candidate_id,
            "vacancy": _vacancy_summary(application.vacancy),
        },
        organisation_id=application.vacancy.organisation_id,
        partners_may_see=application.nominated_at is not None,
    )


def _announce_placement(placement: Placement, change: StatusChange) -> None:
    payload = {**_status_payload("placement", placement, change),
               "duty_station_id": placement.duty_station_id}  # fmt: skip
    outbox_email_create(
        recipient=placement.application.candidate.user,
        event_type="placement.status_changed",
        payload=payload,
    )
    outbox_webhooks_create(
        event_type="placement.status_changed",
        payload={
            **payload,
            "application_id": placement.application_id,
            "organisation": placement.organisation.slug,
            "duty_station": {
                "city": placement.duty_station.city,
                "country": str(placement.duty_station.country),
            },
            "start_date": placement.start_date.isoformat(),
            "end_date": placement.end_date.isoformat(),
        },
        organisation_id=placement.organisation_id,
    )


def _announce_vacancy(vacancy: Vacancy, change: StatusChange) -> None:
    if change.to_status == VacancyStatus.PUBLISHED:
        alerts_after_commit([vacancy.pk])
    if change.to_status in (VacancyStatus.PUBLISHED, VacancyStatus.CLOSED):
        outbox_webhooks_create(
            event_type=f"vacancy.{change.to_status}",
            payload={
                **_status_payload("vacancy", vacancy, change),
                "vacancy": _vacancy_summary(vacancy),
            },
            organisation_id=vacancy.organisation_id,
        )


def application_submit(*, candidate_user: AbstractBaseUser, vacancy_id: int) -> Application:
    """Create a candidate's application to a published, open vacancy.

    In one transaction: insert the application (status `submitted`), its first status-change row
    and the candidate's confirmation email in the outbox.
    The candidate's explained eligibility is stored on the application. Raises NotFoundError if
    the vacancy is not published (or the caller has no profile), DomainValidationError with
    code "vacancy_closed" after the deadline or "ineligible" (with the failed checks) unless the
    scheme lets recruiters override eligibility, and
    ConflictError(code="duplicate_application") when an active application already exists —
    also under concurrency, where the partial unique index decides.
    """
    try:
        profile = CandidateProfile.objects.get(user=candidate_user)
        vacancy = Vacancy.objects.select_related("scheme", "rule_set", "organisation").get(
            pk=vacancy_id, status=VacancyStatus.PUBLISHED
        )
    except (CandidateProfile.DoesNotExist, Vacancy.DoesNotExist):
        raise NotFoundError("Vacancy not found.") from None
    if vacancy.closes_at is not None and vacancy.closes_at <= timezone.now():
        raise DomainValidationError(
            "The deadline of this vacancy has passed.",
            code="vacancy_closed",
            closes_at=vacancy.closes_at,
        )
    snapshot = eligibility_for(profile=profile, vacancy=vacancy)
    if not snapshot["eligible"] and not (
        vacancy.scheme and vacancy.scheme.allows_recruiter_override
    ):
        raise DomainValidationError(
            "You are not eligible for this vacancy; see the failed checks.",
            code="ineligible",
            rule_set=snapshot["rule_set"],
            failed_checks=[check for check in snapshot["checks"] if not check["passed"]],
        )
    duplicate = ConflictError(
        "You already have an active application to this vacancy.", code="duplicate_application"
    )
    try:
        with transaction.atomic():
            application = Application.objects.create(
                candidate=profile,
                vacancy=vacancy,
                status=ApplicationStatus.SUBMITTED,
                eligibility_snapshot=snapshot,
            )
            change = ApplicationStatusChange.objects.create(
                application=application,
                from_status="",
                to_status=ApplicationStatus.SUBMITTED,
                actor=candidate_user,
            )
            application.status_changed_at = change.created_at
            application.save(update_fields=["status_changed_at"])
            _announce_application(application, change)
    except IntegrityError as error:
        if "application_one_active_per_vacancy" in str(error):
            raise duplicate from None
        raise
    return application


def _application_guards(
    application: Application, to_status: str, role: str, reason: str, reason_code: str
) -> None:
    """Rules beyond the table that need data; each refusal is an InvalidTransition with a code."""
    vacancy = application.vacancy
    if to_status == ApplicationStatus.OFFERED and vacancy.funding_status != FundingStatus.CONFIRMED:
        raise InvalidTransition(
            "The donor's funding of this vacancy is not confirmed; no offer can be made yet.",
            code="funding_unconfirmed",
        )
    if application.status == ApplicationStatus.REJECTED and vacancy.status in (
        VacancyStatus.FILLED,
        VacancyStatus.CANCELLED,
    ):
        raise InvalidTransition(
            "The round is over: the vacancy is filled or cancelled.", code="round_closed"
        )
    ineligible = application.eligibility_snapshot.get("eligible") is False
    if (
        ineligible
        and to_status == ApplicationStatus.SCREENING
        and (reason_code != "eligibility_override" or not reason.strip())
    ):
        raise InvalidTransition(
            "The candidate is not eligible: screening needs reason_code "
            "'eligibility_override' and a reason.",
            code="ineligible",
        )
    if to_status == ApplicationStatus.ACCEPTED and not vacancy.duty_stations.exists():
        raise InvalidTransition(
            "The vacancy has no duty station for the placement.", code="no_duty_station"
        )


def application_scope(
    queryset: QuerySet[Application], actor: AbstractBaseUser | None
) -> QuerySet[Application]:
    """Applications `actor` may move: a candidate's own, a partner's nominated ones of its
    organisation, any for staff and the system."""
    role = actor_role(actor)
    if role == Role.CANDIDATE:
        return queryset.filter(candidate__user=actor)
    if role == Role.PARTNER:
        return queryset.filter(
            nominated_at__isnull=False,
            vacancy__organisation__in=Organisation.objects.filter(memberships__user=actor),
        )
    return queryset


def application_transition(
    *,
    application_id: int,
    to_status: str,
    actor: AbstractBaseUser | None,
    reason: str = "",
    reason_code: str = "",
    expected_version: int | None = None,
) -> Application:
    """Move an application to `to_status`: the only writer of Application.status.

    In one transaction: lock the row, check `expected_version` (If-Match), the table for the
    actor's role and the guards (funding before an offer, the round for un-rejecting, the
    eligibility override), write the status, one ApplicationStatusChange and the candidate's
    email in the outbox; on acceptance also create the Placement and its checklist.
    Raises NotFoundError (outside the actor's scope), InvalidTransition or StaleVersion; on any
    error nothing changed.
    """
    with transaction.atomic():
        queryset = application_scope(
            Application.objects.select_for_update(of=("self",)).select_related(
                "candidate__user", "vacancy__scheme", "vacancy__organisation"
            ),
            actor,
        )
        try:
            application = queryset.get(pk=application_id)
        except Application.DoesNotExist:
            raise NotFoundError("Application not found.") from None
        _check_move(_APPLICATION, application, to_status, actor_role(actor), expected_version)
        _application_guards(application, to_status, actor_role(actor), reason, reason_code)
        try:
            with transaction.atomic():
                change = _move(
                    _APPLICATION,
                    application,
                    to_status=to_status,
                    actor=actor,
                    reason=reason,
                    reason_code=reason_code,
                    expected_version=expected_version,
                )
        except IntegrityError as error:
            # Un-rejecting while the candidate holds a newer active application to the vacancy.
            raise InvalidTransition(
                "The candidate already has an active application to this vacancy.",
                code="duplicate_application",
            ) from error
        if to_status == ApplicationStatus.NOMINATED and application.nominated_at is None:
            application.nominated_at = change.created_at
            application.save(update_fields=["nominated_at"])
        if to_status == ApplicationStatus.ACCEPTED:
            _placement_create(application)
        _announce_application(application, change)
    return application


# Due dates of a new placement's checklist, in days from its start (the debrief from its end).
CHECKLIST_SCHEDULE = (
    (ChecklistItemKind.FUNDING, -60),
    (ChecklistItemKind.CONTRACT, -45),
    (ChecklistItemKind.MEDICAL, -30),
    (ChecklistItemKind.SECURITY_CLEARANCE, -21),
    (ChecklistItemKind.VISA, -21),
    (ChecklistItemKind.TRAVEL, -14),
    (ChecklistItemKind.PRE_DEPARTURE_TRAINING, -14),
)
DEBRIEF_AFTER_END_DAYS = 30


def _placement_create(application: Application) -> Placement:
    """The placement that follows an accepted offer, with its checklist and first status."""
    vacancy = application.vacancy
    start = vacancy.planned_start_date or timezone.localdate() + timedelta(days=60)
    months = (vacancy.scheme.max_duration_months if vacancy.scheme else None) or 24
    end = vacancy.planned_end_date or start + timedelta(days=round(months * 365.25 / 12))
    contract_type = vacancy.contract_type or ContractType.FIXED_TERM
    try:
        validate_contract_term(contract_type=contract_type, start=start, end=end)
    except DomainValidationError as error:
        raise InvalidTransition(error.detail, code="contract_invalid") from None
    placement = Placement.objects.create(
        application=application,
        organisation=vacancy.organisation,
        duty_station=vacancy.duty_stations.order_by("id").first(),
        scheme=vacancy.scheme,
        start_date=start,
        end_date=end,
        contract_type=contract_type,
    )
    change = PlacementStatusChange.objects.create(
        placement=placement, from_status="", to_status=placement.status, reason_code="accepted"
    )
    placement.status_changed_at = change.created_at
    placement.save(update_fields=["status_changed_at"])
    PlacementChecklistItem.objects.bulk_create(
        [
            PlacementChecklistItem(placement=placement, kind=kind, due_date=start + timedelta(days))
            for kind, days in CHECKLIST_SCHEDULE
        ]
        + [
            PlacementChecklistItem(
                placement=placement,
                kind=ChecklistItemKind.HOMECOMING_DEBRIEF,
                due_date=end + timedelta(days=DEBRIEF_AFTER_END_DAYS),
            )
        ]
    )
    return placement


def vacancy_transition(
    *,
    vacancy_id: int,
    to_status: str,
    actor: AbstractBaseUser | None,
    reason: str = "",
    reason_code: str = "",
) -> Vacancy:
    """Publish, close, fill or cancel a vacancy: the only writer of Vacancy.status.

    Locks the row, checks the table for the actor's role, writes the status, one
    VacancyStatusChange and the subscribers' webhooks (published, closed) in one transaction.
    Raises NotFoundError or InvalidTransition.
    Scoping (a partner acts only on its organisation's vacancies) is the caller's selector's job.
    """
    with transaction.atomic():
        try:
            vacancy = (
                Vacancy.objects.select_for_update(of=("self",))
                .select_related("organisation")
                .get(pk=vacancy_id)
            )
        except Vacancy.DoesNotExist:
            raise NotFoundError("Vacancy not found.") from None
        change = _move(
            _VACANCY,
            vacancy,
            to_status=to_status,
            actor=actor,
            reason=reason,
            reason_code=reason_code,
            expected_version=None,
        )
        _announce_vacancy(vacancy, change)
    return vacancy


def vacancies_close_expired(*, now: datetime, limit: int = 500) -> list[int]:
    """Close the published vacancies whose deadline has passed, each through
    vacancy_transition (its lock, audit row and `vacancy.closed` webhooks), as the system.
    Returns the ids closed, oldest deadline first; at most `limit` a run.

    Safe to run twice or at once: each vacancy is re-read under its row lock, so one that was
    closed, or whose deadline was moved, meanwhile is left alone."""
    due = Vacancy.objects.filter(status=VacancyStatus.PUBLISHED, closes_at__lt=now)
    closed = []
    for vacancy_id in due.order_by("closes_at", "id").values_list("pk", flat=True)[:limit]:
        with transaction.atomic():
            if not due.filter(pk=vacancy_id).select_for_update(of=("self",)).exists():
                continue
            vacancy_transition(
                vacancy_id=vacancy_id,
                to_status=VacancyStatus.CLOSED,
                actor=None,
                reason="The application deadline has passed.",
                reason_code="deadline_passed",
            )
        closed.append(vacancy_id)
    return closed


def placement_transition(
    *,
    placement_id: int,
    to_status: str,
    actor: AbstractBaseUser | None,
    reason: str = "",
    reason_code: str = "",
    expected_version: int | None = None,
) -> Placement:
    """Move a placement to `to_status`: the only writer of Placement.status.

    Locks the row, checks the table, writes the status, one PlacementStatusChange and the
    placed person's email in the outbox, in one transaction.
    Raises NotFoundError, InvalidTransition or StaleVersion.
    """
    with transaction.atomic():
        try:
            placement = (
                Placement.objects.select_for_update(of=("self",))
                .select_related("application__candidate__user", "organisation", "duty_station")
                .get(pk=placement_id)
            )
        except Placement.DoesNotExist:
            raise NotFoundError("Placement not found.") from None
        change = _move(
            _PLACEMENT,
            placement,
            to_status=to_status,
            actor=actor,
            reason=reason,
            reason_code=reason_code,
            expected_version=expected_version,
        )
        _announce_placement(placement, change)
    return placement


@dataclass(frozen=True)
class BulkResult:
    """The outcome of one item of a bulk transition."""

    id: int
    result: str  # "moved", "unchanged" (already there: repeating the call is harmless), "error"
    status: str | None = None
    code: str = ""
    detail: str = ""


def application_bulk_transition(
    *,
    application_ids: list[int],
    to_status: str,
    actor: AbstractBaseUser | None,
    reason: str = "",
    reason_code: str = "",
) -> list[BulkResult]:
    """Move many applications, each in its own transaction, reporting each one's outcome.

    Repeating the same call changes nothing more: items already in `to_status` are reported
    "unchanged" and get no second audit row.
    """
    results = []
    current = dict(
        application_scope(Application.objects.filter(pk__in=application_ids), actor).values_list(
            "pk", "status"
        )
    )
    for application_id in application_ids:
        if current.get(application_id) == to_status:
            results.append(BulkResult(application_id, "unchanged", to_status))
            continue
        try:
            application = application_transition(
                application_id=application_id,
                to_status=to_status,
                actor=actor,
                reason=reason,
                reason_code=reason_code,
            )
        except DomainError as error:
            results.append(
                BulkResult(
                    application_id, "error", current.get(application_id), error.code, error.detail
                )
            )
        else:
            results.append(BulkResult(application_id, "moved", application.status))
    return results


def placement_renew(
    *,
    placement_id: int,
    new_end_date: date,
    actor: AbstractBaseUser | None,
    duty_station_id: int | None = None,
    reason: str = "",
) -> Placement:
    """Extend a deployed placement: a renewal row, the new end date (and duty station), and the
    move deployed → extended with its audit row and email, in one transaction.

    Contract rules apply to the new term (temporary ≤ 364 days, fixed-term 1-5 years), and a
    JPO's third year must be at another duty station than its first two.
    Raises NotFoundError, DomainValidationError(code="contract_invalid"|"jpo_third_year") or
    InvalidTransition.
    """
    with transaction.atomic():
        try:
            placement = (
                Placement.objects.select_for_update(of=("self",))
                .select_related(
                    "scheme", "application__candidate__user", "organisation", "duty_station"
                )
                .get(pk=placement_id)
            )
        except Placement.DoesNotExist:
            raise NotFoundError("Placement not found.") from None
        if new_end_date <= placement.end_date:
            raise DomainValidationError(
                "A renewal must move the end date later.", code="contract_invalid"
            )
        validate_contract_term(
            contract_type=placement.contract_type, start=placement.end_date, end=new_end_date
        )
        station_id = duty_station_id or placement.duty_station_id
        first_station_id = (
            placement.renewals.order_by("id").values_list("previous_duty_station_id", flat=True)
        ).first() or placement.duty_station_id
        two_years_on = _add_years(placement.start_date, 2)
        if (
            placement.scheme is not None
            and placement.scheme.code == "jpo"
            and new_end_date > two_years_on
            and station_id == first_station_id
        ):
            raise DomainValidationError(
                "A JPO's third year is served at another duty station.", code="jpo_third_year"
            )
        PlacementRenewal.objects.create(
            placement=placement,
            previous_end_date=placement.end_date,
            new_end_date=new_end_date,
            previous_duty_station_id=placement.duty_station_id,
            duty_station_id=station_id,
            actor=actor,
            reason=reason,
        )
        placement.end_date, placement.duty_station_id = new_end_date, station_id
        placement.save(update_fields=["end_date", "duty_station", "updated_at"])
        # The homecoming debrief follows the new end of the assignment.
        placement.checklist.filter(
            kind=ChecklistItemKind.HOMECOMING_DEBRIEF, completed_at__isnull=True
        ).update(due_date=new_end_date + timedelta(days=DEBRIEF_AFTER_END_DAYS))
        change = _move(
            _PLACEMENT,
            placement,
            to_status=PlacementStatus.EXTENDED,
            actor=actor,
            reason=reason,
            reason_code="renewal",
            expected_version=None,
        )
        _announce_placement(placement, change)
    return placement


def _add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


CRISIS_STATUSES = (PlacementStatus.REMOTE, PlacementStatus.SUSPENDED, PlacementStatus.EVACUATED)


def duty_station_crisis(
    *, duty_station_id: int, to_status: str, actor: AbstractBaseUser | None, reason: str
) -> dict[str, list[int]]:
    """Move every deployed placement at a duty station to remote, suspended or evacuated: each
    through placement_transition (its own lock, audit row and email).

    Safe to repeat: placements already in `to_status` are reported unchanged; returns
    {"moved": [...], "unchanged": [...]} by placement id.
    """
    if to_status not in CRISIS_STATUSES:
        raise DomainValidationError(
            f"A crisis moves placements to one of {', '.join(CRISIS_STATUSES)}.", code="invalid"
        )
    placements = Placement.objects.filter(duty_station_id=duty_station_id)
    moved = []
    for placement_id in (
        placements.filter(status=PlacementStatus.DEPLOYED)
        .order_by("id")
        .values_list("pk", flat=True)
    ):
        try:
            placement_transition(
                placement_id=placement_id,
                to_status=to_status,
                actor=actor,
                reason=reason,
                reason_code="crisis",
            )
        except InvalidTransition:
            continue  # moved by someone else meanwhile; the next call reports it
        moved.append(placement_id)
    unchanged = list(
        placements.filter(status=to_status)
        .exclude(pk__in=moved)
        .order_by("id")
        .values_list("pk", flat=True)
    )
    return {"moved": moved, "unchanged": unchanged}
