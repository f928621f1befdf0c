"""Job alerts and silence alerts: what enqueues the instant alerts (a publication, a feed sync),
which saved searches are emailed (instant, daily digest), the rendered alert email, the daily
silence alerts to recruiters, and that the vacancy list still filters as before now that it
shares its criteria with saved searches."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from dramatiq import Message

from recruitment.enums import (
    AlertFrequency,
    ApplicationStatus,
    FeedKind,
    OutboxKind,
    Role,
    VacancyStatus,
)
from recruitment.models import (
    Application,
    Feed,
    NotificationPreference,
    SavedSearch,
    User,
    Vacancy,
)
from tests.conftest import client_for
from tests.factories import (
    make_application,
    make_candidate,
    make_duty_station,
    make_outbox_message,
    make_reviewer_assignment,
    make_saved_search,
    make_scheme,
    make_user,
    make_vacancy,
)
from workflows.alerts import saved_search_alerts_instant, saved_search_digests, silence_alerts
from workflows.broker import broker
from workflows.exceptions import InvalidTransition
from workflows.feeds.sync import vacancy_feed_sync_run
from workflows.models import OutboxMessage
from workflows.notifications import outbox_deliver, render_email
from workflows.services import vacancy_transition
from workflows.tasks import alert_saved_searches, send_daily_digests, send_silence_alerts

pytestmark = pytest.mark.django_db

CLOSES_AT = datetime(2030, 1, 31, 17, 0, tzinfo=UTC)
ALERT = "workflows.alert_saved_searches"


@pytest.fixture(autouse=True)
def empty_broker():
    broker.flush_all()
    yield broker
    broker.flush_all()


def queued(actor_name: str = ALERT) -> list[list]:
    """The args of each message of `actor_name` waiting in the "notifications" queue."""
    messages = [Message.decode(data) for data in list(broker.queues["notifications"].queue)]
    return [list(message.args) for message in messages if message.actor_name == actor_name]


def emails(event_type: str) -> dict[int, dict]:
    """recipient id -> payload of each email outbox row of `event_type` (one per recipient)."""
    rows = list(
        OutboxMessage.objects.filter(kind=OutboxKind.EMAIL, event_type=event_type).values_list(
            "recipient_id", "payload"
        )
    )
    assert len(rows) == len({recipient for recipient, _ in rows}), rows
    return dict(rows)


def alert_payloads() -> list[dict]:
    return sorted(
        OutboxMessage.objects.filter(event_type="vacancy.alert").values_list("payload", flat=True),
        key=lambda payload: payload["saved_search_id"],
    )


def turn_off(user: User, event_type: str) -> None:
    NotificationPreference.objects.create(user=user, event_type=event_type, email=False)


def published_at(vacancy: Vacancy, moment: datetime) -> Vacancy:
    Vacancy.objects.filter(pk=vacancy.pk).update(status_changed_at=moment)
    return vacancy


# --- what enqueues the instant alerts ---------------------------------------------------------


def test_publishing_a_vacancy_enqueues_its_alert_on_commit(
    organisation_x, partner_x, django_capture_on_commit_callbacks
):
    draft = make_vacancy(organisation=organisation_x, status=VacancyStatus.DRAFT)

    with django_capture_on_commit_callbacks(execute=False) as before_commit:
        vacancy_transition(vacancy_id=draft.pk, to_status="published", actor=partner_x)
    assert queued() == []  # nothing is sent before the commit

    for callback in before_commit:
        callback()
    assert queued() == [[[draft.pk]]]


def test_publishing_through_the_api_enqueues_the_alert(
    organisation_x, partner_x, django_capture_on_commit_callbacks
):
    draft = make_vacancy(organisation=organisation_x, status=VacancyStatus.DRAFT)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(partner_x).post(f"/api/v1/vacancies/{draft.pk}/publish/", {}, "json")

    assert response.status_code == 200, response.json()
    assert queued() == [[[draft.pk]]]


def test_other_vacancy_moves_enqueue_no_alert(
    organisation_x, partner_x, django_capture_on_commit_callbacks
):
    published = make_vacancy(organisation=organisation_x)
    draft = make_vacancy(organisation=organisation_x, status=VacancyStatus.DRAFT)

    with django_capture_on_commit_callbacks(execute=True):
        vacancy_transition(vacancy_id=published.pk, to_status="closed", actor=partner_x)
        vacancy_transition(vacancy_id=draft.pk, to_status="cancelled", actor=partner_x)

    assert queued() == []


def test_a_failed_publication_enqueues_nothing(
    organisation_x, partner_x, django_capture_on_commit_callbacks
):
    cancelled = make_vacancy(organisation=organisation_x, status=VacancyStatus.CANCELLED)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(InvalidTransition):
        vacancy_transition(vacancy_id=cancelled.pk, to_status="published", actor=partner_x)

    assert queued() == []


def _feed_item(external_id: str, closes_at: datetime) -> dict:
    return {
        "external_id": external_id,
        "title": f"Programme Officer {external_id}",
        "closes_at": closes_at.isoformat(),
        "grade": "P3",
        "duty_stations": [{"city": "Nairobi", "country": "KE"}],
    }


def test_a_feed_sync_enqueues_its_new_published_vacancies(
    organisation_x, django_capture_on_commit_callbacks
):
    feed = Feed.objects.create(kind=FeedKind.PARTNER, organisation=organisation_x, url="")
    future = (timezone.now() + timedelta(days=30)).replace(microsecond=0)
    past = (timezone.now() - timedelta(days=1)).replace(microsecond=0)
    first = json.dumps({"vacancies": [_feed_item("A", future), _feed_item("B", future)]})
    second = json.dumps(
        {
            "vacancies": [
                _feed_item("A", future),
                _feed_item("B", future),
                _feed_item("C", future),
                _feed_item("OLD", past),  # created closed: no alert
            ]
        }
    )

    with django_capture_on_commit_callbacks(execute=True):
        vacancy_feed_sync_run(feed_id=feed.pk, content=first.encode(), trigger="command")
    after_first = queued()
    broker.flush_all()
    with django_capture_on_commit_callbacks(execute=True):
        vacancy_feed_sync_run(feed_id=feed.pk, content=second.encode(), trigger="command")
    after_second = queued()
    broker.flush_all()
    with django_capture_on_commit_callbacks(execute=True):
        vacancy_feed_sync_run(feed_id=feed.pk, content=second.encode(), trigger="command")

    by_title = dict(Vacancy.objects.values_list("title", "pk"))
    assert Vacancy.objects.get(title="Programme Officer OLD").status == VacancyStatus.CLOSED
    assert after_first == [
        [sorted([by_title["Programme Officer A"], by_title["Programme Officer B"]])]
    ]
    assert after_second == [[[by_title["Programme Officer C"]]]]
    assert queued() == []  # the same document again: nothing new


def test_the_actor_runs_the_instant_alerts(organisation_x, candidate_a):
    vacancy = make_vacancy(organisation=organisation_x)
    search = make_saved_search(user=candidate_a, frequency=AlertFrequency.INSTANT)

    alert_saved_searches.fn([vacancy.pk])

    assert alert_payloads() == [{"saved_search_id": search.pk, "vacancy_ids": [vacancy.pk]}]


# --- instant alerts ---------------------------------------------------------------------------


@pytest.fixture
def world(organisation_x, organisation_y):
    """Vacancies in Kenya and Uganda of two organisations, at a few grades."""
    kenya = make_duty_station(city="Nairobi", country="KE")
    uganda = make_duty_station(city="Kampala", country="UG")
    vacancies = {
        "x_p2_ke": make_vacancy(organisation=organisation_x, grade="P-2", title="X P-2 Nairobi"),
        "y_p3_ke": make_vacancy(organisation=organisation_y, grade="P-3", title="Y P-3 Nairobi"),
        "x_d1_ug": make_vacancy(organisation=organisation_x, grade="D-1", title="X D-1 Kampala"),
        "x_p2_draft": make_vacancy(
            organisation=organisation_x, grade="P-2", status=VacancyStatus.DRAFT
        ),
    }
    for key, vacancy in vacancies.items():
        vacancy.duty_stations.set([uganda if key.endswith("_ug") else kenya])
    return vacancies


def test_instant_alerts_email_exactly_the_matching_instant_searches(
    world, organisation_x, organisation_y
):
    now = timezone.now()
    searches = {
        name: make_saved_search(
            user=make_candidate(), name=name, criteria=criteria, frequency=frequency
        )
        for name, criteria, frequency in [
            ("everything", {}, AlertFrequency.INSTANT),
            ("kenya_p", {"country": "ke", "grade": ["P-2", "P-3"]}, AlertFrequency.INSTANT),
            ("unhcr", {"organisation": "unhcr"}, AlertFrequency.INSTANT),
            ("x_by_id", {"organisation_id": str(organisation_x.pk)}, AlertFrequency.INSTANT),
            ("one_grade", {"grade": "D-1"}, AlertFrequency.INSTANT),
            ("d2", {"grade": ["D-2"]}, AlertFrequency.INSTANT),
            ("chad", {"country": "TD"}, AlertFrequency.INSTANT),
            ("unknown_org", {"organisation": "wfp"}, AlertFrequency.INSTANT),
            ("closes_late", {"closes_after": "2099-01-01T00:00:00Z"}, AlertFrequency.INSTANT),
            ("daily", {}, AlertFrequency.DAILY),
            ("turned_off", {}, AlertFrequency.INSTANT),
            ("inactive", {}, AlertFrequency.INSTANT),
        ]
    }
    turn_off(searches["turned_off"].user, "vacancy.alert")
    User.objects.filter(pk=searches["inactive"].user_id).update(is_active=False)
    turn_off(searches["everything"].user, "application.status_changed")  # another event: no effect
    elsewhere = make_vacancy(organisation=organisation_x, title="Published long ago")
    ids = {key: vacancy.pk for key, vacancy in world.items()}
    new = [ids["x_p2_ke"], ids["y_p3_ke"], ids["x_d1_ug"], ids["x_p2_draft"]]

    sent = saved_search_alerts_instant(vacancy_ids=new, now=now)

    expected = {
        "everything": [ids["x_p2_ke"], ids["y_p3_ke"], ids["x_d1_ug"]],
        "kenya_p": [ids["x_p2_ke"], ids["y_p3_ke"]],
        "unhcr": [ids["y_p3_ke"]],
        "x_by_id": [ids["x_p2_ke"], ids["x_d1_ug"]],
        "one_grade": [ids["x_d1_ug"]],
    }
    assert emails("vacancy.alert") == {
        searches[name].user_id: {"saved_search_id": searches[name].pk, "vacancy_ids": vacancy_ids}
        for name, vacancy_ids in expected.items()
    }
    alerted = {pk for payload in alert_payloads() for pk in payload["vacancy_ids"]}
    assert elsewhere.pk not in alerted
    stamps = dict(SavedSearch.objects.values_list("name", "last_notified_at"))
    assert {name: stamps[name] for name in expected} == dict.fromkeys(expected, now)
    unmatched = ("d2", "chad", "unknown_org", "closes_late", "daily", "inactive")
    assert {name: stamps[name] for name in unmatched} == dict.fromkeys(unmatched)
    assert sent == len(expected)  # the emails queued, not counting the one turned off


def test_instant_alerts_of_nothing_published_send_nothing(world):
    make_saved_search(user=make_candidate(), frequency=AlertFrequency.INSTANT)

    assert (
        saved_search_alerts_instant(vacancy_ids=[world["x_p2_draft"].pk], now=timezone.now()) == 0
    )
    assert saved_search_alerts_instant(vacancy_ids=[], now=timezone.now()) == 0
    assert not OutboxMessage.objects.exists()


def test_an_instant_alert_email_is_delivered_listing_the_vacancies(
    world, django_capture_on_commit_callbacks
):
    candidate = make_candidate(email="alerts@example.org")
    make_saved_search(user=candidate, criteria={"country": "KE"}, frequency=AlertFrequency.INSTANT)

    with django_capture_on_commit_callbacks(execute=True):
        saved_search_alerts_instant(
            vacancy_ids=[world["x_p2_ke"].pk, world["y_p3_ke"].pk], now=timezone.now()
        )
    message = OutboxMessage.objects.get(event_type="vacancy.alert")
    assert queued("workflows.deliver_outbox_message") == [[message.pk]]
    # Due before the test transaction's start, which is the database's now() for the claim.
    OutboxMessage.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() - timedelta(minutes=1)
    )

    assert outbox_deliver(message.pk) == "delivered"
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert (sent.to, sent.subject) == (
        ["alerts@example.org"],
        "2 new vacancies match your saved search",
    )
    assert "X P-2 Nairobi" in sent.body
    assert "Y P-3 Nairobi" in sent.body


def test_a_saved_search_made_through_the_api_alerts_like_the_list_filters(world, candidate_a):
    """The criteria the API stores select the same vacancies as the list's query string."""
    criteria = {"grade": ["P-2", "P-3", "D-1"], "country": "KE", "organisation": "unicef"}
    created = client_for(candidate_a).post(
        "/api/v1/saved-searches/",
        {"name": "Kenya", "criteria": criteria, "frequency": "instant"},
        "json",
    )
    assert created.status_code == 201, created.json()
    listed = client_for(candidate_a).get("/api/v1/vacancies/", criteria)

    saved_search_alerts_instant(vacancy_ids=[v.pk for v in world.values()], now=timezone.now())

    assert [item["id"] for item in listed.json()["results"]] == [world["x_p2_ke"].pk]
    assert alert_payloads() == [
        {"saved_search_id": created.json()["id"], "vacancy_ids": [world["x_p2_ke"].pk]}
    ]


