"""Erasure of a candidate's personal data (on request or by retention) and the daily purge.

Erasure anonymises in place: rows that feed statistics (the profile, applications with their
vacancy, status and dates, placements, status changes) stay, with every personal field blanked;
rows that are only personal (education, documents, notes, ...) are deleted. Partner
organisations that received the candidate's data get a `candidate.erased` webhook through the
outbox, in the same transaction."""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q

from recruitment.documents import document_storage
from recruitment.enums import (
    ApplicationStatus,
    ConsentPurpose,
    OutboxKind,
    OutboxStatus,
    TombstoneReason,
)
from recruitment.exceptions import ConflictError
from recruitment.idempotency import idempotency_keys_purge
from recruitment.models import (
    ApiToken,
    Application,
    CandidateProfile,
    ConsentRecord,
    Document,
    Education,
    Evaluation,
    Experience,
    IdempotencyKey,
    LanguageSkill,
    Note,
    NotificationPreference,
    PlacementRenewal,
    SavedSearch,
    User,
)
from recruitment.ratelimits import rate_limit_counters_purge
from recruitment.services import tombstone_record
from workflows.models import ApplicationStatusChange, OutboxMessage, PlacementStatusChange
from workflows.outbox import outbox_webhooks_create

logger = logging.getLogger(__name__)

UNSUCCESSFUL = (
    ApplicationStatus.REJECTED,
    ApplicationStatus.WITHDRAWN,
    ApplicationStatus.DECLINED,
    ApplicationStatus.NOT_SELECTED,
)


@dataclass
class ErasureResult:
    """What an erasure did: the profile, and the organisations told about it."""

    profile_id: int
    erased_at: datetime
    notified_organisation_ids: list[int] = field(default_factory=list)
    already_erased: bool = False


def _applications_erase(applications: list[int], now: datetime) -> None:
    """Blank the personal fields of these applications and delete their assessments."""
    Evaluation.objects.filter(application_id__in=applications).delete()
    Note.objects.filter(application_id__in=applications).delete()
    ApplicationStatusChange.objects.filter(application_id__in=applications).update(reason="")
    Application.objects.filter(pk__in=applications).update(
        eligibility_snapshot={},
        answers={},
        match_score=None,
        evaluation_score=None,
        personal_data_erased_at=now,
        updated_at=now,
    )


def candidate_erase(
    *, user: AbstractBaseUser, now: datetime, reason: str = "request"
) -> ErasureResult:
    """Erase everything personal held about candidate `user`, keeping anonymous statistics.

    In one transaction, with the profile row locked: blank the profile and the user (the email
    becomes erased-<id>@erased.invalid, the account inactive, tokens deleted), delete
    education, experience, languages, saved searches, documents (files after commit),
    evaluations and notes, idempotency records and undelivered emails, withdraw consents, blank
    the applications' personal fields and the status changes' reasons (and the candidate as
    their actor), then queue a `candidate.erased` webhook for every organisation that received
    the data (nominations, sharing consents). The access log stays (append-only).

    Raises ConflictError(code="legal_hold") while the profile is on legal hold. Erasing an
    erased candidate again changes nothing (`already_erased`)."""
    with transaction.atomic():
        profile = CandidateProfile.objects.select_for_update().get(user=user)
        if profile.personal_data_erased_at is not None:
            return ErasureResult(profile.pk, profile.personal_data_erased_at, already_erased=True)
        if profile.legal_hold:
            raise ConflictError(
                "This profile is under a legal hold; its data cannot be erased now.",
                code="legal_hold",
            )
        applications = Application.objects.filter(candidate=profile)
        nominated = applications.filter(nominated_at__isnull=False)
        receivers: dict[int, list[int]] = {}
        for application_id, organisation_id in nominated.values_list(
            "pk", "vacancy__organisation_id"
        ):
            receivers.setdefault(organisation_id, []).append(application_id)
        shared = ConsentRecord.objects.filter(
            profile=profile, purpose=ConsentPurpose.PARTNER_SHARING
        ).values_list("organisation_id", flat=True)
        for organisation_id in shared:
            receivers.setdefault(organisation_id, [])

        _applications_erase(list(applications.values_list("pk", flat=True)), now)
        ApplicationStatusChange.objects.filter(application__candidate=profile, actor=user).update(
            actor=None
        )
        PlacementStatusChange.objects.filter(placement__application__candidate=profile).update(
            reason=""
        )
        PlacementRenewal.objects.filter(placement__application__candidate=profile).update(reason="")
        # Mirroring clients learn of the erasure from tombstones (GET deletions/): the profile
        # and the rows deleted here. Staff alone see those of the internal notes.
        erased = TombstoneReason.ERASED
        tombstone_record(objects=[profile], reason=erased, owner=user)
        for model in (Education, Experience, LanguageSkill, Document):
            tombstone_record(
                objects=model.objects.filter(profile=profile).only("pk"), reason=erased, owner=user
            )
        tombstone_record(objects=SavedSearch.objects.filter(user=user).only("pk"), reason=erased,
                         owner=user)  # fmt: skip
        tombstone_record(objects=Note.objects.filter(candidate=profile).only("pk"), reason=erased)
        for model in (Education, Experience, LanguageSkill):
            model.objects.filter(profile=profile).delete()
        Note.objects.filter(candidate=profile).delete()
        storage_names = list(
            Document.objects.filter(profile=profile).values_list("storage_name", flat=True)
        )
        Document.objects.filter(profile=profile).delete()
        ConsentRecord.objects.filter(profile=profile, withdrawn_at__isnull=True).update(
            withdrawn_at=now
        )
        SavedSearch.objects.filter(user=user).delete()
        NotificationPreference.objects.filter(user=user).delete()
        ApiToken.objects.filter(user=user).delete()
        IdempotencyKey.objects.filter(caller=f"user:{user.pk}").delete()
        OutboxMessage.objects.filter(recipient=user, kind=OutboxKind.EMAIL).exclude(
            status=OutboxStatus.DELIVERED
        ).delete()
        OutboxMessage.objects.filter(recipient=user).update(last_error="")

        profile.given_name = profile.family_name = profile.gender = profile.phone = ""
        profile.summary = profile.country_of_residence = ""
        profile.date_of_birth = None
        profile.citizenships, profile.skills, profile.preferred_countries = [], [], []
        profile.personal_data_erased_at = now
        profile.save()
        User.objects.filter(pk=user.pk).update(
            email=f"erased-{user.pk}@erased.invalid",
            name="",
            password="!erased",  # an unusable password (Django's "!" prefix)
            last_login=None,
            is_active=False,
            language=User._meta.get_field("language").default,
            updated_at=now,
        )
        for organisation_id, application_ids in sorted(receivers.items()):
            outbox_webhooks_create(
                event_type="candidate.erased",
                payload={
                    "candidate": profile.pk,
                    "applications": sorted(application_ids),
                    "erased_at": now.isoformat(),
                },
                organisation_id=organisation_id,
            )
        transaction.on_commit(lambda: _delete_files(storage_names))
    logger.info(
        "candidate erased",
        extra={"profile": profile.pk, "reason": reason, "organisations": len(receivers)},
    )
    return ErasureResult(profile.pk, now, sorted(receivers))


