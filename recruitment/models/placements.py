"""Placements: the assignment that follows an accepted offer (status written only by workflows)."""

from django.db import models

from recruitment.enums import ContractType, Modality, PlacementStatus
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
