"""Object-level authorization, proven: every operation of openapi.yaml by every caller, aimed at
objects owned by candidate A and organisation X (DESIGN §7, OWASP API1/API5 2023).

The expected outcome of each call is one row of EXPECTED. An operation of the schema without a
row fails the test by name, so a new endpoint cannot ship unclassified. A refusal (401, 403,
404) must leave the database unchanged, and a 404 must be the plain not-found body, the same
as for an id that does not exist.
"""

import pytest
from django.db import transaction

from tests.api.operations import json_body, listed_object, schema_operations, send
from tests.api.world import CALLERS, build_world, database_fingerprint

NOT_FOUND = {"code": "not_found", "detail": "Not found."}

# One row per operation; columns are the callers in this order. The objects belong to candidate
# A and organisation X; the API clients are recruiter clients with the read / read+write scope.
# Adding an endpoint: add its row here (the failure message prints a row to start from).
# fmt: off
EXPECTED = {
    # columns: anonymous, candidate A, candidate B, partner X, partner Y, recruiter, admin,
    #          API client (read), API client (read write)
    # operation                                      an  cA  cB  pX  pY  re  ad  cr  cw
    "v1_applications_list":                         "401 200 200 200 200 200 200 200 200",
    "v1_applications_create":                       "401 409 201 403 403 403 403 403 403",
    "v1_applications_evaluations_retrieve":         "401 403 403 403 403 200 200 200 200",
    "v1_applications_evaluations_create":           "401 403 403 403 403 201 201 403 403",
    "v1_applications_notes_list":                   "401 403 403 403 403 200 200 200 200",
    "v1_applications_notes_create":                 "401 403 403 403 403 201 201 403 201",
    "v1_applications_retrieve":                     "401 200 404 200 404 200 200 200 200",
    "v1_applications_history_list":                 "401 200 404 200 404 200 200 200 200",
    "v1_applications_transitions_create":           "401 409 404 200 404 200 200 403 200",
    "v1_applications_withdraw_create":              "401 200 404 403 403 403 403 403 403",
    "v1_applications_bulk_transitions_create":      "401 403 403 403 403 200 200 403 200",
    "v1_auth_register_create":                      "201 201 201 201 201 201 201 201 201",
    "v1_auth_token_create":                         "200 200 200 200 200 200 200 200 200",
    "v1_auth_token_revoke_create":                  "401 204 204 204 204 204 204 204 204",
    "v1_candidates_erasure_create":                 "401 403 403 403 403 403 200 403 403",
    "v1_candidates_legal_hold_create":              "401 403 403 403 403 403 200 403 403",
    "v1_candidates_list":                           "401 403 403 403 403 200 200 200 200",
    "v1_candidates_me_access_log_list":             "401 200 200 403 403 403 403 403 403",
    "v1_candidates_me_consents_create":             "401 201 201 403 403 403 403 403 403",
    "v1_candidates_me_consents_list":               "401 200 200 403 403 403 403 403 403",
    "v1_candidates_me_consents_withdraw_create":    "401 200 404 403 403 403 403 403 403",
    "v1_candidates_me_erasure_create":              "401 200 200 403 403 403 403 403 403",
    "v1_candidates_me_export_retrieve":             "401 200 200 403 403 403 403 403 403",
    "v1_candidates_notes_list":                     "401 403 403 403 403 200 200 200 200",
    "v1_candidates_notes_create":                   "401 403 403 403 403 201 201 403 201",
    "v1_candidates_retrieve":                       "401 403 403 403 403 200 200 200 200",
    "v1_candidates_me_retrieve":                    "401 200 200 403 403 403 403 403 403",
    "v1_candidates_me_update":                      "401 200 200 403 403 403 403 403 403",
    "v1_candidates_me_partial_update":              "401 200 200 403 403 403 403 403 403",
    "v1_deletions_list":                            "401 200 200 200 200 200 200 200 200",
    "v1_documents_create":                          "401 201 201 403 403 403 403 403 403",
    "v1_documents_destroy":                         "401 204 404 403 403 403 403 403 403",
    "v1_documents_download_retrieve":               "200 200 200 200 200 200 200 200 200",
    "v1_documents_link_retrieve":                   "401 200 404 200 404 200 200 200 200",
    "v1_documents_list":                            "401 200 200 200 200 200 200 200 200",
    "v1_documents_retrieve":                        "401 200 404 200 404 200 200 200 200",
    "v1_duty_stations_list":                        "200 200 200 200 200 200 200 200 200",
    "v1_duty_stations_create":                      "401 403 403 403 403 403 201 403 403",
    "v1_duty_stations_retrieve":                    "200 200 200 200 200 200 200 200 200",
    "v1_duty_stations_update":                      "401 403 403 403 403 403 200 403 403",
    "v1_duty_stations_partial_update":              "401 403 403 403 403 403 200 403 403",
    "v1_duty_stations_crisis_create":               "401 403 403 403 403 200 200 403 200",
    "v1_exports_applications_csv":                  "401 200 200 200 200 200 200 200 200",
    "v1_exports_create":                            "401 202 202 202 202 202 202 403 202",
    "v1_exports_download_retrieve":                 "200 200 200 200 200 200 200 200 200",
    "v1_exports_list":                              "401 200 200 200 200 200 200 200 200",
    "v1_exports_placements_csv":                    "401 200 200 200 200 200 200 200 200",
    "v1_exports_retrieve":                          "401 200 404 404 404 404 404 404 404",
    "v1_feeds_list":                                "401 403 403 200 200 200 200 200 200",
    "v1_feeds_create":                              "401 403 403 201 201 201 201 403 201",
    "v1_feeds_retrieve":                            "401 403 403 200 404 200 200 200 200",
    "v1_feeds_update":                              "401 403 403 200 404 200 200 403 200",
    "v1_feeds_partial_update":                      "401 403 403 200 404 200 200 403 200",
    "v1_feeds_runs_list":                           "401 403 403 200 404 200 200 200 200",
    "v1_feeds_sync_create":                         "401 403 403 202 404 202 202 403 202",
    "v1_me_retrieve":                               "401 200 200 200 200 200 200 200 200",
    "v1_notifications_list":                        "401 200 200 200 200 200 200 200 200",
    "v1_notifications_preferences_retrieve":        "401 200 200 200 200 200 200 200 200",
    "v1_notifications_preferences_update":          "401 200 200 200 200 200 200 200 200",
    "v1_notifications_unsubscribe_retrieve":        "200 200 200 200 200 200 200 200 200",
    "v1_notifications_unsubscribe_create":          "200 200 200 200 200 200 200 200 200",
    "v1_organisations_list":                        "200 200 200 200 200 200 200 200 200",
    "v1_organisations_create":                      "401 403 403 403 403 403 201 403 403",
    "v1_organisations_retrieve":                    "200 200 200 200 200 200 200 200 200",
    "v1_organisations_update":                      "401 403 403 403 403 403 200 403 403",
    "v1_organisations_partial_update":              "401 403 403 403 403 403 200 403 403",
    "v1_outbox_messages_list":                      "401 403 403 403 403 200 200 200 200",
    "v1_outbox_messages_retrieve":                  "401 403 403 403 403 200 200 200 200",
    "v1_outbox_messages_redeliver_create":          "401 403 403 403 403 202 202 403 202",
    "v1_placements_list":                           "401 200 200 200 200 200 200 200 200",
    "v1_placements_retrieve":                       "401 200 404 200 404 200 200 200 200",
    "v1_placements_checklist_partial_update":       "401 403 403 403 403 200 200 403 200",
    "v1_placements_history_list":                   "401 200 404 200 404 200 200 200 200",
    "v1_placements_renewals_create":                "401 403 403 403 403 200 200 403 200",
    "v1_placements_transitions_create":             "401 403 403 403 403 200 200 403 200",
    "v1_reports_annual_retrieve":                   "401 403 403 403 403 200 200 200 200",
    "v1_reports_demographics_retrieve":             "401 403 403 403 403 200 200 200 200",
    "v1_reports_funnel_retrieve":                   "401 403 403 403 403 200 200 200 200",
    "v1_saved_searches_list":                       "401 200 200 403 403 403 403 403 403",
    "v1_saved_searches_create":                     "401 201 201 403 403 403 403 403 403",
    "v1_saved_searches_retrieve":                   "401 200 404 403 403 403 403 403 403",
    "v1_saved_searches_update":                     "401 200 404 403 403 403 403 403 403",
    "v1_saved_searches_partial_update":             "401 200 404 403 403 403 403 403 403",
    "v1_saved_searches_destroy":                    "401 204 404 403 403 403 403 403 403",
    "v1_schemes_list":                              "200 200 200 200 200 200 200 200 200",
    "v1_schemes_create":                            "401 403 403 403 403 403 201 403 403",
    "v1_schemes_retrieve":                          "200 200 200 200 200 200 200 200 200",
    "v1_schemes_update":                            "401 403 403 403 403 403 200 403 403",
    "v1_schemes_partial_update":                    "401 403 403 403 403 403 200 403 403",
    "v1_scorecard_templates_list":                  "401 403 403 403 403 200 200 200 200",
    "v1_scorecard_templates_create":                "401 403 403 403 403 201 201 403 201",
    "v1_scorecard_templates_retrieve":              "401 403 403 403 403 200 200 200 200",
    "v1_vacancies_feed_json":                       "200 200 200 200 200 200 200 200 200",
    "v1_vacancies_feed_rss":                        "200 200 200 200 200 200 200 200 200",
    "v1_vacancies_jobposting_retrieve":             "404 404 404 200 404 200 200 200 200",
    "v1_vacancies_list":                            "200 200 200 200 200 200 200 200 200",
    "v1_vacancies_create":                          "401 403 403 201 201 201 201 403 201",
    "v1_vacancies_retrieve":                        "404 404 404 200 404 200 200 200 200",
    "v1_vacancies_shortlist_retrieve":              "401 403 403 200 404 200 200 200 200",
    "v1_vacancies_update":                          "401 403 403 200 404 200 200 403 200",
    "v1_vacancies_partial_update":                  "401 403 403 200 404 200 200 403 200",
    "v1_vacancies_close_create":                    "401 403 403 200 404 200 200 403 200",
    "v1_vacancies_eligibility_retrieve":            "401 200 200 403 403 403 403 403 403",
    "v1_vacancies_publish_create":                  "401 403 403 200 404 200 200 403 200",
    "v1_vacancies_review_queue_list":               "401 403 403 403 403 200 200 403 403",
    "v1_vacancies_reviewers_list":                  "401 403 403 403 403 200 200 200 200",
    "v1_vacancies_reviewers_create":                "401 403 403 403 403 201 201 403 201",
    "v1_webhooks_list":                             "401 403 403 200 200 200 200 200 200",
    "v1_webhooks_create":                           "401 403 403 201 201 201 201 403 201",
    "v1_webhooks_retrieve":                         "401 403 403 200 404 404 200 404 404",
    "v1_webhooks_partial_update":                   "401 403 403 200 404 404 200 403 404",
    "v1_webhooks_destroy":                          "401 403 403 204 404 404 204 403 404",
    "v1_webhooks_deliveries_list":                  "401 403 403 200 404 404 200 404 404",
    "v1_webhooks_rotate_secret_create":             "401 403 403 200 404 404 200 403 404",
}