def test_a_saved_search_with_a_fractional_organisation_id_does_not_stop_the_others(
    world, candidate_a, candidate_b
):
    """The API accepts any number for organisation_id (the list's NumberFilter); the alert run
    must not crash on it and so skip every other candidate's alert."""
    odd = client_for(candidate_a).post(
        "/api/v1/saved-searches/",
        {"name": "Odd", "criteria": {"organisation_id": "1.5"}, "frequency": "instant"},
        "json",
    )
    good = make_saved_search(user=candidate_b, frequency=AlertFrequency.INSTANT)

    assert odd.status_code in (201, 400)  # rejecting it up front would be fine too
    saved_search_alerts_instant(vacancy_ids=[world["x_p2_ke"].pk], now=timezone.now())

    assert good.pk in [payload["saved_search_id"] for payload in alert_payloads()]


def test_a_saved_search_with_a_date_only_deadline_matches_like_the_list(world, candidate_a):
    """closes_after "2029-12-31" is valid for the list filter (midnight UTC); the stored string
    must select the same vacancies without a naive-datetime warning."""
    Vacancy.objects.filter(pk=world["x_p2_ke"].pk).update(closes_at=CLOSES_AT)
    Vacancy.objects.filter(pk=world["y_p3_ke"].pk).update(
        closes_at=datetime(2029, 6, 1, tzinfo=UTC)
    )
    created = client_for(candidate_a).post(
        "/api/v1/saved-searches/",
        {"name": "Late", "criteria": {"closes_after": "2029-12-31"}, "frequency": "instant"},
        "json",
    )
    assert created.status_code == 201, created.json()
    listed = client_for(candidate_a).get("/api/v1/vacancies/", {"closes_after": "2029-12-31"})

    saved_search_alerts_instant(
        vacancy_ids=[world["x_p2_ke"].pk, world["y_p3_ke"].pk], now=timezone.now()
    )

    assert [item["id"] for item in listed.json()["results"]] == [world["x_p2_ke"].pk]
    assert [payload["vacancy_ids"] for payload in alert_payloads()] == [[world["x_p2_ke"].pk]]


