"""The data model; every model is importable from here by its explicit name."""

from recruitment.models.applications import Application
from recruitment.models.candidates import CandidateProfile, Education, Experience, LanguageSkill
from recruitment.models.organisations import (
    DutyStation,
    DutyStationClassification,
    Organisation,
    OrganisationMembership,
)
from recruitment.models.placements import Placement
from recruitment.models.schemes import EligibilityRuleSet, Scheme
from recruitment.models.users import ApiToken, User
from recruitment.models.vacancies import Feed, Vacancy, VacancySource

__all__ = [
    "ApiToken",
    "Application",
    "CandidateProfile",
    "DutyStation",
    "DutyStationClassification",
    "Education",
    "EligibilityRuleSet",
    "Experience",
    "Feed",
    "LanguageSkill",
    "Organisation",
    "OrganisationMembership",
    "Placement",
    "Scheme",
    "User",
    "Vacancy",
    "VacancySource",
]
