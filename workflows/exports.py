"""CSV exports of applications and placements: streamed to the caller, or written to private
storage by a background job with progress and a short-lived signed download link.

The columns of each export are declared here, once, each marked personal or not; personal
columns are included only for callers who may read candidate profiles (recruiters, admins).
Rows come from a server-side cursor EXPORT_CHUNK_ROWS at a time, so memory stays bounded by
about two chunks (the one being written and the one being fetched) whatever the size.
"""

import csv
import logging
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.files import File
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from recruitment import selectors
from recruitment.enums import ExportKind, ExportStatus, Role
from recruitment.list_search import application_search, placement_search
from recruitment.models import Application, Placement
from recruitment.privacy import is_personal
from workflows.models import ExportJob

logger = logging.getLogger(__name__)

PROGRESS_EVERY_ROWS = 1000
_LINK_SALT = "workflows.exports.download"
# Spreadsheets run cells starting with these as formulas (CSV injection): such text is quoted.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class Column:
    """One CSV column: its header, the queryset path it reads, and whether it is personal."""

    header: str
    source: str
    personal: bool = False


def _registry_marks(model: type[Model], columns: tuple[Column, ...]) -> tuple[Column, ...]:
    """The columns, each personal when declared so here (candidate ids: pseudonymous, but
    staff-only) or when the personal-data registry (recruitment.privacy) classifies the field
    it reads as personal, so a field the registry learns is personal leaves partners' exports."""
    marked = []
    for column in columns:
        current, *path = model, *column.source.split("__")
        for name in path[:-1]:
            current = current._meta.get_field(name).related_model
        field = current._meta.get_field(path[-1].removesuffix("_id")).name
        marked.append(replace(column, personal=column.personal or is_personal(current, field)))
    return tuple(marked)


# Personal data (GDPR): anything that identifies or describes the candidate as a person.
APPLICATION_COLUMNS: tuple[Column, ...] = _registry_marks(
    Application,
    (
        Column("id", "id"),
        Column("vacancy_id", "vacancy_id"),
        Column("vacancy_title", "vacancy__title"),
        Column("organisation", "vacancy__organisation__slug"),
        Column("scheme", "vacancy__scheme__code"),
        Column("status", "status"),
        Column("submitted_at", "created_at"),
        Column("status_changed_at", "status_changed_at"),
        Column("nominated_at", "nominated_at"),
        Column("candidate_id", "candidate_id", personal=True),
        Column("given_name", "candidate__given_name", personal=True),
        Column("family_name", "candidate__family_name", personal=True),
        Column("email", "candidate__user__email", personal=True),
        Column("date_of_birth", "candidate__date_of_birth", personal=True),
        Column("gender", "candidate__gender", personal=True),
        Column("citizenships", "candidate__citizenships", personal=True),
    ),
)
PLACEMENT_COLUMNS: tuple[Column, ...] = _registry_marks(
    Placement,
    (
        Column("id", "id"),
        Column("application_id", "application_id"),
        Column("organisation", "organisation__slug"),
        Column("duty_station", "duty_station__city"),
        Column("country", "duty_station__country"),
        Column("scheme", "scheme__code"),
        Column("contract_type", "contract_type"),
        Column("modality", "modality"),
        Column("status", "status"),
        Column("start_date", "start_date"),
        Column("end_date", "end_date"),
        Column("candidate_id", "application__candidate_id", personal=True),
        Column("given_name", "application__candidate__given_name", personal=True),
        Column("family_name", "application__candidate__family_name", personal=True),
        Column("email", "application__candidate__user__email", personal=True),
    ),
)

_COLUMNS: dict[str, tuple[Column, ...]] = {
    ExportKind.APPLICATIONS: APPLICATION_COLUMNS,
    ExportKind.PLACEMENTS: PLACEMENT_COLUMNS,
}
_SOURCES: dict[str, tuple[Callable[..., QuerySet[Any]], Callable[..., QuerySet[Any]]]] = {
    ExportKind.APPLICATIONS: (selectors.application_list, application_search),
    ExportKind.PLACEMENTS: (selectors.placement_list, placement_search),
}


def may_export_personal_data(user: selectors.Caller) -> bool:
    """Personal columns go to those who may read candidate profiles: recruiters and admins."""
    return selectors.role_of(user) in (Role.RECRUITER, Role.ADMIN)


def export_columns(kind: str, *, include_personal: bool) -> tuple[Column, ...]:
    """The columns of export `kind`, without the personal ones unless `include_personal`."""
    return tuple(c for c in _COLUMNS[kind] if include_personal or not c.personal)


