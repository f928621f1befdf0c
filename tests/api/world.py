"""One small world for the security tests: every caller of the authorization matrix and, for
every kind of object, one that belongs to candidate A or organisation X (so candidate B,
partner Y and anonymous are the outsiders, and A and partner X the owners who prove the ids
are real). Used by the authorization matrix, the mass-assignment test and the fuzzer."""

import base64
import io
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from recruitment import documents, privacy, reviews, services
from recruitment.enums import (
    AccessedResource,
    ApplicationStatus,
    ChecklistItemKind,
    ConsentPurpose,
    DocumentKind,
    ExportKind,
    FeedKind,
    OutboxKind,
    OutboxStatus,
    PlacementStatus,
    Role,
    VacancyStatus,
)
from recruitment.models import CandidateProfile, Feed, PlacementChecklistItem, SavedSearch
from tests.conftest import client_for
from tests.factories import (
    PASSWORD,
    make_application,
    make_duty_station,
    make_organisation,
    make_outbox_message,
    make_placement,
    make_reviewer_assignment,
    make_saved_search,
    make_scheme,
    make_user,
    make_vacancy,
    make_webhook_subscription,
)
from workflows import exports
from workflows.notifications import unsubscribe_token

# Every caller of the matrix, in the order of the table's columns.
CALLERS = (
    "anonymous",
    "candidate_a",
    "candidate_b",
    "partner_x",
    "partner_y",
    "recruiter",
    "admin",
    "client_read",
    "client_write",
)

# The smallest file the document upload accepts (sniffed as a PDF).
PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

# A public address literal: registering it needs no DNS (tests never reach the network).
PUBLIC_URL = "https://93.184.215.14/hooks"


def _api_client(name: str, scopes: str) -> APIClient:
    """An OAuth2 client-credentials API client (recruiter role) holding `scopes`, made with the
    real command and token endpoint."""
    out = io.StringIO()
    call_command("create_api_client", "--name", name, "--role", Role.RECRUITER,
                 "--scopes", scopes, stdout=out)  # fmt: skip
    printed = dict(line.split(": ", 1) for line in out.getvalue().splitlines())
    basic = base64.b64encode(f"{printed['client_id']}:{printed['client_secret']}".encode())
    response = APIClient().post(
        "/api/v1/auth/oauth/token/",
        data=urlencode({"grant_type": "client_credentials", "scope": scopes}),
        content_type="application/x-www-form-urlencoded",
        HTTP_AUTHORIZATION=f"Basic {basic.decode()}",
    )
    assert response.status_code == 200, response.content
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access_token']}")
    return client


@dataclass
class World:
    """The callers' API clients and the ids of the objects the requests aim at."""

    clients: dict[str, APIClient]
    ids: dict[str, int | str]
    users: dict[str, object] = field(default_factory=dict)
    unsubscribe_token: str = ""
    password: str = PASSWORD


