"""URLconf: the versioned API, the schema and its docs, health probes, and the admin."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from oauth2_provider.views import TokenView as OAuthTokenView
from rest_framework.routers import DefaultRouter

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

router = DefaultRouter()
router.register("organisations", reference.OrganisationViewSet, basename="organisation")
router.register("duty-stations", reference.DutyStationViewSet, basename="duty_station")
router.register("schemes", reference.SchemeViewSet, basename="scheme")
router.register("vacancies", vacancies.VacancyViewSet, basename="vacancy")
router.register("candidates", candidates.CandidateProfileViewSet, basename="candidate")
router.register("applications", applications.ApplicationViewSet, basename="application")
router.register("feeds", feeds.FeedViewSet, basename="feed")
router.register("placements", placements.PlacementViewSet, basename="placement")
router.register("webhooks", notifications.WebhookViewSet, basename="webhook")
router.register("saved-searches", alerts.SavedSearchViewSet, basename="saved_search")
router.register("notifications", notifications.NotificationViewSet, basename="notification")
router.register("exports", exports.ExportJobViewSet, basename="export")
router.register("deletions", deletions.DeletionViewSet, basename="deletion")
router.register("documents", documents.DocumentViewSet, basename="document")
router.register("outbox-messages", notifications.OutboxMessageViewSet, basename="outbox_message")

api_v1 = [
    # Before the router, whose format-suffix routes would read "feed.rss" as a vacancy id.
    path("vacancies/feed.rss", vacancy_feeds.VacancyRssFeedView.as_view(), name="vacancy_feed_rss"),
    path(
        "vacancies/feed.json", vacancy_feeds.VacancyJsonFeedView.as_view(), name="vacancy_feed_json"
    ),
    path("auth/register/", accounts.RegisterView.as_view(), name="register"),
    path("auth/token/", accounts.TokenView.as_view(), name="token"),
    path("auth/token/revoke/", accounts.TokenRevokeView.as_view(), name="token_revoke"),
    path("auth/oauth/token/", OAuthTokenView.as_view(), name="oauth_token"),
    path("me/", accounts.MeView.as_view(), name="me"),
    path(
        "exports/applications.csv",
        exports.ApplicationCsvExportView.as_view(),
        name="export_applications_csv",
    ),
    path(
        "exports/placements.csv",
        exports.PlacementCsvExportView.as_view(),
        name="export_placements_csv",
    ),
    path("reports/annual/", reports.AnnualReportView.as_view(), name="report_annual"),
    path("reports/funnel/", reports.FunnelReportView.as_view(), name="report_funnel"),
    path(
        "reports/demographics/",
        reports.DemographicsReportView.as_view(),
        name="report_demographics",
    ),
    path(
        "notifications/unsubscribe/",
        notifications.UnsubscribeView.as_view(),
        name="notification_unsubscribe",
    ),
    path("candidates/me/", candidates.MyCandidateProfileView.as_view(), name="candidate_me"),
    path("candidates/me/export/", privacy.ExportView.as_view(), name="candidate_export"),
    path(
        "candidates/me/access-log/",
        privacy.AccessLogViewSet.as_view({"get": "list"}),
        name="candidate_access_log",
    ),
    path(
        "candidates/me/consents/",
        privacy.ConsentViewSet.as_view({"get": "list", "post": "create"}),
        name="candidate_consent-list",
    ),
    path(
        "candidates/me/consents/<int:pk>/withdraw/",
        privacy.ConsentViewSet.as_view({"post": "withdraw"}),
        name="candidate_consent-withdraw",
    ),
    path("candidates/me/erasure/", privacy.ErasureView.as_view(), name="candidate_erasure"),
    path(
        "documents/download/<str:token>/",
        documents.DocumentDownloadView.as_view(),
        name="document_download",
    ),
    path(
        "scorecard-templates/",
        reviews.ScorecardTemplateViewSet.as_view({"get": "list", "post": "create"}),
        name="scorecard_template-list",
    ),
    path(
        "scorecard-templates/<int:pk>/",
        reviews.ScorecardTemplateViewSet.as_view({"get": "retrieve"}),
        name="scorecard_template-detail",
    ),
    path(
        "vacancies/<int:vacancy_id>/reviewers/",
        reviews.VacancyReviewerView.as_view(),
        name="vacancy_reviewers",
    ),
    path(
        "vacancies/<int:vacancy_id>/review-queue/",
        reviews.ReviewQueueView.as_view(),
        name="vacancy_review_queue",
    ),
    path(
        "applications/<int:application_id>/evaluations/",
        reviews.ApplicationEvaluationView.as_view(),
        name="application_evaluations",
    ),
    path(
        "applications/<int:application_id>/notes/",
        reviews.ApplicationNoteView.as_view(),
        name="application_notes",
    ),
    path(
        "candidates/<int:candidate_id>/notes/",
        reviews.CandidateNoteView.as_view(),
        name="candidate_notes",
    ),
    path("", include(router.urls)),
]

urlpatterns = [
    path("api/v1/", include(api_v1)),
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