def _delete_files(names: list[str]) -> None:
    storage = document_storage()
    for name in names:
        storage.delete(name)


@dataclass
class PurgeResult:
    """Counts of one retention purge."""

    applications: int = 0
    profiles: int = 0
    held: int = 0
    idempotency_keys: int = 0
    rate_limit_counters: int = 0


def personal_data_purge(*, now: datetime) -> PurgeResult:
    """The retention purge: erase the personal data of applications past their stage's
    retention (unsuccessful: RETENTION_UNSUCCESSFUL_APPLICATION_DAYS after the last status
    change; accepted: RETENTION_PLACED_APPLICATION_DAYS), then erase candidates whose
    applications are all purged, whose profile has not changed for
    RETENTION_INACTIVE_PROFILE_DAYS and who hold no talent-pool consent in force. Profiles on
    legal hold are skipped (counted as `held`). Also drops expired idempotency keys and rate
    counters. Safe to run twice: erased rows no longer match."""
    result = PurgeResult()
    days = timedelta(days=1)
    due = Q(
        status__in=UNSUCCESSFUL,
        status_changed_at__lt=now - settings.RETENTION_UNSUCCESSFUL_APPLICATION_DAYS * days,
    ) | Q(
        status=ApplicationStatus.ACCEPTED,
        status_changed_at__lt=now - settings.RETENTION_PLACED_APPLICATION_DAYS * days,
    )
    expired = Application.objects.filter(due, personal_data_erased_at__isnull=True)
    result.held += expired.filter(candidate__legal_hold=True).count()
    with transaction.atomic():
        ids = list(
            expired.filter(candidate__legal_hold=False)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        _applications_erase(ids, now)
    result.applications = len(ids)

    in_force = ConsentRecord.objects.filter(
        purpose=ConsentPurpose.TALENT_POOL, withdrawn_at__isnull=True
    ).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
    inactive = (
        CandidateProfile.objects.filter(
            personal_data_erased_at__isnull=True,
            updated_at__lt=now - settings.RETENTION_INACTIVE_PROFILE_DAYS * days,
        )
        .exclude(
            pk__in=Application.objects.filter(personal_data_erased_at__isnull=True).values(
                "candidate_id"
            )
        )
        .exclude(pk__in=in_force.values("profile_id"))
    )
    result.held += inactive.filter(legal_hold=True).count()
    for profile in inactive.filter(legal_hold=False).select_related("user"):
        candidate_erase(user=profile.user, now=now, reason="retention")
        result.profiles += 1
    result.idempotency_keys = idempotency_keys_purge(now=now)
    result.rate_limit_counters = rate_limit_counters_purge(now=now)
    return result
