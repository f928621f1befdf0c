"""The only code that changes a status: one function per state machine, plus application_submit.

Each runs in one transaction: lock the row, check the table, the caller's role and the guards,
write the status, the append-only status-change row and the outbox rows, then commit.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from recruitment.enums import ApplicationStatus, Role, VacancyStatus
from recruitment.exceptions import ConflictError, DomainValidationError, NotFoundError
from recruitment.models import Application, CandidateProfile, Placement, Vacancy
from workflows.exceptions import InvalidTransition, StaleVersion
from workflows.models import (
    ApplicationStatusChange,
    PlacementStatusChange,
    StatusChange,
    VacancyStatusChange,
)
from workflows.outbox import outbox_email_create
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
    role = actor_role(actor)
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


def application_submit(*, candidate_user: AbstractBaseUser, vacancy_id: int) -> Application:
    """Create a candidate's application to a published, open vacancy.

    In one transaction: insert the application (status `submitted`), its first status-change row
    and the candidate's confirmation email in the outbox.
    Raises NotFoundError if the vacancy is not published (or the caller has no profile),
    DomainValidationError(code="vacancy_closed") after the deadline, and
    ConflictError(code="duplicate_application") when an active application already exists —
    also under concurrency, where the partial unique index decides.
    """
    try:
        profile = CandidateProfile.objects.get(user=candidate_user)
        vacancy = Vacancy.objects.get(pk=vacancy_id, status=VacancyStatus.PUBLISHED)
    except (CandidateProfile.DoesNotExist, Vacancy.DoesNotExist):
        raise NotFoundError("Vacancy not found.") from None
    if vacancy.closes_at is not None and vacancy.closes_at <= timezone.now():
        raise DomainValidationError(
            "The deadline of this vacancy has passed.",
            code="vacancy_closed",
            closes_at=vacancy.closes_at,
        )
    duplicate = ConflictError(
        "You already have an active application to this vacancy.", code="duplicate_application"
    )
    try:
        with transaction.atomic():
            application = Application.objects.create(
                candidate=profile, vacancy=vacancy, status=ApplicationStatus.SUBMITTED
            )
            change = ApplicationStatusChange.objects.create(
                application=application,
                from_status="",
                to_status=ApplicationStatus.SUBMITTED,
                actor=candidate_user,
            )
            application.status_changed_at = change.created_at
            application.save(update_fields=["status_changed_at"])
            outbox_email_create(
                recipient=candidate_user,
                event_type="application.status_changed",
                payload=_status_payload("application", application, change),
            )
    except IntegrityError as error:
        if "application_one_active_per_vacancy" in str(error):
            raise duplicate from None
        raise
    return application


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

    Locks the row, checks the table for the actor's role and `expected_version` (If-Match), then
    writes the status, one ApplicationStatusChange and the candidate's email in the outbox, in one
    transaction. Raises NotFoundError, InvalidTransition (nothing changed) or StaleVersion.
    A candidate may only move their own application: anyone else's is not found.
    """
    with transaction.atomic():
        queryset = Application.objects.select_for_update(of=("self",)).select_related("candidate")
        if actor is not None and actor.role == Role.CANDIDATE:
            queryset = queryset.filter(candidate__user=actor)
        try:
            application = queryset.get(pk=application_id)
        except Application.DoesNotExist:
            raise NotFoundError("Application not found.") from None
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
        outbox_email_create(
            recipient=application.candidate.user,
            event_type="application.status_changed",
            payload=_status_payload("application", application, change),
        )
    return application


def vacancy_transition(
    *,
    vacancy_id: int,
    to_status: str,
    actor: AbstractBaseUser | None,
    reason: str = "",
    reason_code: str = "",
) -> Vacancy:
    """Publish, close, fill or cancel a vacancy: the only writer of Vacancy.status.

    Locks the row, checks the table for the actor's role, writes the status and one
    VacancyStatusChange in one transaction. Raises NotFoundError or InvalidTransition.
    Scoping (a partner acts only on its organisation's vacancies) is the caller's selector's job.
    """
    with transaction.atomic():
        try:
            vacancy = Vacancy.objects.select_for_update().get(pk=vacancy_id)
        except Vacancy.DoesNotExist:
            raise NotFoundError("Vacancy not found.") from None
        _move(
            _VACANCY,
            vacancy,
            to_status=to_status,
            actor=actor,
            reason=reason,
            reason_code=reason_code,
            expected_version=None,
        )
    return vacancy


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
                .select_related("application__candidate")
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
        outbox_email_create(
            recipient=placement.application.candidate.user,
            event_type="placement.status_changed",
            payload=_status_payload("placement", placement, change),
        )
    return placement
