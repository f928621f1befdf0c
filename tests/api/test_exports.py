"""CSV exports: streamed with the list filters and the caller's scope, personal columns only for
staff, and background jobs with progress and a short-lived signed download link."""

import tracemalloc
from datetime import date

import pytest
from django.core.files.storage import storages

from recruitment.enums import ApplicationStatus, Gender, PlacementStatus, Role
from recruitment.models import Application, CandidateProfile, User
from tests.conftest import client_for
from tests.factories import (
    make_application,
    make_candidate,
    make_duty_station,
    make_placement,
    make_scheme,
    make_vacancy,
)
from workflows.exports import export_jobs_purge
from workflows.models import ExportJob
from workflows.tasks import export_run

pytestmark = pytest.mark.django_db

URL = "/api/v1/exports/"
INVALID = "The request is not valid; see `fields`."
PUBLIC_HEADER = "id,vacancy_id,vacancy_title,organisation,scheme,status,submitted_at,"
PUBLIC_HEADER += "status_changed_at,nominated_at"
PERSONAL_HEADER = ",candidate_id,given_name,family_name,email,date_of_birth,gender,citizenships"


def csv_of(response) -> str:
    return b"".join(response.streaming_content).decode()


def iso(moment):
    return moment.isoformat() if moment else ""


@pytest.fixture
def data(organisation_x, organisation_y):
    jpo = make_scheme(code="jpo")
    mine = make_vacancy(organisation=organisation_x, scheme=jpo, title="=HYPERLINK(evil)")
    theirs = make_vacancy(organisation=organisation_y, title="Data Analyst")
    astrid = make_candidate(email="astrid@example.org", given_name="Astrid", family_name="Berg",
                            gender=Gender.FEMALE, citizenships=["NO", "SE"],
                            date_of_birth=date(1996, 4, 2))  # fmt: skip
    bjorn = make_candidate(email="bjorn@example.org", given_name="Bjørn", family_name="Dahl")
    nominated = make_application(candidate=astrid, vacancy=mine, status=ApplicationStatus.NOMINATED)
    submitted = make_application(candidate=bjorn, vacancy=mine)
    elsewhere = make_application(
        candidate=bjorn, vacancy=theirs, status=ApplicationStatus.NOMINATED
    )
    return {"astrid": astrid, "bjorn": bjorn, "nominated": nominated, "submitted": submitted,
            "elsewhere": elsewhere}  # fmt: skip


def public_row(application):
    application.refresh_from_db()
    vacancy = application.vacancy
    title = vacancy.title if not vacancy.title.startswith("=") else "'" + vacancy.title
    return ",".join([
        str(application.pk), str(vacancy.pk), title, vacancy.organisation.slug,
        vacancy.scheme.code if vacancy.scheme else "", application.status,
        iso(application.created_at), iso(application.status_changed_at),
        iso(application.nominated_at),
    ])  # fmt: skip


def personal_row(application):
    profile = CandidateProfile.objects.select_related("user").get(pk=application.candidate_id)
    born = profile.date_of_birth.isoformat() if profile.date_of_birth else ""
    return public_row(application) + "," + ",".join([
        str(profile.pk), profile.given_name, profile.family_name, profile.user.email, born,
        profile.gender, " ".join(profile.citizenships),
    ])  # fmt: skip


def lines(*rows):
    return "".join(row + "\r\n" for row in rows)


def test_recruiter_exports_every_application_with_personal_columns(recruiter, data):
    response = client_for(recruiter).get(URL + "applications.csv")

    assert (response.status_code, response["Content-Type"], response.streaming) == (
        200, "text/csv; charset=utf-8", True
    )  # fmt: skip
    assert response["Content-Disposition"] == 'attachment; filename="applications.csv"'
    assert csv_of(response) == lines(
        PUBLIC_HEADER + PERSONAL_HEADER,
        personal_row(data["nominated"]),
        personal_row(data["submitted"]),
        personal_row(data["elsewhere"]),
    )


def test_partner_exports_only_applications_nominated_to_it_without_personal_columns(
    partner_x, data
):
    response = client_for(partner_x).get(URL + "applications.csv")

    assert csv_of(response) == lines(PUBLIC_HEADER, public_row(data["nominated"]))


def test_candidate_exports_only_their_own_applications(data):
    response = client_for(data["bjorn"]).get(URL + "applications.csv")

    assert csv_of(response) == lines(
        PUBLIC_HEADER, public_row(data["submitted"]), public_row(data["elsewhere"])
    )


