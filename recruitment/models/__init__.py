"""The data model; every model is importable from here by its explicit name."""

from recruitment.models.applications import Application
from recruitment.models.candidates import (
    CandidateProfile,
    Education,
    Experience,
    LanguageSkill,
    SavedSearch,
)
from recruitment.models.evaluations import Evaluation, Note, ReviewerAssignment, ScorecardTemplate
from recruitment.models.organisations import (
    DutyStation,
    DutyStationClassification,
    Organisation,
    OrganisationMembership,
)
from recruitment.models.placements import Placement, PlacementChecklistItem, PlacementRenewal
from recruitment.models.privacy import (
    AccessLogEntry,
    ConsentRecord,
    Document,
    IdempotencyKey,
    RateLimitCounter,
)
from recruitment.models.schemes import EligibilityRuleSet, MatchWeights, Scheme
from recruitment.models.tombstones import Tombstone
from recruitment.models.users import ApiToken, NotificationPreference, User
from recruitment.models.vacancies import Feed, Vacancy, VacancySource

__all__ = [
    "AccessLogEntry",
    "ApiToken",
    "Application",
    "CandidateProfile",
    "ConsentRecord",
    "Document",
    "DutyStation",
    "DutyStationClassification",
    "Education",
    "EligibilityRuleSet",
    "Evaluation",
    "Experience",
    "Feed",
    "IdempotencyKey",
    "LanguageSkill",
    "MatchWeights",
    "Note",
    "NotificationPreference",
    "Organisation",
    "OrganisationMembership",
    "Placement",
    "PlacementChecklistItem",
    "PlacementRenewal",
    "RateLimitCounter",
    "ReviewerAssignment",
    "SavedSearch",
    "Scheme",
    "ScorecardTemplate",
    "Tombstone",
    "User",
    "Vacancy",
    "VacancySource",
]
