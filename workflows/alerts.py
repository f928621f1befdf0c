"""Job alerts from saved searches (instant or daily digest) and silence alerts to recruiters
when an application waits in one stage longer than its scheme promises."""

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import DateTimeField, ExpressionWrapper, F, Q, QuerySet, Value

from recruitment.enums import AlertFrequency, ApplicationStatus, Role, VacancyStatus
from recruitment.models import Application, ReviewerAssignment, SavedSearch, User, Vacancy
from recruitment.vacancy_search import vacancy_search
from workflows.models import OutboxMessage
from workflows.outbox import outbox_email_create

logger = logging.getLogger(__name__)

# Stages the national agency or the partner must act on; a wait here can be late.
WAITING_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.SCREENING,
    ApplicationStatus.SHORTLISTED,
    ApplicationStatus.NOMINATED,
    ApplicationStatus.INTERVIEW,
    ApplicationStatus.SELECTED,
)
MAX_VACANCIES_PER_ALERT = 50


def _alert(search: SavedSearch, vacancy_ids: list[int], now: datetime) -> bool:
    """Queue the alert email (unless the user turned alerts off); True when one was queued."""
    with transaction.atomic():
        message = outbox_email_create(
            recipient=search.user,
            event_type="vacancy.alert",
            payload={"saved_search_id": search.pk, "vacancy_ids": vacancy_ids},
        )
        SavedSearch.objects.filter(pk=search.pk).update(last_notified_at=now)
    return message is not None


def _matches(search: SavedSearch, vacancies: QuerySet[Vacancy]) -> list[int]:
    """The search's matching vacancy ids; a search that cannot run is logged and skipped, so
    one bad row never stops everyone else's alerts."""
    try:
        return list(
            vacancy_search(vacancies, search.criteria)
            .order_by("id")
            .values_list("pk", flat=True)[:MAX_VACANCIES_PER_ALERT]
        )
    except (ValueError, TypeError):
        logger.warning("saved search cannot run", extra={"saved_search_id": search.pk})
        return []


def saved_search_alerts_instant(*, vacancy_ids: Iterable[int], now: datetime) -> int:
    """Email each instant saved search that matches some of these newly published vacancies
    (one email per search, listing them). Returns the number of emails queued.

    Running it twice for the same vacancies alerts twice: the actor is sent once, on commit.
    """
    published = Vacancy.objects.filter(pk__in=list(vacancy_ids), status=VacancyStatus.PUBLISHED)
    sent = 0
    searches = SavedSearch.objects.filter(
        frequency=AlertFrequency.INSTANT, user__is_active=True
    ).select_related("user")
    for search in searches.iterator():
        matches = _matches(search, published)
        if matches and _alert(search, matches, now):
            sent += 1
    return sent


def saved_search_digests(*, now: datetime) -> int:
    """Email each daily saved search the vacancies published since its last digest.

    Safe to run twice a day: the second run finds nothing new since `last_notified_at`."""
    sent = 0
    searches = SavedSearch.objects.filter(
        frequency=AlertFrequency.DAILY, user__is_active=True
    ).select_related("user")
    for search in searches.iterator():
        since = search.last_notified_at or search.created_at
        fresh = Vacancy.objects.filter(
            status=VacancyStatus.PUBLISHED, status_changed_at__gt=since, status_changed_at__lte=now
        )
        matches = _matches(search, fresh)
        if matches and _alert(search, matches, now):
            sent += 1
    return sent


def silence_alerts(*, now: datetime) -> int:
    """Tell the responsible recruiters (the vacancy's reviewers, else every recruiter) which
    applications have waited in one stage longer than their scheme's `max_days_in_stage`.

    One email per recruiter per day: a second run on the same day sends nothing."""
    overdue = (
        Application.objects.filter(
            status__in=WAITING_STATUSES, vacancy__scheme__max_days_in_stage__isnull=False
        )
        .alias(
            due=ExpressionWrapper(
                Value(now) - F("vacancy__scheme__max_days_in_stage") * Value(timedelta(days=1)),
                output_field=DateTimeField(),
            )
        )
        .filter(status_changed_at__lt=F("due"))
        .values_list("vacancy_id", "pk")
    )
    late: dict[int, list[int]] = defaultdict(list)
    for vacancy_id, application_id in overdue.iterator():
        late[vacancy_id].append(application_id)
    if not late:
        return 0
    reviewers: dict[int, set[int]] = defaultdict(set)
    assignments = ReviewerAssignment.objects.filter(
        vacancy_id__in=late, reviewer__is_active=True
    ).values_list("vacancy_id", "reviewer_id")
    for vacancy_id, user_id in assignments:
        reviewers[vacancy_id].add(user_id)
    everyone = set(
        User.objects.filter(role=Role.RECRUITER, is_active=True, is_api_client=False).values_list(
            "pk", flat=True
        )
    )
    per_user: dict[int, dict[str, list[int]]] = defaultdict(dict)
    for vacancy_id, application_ids in late.items():
        for user_id in reviewers.get(vacancy_id) or everyone:
            per_user[user_id][str(vacancy_id)] = sorted(application_ids)
    today = now.date()
    already = set(
        OutboxMessage.objects.filter(
            Q(event_type="application.silence") & Q(created_at__date=today)
        ).values_list("recipient_id", flat=True)
    )
    sent = 0
    for user in User.objects.filter(pk__in=set(per_user) - already):
        with transaction.atomic():
            if outbox_email_create(
                recipient=user,
                event_type="application.silence",
                payload={"late": per_user[user.pk], "on": today.isoformat()},
            ):
                sent += 1
    return sent
