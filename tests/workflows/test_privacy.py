"""The retention purge and the erasure service: per-stage retention, legal holds, consents,
statistics kept, and the daily actor."""

import io
from datetime import timedelta

from django.utils import timezone

from recruitment import documents, privacy
from recruitment.enums import ApplicationStatus, ConsentPurpose, Role
from recruitment.models import (
    Application,
    CandidateProfile,
    Document,
    Education,
    Note,
    Tombstone,
)
from tests.factories import (
    make_application,
    make_candidate,
    make_saved_search,
    make_user,
    make_vacancy,
)
from workflows.privacy import candidate_erase, personal_data_purge
from workflows.tasks import purge_personal_data


def aged(application, days, status):
    """Set the application's status and last change `days` ago (test set-up)."""
    Application.objects.filter(pk=application.pk).update(
        status=status,
        status_changed_at=timezone.now() - timedelta(days=days),
        answers={"why": "Because."},
    )


def age_profile(user, days):
    CandidateProfile.objects.filter(user=user).update(
        updated_at=timezone.now() - timedelta(days=days)
    )


def erased_ids():
    return sorted(
        Application.objects.filter(personal_data_erased_at__isnull=False).values_list(
            "pk", flat=True
        )
    )


def test_purge_erases_applications_past_their_stage_retention(settings, organisation_x):
    settings.RETENTION_UNSUCCESSFUL_APPLICATION_DAYS = 180
    settings.RETENTION_PLACED_APPLICATION_DAYS = 3650
    vacancy = make_vacancy(organisation=organisation_x)
    rejected_old, rejected_new, accepted_old, open_old = (
        make_application(candidate=make_candidate(), vacancy=vacancy) for _ in range(4)
    )
    aged(rejected_old, 181, ApplicationStatus.REJECTED)
    aged(rejected_new, 179, ApplicationStatus.REJECTED)
    aged(accepted_old, 400, ApplicationStatus.ACCEPTED)
    aged(open_old, 400, ApplicationStatus.SCREENING)

    result = personal_data_purge(now=timezone.now())

    assert (result.applications, result.held) == (1, 0)
    assert erased_ids() == [rejected_old.pk]
    rejected_old.refresh_from_db()
    assert (rejected_old.status, rejected_old.answers, rejected_old.vacancy_id) == (
        "rejected",
        {},
        vacancy.pk,
    )
    assert Application.objects.get(pk=rejected_new.pk).answers == {"why": "Because."}


def test_purge_respects_a_legal_hold(organisation_x):
    user = make_candidate(given_name="Held")
    application = make_application(
        candidate=user, vacancy=make_vacancy(organisation=organisation_x)
    )
    aged(application, 1000, ApplicationStatus.WITHDRAWN)
    age_profile(user, 1000)
    CandidateProfile.objects.filter(user=user).update(legal_hold=True)

    result = personal_data_purge(now=timezone.now())

    # The application is held; the profile waits for its applications anyway.
    assert (result.applications, result.profiles, result.held) == (0, 0, 1)
    assert erased_ids() == []
    assert CandidateProfile.objects.get(user=user).given_name == "Held"


def test_purge_erases_inactive_profiles_without_consent(
    settings, organisation_x, tmp_path, django_capture_on_commit_callbacks
):
    settings.RETENTION_INACTIVE_PROFILE_DAYS = 365
    settings.DOCUMENT_STORAGE_ROOT = str(tmp_path)
    inactive, consenting, recent = (make_candidate(given_name=n) for n in ("I", "C", "R"))
    for user in (inactive, consenting):
        age_profile(user, 400)
    age_profile(recent, 300)
    profile = inactive.candidate_profile
    Education.objects.create(profile=profile, level="master")
    documents.document_store(
        profile=profile, kind="cv", file=io.BytesIO(b"%PDF-1.4"), original_name="cv.pdf"
    )
    now = timezone.now()
    privacy.consent_grant(
        profile=consenting.candidate_profile, purpose=ConsentPurpose.TALENT_POOL,
        organisation=None, expires_at=None, now=now,
    )  # fmt: skip
    age_profile(consenting, 400)

    with django_capture_on_commit_callbacks(execute=True):
        result = personal_data_purge(now=now)

    assert result.profiles == 1
    assert list(tmp_path.iterdir()) == []  # the file went once the erasure committed
    names = dict(CandidateProfile.objects.values_list("user_id", "given_name"))
    assert names == {inactive.pk: "", consenting.pk: "C", recent.pk: "R"}
    assert (list(Education.objects.all()), list(Document.objects.all())) == ([], [])


def test_purge_keeps_profiles_with_applications_not_yet_purged(organisation_x):
    user = make_candidate(given_name="Busy")
    make_application(candidate=user, vacancy=make_vacancy(organisation=organisation_x))
    age_profile(user, 1000)

    result = personal_data_purge(now=timezone.now())

    assert result.profiles == 0
    assert CandidateProfile.objects.get(user=user).given_name == "Busy"


def test_purge_twice_is_the_same_as_once(settings, organisation_x):
    user = make_candidate()
    application = make_application(
        candidate=user, vacancy=make_vacancy(organisation=organisation_x)
    )
    aged(application, 1000, ApplicationStatus.REJECTED)
    age_profile(user, 1000)

    first = personal_data_purge(now=timezone.now())
    second = personal_data_purge(now=timezone.now())

    assert (first.applications, first.profiles) == (1, 1)
    assert (second.applications, second.profiles) == (0, 0)


def test_purge_actor_runs_the_purge(organisation_x):
    user = make_candidate()
    application = make_application(
        candidate=user, vacancy=make_vacancy(organisation=organisation_x)
    )
    aged(application, 1000, ApplicationStatus.REJECTED)

    purge_personal_data.fn()
    purge_personal_data.fn()

    assert erased_ids() == [application.pk]


def test_erasure_twice_changes_nothing_more(organisation_x):
    user = make_candidate(given_name="Twice")
    first = candidate_erase(user=user, now=timezone.now())

    second = candidate_erase(user=user, now=timezone.now() + timedelta(hours=1))

    assert (first.already_erased, second.already_erased) == (False, True)
    assert second.erased_at == first.erased_at


def test_erasure_leaves_tombstones_for_mirroring_clients(organisation_x):
    """The erased profile and every row erasure deletes get an `erased` tombstone; the
    candidate sees their own, and only staff see the one of a recruiter's internal note."""
    user = make_candidate()
    profile = user.candidate_profile
    education = Education.objects.create(profile=profile, level="master", field_of_study="Law")
    search = make_saved_search(user=user, name="Law jobs")
    note = Note.objects.create(candidate=profile, author=make_user(role=Role.RECRUITER), body="x")
    Tombstone.objects.all().delete()

    candidate_erase(user=user, now=timezone.now())

    rows = Tombstone.objects.order_by("model_label").values_list(
        "model_label", "object_id", "reason", "owner_id"
    )
    assert list(rows) == [
        ("recruitment.candidateprofile", str(profile.pk), "erased", user.pk),
        ("recruitment.education", str(education.pk), "erased", user.pk),
        ("recruitment.note", str(note.pk), "erased", None),
        ("recruitment.savedsearch", str(search.pk), "erased", user.pk),
    ]
