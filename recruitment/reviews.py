"""Scorecards, reviewer assignments, evaluations and internal notes: reads and writes.

Everything here is for recruiters and admins; candidates and partner members see none of it.
"""

import re
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Avg, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from recruitment.enums import CriterionKind, DegreeLevel, Role
from recruitment.exceptions import (
    ConflictError,
    DomainValidationError,
    NotPermittedError,
)
from recruitment.models import (
    Application,
    CandidateProfile,
    Education,
    Evaluation,
    Experience,
    Note,
    ReviewerAssignment,
    ScorecardTemplate,
    Vacancy,
)
from recruitment.selectors import Caller, role_of

STAFF_ROLES = (Role.RECRUITER, Role.ADMIN)
SCORE_MIN, SCORE_MAX = 1, 5
CRITERION_KEY_RE = re.compile(r"^[a-z0-9]+(?:[_-][a-z0-9]+)*$")
CRITERION_KEY_MAX_LENGTH = 50
CRITERION_LABEL_MAX_LENGTH = 200
CRITERION_FIELDS = ("key", "label", "weight", "kind")
NAME_MAX_LENGTH = 200
NOTE_MAX_LENGTH = 10_000
DAYS_PER_YEAR = Decimal("365.25")


def _is_staff(user: Caller) -> bool:
    return role_of(user) in STAFF_ROLES and bool(getattr(user, "is_active", False))


def _is_whole_number(value: object) -> bool:
    # bool is an int subclass; `true` is not a weight or a score.
    return isinstance(value, int) and not isinstance(value, bool)


# Scorecard templates


def scorecard_criteria_validate(criteria: object) -> list[dict[str, object]]:
    """Check a template's criteria and return them cleaned (only the four known keys).

    Each criterion is `{"key": slug, "label": text, "weight": positive int, "kind":
    "competency" | "technical"}`; keys are unique. Weights need not sum to 100, because totals
    are normalised by the sum of weights.

    Raises DomainValidationError(code="invalid_criteria") with per-item `fields`, shaped like
    DRF's errors: `{"criteria": {"<index>": {"<field>": [message]}}}`.
    """

    def fail(errors: object) -> DomainValidationError:
        return DomainValidationError(
            "The scorecard criteria are not valid; see `fields`.",
            code="invalid_criteria",
            fields={"criteria": errors},
        )

    if not isinstance(criteria, list) or not criteria:
        raise fail(["A non-empty list of criteria is required."])
    errors: dict[str, dict[str, list[str]]] = {}
    cleaned: list[dict[str, object]] = []
    seen_keys: set[str] = set()
    for index, item in enumerate(criteria):
        item_errors = _criterion_errors(item)
        key = item.get("key") if isinstance(item, dict) else None
        if "key" not in item_errors and key in seen_keys:
            item_errors["key"] = ["This key is used by an earlier criterion."]
        if item_errors:
            errors[str(index)] = item_errors
            continue
        seen_keys.add(key)
        cleaned.append(
            {
                "key": key,
                "label": item["label"].strip(),
                "weight": item["weight"],
                "kind": item["kind"],
            }
        )
    if errors:
        raise fail(errors)
    return cleaned


def _criterion_errors(item: object) -> dict[str, list[str]]:
    if not isinstance(item, dict):
        return {"non_field_errors": ["Each criterion is an object."]}
    errors = {name: ["Unknown field."] for name in item if name not in CRITERION_FIELDS}
    errors |= {name: ["This field is required."] for name in CRITERION_FIELDS if name not in item}
    key, label, weight, kind = (item.get(name) for name in CRITERION_FIELDS)
    if "key" in item and not (
        isinstance(key, str)
        and len(key) <= CRITERION_KEY_MAX_LENGTH
        and CRITERION_KEY_RE.match(key)
    ):
        errors["key"] = ["Use lower-case letters, digits, '-' and '_' (at most 50)."]
    if "label" in item and not (
        isinstance(label, str) and label.strip() and len(label) <= CRITERION_LABEL_MAX_LENGTH
    ):
        errors["label"] = ["A label of 1 to 200 characters is required."]
    if "weight" in item and not (_is_whole_number(weight) and weight >= 1):
        errors["weight"] = ["A positive whole number is required."]
    if "kind" in item and kind not in CriterionKind.values:
        errors["kind"] = [f"Use one of: {', '.join(CriterionKind.values)}."]
    return errors


