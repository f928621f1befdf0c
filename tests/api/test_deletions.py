"""Tombstones: every delete path leaves one in its transaction; deletions/ shows each caller
the tombstones of records they could see, since a moment, oldest first."""

from datetime import UTC, datetime

import pytest
from django.test import Client

from recruitment.enums import Role, TombstoneReason
from recruitment.models import CandidateProfile, DutyStation, Education, SavedSearch, Tombstone
from recruitment.services import tombstone_record
from tests.api.bodies import iso
from tests.conftest import client_for
from tests.factories import (
    PASSWORD,
    make_application,
    make_duty_station,
    make_saved_search,
    make_user,
    make_vacancy,
    make_webhook_subscription,
)
from workflows.models import WebhookSubscription

pytestmark = pytest.mark.django_db

URL = "/api/v1/deletions/"
SINCE = {"since": "2020-01-01T00:00:00Z"}
INVALID = "The request is not valid; see `fields`."


def body(*tombstones):
    return {
        "next": None,
        "previous": None,
        "results": [
            {
                "id": t.pk,
                "model": t.model_label,
                "object_id": t.object_id,
                "reason": t.reason,
                "deleted_at": iso(t.deleted_at),
            }
            for t in tombstones
        ],
    }


def test_deleting_a_saved_search_leaves_a_tombstone_for_its_owner_and_staff(
    candidate_a, candidate_b, recruiter
):
    mine = make_saved_search(user=candidate_a)
    theirs = make_saved_search(user=candidate_b)
    client_for(candidate_b).delete(f"/api/v1/saved-searches/{theirs.pk}/")

    deleted = client_for(candidate_a).delete(f"/api/v1/saved-searches/{mine.pk}/")

    mine_stone = Tombstone.objects.get(object_id=str(mine.pk))
    theirs_stone = Tombstone.objects.get(object_id=str(theirs.pk))
    assert (deleted.status_code, SavedSearch.objects.count()) == (204, 0)
    assert (mine_stone.model_label, mine_stone.reason) == ("recruitment.savedsearch", "deleted")
    assert client_for(candidate_a).get(URL, SINCE).json() == body(mine_stone)
    assert client_for(recruiter).get(URL, SINCE).json() == body(theirs_stone, mine_stone)


def test_replacing_profile_lists_leaves_tombstones_of_the_replaced_rows(candidate_a, candidate_b):
    profile = CandidateProfile.objects.get(user=candidate_a)
    old = Education.objects.create(profile=profile, level="bachelor")
    other = Education.objects.create(
        profile=CandidateProfile.objects.get(user=candidate_b), level="master"
    )

    client_for(candidate_a).patch("/api/v1/candidates/me/", {"education": []})

    stone = Tombstone.objects.get()
    assert (stone.model_label, stone.object_id) == ("recruitment.education", str(old.pk))
    assert client_for(candidate_a).get(URL, SINCE).json() == body(stone)
    assert client_for(candidate_b).get(URL, SINCE).json() == body()
    assert Education.objects.filter(pk=other.pk).exists()


def test_a_partners_deleted_webhook_is_seen_by_its_organisation_only(
    partner_x, partner_y, organisation_x, organisation_y
):
    colleague = make_user(role=Role.PARTNER, organisation=organisation_x)
    subscription = make_webhook_subscription(owner=partner_x, organisation=organisation_x)
    elsewhere = make_webhook_subscription(owner=partner_y, organisation=organisation_y)
    client_for(partner_y).delete(f"/api/v1/webhooks/{elsewhere.pk}/")

    client_for(partner_x).delete(f"/api/v1/webhooks/{subscription.pk}/")

    stone = Tombstone.objects.get(object_id=str(subscription.pk))
    assert stone.model_label == "workflows.webhooksubscription"
    assert not WebhookSubscription.objects.exists()
    assert client_for(colleague).get(URL, SINCE).json() == body(stone)
    assert client_for(partner_y).get(URL, SINCE).json() == body(
        Tombstone.objects.get(object_id=str(elsewhere.pk))
    )


def test_deleting_in_the_admin_leaves_tombstones(admin_user, recruiter):
    station = make_duty_station(city="Goma", country="CD")
    kept = make_duty_station(city="Juba", country="SS")
    browser = Client()
    browser.login(email=admin_user.email, password=PASSWORD)

    response = browser.post(f"/admin/recruitment/dutystation/{station.pk}/delete/", {"post": "yes"})

    stone = Tombstone.objects.get()
    assert (response.status_code, list(DutyStation.objects.values_list("pk", flat=True))) == (
        302, [kept.pk]
    )  # fmt: skip
    assert (stone.model_label, stone.object_id) == ("recruitment.dutystation", str(station.pk))
    assert client_for(recruiter).get(URL, SINCE).json() == body(stone)


def test_deleting_in_the_admin_leaves_tombstones_of_what_it_cascades_to(admin_user, candidate_a):
    profile = CandidateProfile.objects.get(user=candidate_a)
    education = Education.objects.create(profile=profile, level="master")
    vacancy = make_vacancy()
    vacancy.duty_stations.add(make_duty_station())
    application = make_application(candidate=candidate_a, vacancy=vacancy)
    browser = Client()
    browser.login(email=admin_user.email, password=PASSWORD)

    response = browser.post(
        f"/admin/recruitment/candidateprofile/{profile.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 302
    assert sorted(Tombstone.objects.values_list("model_label", "object_id")) == [
        ("recruitment.application", str(application.pk)),
        ("recruitment.candidateprofile", str(profile.pk)),
        ("recruitment.education", str(education.pk)),
    ]


def test_deletions_since_a_moment_oldest_first(recruiter, candidate_a):
    old, new, newer = tombstone_record(
        objects=[make_saved_search(user=candidate_a, name=n) for n in ("a", "b", "c")],
        reason=TombstoneReason.ERASED,
        owner=candidate_a,
    )
    Tombstone.objects.filter(pk=old.pk).update(deleted_at=datetime(2025, 1, 1, tzinfo=UTC))
    Tombstone.objects.filter(pk=new.pk).update(deleted_at=datetime(2025, 6, 1, tzinfo=UTC))
    Tombstone.objects.filter(pk=newer.pk).update(deleted_at=datetime(2025, 3, 1, tzinfo=UTC))
    new.refresh_from_db()
    newer.refresh_from_db()

    response = client_for(recruiter).get(URL, {"since": "2025-03-01T00:00:00Z"})

    assert response.json() == body(newer, new)


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({}, {"since": ["This field is required."]}),
        ({"since": "yesterday"}, {"since": ["Datetime has wrong format. Use one of these "
                                            "formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]]"
                                            "[+HH:MM|-HH:MM|Z]."]}),
    ],
)  # fmt: skip
def test_deletions_need_a_valid_since(recruiter, params, fields):
    response = client_for(recruiter).get(URL, params)

    assert (response.status_code, response.json()) == (
        400, {"code": "validation_error", "detail": INVALID, "fields": fields}
    )  # fmt: skip


def test_deletions_need_a_login(anonymous, candidate_a):
    tombstone_record(objects=[make_saved_search(user=candidate_a)], owner=candidate_a)

    response = anonymous.get(URL, SINCE)

    assert (response.status_code, response.json()) == (
        401,
        {"code": "not_authenticated", "detail": "Authentication credentials were not provided."},
    )