# --- daily digests ----------------------------------------------------------------------------


def test_daily_digests_send_what_was_published_since_the_last_one(world, organisation_x):
    now = timezone.now()
    kenya = make_saved_search(
        user=make_candidate(), name="kenya", criteria={"country": "KE"},
        last_notified_at=now - timedelta(days=1),
    )  # fmt: skip
    fresh = make_saved_search(user=make_candidate(), name="fresh", criteria={})
    SavedSearch.objects.filter(pk=fresh.pk).update(created_at=now - timedelta(hours=12))
    chad = make_saved_search(user=make_candidate(), name="chad", criteria={"country": "TD"})
    instant = make_saved_search(
        user=make_candidate(), name="instant", frequency=AlertFrequency.INSTANT
    )
    turned_off = make_saved_search(user=make_candidate(), name="off", criteria={})
    turn_off(turned_off.user, "vacancy.alert")
    published_at(world["x_p2_ke"], now - timedelta(hours=2))
    published_at(world["y_p3_ke"], now - timedelta(hours=20))  # before `fresh` existed
    published_at(world["x_d1_ug"], now - timedelta(hours=1))
    published_at(world["x_p2_draft"], now - timedelta(hours=1))  # a draft: never
    old = published_at(make_vacancy(organisation=organisation_x), now - timedelta(days=2))
    closed = make_vacancy(organisation=organisation_x, status=VacancyStatus.CLOSED)
    published_at(closed, now - timedelta(hours=1))
    later = published_at(make_vacancy(organisation=organisation_x), now + timedelta(hours=3))
    for vacancy in (old, closed, later):
        vacancy.duty_stations.set(world["x_p2_ke"].duty_stations.all())

    sent = saved_search_digests(now=now)

    assert sent == 2
    assert emails("vacancy.alert") == {
        kenya.user_id: {
            "saved_search_id": kenya.pk,
            "vacancy_ids": [world["x_p2_ke"].pk, world["y_p3_ke"].pk],
        },
        fresh.user_id: {
            "saved_search_id": fresh.pk,
            "vacancy_ids": [world["x_p2_ke"].pk, world["x_d1_ug"].pk],
        },
    }
    stamps = dict(SavedSearch.objects.values_list("pk", "last_notified_at"))
    assert (stamps[kenya.pk], stamps[fresh.pk]) == (now, now)
    assert (stamps[chad.pk], stamps[instant.pk], stamps[turned_off.pk]) == (None, None, None)

    # A second run the same day finds nothing new.
    assert saved_search_digests(now=now + timedelta(hours=1)) == 0
    assert OutboxMessage.objects.count() == 2

    # The next day: only what was published since the last digest.
    sent_next_day = saved_search_digests(now=now + timedelta(days=1))
    next_day = OutboxMessage.objects.filter(event_type="vacancy.alert").order_by("id")[2:]
    assert sorted(
        (message.payload["saved_search_id"], message.payload["vacancy_ids"]) for message in next_day
    ) == sorted([(kenya.pk, [later.pk]), (fresh.pk, [later.pk])])
    assert sent_next_day == 2  # the emails queued, not counting the one turned off