def scorecard_template_create(*, name: str, criteria: object) -> ScorecardTemplate:
    """Create a template; it is never edited afterwards, so stored evaluations keep meaning.

    Raises DomainValidationError (code="invalid_criteria" or "invalid_name") and
    ConflictError(code="name_taken") when the name is in use.
    """
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX_LENGTH:
        raise DomainValidationError(
            "A name of 1 to 200 characters is required.", code="invalid_name"
        )
    cleaned = scorecard_criteria_validate(criteria)
    try:
        with transaction.atomic():
            return ScorecardTemplate.objects.create(name=name, criteria=cleaned)
    except IntegrityError:  # the unique name; a concurrent create with the same name won
        raise ConflictError(
            "A scorecard template with this name exists.", code="name_taken"
        ) from None


def scorecard_template_list(*, user: Caller) -> QuerySet[ScorecardTemplate]:
    """Templates the caller may read: all for recruiters and admins, none otherwise."""
    if not _is_staff(user):
        return ScorecardTemplate.objects.none()
    return ScorecardTemplate.objects.all()


# Reviewers


def reviewer_assign(
    *, vacancy: Vacancy, reviewer: AbstractBaseUser
) -> tuple[ReviewerAssignment, bool]:
    """Assign `reviewer` to review `vacancy`'s applications; returns (assignment, created).

    Assigning twice returns the existing assignment. Raises
    DomainValidationError(code="reviewer_not_staff") unless the reviewer is an active recruiter
    or admin.
    """
    if not _is_staff(reviewer):
        raise DomainValidationError(
            "Only active recruiters and admins review applications.", code="reviewer_not_staff"
        )
    # get_or_create catches the unique violation of a concurrent identical assignment.
    return ReviewerAssignment.objects.get_or_create(vacancy=vacancy, reviewer=reviewer)


def reviewer_assignment_list(*, user: Caller, vacancy: Vacancy) -> QuerySet[ReviewerAssignment]:
    """The vacancy's reviewers, oldest assignment first: for recruiters and admins only."""
    if not _is_staff(user):
        return ReviewerAssignment.objects.none()
    return (
        ReviewerAssignment.objects.filter(vacancy=vacancy).select_related("reviewer").order_by("id")
    )


def reviewer_is_assigned(*, user: Caller, vacancy: Vacancy) -> bool:
    """Admins review every vacancy; recruiters the ones they are assigned to."""
    if not _is_staff(user):
        return False
    if role_of(user) == Role.ADMIN:
        return True
    return ReviewerAssignment.objects.filter(vacancy=vacancy, reviewer=user).exists()


def _not_assigned() -> NotPermittedError:
    return NotPermittedError(
        "You are not a reviewer of this vacancy.", code="reviewer_not_assigned"
    )


# Evaluations


