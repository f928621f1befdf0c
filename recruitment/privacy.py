"""Personal data: the registry that classifies every model field, and the access log.

Other code asks the registry which fields are personal (`is_personal`, `personal_fields`),
e.g. to leave them out of CSV exports; tests/recruitment/test_privacy.py fails when a model
field is not classified."""

from collections.abc import Iterable

from recruitment.models import AccessLogEntry, User
from recruitment.selectors import organisation_of, role_of


def access_log_record(*, subject_id: int, viewer_id: int, resource: str, resource_id: int) -> None:
    """Append one read of a candidate's data by someone other than the candidate."""
    access_log_record_many(
        viewer=User.objects.get(pk=viewer_id), resource=resource, reads=[(subject_id, resource_id)]
    )


def access_log_record_many(
    *, viewer: User, resource: str, reads: Iterable[tuple[int, int]]
) -> None:
    """Append reads of (subject user id, resource id) by `viewer`, skipping the viewer's own
    data. One row per read: a list of profiles logs every profile on the page."""
    organisation = organisation_of(viewer)
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(
            subject_id=subject_id,
            viewer=viewer,
            viewer_role=role_of(viewer) or "",
            viewer_organisation=organisation,
            resource=resource,
            resource_id=resource_id,
        )
        for subject_id, resource_id in reads
        if subject_id != viewer.pk
    )
