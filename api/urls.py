"""URLconf: the versioned API, the schema and its docs, health probes, and the admin."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from oauth2_provider.views import TokenView as OAuthTokenView
from rest_framework.routers import APIRootView, SimpleRouter

from api.views import (
    accounts,
    alerts,
    applications,
    candidates,
    deletions,
    documents,
    exports,
    feeds,
    health,
    notifications,
    placements,
    privacy,
    reference,
    reports,
    reviews,
    vacancies,
    vacancy_feeds,
)

API = "api/v1/"


def resource(prefix, viewset=None, basename=None, paths=()):
    """The routes under `api/v1/prefix/`: the viewset's list routes, the fixed `paths`, then
    the viewset's detail routes (which would read `me/` as an id).

    Django tests URL patterns one by one, in order. Grouped by resource, a request tests each
    resource's prefix once and then its own resource's routes only; a router's flat list made
    a candidate list test 55 other resources' patterns first. The prefix holds the version
    too: a level of `api/v1/` around the resources gave every request one more resolver
    (about 35,000 instructions)."""
    routes = []
    if viewset is not None:
        router = SimpleRouter()
        router.register("", viewset, basename=basename)
        routes = router.urls
    detail = [route for route in routes if route.callback.initkwargs["detail"]]
    listed = [route for route in routes if not route.callback.initkwargs["detail"]]
    return path(f"{API}{prefix}/", include([*listed, *paths, *detail]))


RESOURCES = {  # prefix: (viewset, basename), the API root's links; hot lists first
    "vacancies": (vacancies.VacancyViewSet, "vacancy"),
    "candidates": (candidates.CandidateProfileViewSet, "candidate"),
    "applications": (applications.ApplicationViewSet, "application"),
    "organisations": (reference.OrganisationViewSet, "organisation"),
    "duty-stations": (reference.DutyStationViewSet, "duty_station"),
    "schemes": (reference.SchemeViewSet, "scheme"),
    "feeds": (feeds.FeedViewSet, "feed"),
    "placements": (placements.PlacementViewSet, "placement"),
    "webhooks": (notifications.WebhookViewSet, "webhook"),
    "saved-searches": (alerts.SavedSearchViewSet, "saved_search"),
    "notifications": (notifications.NotificationViewSet, "notification"),
    "exports": (exports.ExportJobViewSet, "export"),
    "deletions": (deletions.DeletionViewSet, "deletion"),
    "documents": (documents.DocumentViewSet, "document"),
    "outbox-messages": (notifications.OutboxMessageViewSet, "outbox_message"),
}

# Each resource's fixed routes: after its viewset's list routes, before its detail routes.
PATHS = {
    "vacancies": [
        path("feed.rss", vacancy_feeds.VacancyRssFeedView.as_view(), name="vacancy_feed_rss"),
        path("feed.json", vacancy_feeds.VacancyJsonFeedView.as_view(), name="vacancy_feed_json"),
        path(
            "<int:vacancy_id>/reviewers/",
            reviews.VacancyReviewerView.as_view(),
            name="vacancy_reviewers",
        ),
        path(
            "<int:vacancy_id>/review-queue/",
            reviews.ReviewQueueView.as_view(),
            name="vacancy_review_queue",
        ),
    ],
    "candidates": [
        path("me/", candidates.MyCandidateProfileView.as_view(), name="candidate_me"),
        path("me/export/", privacy.ExportView.as_view(), name="candidate_export"),
        path(
            "me/access-log/",
            privacy.AccessLogViewSet.as_view({"get": "list"}),
            name="candidate_access_log",
        ),
        path(
            "me/consents/",
            privacy.ConsentViewSet.as_view({"get": "list", "post": "create"}),
            name="candidate_consent-list",
        ),
        path(
            "me/consents/<int:pk>/withdraw/",
            privacy.ConsentViewSet.as_view({"post": "withdraw"}),
            name="candidate_consent-withdraw",
        ),
        path("me/erasure/", privacy.ErasureView.as_view(), name="candidate_erasure"),
        path(
            "<int:candidate_id>/notes/",
            reviews.CandidateNoteView.as_view(),
            name="candidate_notes",
        ),
    ],
    "applications": [
        path(
            "<int:application_id>/evaluations/",
            reviews.ApplicationEvaluationView.as_view(),
            name="application_evaluations",
        ),
        path(
            "<int:application_id>/notes/",
            reviews.ApplicationNoteView.as_view(),
            name="application_notes",
        ),
    ],
    "notifications": [
        path(
            "unsubscribe/",
            notifications.UnsubscribeView.as_view(),
            name="notification_unsubscribe",
        ),
    ],
    "exports": [
        path(
            "applications.csv",
            exports.ApplicationCsvExportView.as_view(),
            name="export_applications_csv",
        ),
        path(
            "placements.csv",
            exports.PlacementCsvExportView.as_view(),
            name="export_placements_csv",
        ),
    ],
    "documents": [
        path(
            "download/<str:token>/",
            documents.DocumentDownloadView.as_view(),
            name="document_download",
        ),
    ],
}

api_v1 = [
    *(
        resource(prefix, viewset, basename, PATHS.get(prefix, ()))
        for prefix, (viewset, basename) in RESOURCES.items()
    ),
    resource(
        "auth",
        paths=[
            path("register/", accounts.RegisterView.as_view(), name="register"),
            path("token/", accounts.TokenView.as_view(), name="token"),
            path("token/revoke/", accounts.TokenRevokeView.as_view(), name="token_revoke"),
            path("oauth/token/", OAuthTokenView.as_view(), name="oauth_token"),
        ],
    ),
    path(f"{API}me/", accounts.MeView.as_view(), name="me"),
    resource(
        "reports",
        paths=[
            path("annual/", reports.AnnualReportView.as_view(), name="report_annual"),
            path("funnel/", reports.FunnelReportView.as_view(), name="report_funnel"),
            path(
                "demographics/",
                reports.DemographicsReportView.as_view(),
                name="report_demographics",
            ),
        ],
    ),
    resource(
        "scorecard-templates",
        paths=[
            path(
                "",
                reviews.ScorecardTemplateViewSet.as_view({"get": "list", "post": "create"}),
                name="scorecard_template-list",
            ),
            path(
                "<int:pk>/",
                reviews.ScorecardTemplateViewSet.as_view({"get": "retrieve"}),
                name="scorecard_template-detail",
            ),
        ],
    ),
    # The root: a link to each resource's list.
    path(
        API,
        APIRootView.as_view(
            api_root_dict={
                prefix: f"{basename}-list" for prefix, (_, basename) in RESOURCES.items()
            }
        ),
        name="api-root",
    ),
]

urlpatterns = [
    *api_v1,
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger_ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
]

handler400 = "api.exceptions.bad_request"
handler403 = "api.exceptions.permission_denied"
handler404 = "api.exceptions.page_not_found"
handler500 = "api.exceptions.server_error"
