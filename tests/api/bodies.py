"""Expected response bodies shared by the API tests."""

from datetime import UTC, datetime


def iso(value: datetime | None) -> str | None:
    """A datetime as the API renders it (DRF: ISO-8601 in UTC with a `Z`)."""
    return None if value is None else value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def application_body(application, *, stage, status, allowed_transitions, evaluation_score=None):
    """The representation of `application` as stored now, with what the caller's role sees of
    it (stage, status, allowed moves, score) given explicitly."""
    application.refresh_from_db()
    return {
        "id": application.pk,
        "vacancy": application.vacancy_id,
        "vacancy_title": application.vacancy.title,
        "organisation": application.vacancy.organisation.slug,
        "candidate": application.candidate_id,
        "stage": stage,
        "status": status,
        "status_changed_at": iso(application.status_changed_at),
        "allowed_transitions": allowed_transitions,
        "eligibility_snapshot": application.eligibility_snapshot,
        "evaluation_score": evaluation_score,
        "version": application.version,
        "created_at": iso(application.created_at),
        "updated_at": iso(application.updated_at),
    }
