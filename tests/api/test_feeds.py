"""API tests of /api/v1/feeds/: scoping per role, registration with the SSRF guard, validation,
`sync/` enqueuing after commit, and `runs/` with counts and rejected items."""

import json

import pytest
from dramatiq import Message

from recruitment.enums import FeedKind, FeedRunStatus
from recruitment.models import Feed, OrganisationMembership
from tests.api.bodies import iso
from tests.conftest import client_for
from workflows import tasks  # noqa: F401  (declares the "feeds" queue on the broker)
from workflows.broker import broker
from workflows.feeds.sync import vacancy_feed_sync_run
from workflows.models import FeedRun

pytestmark = pytest.mark.django_db

URL = "/api/v1/feeds/"
# A public address literal: passes the SSRF guard without DNS, and is never contacted here.
PUBLIC_URL = "http://93.184.216.34/jobs.rss"
INVALID = "The request is not valid; see `fields`."
NOT_FOUND = {"code": "not_found", "detail": "Not found."}
NOT_AUTHENTICATED = {
    "code": "not_authenticated",
    "detail": "Authentication credentials were not provided.",
}
WRONG_ROLE = {"code": "permission_denied", "detail": "Your role may not do this."}
UNSAFE = {"code": "unsafe_url", "detail": "The URL points to a private or reserved address."}
FRESH_HEALTH = {"last_success_at": None, "last_error": "", "consecutive_failures": 0}


def ids(response) -> list[int]:
    return [item["id"] for item in response.json()["results"]]


def invalid(fields: dict) -> dict:
    return {"code": "validation_error", "detail": INVALID, "fields": fields}


def body_of(feed: Feed) -> dict:
    """The API body of a feed, read back from its row."""
    feed.refresh_from_db()
    return {
        "id": feed.pk,
        "kind": feed.kind,
        "url": feed.url,
        "name": feed.name,
        "organisation": feed.organisation.slug if feed.organisation else None,
        "interval_minutes": feed.interval_minutes,
        "enabled": feed.enabled,
        "health": {
            "last_success_at": iso(feed.last_success_at),
            "last_error": feed.last_error,
            "consecutive_failures": feed.consecutive_failures,
        },
        "created_at": iso(feed.created_at),
        "updated_at": iso(feed.updated_at),
    }


def snapshot(feed_id: int) -> dict:
    """Every column of a feed, to prove that nothing changed."""
    return Feed.objects.values().get(pk=feed_id)


def run_body(run: FeedRun) -> dict:
    run.refresh_from_db()
    return {
        "id": run.pk,
        "feed": run.feed_id,
        "status": run.status,
        "trigger": run.trigger,
        "started_at": iso(run.started_at),
        "finished_at": iso(run.finished_at),
        "created": run.created,
        "updated": run.updated,
        "unchanged": run.unchanged,
        "missing": run.missing,
        "closed": run.closed,
        "rejected": run.rejected,
        "rejected_items": run.rejected_items,
        "error_code": run.error_code,
        "error": run.error,
    }


def create_body(**overrides) -> dict:
    return {
        "kind": FeedKind.RSS,
        "url": PUBLIC_URL,
        "name": "UNICEF careers",
        "interval_minutes": 30,
        "enabled": True,
        **overrides,
    }


def queued_messages(queue: str = "feeds") -> list[tuple[str, str, list]]:
    """(queue, actor, args) of each message waiting in the stub broker's queue, in order."""
    messages = [Message.decode(data) for data in list(broker.queues[queue].queue)]
    return [(m.queue_name, m.actor_name, list(m.args)) for m in messages]


@pytest.fixture(autouse=True)
def empty_broker():
    broker.flush_all()
    yield broker
    broker.flush_all()


@pytest.fixture
def feeds(organisation_x, organisation_y) -> dict[str, Feed]:
    """A feed of each organisation and an aggregated one (no organisation)."""
    return {
        "x": Feed.objects.create(
            kind=FeedKind.RSS, url="http://93.184.216.34/unicef.rss", organisation=organisation_x
        ),
        "y": Feed.objects.create(
            kind=FeedKind.RSS, url="http://93.184.216.34/unhcr.rss", organisation=organisation_y
        ),
        "aggregated": Feed.objects.create(
            kind=FeedKind.RELIEFWEB, url="http://93.184.216.34/reliefweb", organisation=None
        ),
    }


# --- reading and scoping ------------------------------------------------------------------------


