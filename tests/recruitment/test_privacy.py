"""The personal-data registry: complete, queryable, and the export covers every personal field."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps

from recruitment import documents, privacy, services
from recruitment.enums import ApplicationStatus, ConsentPurpose, Role
from recruitment.models import (
    CandidateProfile,
    Education,
    Evaluation,
    Experience,
    LanguageSkill,
    Note,
    NotificationPreference,
    PlacementChecklistItem,
    PlacementRenewal,
)
from recruitment.privacy import PERSONAL, SECRET
from tests.factories import (
    make_application,
    make_outbox_message,
    make_placement,
    make_saved_search,
    make_user,
    make_vacancy,
)
from workflows.models import ApplicationStatusChange, ExportJob, PlacementStatusChange


def test_privacy_registry_classifies_every_field_of_every_model():
    assert privacy.unclassified_fields() == []


def test_privacy_registry_answers_per_field():
    assert [
        privacy.is_personal("recruitment.candidateprofile", "date_of_birth"),
        privacy.is_personal(CandidateProfile, "legal_hold"),
        privacy.is_personal("recruitment.user", "password"),
        privacy.is_personal("recruitment.vacancy", "title"),
    ] == [True, False, True, False]
    assert privacy.personal_fields("recruitment.languageskill") == [
        "language",
        "skill",
        "level",
        "scale",
    ]
    with pytest.raises(KeyError):
        privacy.is_personal("recruitment.candidateprofile", "shoe_size")


def test_privacy_registry_paths_lead_to_a_user(db):
    for label, entry in privacy.REGISTRY.items():
        model = apps.get_model(label)
        for path in entry.subject:
            model.objects.filter(**{path: 1}).exists()  # a wrong path raises FieldError


@pytest.fixture
def everything_about_a(organisation_x, settings, tmp_path):
    """A candidate with a row in every model that holds data about candidates."""
    settings.DOCUMENT_STORAGE_ROOT = str(tmp_path)
    recruiter = make_user(role=Role.RECRUITER, email="r@agency.no")
    user = make_user(
        email="a@example.org", given_name="Astrid", family_name="Berg",
        date_of_birth=date(1995, 5, 17), gender="female", citizenships=["NO"],
        phone="+47 400 00 000", country_of_residence="NO", summary="Water engineer.",
    )  # fmt: skip
    profile = user.candidate_profile
    Education.objects.create(profile=profile, level="master", field_of_study="Hydrology")
    Experience.objects.create(profile=profile, title="Engineer", start_date=date(2019, 1, 1))
    LanguageSkill.objects.create(profile=profile, language="fr", level="B2", scale="cefr")
    make_saved_search(user=user, name="Water jobs")
    NotificationPreference.objects.create(user=user, event_type="vacancy.alert", email=False)
    application = make_application(
        candidate=user, vacancy=make_vacancy(organisation=organisation_x),
        status=ApplicationStatus.NOMINATED,
    )  # fmt: skip
    application.answers = {"motivation": "Clean water."}
    application.match_score = Decimal("0.875")
    application.save()
    ApplicationStatusChange.objects.create(
        application=application, from_status="", to_status="submitted", actor=user, reason="x"
    )
    Evaluation.objects.create(
        application=application, reviewer=recruiter, scores={}, comment="Strong.", total=80
    )
    Note.objects.create(candidate=profile, author=recruiter, body="Call back in May.")
    placement = make_placement(candidate=user, organisation=organisation_x)
    PlacementChecklistItem.objects.create(
        placement=placement, kind="medical", due_date=date(2031, 1, 1)
    )
    PlacementRenewal.objects.create(
        placement=placement, previous_end_date=date(2032, 12, 31), new_end_date=date(2033, 12, 31),
        previous_duty_station=placement.duty_station, duty_station=placement.duty_station,
        actor=recruiter, reason="Extension",
    )  # fmt: skip
    PlacementStatusChange.objects.create(placement=placement, to_status="planned", actor=recruiter)
    services.api_token_issue(user=user)
    make_outbox_message(kind="email", event_type="vacancy.alert", recipient=user)
    privacy.consent_grant(
        profile=profile, purpose=ConsentPurpose.TALENT_POOL, organisation=None,
        expires_at=None, now=application.created_at,
    )  # fmt: skip
    privacy.access_log_record(
        subject_id=user.pk, viewer_id=recruiter.pk, resource="profile", resource_id=profile.pk
    )
    file = io.BytesIO(b"%PDF-1.4 cv")
    documents.document_store(profile=profile, kind="cv", file=file, original_name="cv.pdf")
    services.tombstone_record(objects=[make_saved_search(user=user, name="Gone")], owner=user)
    ExportJob.objects.create(owner=user, kind="applications")
    return user


def test_personal_data_export_covers_every_personal_field(everything_about_a, candidate_b):
    export = privacy.personal_data_export(user=everything_about_a)

    about_candidates = sorted(label for label, e in privacy.REGISTRY.items() if e.subject)
    assert sorted(export) == about_candidates
    for label in about_candidates:
        fields = privacy.REGISTRY[label].fields
        exported = {name for name, kind in fields.items() if kind != SECRET}
        assert export[label], f"no {label} row in the fixture"
        for row in export[label]:
            extra = {"content_base64"} if label == "recruitment.document" else set()
            assert set(row) == exported | extra, label
        personal = [name for name, kind in fields.items() if kind == PERSONAL]
        assert set(personal) <= exported


def test_personal_data_export_holds_the_values_and_nothing_of_others(
    everything_about_a, candidate_b
):
    export = privacy.personal_data_export(user=everything_about_a)

    profile = export["recruitment.candidateprofile"]
    assert [(p["given_name"], p["date_of_birth"], p["citizenships"]) for p in profile] == [
        ("Astrid", "1995-05-17", ["NO"])
    ]
    assert [u["email"] for u in export["recruitment.user"]] == ["a@example.org"]
    assert "password" not in export["recruitment.user"][0]
    assert [(d["original_name"], d["content_base64"]) for d in export["recruitment.document"]] == [
        ("cv.pdf", "JVBERi0xLjQgY3Y=")
    ]
    assert [a["answers"] for a in export["recruitment.application"]] == [
        {"motivation": "Clean water."},
        {},  # the placement's accepted application
    ]
    assert [n["body"] for n in export["recruitment.note"]] == ["Call back in May."]