# Top-level lists: does the caller's list show the world's object of that collection (A's
# application, X's draft vacancy, ...)? y/n, or - where the row above expects no 200.
VISIBLE = {
    # operation                                      an  cA  cB  pX  pY  re  ad  cr  cw
    "v1_applications_list":                         "-   y   n   y   n   y   y   y   y",
    "v1_candidates_list":                           "-   -   -   -   -   y   y   y   y",
    "v1_deletions_list":                            "-   y   n   n   n   y   y   y   y",
    "v1_documents_list":                            "-   y   n   y   n   y   y   y   y",
    "v1_duty_stations_list":                        "y   y   y   y   y   y   y   y   y",
    "v1_exports_list":                              "-   y   n   n   n   n   n   n   n",
    "v1_feeds_list":                                "-   -   -   y   n   y   y   y   y",
    "v1_notifications_list":                        "-   y   n   n   n   n   n   n   n",
    "v1_organisations_list":                        "y   y   y   y   y   y   y   y   y",
    "v1_outbox_messages_list":                      "-   -   -   -   -   y   y   y   y",
    "v1_placements_list":                           "-   y   n   y   n   y   y   y   y",
    "v1_saved_searches_list":                       "-   y   n   -   -   -   -   -   -",
    "v1_schemes_list":                              "y   y   y   y   y   y   y   y   y",
    "v1_scorecard_templates_list":                  "-   -   -   -   -   y   y   y   y",
    "v1_vacancies_list":                            "n   n   n   y   n   y   y   y   y",
    "v1_webhooks_list":                             "-   -   -   y   n   n   y   n   n",
}
# fmt: on

