"""Scorecards, reviewer assignments, evaluations and internal notes (recruiters only)."""

from django.conf import settings
from django.db import models

from recruitment.models.applications import Application
from recruitment.models.candidates import CandidateProfile
from recruitment.models.common import TimeStampedModel
from recruitment.models.vacancies import Vacancy


class ScorecardTemplate(TimeStampedModel):
    """Weighted criteria (UN core competencies and technical ones) reviewers score 1-5."""

    name = models.CharField(max_length=200, unique=True)
    # [{"key": "communication", "label": "Communication", "weight": 20, "kind": "competency"}]
    criteria = models.JSONField(default=list)

    def __str__(self) -> str:
        return self.name


class ReviewerAssignment(TimeStampedModel):
    """A recruiter assigned to review a vacancy's applications."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="reviewers")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_assignments"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy", "reviewer"], name="reviewer_once_per_vacancy"
            )
        ]

    def __str__(self) -> str:
        return f"reviewer {self.reviewer_id} of {self.vacancy_id}"


class Evaluation(TimeStampedModel):
    """One reviewer's scorecard for one application."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="evaluations"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evaluations"
    )
    scores = models.JSONField(default=dict)  # {criterion key: 1..5}
    comment = models.TextField(blank=True)
    total = models.DecimalField(max_digits=6, decimal_places=2)  # weighted, 0-100

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="evaluation_once_per_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"evaluation of {self.application_id} by {self.reviewer_id}"


class Note(TimeStampedModel):
    """An internal note on an application or a candidate; never shown to candidates or partners."""

    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.CASCADE, related_name="notes"
    )
    candidate = models.ForeignKey(
        CandidateProfile, null=True, blank=True, on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notes"
    )
    body = models.TextField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(application__isnull=False, candidate__isnull=True)
                | models.Q(application__isnull=True, candidate__isnull=False),
                name="note_about_one_thing",
            )
        ]

    def __str__(self) -> str:
        return f"note {self.pk}"
