"""Plain, typed, deterministic factories: every default is visible here and nowhere random."""

import base64
from datetime import date, timedelta
from itertools import count

from django.utils import timezone

from recruitment import services
from recruitment.enums import (
    NOMINATED_APPLICATION_STATUSES,
    AlertFrequency,
    ApplicationStatus,
    ContractType,
    OrganisationKind,
    OutboxKind,
    OutboxStatus,
    PlacementStatus,
    Role,
    VacancyStatus,
)
from recruitment.models import (
    Application,
    CandidateProfile,
    DutyStation,
    Organisation,
    Placement,
    ReviewerAssignment,
    SavedSearch,
    Scheme,
    User,
    Vacancy,
)
from workflows.models import OutboxMessage, WebhookSubscription

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


def make_placement(
    *,
    candidate: User | None = None,
    organisation: Organisation | None = None,
    duty_station: DutyStation | None = None,
    scheme: Scheme | None = None,
    status: str = PlacementStatus.PLANNED,
    start_date: date = date(2031, 1, 1),
    end_date: date = date(2032, 12, 31),
    contract_type: str = ContractType.FIXED_TERM,
) -> Placement:
    """A placement in `status` after an accepted application to a published vacancy of
    `organisation` at `duty_station` (both set directly, as test set-up: no checklist, no
    audit rows). A new candidate and a new duty station are made when none is given."""
    organisation = organisation or Organisation.objects.first() or make_organisation()
    candidate = candidate or make_candidate()
    duty_station = duty_station or make_duty_station(city=f"Station {next(_sequence)}")
    vacancy = make_vacancy(organisation=organisation, scheme=scheme, contract_type=contract_type)
    vacancy.duty_stations.add(duty_station)
    application = make_application(
        candidate=candidate, vacancy=vacancy, status=ApplicationStatus.ACCEPTED
    )
    return Placement.objects.create(
        application=application,
        organisation=organisation,
        duty_station=duty_station,
        scheme=scheme,
        start_date=start_date,
        end_date=end_date,
        contract_type=contract_type,
        status=status,
    )


def birthday(years: int) -> date:
    return date.today().replace(year=date.today().year - years)


# A fixed Standard Webhooks secret ("whsec_" + base64 of 32 bytes), so signatures are reproducible.
WEBHOOK_SECRET = "whsec_" + base64.b64encode(b"tests-only-webhook-secret-32-byt").decode()


def make_webhook_subscription(
    *,
    owner: User,
    url: str = "https://hooks.example.org/recruitment",
    event_types: tuple[str, ...] = ("application.status_changed",),
    organisation: Organisation | None = None,
    secret: str = WEBHOOK_SECRET,
    **overrides,
) -> WebhookSubscription:
    """A subscription stored directly (its URL is not resolved): test set-up, not a
    registration, and no ping is queued."""
    return WebhookSubscription.objects.create(
        owner=owner,
        organisation=organisation,
        url=url,
        event_types=list(event_types),
        secret=secret,
        **overrides,
    )


def make_outbox_message(
    *,
    kind: str = OutboxKind.WEBHOOK,
    event_type: str = "webhook.ping",
    subscription: WebhookSubscription | None = None,
    recipient: User | None = None,
    payload: dict | None = None,
    status: str = OutboxStatus.PENDING,
    due_in: timedelta = timedelta(minutes=-1),
    **overrides,
) -> OutboxMessage:
    """An outbox row in `status`, whose next attempt is `due_in` from now (a minute ago by
    default: inside a test's transaction Postgres' now() is the transaction's start, so a row
    due "now" would not be due yet for the claim)."""
    message = OutboxMessage.objects.create(
        kind=kind,
        event_type=event_type,
        subscription=subscription,
        recipient=recipient,
        payload=payload if payload is not None else {},
        status=status,
        **overrides,
    )
    message.next_attempt_at = timezone.now() + due_in  # auto_now_add ignores a value on create
    message.save(update_fields=["next_attempt_at"])
    return message


def make_saved_search(
    *,
    user: User,
    name: str = "My search",
    criteria: dict | None = None,
    frequency: str = AlertFrequency.DAILY,
    **overrides,
) -> SavedSearch:
    """A candidate's saved search, stored directly (its criteria are not validated)."""
    return SavedSearch.objects.create(
        user=user,
        name=name,
        criteria=criteria if criteria is not None else {},
        frequency=frequency,
        **overrides,
    )


def make_reviewer_assignment(*, vacancy: Vacancy, reviewer: User) -> ReviewerAssignment:
    return ReviewerAssignment.objects.create(vacancy=vacancy, reviewer=reviewer)