def test_feed_list_shows_partner_only_its_own_organisation(partner_x, feeds):
    response = client_for(partner_x).get(URL)

    assert response.status_code == 200
    assert ids(response) == [feeds["x"].pk]


@pytest.mark.parametrize("caller", ["recruiter", "admin_user"])
def test_feed_list_shows_staff_every_feed(request, caller, feeds):
    response = client_for(request.getfixturevalue(caller)).get(URL)

    assert response.status_code == 200
    assert ids(response) == sorted((feed.pk for feed in feeds.values()), reverse=True)


@pytest.mark.parametrize(
    ("caller", "http_status", "body"),
    [("anonymous", 401, NOT_AUTHENTICATED), ("candidate_a", 403, WRONG_ROLE)],
)
def test_feed_list_and_detail_refused_to_anonymous_and_candidates(
    request, caller, http_status, body, feeds
):
    user = None if caller == "anonymous" else request.getfixturevalue(caller)
    client = client_for(user)

    responses = [
        client.get(URL),
        client.get(f"{URL}{feeds['x'].pk}/"),
        client.get(f"{URL}{feeds['x'].pk}/runs/"),
    ]

    assert [(r.status_code, r.json()) for r in responses] == [(http_status, body)] * 3


@pytest.mark.parametrize(
    ("caller", "http_status", "body"),
    [("anonymous", 401, NOT_AUTHENTICATED), ("candidate_a", 403, WRONG_ROLE)],
)
def test_feed_writes_refused_to_anonymous_and_candidates(
    request, caller, http_status, body, feeds, django_capture_on_commit_callbacks
):
    user = None if caller == "anonymous" else request.getfixturevalue(caller)
    client = client_for(user)
    before = snapshot(feeds["x"].pk)

    with django_capture_on_commit_callbacks(execute=True):
        responses = [
            client.post(URL, create_body(), format="json"),
            client.patch(f"{URL}{feeds['x'].pk}/", {"enabled": False}, format="json"),
            client.post(f"{URL}{feeds['x'].pk}/sync/"),
        ]

    assert [(r.status_code, r.json()) for r in responses] == [(http_status, body)] * 3
    assert Feed.objects.count() == 3
    assert snapshot(feeds["x"].pk) == before
    assert FeedRun.objects.count() == 0
    assert queued_messages() == []


def test_feed_retrieve_returns_partner_its_own_feed_whole(partner_x, feeds):
    response = client_for(partner_x).get(f"{URL}{feeds['x'].pk}/")

    assert response.status_code == 200
    assert response.json() == {
        "id": feeds["x"].pk,
        "kind": "rss",
        "url": "http://93.184.216.34/unicef.rss",
        "name": "",
        "organisation": "unicef",
        "interval_minutes": 60,
        "enabled": True,
        "health": FRESH_HEALTH,
        "created_at": iso(feeds["x"].created_at),
        "updated_at": iso(feeds["x"].updated_at),
    }


@pytest.mark.parametrize("other", ["y", "aggregated"])
def test_feed_retrieve_of_another_organisation_is_not_found_for_partner(partner_x, feeds, other):
    response = client_for(partner_x).get(f"{URL}{feeds[other].pk}/")

    assert (response.status_code, response.json()) == (404, NOT_FOUND)


@pytest.mark.parametrize("method", ["put", "patch"])
def test_feed_update_of_another_organisation_is_not_found_and_changes_nothing(
    partner_x, feeds, method
):
    before = snapshot(feeds["y"].pk)

    response = getattr(client_for(partner_x), method)(
        f"{URL}{feeds['y'].pk}/", create_body(enabled=False), format="json"
    )

    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert snapshot(feeds["y"].pk) == before