def scorecard_total(*, criteria: Iterable[Mapping[str, object]], scores: object) -> Decimal:
    """The weighted total on a 0-100 scale: sum(weight * score) / sum(weight * 5) * 100.

    Rounded half up to two decimals (as PostgreSQL rounds numeric). `scores` must give every
    criterion a whole number from 1 to 5 and nothing else. Raises
    DomainValidationError(code="invalid_scores") with `{"scores": {key: [message]}}`.
    """
    criteria = list(criteria)
    if not isinstance(scores, Mapping):
        raise DomainValidationError(
            "Scores are an object of criterion key to score.",
            code="invalid_scores",
            fields={"scores": ["Expected an object of criterion key to score."]},
        )
    keys = [str(criterion["key"]) for criterion in criteria]
    errors = {key: ["A score is required."] for key in keys if key not in scores}
    errors |= {
        str(key): ["Not a criterion of this scorecard."] for key in scores if key not in keys
    }
    errors |= {
        key: [f"A whole number from {SCORE_MIN} to {SCORE_MAX} is required."]
        for key in keys
        if key in scores
        and not (_is_whole_number(scores[key]) and SCORE_MIN <= scores[key] <= SCORE_MAX)
    }
    if errors:
        raise DomainValidationError(
            "The scores do not match the scorecard; see `fields`.",
            code="invalid_scores",
            fields={"scores": dict(sorted(errors.items()))},
        )
    weighted = sum(int(c["weight"]) * scores[str(c["key"])] for c in criteria)
    maximum = sum(int(c["weight"]) * SCORE_MAX for c in criteria)
    total = Decimal(weighted * 100) / Decimal(maximum)
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def evaluation_submit(
    *,
    application: Application,
    reviewer: AbstractBaseUser,
    scores: Mapping[str, object],
    comment: str = "",
) -> tuple[Evaluation, bool]:
    """Record `reviewer`'s scorecard for `application`; returns (evaluation, created).

    In one transaction, with the application row locked so concurrent submissions serialise:
    checks the reviewer is assigned to the vacancy (admins always may), computes the weighted
    total against the vacancy's scorecard template, creates or replaces the reviewer's one
    evaluation, and sets `Application.evaluation_score` to the mean of all totals with a single
    UPDATE. `application` itself is not refreshed.

    `updated_at` of the application is left alone: the score is internal, and a changed
    timestamp would tell a candidate that reviewers are at work.

    Raises NotPermittedError(code="reviewer_not_assigned"),
    DomainValidationError(code="scorecard_missing") when the vacancy has no template, and
    DomainValidationError(code="invalid_scores").
    """
    with transaction.atomic():
        # of=("self",): lock only the application row; the vacancy and its template (an outer
        # join) are read, not locked.
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("vacancy__scorecard_template")
            .get(pk=application.pk)
        )
        vacancy = locked.vacancy
        if not reviewer_is_assigned(user=reviewer, vacancy=vacancy):
            raise _not_assigned()
        template = vacancy.scorecard_template
        if template is None:
            raise DomainValidationError(
                "This vacancy has no scorecard template to evaluate against.",
                code="scorecard_missing",
            )
        total = scorecard_total(criteria=template.criteria, scores=scores)
        evaluation, created = Evaluation.objects.update_or_create(
            application=locked,
            reviewer=reviewer,
            defaults={"scores": dict(scores), "comment": comment.strip(), "total": total},
        )
        mean = (
            Evaluation.objects.filter(application=OuterRef("pk"))
            .order_by()
            .values("application")
            .annotate(mean=Avg("total"))
            .values("mean")
        )
        # numeric(6,2) rounds the mean half away from zero on assignment.
        Application.objects.filter(pk=locked.pk).update(evaluation_score=Subquery(mean))
    return evaluation, created


def evaluation_list(*, user: Caller, application: Application) -> QuerySet[Evaluation]:
    """Every reviewer's evaluation of `application`, oldest first: recruiters and admins only."""
    if not _is_staff(user):
        return Evaluation.objects.none()
    return Evaluation.objects.filter(application=application).order_by("id")


# Review queue and the candidate summary reviewers see


