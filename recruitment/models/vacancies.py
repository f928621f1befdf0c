"""Vacancies, the feeds they come from, and the per-source records behind each vacancy."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone

from recruitment.enums import (
    ContractType,
    DeadlineStatus,
    FeedKind,
    FundingStatus,
    Grade,
    Modality,
    VacancyStatus,
)
from recruitment.models.common import TimeStampedModel, enum_check
from recruitment.models.organisations import DutyStation, Organisation
from recruitment.models.schemes import Scheme


class Vacancy(TimeStampedModel):
    """A post at an organisation; one vacancy however many feeds or re-postings show it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="vacancies"
    )
    scheme = models.ForeignKey(
        Scheme, null=True, blank=True, on_delete=models.PROTECT, related_name="vacancies"
    )
    title = models.CharField(max_length=300)
    # The organisation's own job or post number, used to recognise the same post across sources.
    reference = models.CharField(max_length=100, blank=True)
    # NULL means "no recognisable grade" (the raw text is kept); it is not the same as "".
    grade = models.CharField(max_length=12, choices=Grade.choices, null=True, blank=True)  # noqa: DJ001
    grade_raw = models.CharField(max_length=100, blank=True)
    category = models.CharField(max_length=120, blank=True)
    contract_type = models.CharField(  # noqa: DJ001  (NULL: not stated by the source)
        max_length=20, choices=ContractType.choices, null=True, blank=True
    )
    number_of_posts = models.PositiveSmallIntegerField(default=1)
    duty_stations = models.ManyToManyField(DutyStation, blank=True, related_name="vacancies")
    opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    closes_at_raw = models.CharField(max_length=200, blank=True)
    closes_at_zone = models.CharField(max_length=64, blank=True)
    closes_at_status = models.CharField(
        max_length=12, choices=DeadlineStatus.choices, default=DeadlineStatus.PARSED
    )
    # Normalised title + organisation + duty station + deadline day: recognises a re-posted
    # vacancy that carries no job number (see workflows/feeds/sync.py). Blank when incomplete.
    fingerprint = models.CharField(max_length=64, blank=True)
    description = models.TextField(blank=True)  # sanitised HTML
    modality = models.CharField(max_length=10, choices=Modality.choices, default=Modality.ON_SITE)
    # Lower-case skill keywords; the shortlist scores a candidate's overlap with them.
    skills = ArrayField(models.CharField(max_length=60), default=list, blank=True)
    # ISO 639-1 codes of the languages the post requires (levels are in the eligibility rules).
    required_languages = ArrayField(models.CharField(max_length=3), default=list, blank=True)
    # Weighted title (A), organisation and duty stations (B), description (C); written only by
    # the database triggers of migration 0006_search_and_matching (also for COPY and bulk upserts).
    search_vector = SearchVectorField(null=True, editable=False)
    # The assignment's planned dates: age limits of some schemes are measured at its end.
    planned_start_date = models.DateField(null=True, blank=True)
    planned_end_date = models.DateField(null=True, blank=True)
    # A vacancy's own rules override its scheme's newest rule set.
    rule_set = models.ForeignKey(
        "recruitment.EligibilityRuleSet",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="vacancies",
    )
    scorecard_template = models.ForeignKey(
        "recruitment.ScorecardTemplate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="vacancies",
    )
    # Reviewers then see no name, nationality, age or gender.
    blind_review = models.BooleanField(default=False)
    status = models.CharField(
        max_length=20, choices=VacancyStatus.choices, default=VacancyStatus.DRAFT
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    funding_status = models.CharField(
        max_length=20, choices=FundingStatus.choices, default=FundingStatus.UNCONFIRMED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name_plural = "vacancies"
        constraints = [
            enum_check("status", VacancyStatus, "vacancy_status_valid"),
            enum_check("funding_status", FundingStatus, "vacancy_funding_status_valid"),
            models.CheckConstraint(
                condition=models.Q(grade__isnull=True) | models.Q(grade__in=Grade.values),
                name="vacancy_grade_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(number_of_posts__gte=1), name="vacancy_posts_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-id"], name="vacancy_status_id"),
            models.Index(fields=["organisation", "status"], name="vacancy_org_status"),
            models.Index(fields=["updated_at"], name="vacancy_updated_at"),
            # Deliberately no btree on (status, closes_at): the planner then walks it instead of
            # the full-text index and a text search gets several times slower.
            GinIndex(fields=["search_vector"], name="vacancy_search"),
            GinIndex(fields=["required_languages"], name="vacancy_required_languages"),
            models.Index(
                fields=["organisation", "reference"],
                condition=~models.Q(reference=""),
                name="vacancy_org_reference",
            ),
            models.Index(
                fields=["fingerprint"],
                condition=~models.Q(fingerprint=""),
                name="vacancy_fingerprint",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        """Published and before its deadline (a vacancy without a deadline stays open)."""
        return self.status == VacancyStatus.PUBLISHED and (
            self.closes_at is None or self.closes_at > timezone.now()
        )


class Feed(TimeStampedModel):
    """A source of vacancies fetched on a schedule, with its health."""

    kind = models.CharField(max_length=20, choices=FeedKind.choices)
    url = models.URLField(max_length=500, blank=True)
    # None: an aggregated feed (ReliefWeb, ...) run by the agency, whose items name their own
    # organisation. Otherwise every item belongs to this organisation, whatever it says.
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="feeds"
    )
    # Set for a local document ingested by `manage.py sync_feed --file` (no URL to fetch).
    name = models.CharField(max_length=200, blank=True)
    interval_minutes = models.PositiveIntegerField(default=60)
    enabled = models.BooleanField(default=True)
    etag = models.CharField(max_length=200, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    # sha256 of the last successfully applied document: the same bytes are not parsed again.
    document_hash = models.CharField(max_length=64, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [enum_check("kind", FeedKind, "feed_kind_valid")]

    def __str__(self) -> str:
        return f"{self.kind} feed {self.pk}"


class VacancySource(TimeStampedModel):
    """One source's record of a vacancy: which feed, its id there, and what it last said."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="sources")
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="sources")
    external_id = models.CharField(max_length=300)
    url = models.URLField(max_length=1000, blank=True)
    raw_payload = models.JSONField(default=dict)
    content_hash = models.CharField(max_length=64)
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    missing_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["feed", "external_id"], name="vacancy_source_unique_external_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.feed_id}:{self.external_id}"