def test_feed_sync_of_another_organisation_is_not_found_and_enqueues_nothing(
    partner_x, feeds, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(partner_x).post(f"{URL}{feeds['y'].pk}/sync/")

    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert callbacks == []
    assert FeedRun.objects.count() == 0
    assert queued_messages() == []


def test_feed_runs_of_another_organisation_are_not_found_for_partner(partner_x, feeds):
    vacancy_feed_sync_run(feed_id=feeds["y"].pk, content=b'<rss version="2.0"></rss>')

    response = client_for(partner_x).get(f"{URL}{feeds['y'].pk}/runs/")

    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_feed_list_filters_by_kind_and_enabled(recruiter, feeds):
    Feed.objects.filter(pk=feeds["y"].pk).update(enabled=False)
    client = client_for(recruiter)

    by_kind = client.get(URL, {"kind": "rss"})
    disabled = client.get(URL, {"enabled": "false"})
    oldest_first = client.get(URL, {"ordering": "id"})

    assert ids(by_kind) == [feeds["y"].pk, feeds["x"].pk]
    assert ids(disabled) == [feeds["y"].pk]
    assert ids(oldest_first) == [feeds["x"].pk, feeds["y"].pk, feeds["aggregated"].pk]


# --- creating -----------------------------------------------------------------------------------


def test_feed_create_by_partner_takes_the_callers_organisation(partner_x):
    response = client_for(partner_x).post(URL, create_body(), format="json")

    assert response.status_code == 201
    feed = Feed.objects.get()
    assert response.json() == {
        "id": feed.pk,
        "kind": "rss",
        "url": PUBLIC_URL,
        "name": "UNICEF careers",
        "organisation": "unicef",
        "interval_minutes": 30,
        "enabled": True,
        "health": FRESH_HEALTH,
        "created_at": iso(feed.created_at),
        "updated_at": iso(feed.updated_at),
    }
    assert (feed.organisation.slug, feed.etag, feed.last_modified) == ("unicef", "", "")


def test_feed_create_defaults_interval_and_enabled(partner_x):
    response = client_for(partner_x).post(
        URL, {"kind": "partner", "url": PUBLIC_URL}, format="json"
    )

    assert response.status_code == 201
    assert response.json() == body_of(Feed.objects.get())
    assert (response.json()["interval_minutes"], response.json()["enabled"]) == (60, True)


@pytest.mark.parametrize("organisation", ["unicef", "unhcr", None])
def test_feed_create_by_partner_naming_an_organisation_is_refused(
    partner_x, organisation_y, organisation
):
    response = client_for(partner_x).post(
        URL, create_body(organisation=organisation), format="json"
    )

    assert (response.status_code, response.json()) == (
        400,
        invalid({"organisation": ["Your feeds belong to your organisation."]}),
    )
    assert Feed.objects.count() == 0


def test_feed_create_by_partner_without_organisation_is_refused(partner_x):
    """A partner whose membership was removed (admin site) must not register an aggregated feed:
    its items would name, and create, any organisation."""
    OrganisationMembership.objects.filter(user=partner_x).delete()

    response = client_for(partner_x).post(URL, create_body(), format="json")

    assert (response.status_code, response.json()) == (
        403,
        {"code": "permission_denied", "detail": "You belong to no organisation."},
    )
    assert Feed.objects.count() == 0


@pytest.mark.parametrize("caller", ["recruiter", "admin_user"])
@pytest.mark.parametrize(
    ("sent", "expected"),
    [({"organisation": None}, None), ({}, None), ({"organisation": "unhcr"}, "unhcr")],
    ids=["null", "omitted", "named"],
)
def test_feed_create_by_staff_aggregated_or_for_a_named_organisation(
    request, caller, organisation_y, sent, expected
):
    response = client_for(request.getfixturevalue(caller)).post(
        URL, create_body(kind="reliefweb", **sent), format="json"
    )

    assert response.status_code == 201
    feed = Feed.objects.get()
    assert response.json() == {
        "id": feed.pk,
        "kind": "reliefweb",
        "url": PUBLIC_URL,
        "name": "UNICEF careers",
        "organisation": expected,
        "interval_minutes": 30,
        "enabled": True,
        "health": FRESH_HEALTH,
        "created_at": iso(feed.created_at),
        "updated_at": iso(feed.updated_at),
    }
    assert (feed.organisation.slug if feed.organisation else None) == expected


def test_feed_create_by_staff_with_unknown_organisation_is_refused(recruiter):
    response = client_for(recruiter).post(URL, create_body(organisation="nope"), format="json")

    assert (response.status_code, response.json()) == (
        400,
        invalid({"organisation": ["Object with slug=nope does not exist."]}),
    )
    assert Feed.objects.count() == 0


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://10.0.0.1/feed",
        "http://169.254.169.254/",
        "http://192.168.1.10/jobs.rss",
        "http://[::1]/feed",
        "http://[::ffff:127.0.0.1]/feed",
    ],
)
def test_feed_create_with_non_public_address_is_refused(settings, partner_x, url):
    assert settings.NETWORK_ALLOW_LOOPBACK is False

    response = client_for(partner_x).post(URL, create_body(url=url), format="json")

    assert (response.status_code, response.json()) == (400, UNSAFE)
    assert Feed.objects.count() == 0


