"""GDPR through the API: export, access log, consents and erasure with notice to partners."""

from datetime import timedelta

import pytest
from django.utils import timezone

from recruitment.enums import ApplicationStatus, Role
from recruitment.models import AccessLogEntry, Application, CandidateProfile, ConsentRecord, User
from tests.api.bodies import iso
from tests.conftest import client_for
from tests.factories import (
    PASSWORD,
    make_application,
    make_reviewer_assignment,
    make_user,
    make_vacancy,
    make_webhook_subscription,
)
from workflows.models import OutboxMessage

ME = "/api/v1/candidates/me/"
NOT_FOUND = {"code": "not_found", "detail": "Not found."}
ROLE_DENIED = {"code": "permission_denied", "detail": "Your role may not do this."}


# Export ------------------------------------------------------------------------------------


def test_export_returns_only_the_callers_data(candidate_a, candidate_b):
    response = client_for(candidate_a).get(ME + "export/")

    body = response.json()
    assert response.status_code == 200
    assert [u["id"] for u in body["data"]["recruitment.user"]] == [candidate_a.pk]
    assert [p["given_name"] for p in body["data"]["recruitment.candidateprofile"]] == ["Astrid"]
    assert body["data"]["recruitment.document"] == []


@pytest.mark.parametrize("role", [Role.RECRUITER, Role.PARTNER, Role.ADMIN])
def test_export_is_for_candidates_only(role, organisation_x, candidate_a):
    user = make_user(role=role, organisation=organisation_x if role == Role.PARTNER else None)

    response = client_for(user).get(ME + "export/")

    assert (response.status_code, response.json()) == (403, ROLE_DENIED)


def test_export_is_rate_limited(settings, candidate_a):
    settings.RATE_LIMIT_EXPORT = "1/hour"
    client = client_for(candidate_a)
    client.get(ME + "export/")

    response = client.get(ME + "export/")

    assert (response.status_code, response.json()["code"]) == (429, "throttled")
    assert response["RateLimit"].startswith('"export";r=0;t=')


# Access log --------------------------------------------------------------------------------


def test_access_log_records_profile_reads_by_others(
    candidate_a, candidate_b, recruiter, organisation_x
):
    profile_a, profile_b = candidate_a.candidate_profile, candidate_b.candidate_profile
    staff = client_for(recruiter)
    staff.get(f"/api/v1/candidates/{profile_a.pk}/")
    staff.get("/api/v1/candidates/?ordering=id")
    client_for(candidate_a).get(ME)  # one's own reads are not logged

    response = client_for(candidate_a).get(ME + "access-log/")

    entries = list(AccessLogEntry.objects.filter(subject=candidate_a).order_by("-id"))
    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "id": entry.pk,
            "resource": "profile",
            "resource_id": profile_a.pk,
            "viewer_role": "recruiter",
            "viewer_organisation": None,
            "accessed_at": iso(entry.accessed_at),
        }
        for entry in entries
    ]
    assert len(entries) == 2
    assert list(
        AccessLogEntry.objects.filter(subject=candidate_b).values_list("resource_id", flat=True)
    ) == [profile_b.pk]


def test_access_log_shows_only_ones_own(candidate_a, candidate_b, recruiter):
    client_for(recruiter).get(f"/api/v1/candidates/{candidate_b.candidate_profile.pk}/")

    response = client_for(candidate_a).get(ME + "access-log/")

    assert (response.status_code, response.json()["results"]) == (200, [])


