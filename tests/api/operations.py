"""The operations of openapi.yaml, and a valid request for each aimed at the security world's
objects (owned by candidate A / organisation X). Shared by the authorization matrix and the
mass-assignment test; a new operation needs no entry here unless its path has a new parameter
name or it needs a request body to succeed."""

import io
import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import yaml
from django.utils import timezone

from tests.api.bodies import iso
from tests.api.world import PDF_BYTES

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "openapi.yaml"
METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Operation:
    """One operation of the schema."""

    operation_id: str
    method: str
    path: str
    spec: dict

    @property
    def writes(self) -> bool:
        return self.method != "get"


def load_schema() -> dict:
    return yaml.safe_load(SCHEMA_FILE.read_text())


def schema_operations() -> list[Operation]:
    """Every operation of openapi.yaml, in the file's order."""
    return [
        Operation(spec["operationId"], method, path, spec)
        for path, item in load_schema()["paths"].items()
        for method, spec in item.items()
        if method in METHODS
    ]


# Which world object a path parameter names. `{id}` depends on the collection it follows.
PARAMETER_OBJECTS = {
    "application_id": "application",
    "vacancy_id": "vacancy",
    "candidate_id": "candidate",
    "item_id": "checklist_item",
    "token": "document_token",  # documents/download/{token}/
}
ID_OF_COLLECTION = {
    "applications": "application",
    "candidates": "candidate",
    "deletions": "tombstone",
    "documents": "document",
    "exports": "export",
    "duty-stations": "duty_station",
    "feeds": "feed",
    "organisations": "organisation",
    "outbox-messages": "outbox_message",
    "placements": "placement",
    "saved-searches": "saved_search",
    "schemes": "scheme",
    "scorecard-templates": "scorecard_template",
    "vacancies": "draft_vacancy",
    "webhooks": "webhook",
}
ID_OF_COLLECTION["notifications"] = "notification"  # candidate A's email
# Operations aimed at another object than their collection's default.
ID_OVERRIDES = {
    "v1_vacancies_close_create": "vacancy",  # only a published vacancy closes
    "v1_vacancies_eligibility_retrieve": "vacancy",
    "v1_vacancies_shortlist_retrieve": "vacancy",  # A's nominated application is there
    "v1_candidates_me_consents_withdraw_create": "consent",  # candidates/me/consents/{id}/
}


def _closes_at() -> str:
    return iso(timezone.now() + timedelta(days=60))


def request_bodies(world) -> dict[str, dict]:
    """A body for each write that needs one, valid for the callers allowed to make it."""
    ids = world.ids
    vacancy = {
        "title": "WASH Specialist",
        "description": "<p>Water.</p>",
        "closes_at": _closes_at(),
        "organisation": "unhcr",
    }
    feed = {
        "kind": "rss",
        "url": "https://93.184.215.14/feed.xml",
        "name": "Jobs",
        "interval_minutes": 60,
        "enabled": True,
    }
    profile = {
        "given_name": "Astrid",
        "family_name": "Lund",
        "citizenships": ["NO"],
        "education": [],
        "experience": [],
        "languages": [],
    }
    return {
        "v1_applications_create": {"vacancy": ids["vacancy"]},
        "v1_applications_evaluations_create": {"scores": {"communication": 4}},
        "v1_applications_notes_create": {"body": "Checked references."},
        "v1_applications_transitions_create": {"to": "interview", "reason": "Invited."},
        "v1_applications_withdraw_create": {"reason": "Took another job."},
        "v1_applications_bulk_transitions_create": {
            "ids": [ids["application"]],
            "to": "interview",
            "reason": "Invited.",
        },
        "v1_auth_register_create": {
            "email": "new@example.org",
            "password": "Tangerine-Lighthouse-42",
        },
        "v1_auth_token_create": {"email": "a@example.org", "password": world.password},
        "v1_candidates_notes_create": {"body": "Interested in WASH."},
        "v1_candidates_legal_hold_create": {"legal_hold": True},
        "v1_candidates_me_consents_create": {"purpose": "talent_pool"},
        "v1_documents_create": {"file": _pdf_upload(), "kind": "cv"},
        "v1_exports_create": {"kind": "applications", "filters": {}},
        "v1_candidates_me_update": profile,
        "v1_candidates_me_partial_update": {"family_name": "Lund"},
        "v1_duty_stations_create": {"city": "Goma", "country": "CD"},
        "v1_duty_stations_update": {"city": "Nairobi", "country": "KE"},
        "v1_duty_stations_partial_update": {"city": "Nairobi"},
        "v1_duty_stations_crisis_create": {"to": "remote", "reason": "Security incident."},
        "v1_feeds_create": feed,
        "v1_feeds_update": feed,
        "v1_feeds_partial_update": {"enabled": False},
        "v1_notifications_preferences_update": {"vacancy.alert": False},
        "v1_organisations_create": {
            "slug": "wfp",
            "name": "World Food Programme",
            "acronym": "WFP",
            "kind": "un_agency",
        },
        "v1_organisations_update": {
            "slug": "unicef",
            "name": "UNICEF",
            "acronym": "UNICEF",
            "kind": "un_agency",
        },
        "v1_organisations_partial_update": {"name": "UNICEF"},
        "v1_placements_checklist_partial_update": {"completed": True},
        "v1_placements_renewals_create": {"end_date": "2032-12-31", "reason": "Renewed."},
        "v1_placements_transitions_create": {"to": "remote", "reason": "Office closed."},
        "v1_saved_searches_create": {"name": "Geneva", "criteria": {}, "frequency": "daily"},
        "v1_saved_searches_update": {"name": "Geneva", "criteria": {}, "frequency": "daily"},
        "v1_saved_searches_partial_update": {"name": "Geneva"},
        "v1_schemes_create": {"code": "unv", "name": "UN Volunteers"},
        "v1_schemes_update": {"code": "jpo", "name": "Junior Professional Officers"},
        "v1_schemes_partial_update": {"name": "Junior Professional Officers"},
        "v1_scorecard_templates_create": {
            "name": "Specialist",
            "criteria": [{"key": "tech", "label": "Technical", "weight": 100, "kind": "technical"}],
        },
        "v1_vacancies_create": vacancy,
        "v1_vacancies_update": {**vacancy, "organisation": "unicef"},
        "v1_vacancies_partial_update": {"title": "Senior WASH Specialist"},
        "v1_vacancies_reviewers_create": {"reviewer": ids["admin_user"]},
        "v1_webhooks_create": {
            "url": "https://93.184.215.15/hooks",
            "event_types": ["application.status_changed"],
        },
        "v1_webhooks_partial_update": {"is_active": False},
    }


