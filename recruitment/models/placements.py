"""Placements: the assignment that follows an accepted offer (status written only by workflows)."""

from django.conf import settings
from django.db import models

from recruitment.enums import ChecklistItemKind, ContractType, Modality, PlacementStatus
from recruitment.models.applications import Application
from recruitment.models.common import TimeStampedModel, enum_check
from recruitment.models.organisations import DutyStation, Organisation
from recruitment.models.schemes import Scheme


class Placement(TimeStampedModel):
    """An expert's or trainee's assignment at an organisation, from funding to homecoming."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="placement"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="placements"
    )
    duty_station = models.ForeignKey(
        DutyStation, on_delete=models.PROTECT, related_name="placements"
    )
    scheme = models.ForeignKey(
        Scheme, null=True, blank=True, on_delete=models.PROTECT, related_name="placements"
    )
    start_date = models.DateField()
    end_date = models.DateField()
    modality = models.CharField(max_length=10, choices=Modality.choices, default=Modality.ON_SITE)
    contract_type = models.CharField(max_length=20, choices=ContractType.choices)
    status = models.CharField(
        max_length=20, choices=PlacementStatus.choices, default=PlacementStatus.PLANNED
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            enum_check("status", PlacementStatus, "placement_status_valid"),
            enum_check("modality", Modality, "placement_modality_valid"),
            enum_check("contract_type", ContractType, "placement_contract_type_valid"),
            models.CheckConstraint(
                condition=models.Q(end_date__gt=models.F("start_date")),
                name="placement_dates_ordered",
            ),
        ]
        indexes = [models.Index(fields=["duty_station", "status"], name="placement_station")]

    def __str__(self) -> str:
        return f"placement {self.pk}"


class PlacementChecklistItem(TimeStampedModel):
    """A step before, during or after an assignment (funding, visa, debrief...) with a due date."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="checklist")
    kind = models.CharField(max_length=30, choices=ChecklistItemKind.choices)
    due_date = models.DateField()
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["placement", "due_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "kind"], name="checklist_kind_once"),
            enum_check("kind", ChecklistItemKind, "checklist_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of {self.placement_id}"


class PlacementRenewal(models.Model):
    """An extension of a placement's end date (append-only), with the duty station of the term."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="renewals")
    previous_end_date = models.DateField()
    new_end_date = models.DateField()
    previous_duty_station = models.ForeignKey(
        DutyStation, on_delete=models.PROTECT, related_name="+"
    )
    duty_station = models.ForeignKey(DutyStation, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"renewal of {self.placement_id} to {self.new_end_date}"
