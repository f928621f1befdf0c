"""Personal data: the registry that classifies every model field, and the access log.

Other code asks the registry which fields are personal (`is_personal`, `personal_fields`),
e.g. to leave them out of CSV exports; tests/recruitment/test_privacy.py fails when a model
field is not classified."""

import base64
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone

from recruitment.enums import ConsentPurpose
from recruitment.exceptions import DomainValidationError
from recruitment.models import (
    AccessLogEntry,
    CandidateProfile,
    ConsentRecord,
    Document,
    Organisation,
    User,
)
from recruitment.selectors import organisation_of, role_of


def access_log_record(*, subject_id: int, viewer_id: int, resource: str, resource_id: int) -> None:
    """Append one read of a candidate's data by someone other than the candidate."""
    access_log_record_many(
        viewer=User.objects.get(pk=viewer_id), resource=resource, reads=[(subject_id, resource_id)]
    )


def access_log_record_many(
    *, viewer: User, resource: str, reads: Iterable[tuple[int, int]]
) -> None:
    """Append reads of (subject user id, resource id) by `viewer`, skipping the viewer's own
    data. One row per read: a list of profiles logs every profile on the page, in one
    statement (a page of 200 reads costs no more Python than one)."""
    viewer_id = viewer.pk
    reads = [(subject, resource_id) for subject, resource_id in reads if subject != viewer_id]
    if not reads:
        return
    organisation = organisation_of(viewer)
    with connection.cursor() as cursor:
        # bandit B608, accepted 2026-11-28: the table name comes from the model's metadata.
        cursor.execute(
            f"INSERT INTO {AccessLogEntry._meta.db_table} (subject_id, viewer_id, viewer_role, "  # nosec B608
            "viewer_organisation_id, resource, resource_id, accessed_at) "
            "SELECT subject, %s, %s, %s, %s, resource_id, %s "
            "FROM unnest(%s::bigint[], %s::bigint[]) AS read(subject, resource_id)",
            [
                viewer_id, role_of(viewer) or "", organisation.pk if organisation else None,
                resource, timezone.now(), [subject for subject, _ in reads],
                [resource_id for _, resource_id in reads],
            ],
        )  # fmt: skip


PERSONAL = "personal"  # describes or identifies a person; erased with the person's data
OTHER = "other"  # workflow state, reference data, keys and timestamps: kept for statistics
SECRET = "secret"  # credentials and storage handles: personal or not, never exported

_META = {"id": OTHER, "created_at": OTHER, "updated_at": OTHER}


@dataclass(frozen=True)
class ModelPrivacy:
    """How one model's fields are classified, and how its rows lead to the candidate (user) they
    are about: ORM paths from the model to a User, any of which may match (empty: the model
    holds nobody's candidate data, e.g. reference data or staff records)."""

    fields: Mapping[str, str]
    subject: tuple[str, ...] = ()


def _model(fields: dict[str, str], *subject: str) -> ModelPrivacy:
    return ModelPrivacy(fields={**_META, **fields}, subject=subject)


_P, _O, _S = PERSONAL, OTHER, SECRET
_STATUS_CHANGE = {
    "from_status": _O, "to_status": _O, "actor": _P, "reason": _P, "reason_code": _O,
    "forced": _O,
}  # fmt: skip