def export_queryset(
    *, user: selectors.Caller, kind: str, criteria: Mapping[str, object]
) -> QuerySet[Any]:
    """The rows `user` may see that match the list criteria, in id order."""
    select, search = _SOURCES[kind]
    return search(select(user=user), criteria).order_by("id")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(timezone.get_current_timezone()).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return " ".join(str(item) for item in value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def export_rows(queryset: QuerySet[Any], columns: Iterable[Column]) -> Iterator[list[str]]:
    """The header, then one list of cells per row, read through a server-side cursor."""
    columns = tuple(columns)
    yield [column.header for column in columns]
    rows = queryset.values_list(*(column.source for column in columns))
    for row in rows.iterator(chunk_size=settings.EXPORT_CHUNK_ROWS):
        yield [_cell(value) for value in row]


class _Echo:
    """A file-like object whose write() returns the line, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[list[str]]) -> Iterator[str]:
    """CSV text (RFC 4180, CRLF line ends), one line at a time."""
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow(row)


# ---------------------------------------------------------------------------------------------
# Background jobs
# ---------------------------------------------------------------------------------------------


def export_job_create(
    *, owner: AbstractBaseUser, kind: str, criteria: Mapping[str, object]
) -> ExportJob:
    """Create a pending export job for `owner` (its personal columns decided by the owner's
    role now) and enqueue it after commit. The caller validates `criteria` first."""
    from workflows.tasks import export_run  # the actors import this module

    with transaction.atomic():
        job = ExportJob.objects.create(
            owner=owner,
            kind=kind,
            criteria=dict(criteria),
            include_personal=may_export_personal_data(owner),
        )
        # robust: a broker outage must not fail the request; the job stays pending, visible.
        transaction.on_commit(lambda: export_run.send(str(job.pk)), robust=True)
    logger.info("export queued", extra={"export_id": str(job.pk), "kind": kind})
    return job


def export_job_run(*, job_id: str) -> ExportJob | None:
    """Write the job's CSV to the exports storage, counting rows as they go.

    Marks the job running with the total row count, writes the rows to a temporary file
    (updating `rows_written` every 1000 rows), stores it under a random name, then marks the
    job succeeded with its expiry; on an error, marks it failed with the error's class name.
    Safe to run twice: a finished job is left alone, and an unfinished one starts over.
    """
    job = ExportJob.objects.select_related("owner").filter(pk=job_id).first()
    if job is None or job.status in (ExportStatus.SUCCEEDED, ExportStatus.FAILED):
        return job
    queryset = export_queryset(user=job.owner, kind=job.kind, criteria=job.criteria)
    columns = export_columns(job.kind, include_personal=job.include_personal)
    job.status, job.started_at, job.rows_written = ExportStatus.RUNNING, timezone.now(), 0
    job.rows_total = queryset.count()
    job.save(update_fields=["status", "started_at", "rows_written", "rows_total", "updated_at"])
    storage = storages["exports"]
    try:
        with tempfile.TemporaryFile("w+b") as buffer:
            written = -1  # the header is not a row
            for line in csv_lines(export_rows(queryset, columns)):
                buffer.write(line.encode())
                written += 1
                if written and written % PROGRESS_EVERY_ROWS == 0:
                    ExportJob.objects.filter(pk=job.pk).update(
                        rows_written=written, updated_at=timezone.now()
                    )
            buffer.seek(0)
            name = storage.save(f"{job.kind}-{job.pk}.csv", File(buffer))
    except Exception as error:
        job.status, job.error, job.finished_at = (
            ExportStatus.FAILED,
            type(error).__name__,
            (timezone.now()),
        )
        job.save(update_fields=["status", "error", "finished_at", "updated_at"])
        logger.exception("export failed", extra={"export_id": str(job.pk)})
        raise
    job.status, job.rows_written, job.file_name = ExportStatus.SUCCEEDED, written, name
    job.finished_at = timezone.now()
    job.expires_at = job.finished_at + timedelta(hours=settings.EXPORT_RETENTION_HOURS)
    job.save(
        update_fields=[
            "status", "rows_written", "file_name", "finished_at", "expires_at", "updated_at",
        ]
    )  # fmt: skip
    logger.info("export finished", extra={"export_id": str(job.pk), "rows": written})
    return job


def export_download_token(job: ExportJob) -> str:
    """A signed token for the job's file, valid EXPORT_LINK_TTL_SECONDS from now."""
    return signing.TimestampSigner(salt=_LINK_SALT).sign(str(job.pk))


def export_job_for_token(token: str) -> ExportJob | None:
    """The succeeded, unexpired job a download token names, or None when the token is bad,
    older than EXPORT_LINK_TTL_SECONDS, or its job is gone or expired."""
    try:
        job_id = signing.TimestampSigner(salt=_LINK_SALT).unsign(
            token, max_age=settings.EXPORT_LINK_TTL_SECONDS
        )
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
    return ExportJob.objects.filter(
        pk=job_id, status=ExportStatus.SUCCEEDED, expires_at__gt=timezone.now()
    ).first()


def export_file_open(job: ExportJob) -> File:
    """The job's CSV file, opened for reading in binary."""
    return storages["exports"].open(job.file_name, "rb")


def export_jobs_purge(*, now: datetime) -> int:
    """Delete expired export jobs and their files; returns how many. Safe to run twice."""
    storage = storages["exports"]
    expired = list(ExportJob.objects.filter(expires_at__lte=now))
    for job in expired:
        if job.file_name:
            storage.delete(job.file_name)
    ExportJob.objects.filter(pk__in=[job.pk for job in expired]).delete()
    return len(expired)


def export_job_list(*, user: selectors.Caller) -> QuerySet[ExportJob]:
    """The caller's own export jobs (nobody sees another's, staff included: they hold data
    exported under the owner's scope)."""
    if not user.is_authenticated:
        return ExportJob.objects.none()
    return ExportJob.objects.filter(owner=user)
