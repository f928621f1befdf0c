"""Organisations (UN agencies, donors, partners), their members, and duty stations."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django_countries.fields import CountryField

from recruitment.enums import FamilyStatus, HardshipClass, OrganisationKind
from recruitment.models.common import TimeStampedModel, enum_check


class Organisation(TimeStampedModel):
    """A UN agency, international organisation, donor or partner."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    acronym = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Created from a feed item naming an organisation we did not know: a person should check it.
    needs_review = models.BooleanField(default=False)

    class Meta:
        ordering = ["slug"]
        constraints = [enum_check("kind", OrganisationKind, "organisation_kind_valid")]

    def __str__(self) -> str:
        return self.acronym or self.name


class OrganisationMembership(TimeStampedModel):
    """A partner user's membership of one organisation; it scopes what they see and edit."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )

    def __str__(self) -> str:
        return f"{self.user_id} in {self.organisation_id}"


class DutyStation(TimeStampedModel):
    """A city where people are posted."""

    city = models.CharField(max_length=120)
    country = CountryField()

    class Meta:
        ordering = ["country", "city"]
        constraints = [
            models.UniqueConstraint("country", Lower("city"), name="duty_station_unique_city")
        ]

    def __str__(self) -> str:
        return f"{self.city}, {self.country.code}"


class DutyStationClassification(TimeStampedModel):
    """ICSC hardship class and family status of a duty station from a date on; never overwritten."""

    duty_station = models.ForeignKey(
        DutyStation, on_delete=models.CASCADE, related_name="classifications"
    )
    hardship = models.CharField(max_length=1, choices=HardshipClass.choices)
    family_status = models.CharField(max_length=20, choices=FamilyStatus.choices)
    effective_from = models.DateField()

    class Meta:
        ordering = ["duty_station", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["duty_station", "effective_from"], name="classification_unique_date"
            ),
            enum_check("hardship", HardshipClass, "classification_hardship_valid"),
            enum_check("family_status", FamilyStatus, "classification_family_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.duty_station_id} {self.hardship}/{self.family_status} {self.effective_from}"