# Every concrete field of every model of our apps, classified. A new field or model fails
# tests/recruitment/test_privacy.py until it is added here.
REGISTRY: dict[str, ModelPrivacy] = {
    "recruitment.user": _model(
        {
            "password": _S,
            "last_login": _P,
            "is_superuser": _O,
            "email": _P,
            "name": _P,
            "role": _O,
            "is_api_client": _O,
            "api_client_scopes": _O,
            "is_active": _O,
            "is_staff": _O,
            "language": _P,
        },
        "pk",
    ),
    "recruitment.apitoken": _model(
        {"user": _O, "key_hash": _S, "scopes": _O, "expires_at": _O, "revoked_at": _O}, "user"
    ),
    "recruitment.notificationpreference": _model(
        {"user": _O, "event_type": _O, "email": _O}, "user"
    ),
    "recruitment.candidateprofile": _model(
        {
            "user": _O,
            "given_name": _P,
            "family_name": _P,
            "date_of_birth": _P,
            "gender": _P,
            "citizenships": _P,
            "phone": _P,
            "country_of_residence": _P,
            "summary": _P,
            "legal_hold": _O,
            "personal_data_erased_at": _O,
            "skills": _P,
            "preferred_countries": _P,
            # The full-text index of skills, experience titles and education: not data of its
            # own; the database triggers recompute it (to empty) when those are erased.
            "search_vector": _O,
            # The shortlist's facts about languages, degrees and jobs: derived from personal
            # lists, so personal; the same triggers recompute them (to empty) on erasure.
            "match_languages": _P,
            "match_degree_rank": _P,
            "match_experience_days": _P,
            "match_open_job_starts": _P,
        },
        "user",
    ),
    "recruitment.education": _model(
        {
            "profile": _O,
            "level": _P,
            "field_of_study": _P,
            "institution": _P,
            "country": _P,
            "completed_on": _P,
        },
        "profile__user",
    ),
    "recruitment.experience": _model(
        {
            "profile": _O,
            "title": _P,
            "employer": _P,
            "country": _P,
            "start_date": _P,
            "end_date": _P,
            "is_international": _P,
        },
        "profile__user",
    ),
    "recruitment.languageskill": _model(
        {"profile": _O, "language": _P, "skill": _P, "level": _P, "scale": _P}, "profile__user"
    ),
    "recruitment.savedsearch": _model(
        {"user": _O, "name": _P, "criteria": _P, "frequency": _O, "last_notified_at": _O}, "user"
    ),
    "recruitment.document": _model(
        {
            "profile": _O,
            "kind": _O,
            "storage_name": _S,
            "original_name": _P,
            "content_type": _O,
            "size": _O,
            "sha256": _P,
        },
        "profile__user",
    ),
    "recruitment.consentrecord": _model(
        {
            "profile": _O,
            "purpose": _O,
            "organisation": _O,
            "granted_at": _O,
            "expires_at": _O,
            "withdrawn_at": _O,
        },
        "profile__user",
    ),
    "recruitment.accesslogentry": ModelPrivacy(
        fields={
            "id": _O,
            "subject": _O,
            "viewer": _P,
            "viewer_role": _O,
            "viewer_organisation": _O,
            "resource": _O,
            "resource_id": _O,
            "accessed_at": _O,
        },
        subject=("subject",),
    ),
    "recruitment.application": _model(
        {
            "candidate": _O,
            "vacancy": _O,
            "status": _O,
            "status_changed_at": _O,
            "nominated_at": _O,
            "eligibility_snapshot": _P,
            # Generated from the snapshot: blanking the snapshot makes it false.
            "eligible": _P,
            "match_score": _P,
            "evaluation_score": _P,
            "answers": _P,
            "version": _O,
            "personal_data_erased_at": _O,
        },
        "candidate__user",
    ),
    "recruitment.evaluation": _model(
        {"application": _O, "reviewer": _P, "scores": _P, "comment": _P, "total": _P},
        "application__candidate__user",
    ),
    "recruitment.note": _model(
        {"application": _O, "candidate": _O, "author": _P, "body": _P},
        "candidate__user",
        "application__candidate__user",
    ),
    "recruitment.placement": _model(
        {
            "application": _O,
            "organisation": _O,
            "duty_station": _O,
            "scheme": _O,
            "start_date": _O,
            "end_date": _O,
            "modality": _O,
            "contract_type": _O,
            "status": _O,
            "status_changed_at": _O,
            "version": _O,
        },
        "application__candidate__user",
    ),
    "recruitment.placementchecklistitem": _model(
        {"placement": _O, "kind": _O, "due_date": _O, "completed_at": _O, "completed_by": _P},
        "placement__application__candidate__user",
    ),
    "recruitment.placementrenewal": _model(
        {
            "placement": _O,
            "previous_end_date": _O,
            "new_end_date": _O,
            "previous_duty_station": _O,
            "duty_station": _O,
            "actor": _P,
            "reason": _P,
        },
        "placement__application__candidate__user",
    ),
    "workflows.applicationstatuschange": _model(
        {"application": _O, **_STATUS_CHANGE}, "application__candidate__user"
    ),
    "workflows.placementstatuschange": _model(
        {"placement": _O, **_STATUS_CHANGE}, "placement__application__candidate__user"
    ),
    "workflows.outboxmessage": _model(
        {
            "kind": _O,
            "event_type": _O,
            "event_id": _O,
            "recipient": _P,
            "subscription": _O,
            "payload": _O,
            "status": _O,
            "attempts": _O,
            "next_attempt_at": _O,
            "lease_until": _O,
            "last_error": _P,
            "delivered_at": _O,
        },
        "recipient",
    ),
    # Staff, partners and machinery: nobody's candidate data, but some fields name a person.
    "recruitment.organisationmembership": _model({"user": _P, "organisation": _O}),
    "recruitment.reviewerassignment": _model({"vacancy": _O, "reviewer": _P}),
    "recruitment.idempotencykey": ModelPrivacy(
        fields={
            "id": _O,
            "caller": _P,
            "key": _O,
            "fingerprint": _O,
            "response_status": _O,
            "response_headers": _O,
            "response_body": _P,
            "created_at": _O,
            "expires_at": _O,
        }
    ),
    "recruitment.ratelimitcounter": ModelPrivacy(
        fields={"id": _O, "key": _P, "window_start": _O, "hits": _O, "expires_at": _O}
    ),
    "workflows.vacancystatuschange": _model({"vacancy": _O, **_STATUS_CHANGE}),
    "workflows.webhooksubscription": _model(
        {
            "owner": _P,
            "organisation": _O,
            "url": _O,
            "event_types": _O,
            "secret": _S,
            "previous_secret": _S,
            "previous_secret_expires_at": _O,
            "is_active": _O,
            "disabled_reason": _O,
        }
    ),
    "workflows.webhookdelivery": _model(
        {
            "subscription": _O,
            "message": _O,
            "attempt": _O,
            "status_code": _O,
            "latency_ms": _O,
            "error": _O,
        }
    ),
    # A background CSV export: its criteria are list filters, its file a storage handle.
    "workflows.exportjob": _model(
        {
            "owner": _O,
            "kind": _O,
            "criteria": _O,
            "include_personal": _O,
            "status": _O,
            "rows_total": _O,
            "rows_written": _O,
            "file_name": _S,
            "error": _O,
            "started_at": _O,
            "finished_at": _O,
            "expires_at": _O,
        },
        "owner",
    ),
    # What was deleted or erased (a model label and an id): nothing of the record itself.
    "recruitment.tombstone": ModelPrivacy(
        fields={
            "id": _O,
            "model_label": _O,
            "object_id": _O,
            "reason": _O,
            "deleted_at": _O,
            "owner": _O,
            "organisation": _O,
        },
        subject=("owner",),
    ),
    "workflows.feedrun": _model(
        {
            "feed": _O,
            "status": _O,
            "trigger": _O,
            "started_at": _O,
            "finished_at": _O,
            "created": _O,
            "updated": _O,
            "unchanged": _O,
            "missing": _O,
            "closed": _O,
            "rejected": _O,
            "rejected_items": _O,
            "error_code": _O,
            "error": _O,
        }
    ),
    "recruitment.organisation": _model(
        {"slug": _O, "name": _O, "acronym": _O, "kind": _O, "parent": _O, "needs_review": _O}
    ),
    "recruitment.dutystation": _model({"city": _O, "country": _O}),
    "recruitment.dutystationclassification": _model(
        {"duty_station": _O, "hardship": _O, "family_status": _O, "effective_from": _O}
    ),
    "recruitment.scheme": _model(
        {
            "code": _O,
            "name": _O,
            "description": _O,
            "employer_of_record": _O,
            "max_duration_months": _O,
            "allows_recruiter_override": _O,
            "max_days_in_stage": _O,
        }
    ),
    "recruitment.eligibilityruleset": _model(
        {"scheme": _O, "donor": _O, "version": _O, "effective_from": _O, "rules": _O}
    ),
    "recruitment.scorecardtemplate": _model({"name": _O, "criteria": _O}),
    "recruitment.matchweights": _model(
        {
            "scheme": _O,
            "eligibility": _O,
            "languages": _O,
            "experience": _O,
            "education": _O,
            "skills": _O,
            "duty_station": _O,
        }
    ),
    "recruitment.vacancy": _model(
        {
            "modality": _O,
            "skills": _O,
            "required_languages": _O,
            "search_vector": _O,
            "organisation": _O,
            "scheme": _O,
            "title": _O,
            "reference": _O,
            "grade": _O,
            "grade_raw": _O,
            "category": _O,
            "contract_type": _O,
            "number_of_posts": _O,
            "opens_at": _O,
            "closes_at": _O,
            "closes_at_raw": _O,
            "closes_at_zone": _O,
            "closes_at_status": _O,
            "fingerprint": _O,
            "description": _O,
            "planned_start_date": _O,
            "planned_end_date": _O,
            "rule_set": _O,
            "scorecard_template": _O,
            "blind_review": _O,
            "status": _O,
            "status_changed_at": _O,
            "funding_status": _O,
            "created_by": _P,
        }
    ),
    "recruitment.feed": _model(
        {
            "kind": _O,
            "url": _O,
            "organisation": _O,
            "name": _O,
            "interval_minutes": _O,
            "enabled": _O,
            "etag": _O,
            "last_modified": _O,
            "document_hash": _O,
            "last_success_at": _O,
            "last_error": _O,
            "consecutive_failures": _O,
        }
    ),
    "recruitment.vacancysource": _model(
        {
            "vacancy": _O,
            "feed": _O,
            "external_id": _O,
            "url": _O,
            "raw_payload": _O,
            "content_hash": _O,
            "first_seen_at": _O,
            "last_seen_at": _O,
            "missing_count": _O,
        }
    ),
}
# Apps whose models must all be classified (third-party apps keep their own records).
CLASSIFIED_APPS = ("recruitment", "workflows")


