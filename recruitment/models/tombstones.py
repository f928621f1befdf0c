"""Tombstones: what was deleted or erased, for clients that mirror our data."""

from django.conf import settings
from django.db import models

from recruitment.enums import TombstoneReason
from recruitment.models.common import enum_check
from recruitment.models.organisations import Organisation


class Tombstone(models.Model):
    """One deleted or erased record: its model, its id, when, why, and who may learn of it."""

    model_label = models.CharField(max_length=100)  # "recruitment.education"
    object_id = models.CharField(max_length=64)
    reason = models.CharField(max_length=10, choices=TombstoneReason.choices)
    deleted_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # The user whose record it was (the candidate, the subscription's owner): they and staff
    # see the tombstone. Null when the owner is gone too (then staff only).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A partner organisation's record (a subscription): its members see the tombstone too.
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["deleted_at", "id"]
        constraints = [enum_check("reason", TombstoneReason, "tombstone_reason_valid")]
        indexes = [models.Index(fields=["owner", "deleted_at"], name="tombstone_owner_time")]

    def __str__(self) -> str:
        return f"{self.reason} {self.model_label}:{self.object_id}"