def _pdf_upload() -> io.BytesIO:
    """A fresh file for each request (a sent file is read to its end)."""
    file = io.BytesIO(PDF_BYTES)
    file.name = "cv.pdf"
    return file


# Operations whose body is a form with a file rather than JSON.
MULTIPART = {"v1_documents_create"}

QUERIES = {
    "v1_notifications_unsubscribe_retrieve": lambda world: {"token": world.unsubscribe_token},
    "v1_notifications_unsubscribe_create": lambda world: {"token": world.unsubscribe_token},
    "v1_deletions_list": lambda world: {"since": "2020-01-01T00:00:00Z"},
    "v1_exports_download_retrieve": lambda world: {"token": world.ids["export_token"]},
    "v1_reports_annual_retrieve": lambda world: {"year": timezone.now().year},
    "v1_reports_demographics_retrieve": lambda world: {"year": timezone.now().year},
}


# Partner members never name an organisation (theirs is implied; naming one is a 400).
PARTNER_BODY_WITHOUT = {
    "v1_vacancies_create": "organisation",
    "v1_vacancies_update": "organisation",
}


def body_for(operation: "Operation", world, caller: str) -> dict:
    """The valid body of `operation` for `caller`."""
    body = dict(request_bodies(world).get(operation.operation_id, {}))
    if caller.startswith("partner_"):
        body.pop(PARTNER_BODY_WITHOUT.get(operation.operation_id, ""), None)
    return body


def listed_object(operation: Operation) -> str | None:
    """For a top-level collection's list, the world object whose presence it reveals."""
    parts = operation.path.strip("/").split("/")
    if operation.method != "get" or len(parts) != 3 or not operation.operation_id.endswith("list"):
        return None
    return ID_OF_COLLECTION[parts[2]]


def url_of(operation: Operation, world) -> str:
    """The operation's path with each parameter replaced by its world object's id."""
    collection = operation.path.split("/")[3]

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name == "id":
            key = ID_OVERRIDES.get(operation.operation_id, ID_OF_COLLECTION[collection])
        else:
            key = PARAMETER_OBJECTS[name]
        return str(world.ids[key])

    return re.sub(r"\{(\w+)\}", replace, operation.path)


def send(caller: str, operation: Operation, world, body: dict | None = None):
    """Make the operation's request as `caller`; `body` defaults to the caller's valid one."""
    client = world.clients[caller]
    if body is None:
        body = body_for(operation, world, caller)
    url = url_of(operation, world)
    query = QUERIES.get(operation.operation_id)
    if query is not None:
        url = f"{url}?{urlencode(query(world))}"
    call = getattr(client, operation.method)
    if operation.method == "get":
        return call(url)
    if operation.operation_id in MULTIPART:
        return call(url, body, format="multipart")
    return call(url, body, format="json")


def json_body(response) -> object:
    """The response's JSON body; None when it has none or is no JSON (a CSV, a feed, a file).
    A streamed body is read to its end and its file closed (only the file: the response's own
    close() would also end the test's database connection)."""
    if response.streaming:
        b"".join(response.streaming_content)
        for closer in response._resource_closers:
            closer()
        return None
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:  # another media type
        return None