def test_the_digest_actor_sends_the_digests(organisation_x, candidate_a):
    search = make_saved_search(user=candidate_a)
    SavedSearch.objects.filter(pk=search.pk).update(created_at=timezone.now() - timedelta(days=1))
    vacancy = published_at(
        make_vacancy(organisation=organisation_x), timezone.now() - timedelta(hours=1)
    )

    send_daily_digests.fn()
    send_daily_digests.fn()

    assert alert_payloads() == [{"saved_search_id": search.pk, "vacancy_ids": [vacancy.pk]}]


# --- the rendered alert email -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "subject", "lines"),
    [
        (
            "en",
            "2 new vacancies match your saved search",
            [
                "New vacancies match your saved search:",
                "- Health Officer (UNICEF), apply by 31 January 2030: http",
                "- Water Engineer (UNHCR): http",
            ],
        ),
        (
            "nb",
            "2 nye stillinger passer til søket ditt",
            [
                "Nye stillinger passer til det lagrede søket ditt:",
                "- Health Officer (UNICEF), søknadsfrist 31.1.2030: http",
                "- Water Engineer (UNHCR): http",
            ],
        ),
    ],
)
def test_alert_email_lists_the_vacancy_titles(
    organisation_x, organisation_y, language, subject, lines
):
    health = make_vacancy(organisation=organisation_x, title="Health Officer", closes_at=CLOSES_AT)
    water = make_vacancy(organisation=organisation_y, title="Water Engineer", closes_in=None)
    candidate = make_candidate()
    User.objects.filter(pk=candidate.pk).update(language=language)
    search = make_saved_search(user=candidate)
    message = make_outbox_message(
        kind=OutboxKind.EMAIL,
        event_type="vacancy.alert",
        recipient=User.objects.get(pk=candidate.pk),
        payload={"saved_search_id": search.pk, "vacancy_ids": [water.pk, health.pk]},
    )

    rendered_subject, text, html = render_email(message)

    assert rendered_subject == subject
    for line in lines:
        assert line in text, text
    assert text.index("Health Officer") < text.index("Water Engineer")  # by deadline
    assert f"/vacancies/{health.pk}" in text
    assert f"/vacancies/{water.pk}" in text
    assert ">Health Officer</a>" in html
    assert ">Water Engineer</a>" in html
    assert "unsubscribe?token=" in text
    assert "unsubscribe?token=" in html


