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
from recruitment.models.schemes import EligibilityRuleSet, MatchWeights, Scheme
from recruitment.models.users import ApiToken, NotificationPreference, User
from recruitment.models.vacancies import Feed, Vacancy, VacancySource

__all__ = [
    "ApiToken",
    "Application",
    "CandidateProfile",
    "DutyStation",
    "DutyStationClassification",
    "Education",
    "EligibilityRuleSet",
    "Evaluation",
    "Experience",
    "Feed",
    "LanguageSkill",
    "MatchWeights",
    "Note",
    "NotificationPreference",
    "Organisation",
    "OrganisationMembership",
    "Placement",
    "PlacementChecklistItem",
    "PlacementRenewal",
    "ReviewerAssignment",
    "SavedSearch",
    "Scheme",
    "ScorecardTemplate",
    "User",
    "Vacancy",
    "VacancySource",
]