@pytest.mark.parametrize(
    ("url", "detail"),
    [
        ("http://user:secret@93.184.216.34/jobs.rss", "URLs must not carry credentials."),
        ("ftp://93.184.216.34/jobs", "Only http and https URLs with a host are allowed."),
    ],
)
def test_feed_create_with_credentials_or_other_scheme_is_refused(partner_x, url, detail):
    response = client_for(partner_x).post(URL, create_body(url=url), format="json")

    assert (response.status_code, response.json()) == (
        400,
        {"code": "unsafe_url", "detail": detail},
    )
    assert Feed.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        (
            {"interval_minutes": 4},
            {"interval_minutes": ["Ensure this value is greater than or equal to 5."]},
        ),
        ({"kind": "atom"}, {"kind": ['"atom" is not a valid choice.']}),
        ({"colour": "blue"}, {"colour": ["Unknown field."]}),
        ({"health": {"consecutive_failures": 0}}, {"health": ["This field is read-only."]}),
        ({"url": "not a url"}, {"url": ["Enter a valid URL."]}),
    ],
    ids=["interval_below_5", "unknown_kind", "unknown_field", "server_set_field", "not_a_url"],
)
def test_feed_create_validation_errors(recruiter, change, fields):
    response = client_for(recruiter).post(URL, create_body(**change), format="json")

    assert (response.status_code, response.json()) == (400, invalid(fields))
    assert Feed.objects.count() == 0


# --- updating -----------------------------------------------------------------------------------


def test_feed_partial_update_by_partner_of_own_feed(partner_x, feeds):
    Feed.objects.filter(pk=feeds["x"].pk).update(etag='"v1"', last_modified="yesterday")

    response = client_for(partner_x).patch(
        f"{URL}{feeds['x'].pk}/", {"interval_minutes": 15, "enabled": False}, format="json"
    )

    assert response.status_code == 200
    assert response.json() == {
        **body_of(feeds["x"]),
        "interval_minutes": 15,
        "enabled": False,
        "organisation": "unicef",
    }
    # Same URL: the conditional-GET validators stay.
    assert (feeds["x"].etag, feeds["x"].last_modified) == ('"v1"', "yesterday")


def test_feed_update_to_new_url_forgets_conditional_get_validators(recruiter, feeds):
    Feed.objects.filter(pk=feeds["x"].pk).update(etag='"v1"', last_modified="yesterday")

    response = client_for(recruiter).patch(
        f"{URL}{feeds['x'].pk}/", {"url": PUBLIC_URL}, format="json"
    )

    assert response.status_code == 200
    assert response.json() == body_of(feeds["x"])
    assert (feeds["x"].url, feeds["x"].etag, feeds["x"].last_modified) == (PUBLIC_URL, "", "")


def test_feed_update_to_non_public_address_is_refused_and_changes_nothing(partner_x, feeds):
    before = snapshot(feeds["x"].pk)

    response = client_for(partner_x).patch(
        f"{URL}{feeds['x'].pk}/", {"url": "http://169.254.169.254/latest"}, format="json"
    )

    assert (response.status_code, response.json()) == (400, UNSAFE)
    assert snapshot(feeds["x"].pk) == before


def test_feed_update_by_partner_naming_an_organisation_is_refused(partner_x, feeds):
    before = snapshot(feeds["x"].pk)

    response = client_for(partner_x).patch(
        f"{URL}{feeds['x'].pk}/", {"organisation": "unhcr"}, format="json"
    )

    assert (response.status_code, response.json()) == (
        400,
        invalid({"organisation": ["Your feeds belong to your organisation."]}),
    )
    assert snapshot(feeds["x"].pk) == before


def test_feed_update_by_staff_moves_feed_to_aggregated(recruiter, feeds):
    response = client_for(recruiter).patch(
        f"{URL}{feeds['x'].pk}/", {"organisation": None}, format="json"
    )

    assert response.status_code == 200
    assert response.json() == {**body_of(feeds["x"]), "organisation": None}


def test_feed_put_by_staff_keeps_organisation_when_omitted(recruiter, feeds):
    response = client_for(recruiter).put(
        f"{URL}{feeds['y'].pk}/", create_body(name="UNHCR Workday"), format="json"
    )

    assert response.status_code == 200
    assert response.json() == {
        **body_of(feeds["y"]),
        "kind": "rss",
        "url": PUBLIC_URL,
        "name": "UNHCR Workday",
        "organisation": "unhcr",
        "interval_minutes": 30,
    }