# --- silence alerts ---------------------------------------------------------------------------


@pytest.fixture
def recruiters():
    team = {
        name: make_user(role=Role.RECRUITER, email=f"{name}@agency.no")
        for name in ("ria", "rolf", "rut", "gone")
    }
    User.objects.filter(pk=team["gone"].pk).update(is_active=False)
    make_user(role=Role.ADMIN, email="boss@agency.no")
    api_client = make_user(role=Role.RECRUITER, email="bot@agency.no")
    User.objects.filter(pk=api_client.pk).update(is_api_client=True)
    return team


def waiting(vacancy: Vacancy, status: str, days: float, now: datetime) -> Application:
    """An application to `vacancy` in `status` since `days` before `now`."""
    application = make_application(candidate=make_candidate(), vacancy=vacancy, status=status)
    Application.objects.filter(pk=application.pk).update(
        status_changed_at=now - timedelta(days=days)
    )
    return application


@pytest.fixture
def silence(organisation_x, recruiters):
    now = timezone.now()
    jpo = make_scheme(code="jpo", max_days_in_stage=10)
    unv = make_scheme(code="unv")  # no promise
    reviewed = make_vacancy(organisation=organisation_x, scheme=jpo, title="Reviewed post")
    unassigned = make_vacancy(organisation=organisation_x, scheme=jpo, title="Unassigned post")
    unlimited = make_vacancy(organisation=organisation_x, scheme=unv, title="UNV post")
    no_scheme = make_vacancy(organisation=organisation_x, title="No scheme")
    make_reviewer_assignment(vacancy=reviewed, reviewer=recruiters["ria"])
    make_reviewer_assignment(vacancy=reviewed, reviewer=recruiters["rolf"])
    late = [
        waiting(reviewed, ApplicationStatus.SUBMITTED, 11, now),
        waiting(reviewed, ApplicationStatus.SCREENING, 30, now),
        waiting(unassigned, ApplicationStatus.INTERVIEW, 10.01, now),
    ]
    # Not late: within the limit, exactly at it, closed, or of a scheme without a limit.
    waiting(reviewed, ApplicationStatus.SHORTLISTED, 9, now)
    waiting(reviewed, ApplicationStatus.SUBMITTED, 10, now)
    for status in (
        ApplicationStatus.REJECTED,
        ApplicationStatus.WITHDRAWN,
        ApplicationStatus.OFFERED,
        ApplicationStatus.ACCEPTED,
    ):
        waiting(reviewed, status, 40, now)
    waiting(unlimited, ApplicationStatus.SUBMITTED, 400, now)
    waiting(no_scheme, ApplicationStatus.SUBMITTED, 400, now)
    return {"now": now, "reviewed": reviewed, "unassigned": unassigned, "late": late}


