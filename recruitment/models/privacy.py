"""Security and privacy records: documents, consents, the access log, idempotency keys and
rate-limit counters."""

from django.conf import settings
from django.db import models

from recruitment.enums import AccessedResource, ConsentPurpose, DocumentKind
from recruitment.models.candidates import CandidateProfile
from recruitment.models.common import TimeStampedModel, enum_check
from recruitment.models.organisations import Organisation


class Document(TimeStampedModel):
    """A CV or diploma a candidate uploaded; stored privately under a random name."""

    profile = models.ForeignKey(
        CandidateProfile, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(max_length=10, choices=DocumentKind.choices)
    # Random, unguessable; the file's only name in storage (never derived from the upload).
    storage_name = models.CharField(max_length=100, unique=True)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100)  # as sniffed from the content
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["profile", "id"]
        constraints = [enum_check("kind", DocumentKind, "document_kind_valid")]

    def __str__(self) -> str:
        return f"document {self.pk} of {self.profile_id}"


class ConsentRecord(TimeStampedModel):
    """A consent a candidate gave (talent pool, sharing with one partner), until it expires or
    is withdrawn. Rows are never deleted while the profile lives: they are the proof."""

    profile = models.ForeignKey(CandidateProfile, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=20, choices=ConsentPurpose.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["profile", "id"]
        constraints = [
            enum_check("purpose", ConsentPurpose, "consent_purpose_valid"),
            models.CheckConstraint(
                condition=models.Q(
                    purpose=ConsentPurpose.PARTNER_SHARING, organisation__isnull=False
                )
                | (
                    ~models.Q(purpose=ConsentPurpose.PARTNER_SHARING)
                    & models.Q(organisation__isnull=True)
                ),
                name="consent_organisation_iff_sharing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} consent of {self.profile_id}"


class AccessLogEntry(models.Model):
    """One read of a candidate's profile or document by someone other than the candidate.
    Append-only: a database trigger refuses UPDATE (migration 0004)."""

    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_log"
    )
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    viewer_role = models.CharField(max_length=20)
    viewer_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resource = models.CharField(max_length=10, choices=AccessedResource.choices)
    resource_id = models.BigIntegerField()
    accessed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["subject", "-id"]
        indexes = [models.Index(fields=["subject", "-id"], name="access_log_subject")]
        constraints = [enum_check("resource", AccessedResource, "access_log_resource_valid")]

    def __str__(self) -> str:
        return f"{self.resource} {self.resource_id} read by {self.viewer_id}"


class IdempotencyKey(models.Model):
    """The first result of a POST sent with an `Idempotency-Key`, per caller; replayed for the
    same key and body until it expires. `response_status` is NULL while the first request runs."""

    caller = models.CharField(max_length=80)  # "user:<id>", or "ip:<address>" when anonymous
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)  # SHA-256 of method, path and body
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_headers = models.JSONField(default=dict, blank=True)
    response_body = models.BinaryField(default=b"", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["caller", "key"], name="idempotency_key_once")
        ]
        indexes = [models.Index(fields=["expires_at"], name="idempotency_key_expiry")]

    def __str__(self) -> str:
        return f"idempotency key {self.pk}"


class RateLimitCounter(models.Model):
    """Hits of one limit key (scope and caller or IP) in one fixed window; shared by every web
    process through one atomic upsert."""

    key = models.CharField(max_length=150)
    window_start = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="rate_limit_window_once")
        ]
        indexes = [models.Index(fields=["expires_at"], name="rate_limit_expiry")]

    def __str__(self) -> str:
        return f"{self.key} at {self.window_start}"