def review_queue(*, user: Caller, vacancy: Vacancy) -> QuerySet[Application]:
    """The vacancy's applications with what a candidate summary needs, prefetched.

    Raises NotPermittedError(code="reviewer_not_assigned") unless the caller is an admin or a
    recruiter assigned to the vacancy.
    """
    if not reviewer_is_assigned(user=user, vacancy=vacancy):
        raise _not_assigned()
    return (
        Application.objects.filter(vacancy=vacancy)
        .select_related("candidate")
        .prefetch_related(
            Prefetch("candidate__education", queryset=Education.objects.only("profile", "level")),
            Prefetch(
                "candidate__experience",
                queryset=Experience.objects.only("profile", "start_date", "end_date"),
            ),
        )
    )


def age_on(*, date_of_birth: date | None, today: date) -> int | None:
    """Full years lived at `today`; None when the date of birth is unknown."""
    if date_of_birth is None:
        return None
    had_birthday = (today.month, today.day) >= (date_of_birth.month, date_of_birth.day)
    return today.year - date_of_birth.year - (0 if had_birthday else 1)


def experience_years(*, periods: Iterable[tuple[date, date | None]], today: date) -> Decimal:
    """Years of experience to one decimal, counting overlapping jobs once.

    An open period (no end) runs to `today`; nothing after `today` counts.
    """
    spans = sorted((start, min(end or today, today)) for start, end in periods if start <= today)
    days = 0
    current_start: date | None = None
    current_end: date | None = None
    for start, end in spans:
        if current_end is not None and start <= current_end:
            current_end = max(current_end, end)
            continue
        if current_start is not None and current_end is not None:
            days += (current_end - current_start).days
        current_start, current_end = start, end
    if current_start is not None and current_end is not None:
        days += (current_end - current_start).days
    return (Decimal(days) / DAYS_PER_YEAR).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def candidate_summary(
    *, profile: CandidateProfile, blind: bool, today: date | None = None
) -> dict[str, object]:
    """What a reviewer sees of a candidate. In blind mode name, citizenships, age and gender
    are None, so reviewers judge on education and experience alone."""
    today = today or timezone.localdate()
    order = {level: rank for rank, level in enumerate(DegreeLevel.values)}
    levels = sorted({item.level for item in profile.education.all()}, key=order.__getitem__)
    years = experience_years(
        periods=[(item.start_date, item.end_date) for item in profile.experience.all()],
        today=today,
    )
    name = " ".join(part for part in (profile.given_name, profile.family_name) if part)
    return {
        "id": profile.pk,
        "name": None if blind else name,
        "citizenships": None if blind else list(profile.citizenships),
        "age": None if blind else age_on(date_of_birth=profile.date_of_birth, today=today),
        "gender": None if blind else profile.gender,
        "education_levels": levels,
        "years_of_experience": years,
    }


# Notes


def note_create(
    *,
    author: AbstractBaseUser,
    body: str,
    application: Application | None = None,
    candidate: CandidateProfile | None = None,
) -> Note:
    """Write an internal note on an application or on a candidate (exactly one of them).

    Raises NotPermittedError(code="notes_staff_only") unless the author is a recruiter or
    admin, and DomainValidationError (code="invalid_note") for an empty or too long body.
    """
    if not _is_staff(author):
        raise NotPermittedError("Only recruiters and admins write notes.", code="notes_staff_only")
    if (application is None) == (candidate is None):
        raise DomainValidationError(
            "A note is about one application or one candidate.", code="invalid_note"
        )
    body = (body or "").strip()
    if not body or len(body) > NOTE_MAX_LENGTH:
        raise DomainValidationError(
            f"A note body of 1 to {NOTE_MAX_LENGTH} characters is required.",
            code="invalid_note",
        )
    return Note.objects.create(
        author=author, body=body, application=application, candidate=candidate
    )


def note_list(
    *,
    user: Caller,
    application: Application | None = None,
    candidate: CandidateProfile | None = None,
) -> QuerySet[Note]:
    """Notes on the application (or else on the candidate), oldest first: for recruiters and
    admins only."""
    if not _is_staff(user):
        return Note.objects.none()
    if application is not None:
        return Note.objects.filter(application=application)
    return Note.objects.filter(candidate=candidate)