def test_application_export_applies_the_list_filters(recruiter, data):
    client = client_for(recruiter)

    by_status = client.get(URL + "applications.csv", {"status": "submitted"})
    invalid = client.get(URL + "applications.csv", {"status": "hired"})

    assert csv_of(by_status) == lines(
        PUBLIC_HEADER + PERSONAL_HEADER, personal_row(data["submitted"])
    )
    assert (invalid.status_code, invalid["Content-Type"], invalid.json()) == (
        400,
        "application/json",
        {"code": "validation_error", "detail": INVALID,
         "fields": {"status": ["Select a valid choice. hired is not one of the available "
                               "choices."]}},
    )  # fmt: skip


def test_export_needs_a_login(anonymous, data):
    response = anonymous.get(URL + "applications.csv")

    assert (response.status_code, response.json()) == (
        401,
        {"code": "not_authenticated", "detail": "Authentication credentials were not provided."},
    )


def test_placement_export_with_filters_and_scope(
    recruiter, partner_x, organisation_x, organisation_y
):
    station = make_duty_station(city="Nairobi", country="KE")
    ours = make_placement(organisation=organisation_x, duty_station=station,
                          status=PlacementStatus.DEPLOYED)  # fmt: skip
    make_placement(organisation=organisation_y)
    header = "id,application_id,organisation,duty_station,country,scheme,contract_type,modality,"
    header += "status,start_date,end_date"
    row = f"{ours.pk},{ours.application_id},unicef,Nairobi,KE,,fixed_term,on_site,deployed,"
    row += "2031-01-01,2032-12-31"
    profile = ours.application.candidate

    as_recruiter = client_for(recruiter).get(
        URL + "placements.csv", {"organisation": organisation_x.pk}
    )
    as_partner = client_for(partner_x).get(URL + "placements.csv")

    assert csv_of(as_recruiter) == lines(
        header + ",candidate_id,given_name,family_name,email",
        f"{row},{profile.pk},,,{profile.user.email}",
    )
    assert csv_of(as_partner) == lines(header, row)


# ---------------------------------------------------------------------------------------------
# Background jobs
# ---------------------------------------------------------------------------------------------


def job_body(job, *, status, progress, rows_total, rows_written, download_url):
    job.refresh_from_db()
    return {
        "id": str(job.pk),
        "kind": job.kind,
        "filters": job.criteria,
        "include_personal": job.include_personal,
        "status": status,
        "progress": progress,
        "rows_total": rows_total,
        "rows_written": rows_written,
        "download_url": download_url,
        "error": "",
        "created_at": job.created_at.isoformat().replace("+00:00", "Z"),
        "started_at": job.started_at and job.started_at.isoformat().replace("+00:00", "Z"),
        "finished_at": job.finished_at and job.finished_at.isoformat().replace("+00:00", "Z"),
        "expires_at": job.expires_at and job.expires_at.isoformat().replace("+00:00", "Z"),
    }


def test_background_export_reports_progress_and_serves_a_signed_link(recruiter, data):
    client = client_for(recruiter)

    created = client.post(URL, {"kind": "applications", "filters": {"status": ["nominated"]}})
    job = ExportJob.objects.get()
    export_run.fn(str(job.pk))
    done = client.get(f"{URL}{job.pk}/").json()
    download = client_for().get(done["download_url"])

    assert (created.status_code, created.json()) == (
        202,
        job_body(job, status="pending", progress=0, rows_total=None, rows_written=0,
                 download_url=None) | {"started_at": None, "finished_at": None,
                                       "expires_at": None},
    )  # fmt: skip
    assert (job.criteria, job.include_personal) == ({"status": ["nominated"]}, True)
    assert done == job_body(
        job, status="succeeded", progress=100, rows_total=2, rows_written=2,
        download_url=done["download_url"],
    )  # fmt: skip
    assert done["download_url"].startswith(f"http://testserver{URL}{job.pk}/download/?token=")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).decode() == lines(
        PUBLIC_HEADER + PERSONAL_HEADER,
        personal_row(data["nominated"]),
        personal_row(data["elsewhere"]),
    )


def test_background_export_runs_as_its_owner_within_their_scope(partner_x, data):
    client = client_for(partner_x)
    client.post(URL, {"kind": "applications"})
    job = ExportJob.objects.get()

    export_run.fn(str(job.pk))
    export_run.fn(str(job.pk))  # a redelivered message leaves the finished job alone
    body = client.get(f"{URL}{job.pk}/").json()

    assert (body["status"], body["rows_total"], body["include_personal"]) == ("succeeded", 1, False)
    assert b"".join(client.get(body["download_url"]).streaming_content).decode() == lines(
        PUBLIC_HEADER, public_row(data["nominated"])
    )


