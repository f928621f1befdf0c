"""Enumerations shared by every layer; their values are part of the API contract."""

from django.db import models


class Role(models.TextChoices):
    CANDIDATE = "candidate", "Candidate"
    RECRUITER = "recruiter", "Recruiter"
    PARTNER = "partner", "Partner organisation member"
    ADMIN = "admin", "Administrator"


class Language(models.TextChoices):
    """Languages the service writes to people in."""

    ENGLISH = "en", "English"
    NORWEGIAN_BOKMAL = "nb", "Norsk bokmål"


class OrganisationKind(models.TextChoices):
    UN_AGENCY = "un_agency", "UN agency"
    INTERNATIONAL = "international", "Other international organisation"
    DONOR = "donor", "Donor"
    PARTNER = "partner", "Partner"


class HardshipClass(models.TextChoices):
    H = "H", "H (headquarters)"
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"
    E = "E", "E"


class FamilyStatus(models.TextChoices):
    FAMILY = "family", "Family"
    NON_FAMILY = "non_family", "Non-family"


class Grade(models.TextChoices):
    """Normalised grades; the raw spelling is always stored beside it."""

    P1 = "P-1", "P-1"
    P2 = "P-2", "P-2"
    P3 = "P-3", "P-3"
    P4 = "P-4", "P-4"
    P5 = "P-5", "P-5"
    D1 = "D-1", "D-1"
    D2 = "D-2", "D-2"
    NOA = "NO-A", "NO-A"
    NOB = "NO-B", "NO-B"
    NOC = "NO-C", "NO-C"
    NOD = "NO-D", "NO-D"
    NOE = "NO-E", "NO-E"
    G1 = "G-1", "G-1"
    G2 = "G-2", "G-2"
    G3 = "G-3", "G-3"
    G4 = "G-4", "G-4"
    G5 = "G-5", "G-5"
    G6 = "G-6", "G-6"
    G7 = "G-7", "G-7"
    FS1 = "FS-1", "FS-1"
    FS2 = "FS-2", "FS-2"
    FS3 = "FS-3", "FS-3"
    FS4 = "FS-4", "FS-4"
    FS5 = "FS-5", "FS-5"
    FS6 = "FS-6", "FS-6"
    FS7 = "FS-7", "FS-7"
    UNV = "UNV", "UN Volunteer"
    CONSULTANT = "CONSULTANT", "Consultant"
    INTERN = "INTERN", "Intern"


class VacancyStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    CLOSED = "closed", "Closed"
    FILLED = "filled", "Filled"
    CANCELLED = "cancelled", "Cancelled"


class FundingStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", "Unconfirmed"
    CONFIRMED = "confirmed", "Confirmed"


class ContractType(models.TextChoices):
    TEMPORARY = "temporary", "Temporary appointment"
    FIXED_TERM = "fixed_term", "Fixed-term appointment"
    CONSULTANCY = "consultancy", "Consultancy"
    VOLUNTEER = "volunteer", "Volunteer assignment"
    INTERNSHIP = "internship", "Internship"
    SECONDMENT = "secondment", "Secondment"


class FeedKind(models.TextChoices):
    RELIEFWEB = "reliefweb", "ReliefWeb API v2 jobs"
    UNCAREERS = "uncareers", "careers.un.org JSON"
    RSS = "rss", "RSS 2.0 / Atom"
    JSONLD = "jsonld", "schema.org JobPosting JSON-LD"
    PARTNER = "partner", "Partner bulk JSON"


class FeedRunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    NOT_MODIFIED = "not_modified", "Not modified since the last fetch"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Skipped: another sync of this feed was running"


class DeadlineStatus(models.TextChoices):
    """How a deadline text was read; a vacancy keeps it beside the raw text."""

    PARSED = "parsed", "Parsed"
    MISSING = "missing", "Missing: the source gave none"
    AMBIGUOUS = "ambiguous", "Ambiguous: day/month order unknown or contradictory"
    RELATIVE = "relative", "Relative to the fetch time"
    UNPARSEABLE = "unparseable", "Present but unreadable"


class AlertFrequency(models.TextChoices):
    INSTANT = "instant", "As soon as a vacancy matches"
    DAILY = "daily", "A daily digest"


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNDISCLOSED = "undisclosed", "Prefers not to say"


class DegreeLevel(models.TextChoices):
    SECONDARY = "secondary", "Secondary"
    BACHELOR = "bachelor", "Bachelor's"
    MASTER = "master", "Master's"
    DOCTORATE = "doctorate", "Doctorate"


class LanguageSkillKind(models.TextChoices):
    OVERALL = "overall", "Overall"
    READING = "reading", "Reading"
    WRITING = "writing", "Writing"
    SPEAKING = "speaking", "Speaking"
    LISTENING = "listening", "Listening"


class LanguageScale(models.TextChoices):
    CEFR = "cefr", "CEFR (A1-C2)"
    UN = "un", "UN levels (1-4)"
    INSPIRA = "inspira", "Inspira (basic, confident, fluent)"


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    SCREENING = "screening", "Screening"
    SHORTLISTED = "shortlisted", "Shortlisted"
    NOMINATED = "nominated", "Nominated to the organisation"
    INTERVIEW = "interview", "Interview"
    SELECTED = "selected", "Selected"
    OFFERED = "offered", "Offered"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"
    DECLINED = "declined", "Offer declined"
    NOT_SELECTED = "not_selected", "Not selected"