def _label(model: type[models.Model] | str) -> str:
    return model if isinstance(model, str) else model._meta.label_lower


def is_personal(model: type[models.Model] | str, field: str) -> bool:
    """Whether `field` of `model` ("app.model" or the class) holds personal data (secrets count
    as personal). Unknown models or fields raise KeyError: classify them first."""
    return REGISTRY[_label(model)].fields[field] in (PERSONAL, SECRET)


def personal_fields(model: type[models.Model] | str) -> list[str]:
    """The personal (and secret) fields of a model, in registry order."""
    return [
        name for name, kind in REGISTRY[_label(model)].fields.items() if kind in (PERSONAL, SECRET)
    ]


def unclassified_fields() -> list[str]:
    """ "app.model.field" of every concrete field missing from the registry (and registered
    fields that no longer exist), for the test that keeps the registry complete."""
    missing = []
    for model in apps.get_models():
        if model._meta.app_label not in CLASSIFIED_APPS:
            continue
        label = model._meta.label_lower
        known = REGISTRY.get(label, ModelPrivacy(fields={})).fields
        names = {field.name for field in model._meta.concrete_fields}
        missing += [f"{label}.{name}" for name in sorted(names - set(known))]
        missing += [f"{label}.{name} (gone)" for name in sorted(set(known) - names)]
    return missing


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    return value