def test_export_jobs_are_private_to_their_owner(recruiter, admin_user, data):
    client_for(recruiter).post(URL, {"kind": "placements"})
    job = ExportJob.objects.get()

    listed = client_for(admin_user).get(URL)
    fetched = client_for(admin_user).get(f"{URL}{job.pk}/")

    assert listed.json() == {"next": None, "previous": None, "results": []}
    assert (fetched.status_code, fetched.json()) == (
        404, {"code": "not_found", "detail": "Not found."}
    )  # fmt: skip


def test_download_link_is_refused_when_forged_or_expired(recruiter, data, settings):
    client = client_for(recruiter)
    client.post(URL, {"kind": "applications"})
    job = ExportJob.objects.get()
    export_run.fn(str(job.pk))
    url = client.get(f"{URL}{job.pk}/").json()["download_url"]
    refused = {
        "code": "link_invalid",
        "detail": "This download link is invalid or has expired; fetch the export job again "
        "for a fresh link.",
    }

    forged = client_for().get(url[:-3] + "abc")
    settings.EXPORT_LINK_TTL_SECONDS = -1
    expired = client_for().get(url)

    assert (forged.status_code, forged.json()) == (403, refused)
    assert (expired.status_code, expired.json()) == (403, refused)


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"kind": "candidates"}, {"kind": ['"candidates" is not a valid choice.']}),
        ({"kind": "applications", "filters": {"colour": "red"}},
         {"filters": {"colour": ["Unknown filter."]}}),
        ({"kind": "placements", "filters": {"status": "hired"}},
         {"filters": {"status": ["Select a valid choice. hired is not one of the available "
                                 "choices."]}}),
    ],
)  # fmt: skip
def test_export_job_rejects_bad_input_and_creates_nothing(recruiter, body, fields):
    response = client_for(recruiter).post(URL, body)

    assert (response.status_code, response.json()) == (
        400, {"code": "validation_error", "detail": INVALID, "fields": fields}
    )  # fmt: skip
    assert ExportJob.objects.count() == 0


def test_expired_exports_are_purged_with_their_files(recruiter, data):
    client_for(recruiter).post(URL, {"kind": "applications"})
    job = export_run.fn(str(ExportJob.objects.get().pk)) or ExportJob.objects.get()
    name = job.file_name

    purged = export_jobs_purge(now=job.expires_at)

    assert (purged, ExportJob.objects.count(), storages["exports"].exists(name)) == (1, 0, False)
    assert Application.objects.count() == 3


def test_background_placement_export_keeps_the_filters_it_was_given(
    recruiter, organisation_x, organisation_y
):
    ours = make_placement(organisation=organisation_x)
    make_placement(organisation=organisation_y)
    client = client_for(recruiter)

    created = client.post(
        URL, {"kind": "placements", "filters": {"organisation": organisation_x.pk}}
    )
    export_run.fn(created.json()["id"])
    done = client.get(f"{URL}{created.json()['id']}/").json()
    content = b"".join(client_for().get(done["download_url"]).streaming_content).decode()

    assert (done["filters"], done["rows_total"]) == ({"organisation": organisation_x.pk}, 1)
    assert [line.split(",")[0] for line in content.splitlines()] == ["id", str(ours.pk)]


def _bulk_applications(vacancy, count, start):
    users = User.objects.bulk_create(
        User(email=f"bulk{start + i}@example.org", role=Role.CANDIDATE) for i in range(count)
    )
    profiles = CandidateProfile.objects.bulk_create(
        CandidateProfile(user=user, given_name="Given", family_name="Family") for user in users
    )
    Application.objects.bulk_create(
        Application(candidate=profile, vacancy=vacancy) for profile in profiles
    )


def _streamed_peak(client) -> tuple[int, int]:
    """(rows, peak bytes allocated) while streaming the export and discarding each line."""
    tracemalloc.start()
    try:
        rows = sum(1 for _ in client.get(URL + "applications.csv").streaming_content) - 1
        return rows, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_streamed_export_memory_does_not_grow_with_the_row_count(recruiter, settings):
    settings.EXPORT_CHUNK_ROWS = 200
    vacancy = make_vacancy()
    client = client_for(recruiter)
    _bulk_applications(vacancy, 1_000, 0)
    _streamed_peak(client)  # warms up caches and imports, which would count once
    small_rows, small_peak = _streamed_peak(client)
    _bulk_applications(vacancy, 5_000, 1_000)

    large_rows, large_peak = _streamed_peak(client)

    # Rows arrive from a server-side cursor 200 at a time: six times the rows (5 and 30
    # chunks) must not take much more memory (a list of rows would take six times more).
    assert (small_rows, large_rows) == (1_000, 6_000)
    assert large_peak < 1.5 * small_peak, (small_peak, large_peak)