def build_world() -> World:
    """Every caller and one object of each kind, owned by candidate A / organisation X."""
    organisation_x = make_organisation(slug="unicef", name="United Nations Children's Fund")
    organisation_y = make_organisation(slug="unhcr", name="UN Refugee Agency")
    users = {
        "candidate_a": make_user(role=Role.CANDIDATE, email="a@example.org", given_name="Astrid"),
        "candidate_b": make_user(role=Role.CANDIDATE, email="b@example.org", given_name="Bjørn"),
        "partner_x": make_user(
            role=Role.PARTNER, email="px@unicef.org", organisation=organisation_x
        ),
        "partner_y": make_user(
            role=Role.PARTNER, email="py@unhcr.org", organisation=organisation_y
        ),
        "recruiter": make_user(role=Role.RECRUITER, email="recruiter@agency.no"),
        "admin": make_user(role=Role.ADMIN, email="admin@agency.no"),
    }
    clients = {"anonymous": APIClient()}
    clients.update({name: client_for(user) for name, user in users.items()})
    clients["client_read"] = _api_client("Reader", "read")
    clients["client_write"] = _api_client("Writer", "read write")

    station = make_duty_station(city="Nairobi", country="KE")
    scheme = make_scheme(code="jpo")
    template = reviews.scorecard_template_create(
        name="Programme officer",
        criteria=[{"key": "communication", "label": "Communication", "weight": 100,
                   "kind": "competency"}],
    )  # fmt: skip
    published = make_vacancy(
        organisation=organisation_x, title="Child Protection Officer", scheme=scheme,
        scorecard_template=template,
    )  # fmt: skip
    published.duty_stations.add(station)
    draft = make_vacancy(organisation=organisation_x, status=VacancyStatus.DRAFT, title="Draft")
    application = make_application(
        candidate=users["candidate_a"], vacancy=published, status=ApplicationStatus.NOMINATED
    )
    make_reviewer_assignment(vacancy=published, reviewer=users["recruiter"])
    placement = make_placement(
        candidate=users["candidate_a"], organisation=organisation_x, duty_station=station,
        status=PlacementStatus.DEPLOYED, start_date=date(2030, 1, 1),
        end_date=date(2031, 12, 31),
    )  # fmt: skip
    item = PlacementChecklistItem.objects.create(
        placement=placement, kind=ChecklistItemKind.VISA, due_date=date(2029, 12, 1)
    )
    feed = Feed.objects.create(
        organisation=organisation_x, kind=FeedKind.RSS, name="UNICEF careers",
        url="https://93.184.215.14/jobs.rss",
    )  # fmt: skip
    webhook = make_webhook_subscription(
        owner=users["partner_x"], organisation=organisation_x, url=PUBLIC_URL
    )
    saved_search = make_saved_search(user=users["candidate_a"], name="Nairobi jobs")
    outbox = make_outbox_message(
        kind=OutboxKind.EMAIL, event_type="application.status_changed",
        recipient=users["candidate_a"], payload={"application_id": application.pk},
        status=OutboxStatus.DEAD,
    )  # fmt: skip
    profile_a = CandidateProfile.objects.get(user=users["candidate_a"])
    reviews.note_create(author=users["recruiter"], body="Strong field record.",
                        application=application)  # fmt: skip
    reviews.note_create(author=users["recruiter"], body="Call back in May.", candidate=profile_a)
    document = documents.document_store(
        profile=profile_a, kind=DocumentKind.CV, file=io.BytesIO(PDF_BYTES), original_name="cv.pdf"
    )
    consent = privacy.consent_grant(
        profile=profile_a, purpose=ConsentPurpose.TALENT_POOL, organisation=None,
        expires_at=None, now=timezone.now(),
    )  # fmt: skip
    privacy.access_log_record_many(  # the recruiter read A's profile: A's access log
        viewer=users["recruiter"], resource=AccessedResource.PROFILE,
        reads=[(users["candidate_a"].pk, profile_a.pk)],
    )  # fmt: skip
    export_job = exports.export_job_create(
        owner=users["candidate_a"], kind=ExportKind.APPLICATIONS, criteria={}
    )
    export_job = exports.export_job_run(job_id=str(export_job.pk))  # its file, ready
    deleted_search = make_saved_search(user=users["candidate_a"], name="Old search")
    (tombstone,) = services.tombstone_record(objects=[deleted_search], owner=users["candidate_a"])
    SavedSearch.objects.filter(pk=deleted_search.pk).delete()
    return World(
        clients=clients,
        users=users,
        unsubscribe_token=unsubscribe_token(users["candidate_a"].pk, "job_alert"),
        ids={
            "organisation": organisation_x.pk,
            "organisation_y": organisation_y.pk,
            "duty_station": station.pk,
            "scheme": scheme.pk,
            "scorecard_template": template.pk,
            "vacancy": published.pk,
            "draft_vacancy": draft.pk,
            "application": application.pk,
            "candidate": profile_a.pk,
            "placement": placement.pk,
            "checklist_item": item.pk,
            "feed": feed.pk,
            "webhook": webhook.pk,
            "saved_search": saved_search.pk,
            "outbox_message": outbox.pk,
            "notification": str(outbox.event_id),  # notifications are known by their event id
            "document": document.pk,
            "consent": consent.pk,
            "export": str(export_job.pk),  # export jobs are known by a UUID
            "tombstone": tombstone.pk,
            # Download links (the signed token is the credential): A's document, issued to A,
            # and A's finished export.
            "document_token": documents.document_link_token(
                document=document, viewer=users["candidate_a"]
            ),
            "export_token": exports.export_download_token(export_job),
            "recruiter_user": users["recruiter"].pk,
            "admin_user": users["admin"].pk,
        },
    )


# Tables that count requests rather than hold data: a refused request is counted too (by
# design: probing other people's ids or passwords spends the caller's rate limit).
REQUEST_COUNTERS = {"recruitment_ratelimitcounter"}


def _tables() -> list[str]:
    return sorted(
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and model._meta.db_table not in REQUEST_COUNTERS
    )


def database_fingerprint() -> dict[str, str]:
    """One md5 of every row of every table (but the request counters), in one query: equal
    fingerprints, equal data."""
    parts = [
        f"SELECT '{table}', md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
        f'FROM "{table}" t'
        for table in _tables()
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return dict(cursor.fetchall())