def test_silence_alerts_tell_reviewers_else_every_active_recruiter(silence, recruiters):
    now, reviewed, unassigned = silence["now"], silence["reviewed"], silence["unassigned"]
    late = [application.pk for application in silence["late"]]
    on = now.date().isoformat()

    sent = silence_alerts(now=now)

    both = {str(reviewed.pk): sorted(late[:2]), str(unassigned.pk): [late[2]]}
    assert sent == 3
    assert emails("application.silence") == {
        recruiters["ria"].pk: {"late": both, "on": on},
        recruiters["rolf"].pk: {"late": both, "on": on},
        recruiters["rut"].pk: {"late": {str(unassigned.pk): [late[2]]}, "on": on},
    }


def test_silence_alerts_run_once_a_day(silence, recruiters):
    now = silence["now"]

    assert silence_alerts(now=now) == 3
    assert silence_alerts(now=now) == 0
    send_silence_alerts.fn()

    assert OutboxMessage.objects.filter(event_type="application.silence").count() == 3


def test_silence_alerts_respect_a_recruiter_who_turned_them_off(silence, recruiters):
    turn_off(recruiters["rut"], "application.silence")

    assert silence_alerts(now=silence["now"]) == 2
    assert set(emails("application.silence")) == {recruiters["ria"].pk, recruiters["rolf"].pk}