def test_access_log_is_append_only(candidate_a, recruiter):
    from django.db import DatabaseError, transaction

    client_for(recruiter).get(f"/api/v1/candidates/{candidate_a.candidate_profile.pk}/")
    entry = AccessLogEntry.objects.get()

    for change in (
        lambda: AccessLogEntry.objects.filter(pk=entry.pk).update(viewer_role="x"),
        lambda: AccessLogEntry.objects.filter(pk=entry.pk).delete(),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            change()
    assert AccessLogEntry.objects.get().viewer_role == "recruiter"


# Consents ----------------------------------------------------------------------------------


def consent_body(consent, *, in_force=True):
    consent.refresh_from_db()
    return {
        "id": consent.pk,
        "purpose": consent.purpose,
        "organisation": consent.organisation.slug if consent.organisation else None,
        "granted_at": iso(consent.granted_at),
        "expires_at": iso(consent.expires_at),
        "withdrawn_at": iso(consent.withdrawn_at),
        "in_force": in_force,
    }


def test_consent_talent_pool_gets_the_default_expiry(settings, candidate_a):
    settings.TALENT_POOL_CONSENT_DAYS = 30

    response = client_for(candidate_a).post(ME + "consents/", {"purpose": "talent_pool"})

    consent = ConsentRecord.objects.get()
    assert (response.status_code, response.json()) == (201, consent_body(consent))
    assert consent.expires_at - consent.granted_at == timedelta(days=30)


def test_consent_sharing_names_an_organisation(candidate_a, organisation_x):
    client = client_for(candidate_a)

    missing = client.post(ME + "consents/", {"purpose": "partner_sharing"})
    given = client.post(ME + "consents/", {"purpose": "partner_sharing", "organisation": "unicef"})

    assert (missing.status_code, missing.json()) == (
        400,
        {
            "code": "organisation_required",
            "detail": "Sharing needs the organisation to share with.",
        },
    )
    consent = ConsentRecord.objects.get()
    assert (given.status_code, given.json()) == (201, consent_body(consent))
    assert (consent.organisation, consent.expires_at) == (organisation_x, None)


def test_consent_talent_pool_expiry_is_capped(settings, candidate_a):
    settings.TALENT_POOL_CONSENT_DAYS = 30
    too_late = (timezone.now() + timedelta(days=31)).isoformat()

    response = client_for(candidate_a).post(
        ME + "consents/", {"purpose": "talent_pool", "expires_at": too_late}
    )

    assert (response.status_code, response.json()) == (
        400,
        {"code": "expiry_too_late", "detail": "A talent-pool consent lasts at most 30 days."},
    )
    assert list(ConsentRecord.objects.all()) == []


def test_consent_withdraw_and_list(candidate_a, candidate_b):
    client = client_for(candidate_a)
    first = client.post(ME + "consents/", {"purpose": "talent_pool"}).json()
    client_for(candidate_b).post(ME + "consents/", {"purpose": "talent_pool"})

    withdrawn = client.post(f"{ME}consents/{first['id']}/withdraw/")
    listing = client.get(ME + "consents/")

    consent = ConsentRecord.objects.get(pk=first["id"])
    assert (withdrawn.status_code, withdrawn.json()) == (
        200,
        consent_body(consent, in_force=False),
    )
    assert listing.json()["results"] == [consent_body(consent, in_force=False)]


def test_consent_of_another_candidate_is_404(candidate_a, candidate_b):
    other = client_for(candidate_b).post(ME + "consents/", {"purpose": "talent_pool"}).json()

    response = client_for(candidate_a).post(f"{ME}consents/{other['id']}/withdraw/")

    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert ConsentRecord.objects.get(pk=other["id"]).withdrawn_at is None


# Erasure -----------------------------------------------------------------------------------


def test_erasure_anonymises_and_notifies_the_receiving_partner(
    candidate_a, candidate_b, organisation_x, organisation_y, partner_x, partner_y
):
    nominated = make_application(
        candidate=candidate_a, vacancy=make_vacancy(organisation=organisation_x),
        status=ApplicationStatus.NOMINATED,
    )  # fmt: skip
    make_application(candidate=candidate_a, vacancy=make_vacancy(organisation=organisation_y))
    Application.objects.filter(pk=nominated.pk).update(answers={"why": "Because."})
    hook_x = make_webhook_subscription(
        owner=partner_x, organisation=organisation_x, event_types=("candidate.erased",)
    )
    make_webhook_subscription(
        owner=partner_y, organisation=organisation_y, event_types=("candidate.erased",)
    )
    client = client_for(candidate_a)

    response = client.post(ME + "erasure/")

    profile = CandidateProfile.objects.get(user=candidate_a)
    assert (response.status_code, response.json()) == (
        200,
        {
            "candidate": profile.pk,
            "erased_at": iso(profile.personal_data_erased_at),
            "notified_organisations": ["unicef"],
        },
    )
    user = User.objects.get(pk=candidate_a.pk)
    assert (user.email, user.name, user.is_active, user.has_usable_password()) == (
        f"erased-{user.pk}@erased.invalid", "", False, False,
    )  # fmt: skip
    assert (profile.given_name, profile.date_of_birth, profile.citizenships) == ("", None, [])
    assert sorted(
        Application.objects.filter(candidate=profile).values_list("status", "answers")
    ) == [("nominated", {}), ("submitted", {})]  # the statistics stay
    messages = OutboxMessage.objects.filter(event_type="candidate.erased")
    assert [(m.subscription_id, m.payload) for m in messages] == [
        (
            hook_x.pk,
            {
                "candidate": profile.pk,
                "applications": [nominated.pk],
                "erased_at": profile.personal_data_erased_at.isoformat(),
            },
        )
    ]
    login = client_for(None).post(
        "/api/v1/auth/token/", {"email": "a@example.org", "password": PASSWORD}
    )
    assert login.status_code == 401
    assert CandidateProfile.objects.get(user=candidate_b).given_name == "Bjørn"


def test_erasure_under_legal_hold_is_409_and_changes_nothing(candidate_a):
    CandidateProfile.objects.filter(user=candidate_a).update(legal_hold=True)

    response = client_for(candidate_a).post(ME + "erasure/")

    assert (response.status_code, response.json()) == (
        409,
        {
            "code": "legal_hold",
            "detail": "This profile is under a legal hold; its data cannot be erased now.",
        },
    )
    profile = CandidateProfile.objects.get(user=candidate_a)
    assert (profile.given_name, profile.personal_data_erased_at) == ("Astrid", None)
    assert User.objects.get(pk=candidate_a.pk).email == "a@example.org"


def test_erasure_is_for_candidates_only(recruiter, candidate_a):
    response = client_for(recruiter).post(ME + "erasure/")

    assert (response.status_code, response.json()) == (403, ROLE_DENIED)
    assert CandidateProfile.objects.get(user=candidate_a).personal_data_erased_at is None


# Staff: erasure on a request received elsewhere, legal holds -------------------------------


def test_admin_erases_a_candidate_on_request(admin_user, candidate_a, candidate_b):
    profile = candidate_a.candidate_profile

    response = client_for(admin_user).post(f"/api/v1/candidates/{profile.pk}/erasure/")

    profile.refresh_from_db()
    assert (response.status_code, response.json()) == (
        200,
        {
            "candidate": profile.pk,
            "erased_at": iso(profile.personal_data_erased_at),
            "notified_organisations": [],
        },
    )
    assert dict(CandidateProfile.objects.values_list("user_id", "given_name")) == {
        candidate_a.pk: "",
        candidate_b.pk: "Bjørn",
    }


def test_recruiter_may_not_erase_or_hold(recruiter, candidate_a):
    profile = candidate_a.candidate_profile
    client = client_for(recruiter)
    denied = {
        "code": "permission_denied",
        "detail": "Only admins erase data or set legal holds.",
    }

    erasure = client.post(f"/api/v1/candidates/{profile.pk}/erasure/")
    hold = client.post(f"/api/v1/candidates/{profile.pk}/legal-hold/", {"legal_hold": True})

    assert [(erasure.status_code, erasure.json()), (hold.status_code, hold.json())] == [
        (403, denied),
        (403, denied),
    ]
    profile.refresh_from_db()
    assert (profile.given_name, profile.legal_hold) == ("Astrid", False)


def test_admin_sets_and_lifts_a_legal_hold(admin_user, candidate_a):
    profile = candidate_a.candidate_profile
    client = client_for(admin_user)
    url = f"/api/v1/candidates/{profile.pk}/legal-hold/"

    on = client.post(url, {"legal_hold": True})
    erasure = client_for(candidate_a).post(ME + "erasure/")
    off = client.post(url, {"legal_hold": False})
    invalid = client.post(url, {"legal_hold": True, "reason": "x"})

    assert [(on.status_code, on.json()), (off.status_code, off.json())] == [
        (200, {"legal_hold": True}),
        (200, {"legal_hold": False}),
    ]
    assert (erasure.status_code, erasure.json()["code"]) == (409, "legal_hold")
    assert (invalid.status_code, invalid.json()["fields"]) == (400, {"reason": ["Unknown field."]})
    assert CandidateProfile.objects.get(pk=profile.pk).legal_hold is False


def test_access_log_records_the_review_queue(recruiter, candidate_a, candidate_b, organisation_x):
    vacancy = make_vacancy(organisation=organisation_x)
    make_reviewer_assignment(vacancy=vacancy, reviewer=recruiter)
    application = make_application(candidate=candidate_a, vacancy=vacancy)

    response = client_for(recruiter).get(f"/api/v1/vacancies/{vacancy.pk}/review-queue/")

    assert [item["id"] for item in response.json()["results"]] == [application.pk]
    assert list(
        AccessLogEntry.objects.values_list("subject_id", "viewer_id", "resource", "resource_id")
    ) == [(candidate_a.pk, recruiter.pk, "profile", candidate_a.candidate_profile.pk)]