# An application in one of these blocks a second application to the same vacancy.
ACTIVE_APPLICATION_STATUSES: tuple[str, ...] = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.SCREENING,
    ApplicationStatus.SHORTLISTED,
    ApplicationStatus.NOMINATED,
    ApplicationStatus.INTERVIEW,
    ApplicationStatus.SELECTED,
    ApplicationStatus.OFFERED,
    ApplicationStatus.ACCEPTED,
)

# Statuses only reachable through a nomination to the vacancy's organisation.
NOMINATED_APPLICATION_STATUSES: tuple[str, ...] = (
    ApplicationStatus.NOMINATED,
    ApplicationStatus.INTERVIEW,
    ApplicationStatus.SELECTED,
    ApplicationStatus.OFFERED,
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.DECLINED,
    ApplicationStatus.NOT_SELECTED,
)


class ApplicationStage(models.TextChoices):
    """What a candidate sees of their application: never the internal stages."""

    RECEIVED = "received", "Received"
    IN_REVIEW = "in_review", "In review"
    INTERVIEW = "interview", "Interview"
    OFFER = "offer", "Offer"
    CLOSED = "closed", "Closed"


STAGE_OF_STATUS: dict[str, str] = {
    ApplicationStatus.SUBMITTED: ApplicationStage.RECEIVED,
    ApplicationStatus.SCREENING: ApplicationStage.IN_REVIEW,
    ApplicationStatus.SHORTLISTED: ApplicationStage.IN_REVIEW,
    ApplicationStatus.NOMINATED: ApplicationStage.IN_REVIEW,
    ApplicationStatus.INTERVIEW: ApplicationStage.INTERVIEW,
    ApplicationStatus.SELECTED: ApplicationStage.INTERVIEW,
    ApplicationStatus.OFFERED: ApplicationStage.OFFER,
    ApplicationStatus.ACCEPTED: ApplicationStage.OFFER,
    ApplicationStatus.REJECTED: ApplicationStage.CLOSED,
    ApplicationStatus.WITHDRAWN: ApplicationStage.CLOSED,
    ApplicationStatus.DECLINED: ApplicationStage.CLOSED,
    ApplicationStatus.NOT_SELECTED: ApplicationStage.CLOSED,
}


class CriterionKind(models.TextChoices):
    """What a scorecard criterion measures."""

    COMPETENCY = "competency", "UN core competency"
    TECHNICAL = "technical", "Technical criterion"


class ChecklistItemKind(models.TextChoices):
    FUNDING = "funding", "Funding confirmed"
    CONTRACT = "contract", "Contract signed"
    MEDICAL = "medical", "Medical clearance"
    SECURITY_CLEARANCE = "security_clearance", "Security clearance"
    VISA = "visa", "Visa"
    TRAVEL = "travel", "Travel"
    PRE_DEPARTURE_TRAINING = "pre_departure_training", "Pre-departure training"
    HOMECOMING_DEBRIEF = "homecoming_debrief", "Homecoming debrief"


class PlacementStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    FUNDING_CONFIRMED = "funding_confirmed", "Funding confirmed"
    CONTRACTED = "contracted", "Contracted"
    PRE_DEPARTURE = "pre_departure", "Pre-departure"
    DEPLOYED = "deployed", "Deployed"
    EXTENDED = "extended", "Extended"
    SUSPENDED = "suspended", "Suspended"
    REMOTE = "remote", "Remote"
    EVACUATED = "evacuated", "Evacuated"
    COMPLETED = "completed", "Completed"
    DEBRIEFED = "debriefed", "Debriefed"
    TERMINATED_EARLY = "terminated_early", "Terminated early"


class Modality(models.TextChoices):
    ON_SITE = "on_site", "On site"
    REMOTE = "remote", "Remote"
    HYBRID = "hybrid", "Hybrid"


class OutboxKind(models.TextChoices):
    EMAIL = "email", "Email"
    WEBHOOK = "webhook", "Webhook"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    DELIVERED = "delivered", "Delivered"
    DEAD = "dead", "Dead"


class ExportKind(models.TextChoices):
    APPLICATIONS = "applications", "Applications"
    PLACEMENTS = "placements", "Placements"


class ExportStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class TombstoneReason(models.TextChoices):
    DELETED = "deleted", "Deleted"
    ERASED = "erased", "Erased on the person's request"


class DocumentKind(models.TextChoices):
    CV = "cv", "CV"
    DIPLOMA = "diploma", "Diploma"


class ConsentPurpose(models.TextChoices):
    """What a candidate agreed to; each consent can be withdrawn at any time."""

    TALENT_POOL = "talent_pool", "Keep my profile in the talent pool"
    PARTNER_SHARING = "partner_sharing", "Share my profile with a partner organisation"


class AccessedResource(models.TextChoices):
    PROFILE = "profile", "Candidate profile"
    DOCUMENT = "document", "Document"