def test_silence_alerts_of_nothing_late_send_nothing(organisation_x, recruiters):
    now = timezone.now()
    vacancy = make_vacancy(organisation=organisation_x, scheme=make_scheme(max_days_in_stage=5))
    waiting(vacancy, ApplicationStatus.SUBMITTED, 4, now)

    assert silence_alerts(now=now) == 0
    assert not OutboxMessage.objects.exists()


def test_silence_alerts_skip_an_inactive_reviewer(organisation_x, recruiters):
    """A deactivated reviewer cannot act: the active recruiters must hear of it instead of
    a row for a deactivated address that can never be delivered."""
    now = timezone.now()
    vacancy = make_vacancy(organisation=organisation_x, scheme=make_scheme(max_days_in_stage=5))
    make_reviewer_assignment(vacancy=vacancy, reviewer=recruiters["gone"])
    application = waiting(vacancy, ApplicationStatus.SUBMITTED, 6, now)

    silence_alerts(now=now)

    expected = {"late": {str(vacancy.pk): [application.pk]}, "on": now.date().isoformat()}
    assert emails("application.silence") == {
        recruiters[name].pk: expected for name in ("ria", "rolf", "rut")
    }


@pytest.mark.parametrize(
    ("language", "subject", "line"),
    [
        ("en", "3 applications have waited too long", "- Reviewed post: 2 waiting, http"),
        ("nb", "3 søknader har ventet for lenge", "- Reviewed post: 2 venter, http"),
    ],
)
def test_silence_email_lists_each_vacancy_with_its_count(
    silence, recruiters, language, subject, line
):
    User.objects.filter(pk=recruiters["ria"].pk).update(language=language)
    silence_alerts(now=silence["now"])
    message = OutboxMessage.objects.select_related("recipient").get(
        event_type="application.silence", recipient=recruiters["ria"]
    )

    rendered_subject, text, html = render_email(message)

    assert rendered_subject == subject
    assert line in text, text
    assert "- Unassigned post: 1 " in text
    assert f"/vacancies/{silence['reviewed'].pk}/applications" in html


# --- the vacancy list still filters the same --------------------------------------------------


def list_ids(params: dict) -> list[int]:
    response = client_for(None).get("/api/v1/vacancies/", params)
    assert response.status_code == 200, response.json()
    return [item["id"] for item in response.json()["results"]]


def test_vacancy_list_filters_grade_several_and_country(world, organisation_x):
    also = make_vacancy(organisation=organisation_x, grade="D-1", title="Another D-1")
    also.duty_stations.set(world["x_p2_ke"].duty_stations.all())

    assert list_ids({"grade": ["P-2", "D-1"]}) == sorted(
        [world["x_p2_ke"].pk, world["x_d1_ug"].pk, also.pk], reverse=True
    )
    assert list_ids({"grade": ["P-2", "D-1"], "country": "ke"}) == sorted(
        [world["x_p2_ke"].pk, also.pk], reverse=True
    )
    assert list_ids({"country": "UG"}) == [world["x_d1_ug"].pk]


def test_vacancy_list_filters_organisation_and_closes_after(world):
    Vacancy.objects.filter(pk=world["x_p2_ke"].pk).update(closes_at=CLOSES_AT)
    Vacancy.objects.filter(pk=world["x_d1_ug"].pk).update(
        closes_at=datetime(2029, 1, 1, tzinfo=UTC)
    )
    Vacancy.objects.filter(pk=world["y_p3_ke"].pk).update(closes_at=CLOSES_AT)

    assert list_ids({"organisation": "unicef"}) == sorted(
        [world["x_p2_ke"].pk, world["x_d1_ug"].pk], reverse=True
    )
    assert list_ids({"organisation": "unicef", "closes_after": "2030-01-01T00:00:00Z"}) == [
        world["x_p2_ke"].pk
    ]
    assert list_ids({"closes_after": "2030-01-31T17:00:00Z", "grade": ["P-3"]}) == [
        world["y_p3_ke"].pk
    ]
    assert list_ids({"organisation": "nobody"}) == []