# --- sync/ and runs/ ----------------------------------------------------------------------------


@pytest.mark.parametrize("caller", ["partner_x", "recruiter", "admin_user"])
def test_feed_sync_enqueues_one_message_after_commit(
    request, caller, feeds, django_capture_on_commit_callbacks
):
    feed = feeds["x"]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(request.getfixturevalue(caller)).post(f"{URL}{feed.pk}/sync/")

    run = FeedRun.objects.get()
    assert response.status_code == 202
    assert response.json() == {"run_id": run.pk, "status": "running"}
    assert (run.feed_id, run.trigger, run.status) == (feed.pk, "api", FeedRunStatus.RUNNING)
    assert len(callbacks) == 1
    assert queued_messages() == [("feeds", "workflows.sync_feed", [feed.pk, run.pk])]


def test_feed_sync_sends_nothing_before_commit(
    recruiter, feeds, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client_for(recruiter).post(f"{URL}{feeds['x'].pk}/sync/")

    assert response.status_code == 202
    assert len(callbacks) == 1
    assert queued_messages() == []


def partner_document(*items: dict) -> bytes:
    return json.dumps({"vacancies": list(items)}).encode()


def partner_item(external_id: str, **overrides) -> dict:
    return {
        "external_id": external_id,
        "title": f"Programme Officer {external_id}",
        "closes_at": "2030-01-31T17:00:00+01:00",
        "grade": "P3",
        "duty_stations": [{"city": "Nairobi", "country": "KE"}],
        **overrides,
    }


def test_feed_runs_lists_counts_and_rejected_reasons_newest_first(partner_x, organisation_x):
    feed = Feed.objects.create(
        kind=FeedKind.PARTNER, url="http://93.184.216.34/unicef.json", organisation=organisation_x
    )
    content = partner_document(
        partner_item("A"),
        partner_item("B"),
        partner_item("C", grade="P9", extra="x"),
    )
    first = vacancy_feed_sync_run(feed_id=feed.pk, content=content, trigger="command")
    second = vacancy_feed_sync_run(
        feed_id=feed.pk, content=partner_document(partner_item("A")), trigger="command"
    )

    response = client_for(partner_x).get(f"{URL}{feed.pk}/runs/")

    assert response.status_code == 200
    assert response.json() == {
        "next": None,
        "previous": None,
        "results": [run_body(second), run_body(first)],
    }
    assert response.json()["results"][1] == {
        "id": first.pk,
        "feed": feed.pk,
        "status": "succeeded",
        "trigger": "command",
        "started_at": iso(first.started_at),
        "finished_at": iso(first.finished_at),
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "missing": 0,
        "closed": 0,
        "rejected": 1,
        "rejected_items": [
            {
                "id": "C",
                "reasons": [
                    {
                        "code": "unknown_field",
                        "message": "extra is not a field of the posting schema",
                        "field": "extra",
                    },
                    {
                        "code": "unknown_grade",
                        "message": "grade 'P9' is not a grade we know",
                        "field": "grade",
                    },
                ],
            }
        ],
        "error_code": "",
        "error": "",
    }
    assert {
        key: response.json()["results"][0][key]
        for key in ("created", "updated", "unchanged", "missing", "closed", "rejected")
    } == {"created": 0, "updated": 0, "unchanged": 1, "missing": 1, "closed": 0, "rejected": 0}


def test_feed_runs_and_health_show_a_failed_run_with_its_error(recruiter, feeds):
    run = vacancy_feed_sync_run(feed_id=feeds["y"].pk, content=b"<rss><channel>", trigger="api")
    client = client_for(recruiter)

    runs = client.get(f"{URL}{feeds['y'].pk}/runs/")
    detail = client.get(f"{URL}{feeds['y'].pk}/")

    error = "neither XML nor a readable feed (<unknown>:2:14: no element found)"
    assert runs.status_code == 200
    assert runs.json()["results"] == [
        {
            "id": run.pk,
            "feed": feeds["y"].pk,
            "status": "failed",
            "trigger": "api",
            "started_at": iso(run.started_at),
            "finished_at": iso(run.finished_at),
            "created": 0,
            "updated": 0,
            "unchanged": 0,
            "missing": 0,
            "closed": 0,
            "rejected": 0,
            "rejected_items": [],
            "error_code": "invalid_xml",
            "error": error,
        }
    ]
    assert detail.json()["health"] == {
        "last_success_at": None,
        "last_error": error,
        "consecutive_failures": 1,
    }
