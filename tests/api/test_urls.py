"""The URLconf: each resource's routes grouped under its prefix, and the API root's links."""

import pytest
from django.urls import resolve, reverse

from api.urls import RESOURCES, urlpatterns

BASE = "http://testserver/api/v1/"


@pytest.mark.django_db
def test_the_root_links_every_resource_list(anonymous):
    response = anonymous.get("/api/v1/")

    assert response.status_code == 200
    assert response.json() == {prefix: f"{BASE}{prefix}/" for prefix in RESOURCES}


@pytest.mark.parametrize(
    ("path", "name", "kwargs"),
    [
        # Fixed routes come before the viewset's, which would read them as ids.
        ("/api/v1/candidates/me/", "candidate_me", {}),
        ("/api/v1/candidates/me/consents/3/withdraw/", "candidate_consent-withdraw", {"pk": 3}),
        ("/api/v1/vacancies/feed.rss", "vacancy_feed_rss", {}),
        ("/api/v1/vacancies/7/reviewers/", "vacancy_reviewers", {"vacancy_id": 7}),
        ("/api/v1/vacancies/7/shortlist/", "vacancy-shortlist", {"pk": "7"}),
        ("/api/v1/vacancies/", "vacancy-list", {}),
        ("/api/v1/applications/bulk-transitions/", "application-bulk-transitions", {}),
        ("/api/v1/exports/applications.csv", "export_applications_csv", {}),
        ("/api/v1/exports/12/", "export-detail", {"pk": "12"}),
        ("/api/v1/auth/token/revoke/", "token_revoke", {}),
        ("/api/v1/scorecard-templates/4/", "scorecard_template-detail", {"pk": 4}),
        ("/api/v1/me/", "me", {}),
    ],
)
def test_paths_resolve_to_their_routes_and_back(path, name, kwargs):
    match = resolve(path)

    assert (match.url_name, match.kwargs) == (name, kwargs)
    assert reverse(name, kwargs=kwargs) == path


def test_resources_are_the_first_patterns_at_the_root_hot_lists_first():
    # One resolver per resource under the root: a request resolves in two levels.
    routes = [str(pattern.pattern) for pattern in urlpatterns[: len(RESOURCES)]]

    assert routes == [f"api/v1/{prefix}/" for prefix in RESOURCES]
    assert routes[:3] == ["api/v1/vacancies/", "api/v1/candidates/", "api/v1/applications/"]