REFUSALS = {401, 403, 404}


def expected_row(operation_id: str) -> dict[str, int]:
    row = [int(code) for code in EXPECTED[operation_id].split()]
    assert len(row) == len(CALLERS), f"{operation_id}: the row needs {len(CALLERS)} codes"
    return dict(zip(CALLERS, row, strict=True))


def visible_row(operation_id: str) -> dict[str, str]:
    return dict(zip(CALLERS, VISIBLE[operation_id].split(), strict=True))


def test_every_schema_operation_has_a_row():
    operations = schema_operations()
    names = [operation.operation_id for operation in operations]
    lists = [operation.operation_id for operation in operations if listed_object(operation)]

    missing = [name for name in names if name not in EXPECTED]
    missing_lists = [name for name in lists if name not in VISIBLE]
    stale = sorted((set(EXPECTED) - set(names)) | (set(VISIBLE) - set(lists)))

    assert (missing, missing_lists) == ([], []), (
        "operations of openapi.yaml without a row in EXPECTED / VISIBLE (tests/api/"
        f"test_authorization_matrix.py): {missing} / {missing_lists}"
    )
    assert stale == [], f"rows for operations no longer in openapi.yaml: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "operation", schema_operations(), ids=lambda operation: operation.operation_id
)
def test_authorization_matrix(operation):
    if operation.operation_id not in EXPECTED:
        pytest.fail(
            f"{operation.method.upper()} {operation.path} ({operation.operation_id}) has no "
            "row in EXPECTED in tests/api/test_authorization_matrix.py; add one, e.g. "
            f'"{operation.operation_id}": "401 404 404 404 404 200 200 200 200",'
        )
    world = build_world()
    expected = expected_row(operation.operation_id)
    listed = listed_object(operation)
    outcomes = {}
    wrong = []
    before = database_fingerprint()  # every call below is rolled back to this state

    for caller in CALLERS:
        with transaction.atomic():
            response = send(caller, operation, world)
            after = database_fingerprint()
            transaction.set_rollback(True)  # each caller meets the same world
        outcomes[caller] = response.status_code
        body = json_body(response)
        if response.status_code in REFUSALS:
            changed = sorted(table for table in before if before[table] != after[table])
            if changed:
                wrong.append(f"{caller}: refused with {response.status_code} but changed {changed}")
            if response.status_code == 404 and body != NOT_FOUND:
                wrong.append(f"{caller}: 404 with another body than not-found: {body}")
        if response.status_code >= 500:
            wrong.append(f"{caller}: server error {response.status_code}")
        if listed and response.status_code == 200:
            shown = world.ids[listed] in [item["id"] for item in body["results"]]
            if ("y" if shown else "n") != visible_row(operation.operation_id)[caller]:
                wrong.append(f"{caller}: the list {'shows' if shown else 'hides'} {listed}")

    assert (outcomes, wrong) == (expected, [])
