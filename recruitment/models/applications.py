"""Applications of candidates to vacancies (the status is written only by workflows)."""

from django.db import models
from django.db.models.functions import Coalesce

from recruitment.enums import ACTIVE_APPLICATION_STATUSES, ApplicationStatus
from recruitment.models.candidates import CandidateProfile
from recruitment.models.common import TimeStampedModel, enum_check
from recruitment.models.vacancies import Vacancy


class Application(TimeStampedModel):
    """A candidate's application to one vacancy."""

    candidate = models.ForeignKey(
        CandidateProfile, on_delete=models.CASCADE, related_name="applications"
    )
    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(
        max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # Set once, when nominated: the vacancy's organisation sees the application from then on,
    # also after a withdrawal or a negative outcome.
    nominated_at = models.DateTimeField(null=True, blank=True)
    eligibility_snapshot = models.JSONField(default=dict, blank=True)
    # The snapshot's verdict as a column, so ranking thousands of applicants reads no JSON.
    # False when the snapshot was blanked (purge, erasure).
    eligible = models.GeneratedField(
        expression=Coalesce(
            models.ExpressionWrapper(
                models.Q(eligibility_snapshot__eligible=True), output_field=models.BooleanField()
            ),
            False,
        ),
        output_field=models.BooleanField(),
        db_persist=True,
    )
    match_score = models.DecimalField(max_digits=6, decimal_places=3, null=True, blank=True)
    # Mean of the reviewers' weighted scorecard totals (0-100); kept current by evaluations.
    evaluation_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    # Bumped on every status change; clients send it back in If-Match.
    version = models.PositiveIntegerField(default=1)
    # When the retention purge (or an erasure) blanked the answers and eligibility snapshot.
    personal_data_erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            enum_check("status", ApplicationStatus, "application_status_valid"),
            models.UniqueConstraint(
                fields=["candidate", "vacancy"],
                condition=models.Q(status__in=ACTIVE_APPLICATION_STATUSES),
                name="application_one_active_per_vacancy",
            ),
        ]
        indexes = [
            models.Index(fields=["vacancy", "status"], name="application_vacancy_status"),
            # A vacancy's applications newest first (the list's cursor order): without it the
            # planner walks the primary key backwards past millions of other applications.
            models.Index(fields=["vacancy", "-id"], name="application_vacancy_id"),
            models.Index(fields=["candidate", "-id"], name="application_candidate"),
            models.Index(fields=["updated_at"], name="application_updated_at"),
        ]

    def __str__(self) -> str:
        return f"application {self.pk}"