def personal_data_export(*, user: User) -> dict[str, object]:
    """Everything held about `user` as a candidate: for every model with a subject path, every
    row about them with all fields but secrets (foreign keys as ids), plus each document's
    content in base64. Keys are "app.model"; models without rows are present with []."""
    export: dict[str, object] = {}
    for label, privacy in REGISTRY.items():
        if not privacy.subject:
            continue
        model = apps.get_model(label)
        condition = Q()
        for path in privacy.subject:
            condition |= Q(**{path: user.pk})
        columns = {
            name: model._meta.get_field(name).attname
            for name, kind in privacy.fields.items()
            if kind != SECRET
        }
        rows = model.objects.filter(condition).order_by("pk").values(*columns.values())
        export[label] = [
            {name: _plain(row[column]) for name, column in columns.items()} for row in rows
        ]
    from recruitment.documents import document_storage  # documents imports this module

    storage = document_storage()
    for row in export["recruitment.document"]:
        document = Document.objects.get(pk=row["id"])
        with storage.open(document.storage_name, "rb") as file:
            row["content_base64"] = base64.b64encode(file.read()).decode()
    return export


def consent_grant(
    *,
    profile: CandidateProfile,
    purpose: str,
    organisation: Organisation | None,
    expires_at: datetime | None,
    now: datetime,
) -> ConsentRecord:
    """Record a consent. A talent-pool consent expires after TALENT_POOL_CONSENT_DAYS unless an
    earlier expiry is given; sharing needs an organisation, the talent pool none.

    Raises DomainValidationError (code="organisation_required", "organisation_not_allowed",
    "expiry_in_past" or "expiry_too_late")."""
    sharing = purpose == ConsentPurpose.PARTNER_SHARING
    if sharing and organisation is None:
        raise DomainValidationError(
            "Sharing needs the organisation to share with.", code="organisation_required"
        )
    if not sharing and organisation is not None:
        raise DomainValidationError(
            "Only a sharing consent names an organisation.", code="organisation_not_allowed"
        )
    if expires_at is not None and expires_at <= now:
        raise DomainValidationError("The expiry must be in the future.", code="expiry_in_past")
    if purpose == ConsentPurpose.TALENT_POOL:
        longest = now + timedelta(days=settings.TALENT_POOL_CONSENT_DAYS)
        if expires_at is not None and expires_at > longest:
            raise DomainValidationError(
                f"A talent-pool consent lasts at most {settings.TALENT_POOL_CONSENT_DAYS} days.",
                code="expiry_too_late",
            )
        expires_at = expires_at or longest
    return ConsentRecord.objects.create(
        profile=profile,
        purpose=purpose,
        organisation=organisation,
        granted_at=now,
        expires_at=expires_at,
    )


def consent_withdraw(*, consent: ConsentRecord, now: datetime) -> ConsentRecord:
    """Withdraw a consent from now on; withdrawing twice keeps the first time."""
    ConsentRecord.objects.filter(pk=consent.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=now, updated_at=now
    )
    consent.refresh_from_db()
    return consent
