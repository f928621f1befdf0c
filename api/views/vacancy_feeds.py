"""Public feeds of published vacancies: RSS 2.0 and JSON Feed 1.1, with conditional GET."""

import hashlib

import orjson
from django.db.models import Max
from django.http import HttpResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.negotiation import BaseContentNegotiation

from api.filters import VacancyFilterSet
from recruitment import selectors
from recruitment.enums import VacancyStatus
from recruitment.models import Vacancy
from workflows.feeds.outward import json_feed_document, rss_document
from workflows.models import VacancyStatusChange

FEED_SIZE = 100
FEED_TITLE = "Vacancies for experts and trainees in the UN system"

CONDITIONAL_PARAMETERS = [
    OpenApiParameter(
        "If-None-Match", OpenApiTypes.STR, OpenApiParameter.HEADER,
        description="The ETag of a copy you hold: 304 without a body when unchanged.",
    ),
    OpenApiParameter(
        "If-Modified-Since", OpenApiTypes.STR, OpenApiParameter.HEADER,
        description="An HTTP date: 304 when nothing changed since (If-None-Match wins).",
    ),
    OpenApiParameter(
        "ETag", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200, 304],
        description="A strong validator of this exact document (filters included).",
    ),
    OpenApiParameter(
        "Last-Modified", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200, 304],
        description="When a vacancy of the feed last changed, or one left it.",
    ),
]  # fmt: skip


class FirstRenderer(BaseContentNegotiation):
    """The feed decides its own media type; errors are JSON whatever the Accept header says."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class VacancyFeedView(generics.GenericAPIView):
    """Base of the public feeds: the newest published vacancies matching the list's filters."""

    queryset = Vacancy.objects.none()  # for schema generation
    filterset_class = VacancyFilterSet
    filter_backends = [DjangoFilterBackend]
    pagination_class = None
    authentication_classes = []
    content_negotiation_class = FirstRenderer
    media_type = ""

    def get_queryset(self):
        return selectors.vacancy_feed_list()

    def render(self, vacancies, last_modified) -> bytes:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        vacancies = list(queryset.order_by("-id")[:FEED_SIZE])
        # A vacancy that leaves the feed (closed, filled, cancelled) changes it too.
        left = VacancyStatusChange.objects.filter(from_status=VacancyStatus.PUBLISHED).aggregate(
            at=Max("created_at")
        )["at"]
        moments = [vacancy.updated_at for vacancy in vacancies] + ([left] if left else [])
        last_modified = max(moments) if moments else None
        body = self.render(vacancies, last_modified)
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        timestamp = int(last_modified.timestamp()) if last_modified else None
        response = HttpResponse(body, content_type=self.media_type)
        response["ETag"] = etag
        if timestamp is not None:
            response["Last-Modified"] = http_date(timestamp)
        response["Cache-Control"] = "public, max-age=300"
        return get_conditional_response(
            request, etag=etag, last_modified=timestamp, response=response
        )

    def url_of(self, vacancy) -> str:
        return self.request.build_absolute_uri(reverse("vacancy-detail", args=[vacancy.pk]))


class VacancyRssFeedView(VacancyFeedView):
    media_type = "application/rss+xml; charset=utf-8"

    @extend_schema(
        summary="RSS 2.0 feed of published vacancies",
        operation_id="v1_vacancies_feed_rss",
        filters=True,
        parameters=CONDITIONAL_PARAMETERS,
        responses={
            (200, "application/rss+xml"): OpenApiResponse(
                OpenApiTypes.STR, description="RSS 2.0; each item's description has labelled "
                "lines (Grade, Contract type, Location, Deadline) and content:encoded the text.",
            ),
            304: OpenApiResponse(description="Not modified since the copy you hold."),
        },
    )  # fmt: skip
    def get(self, request, *args, **kwargs):
        """The newest 100 published vacancies that match the vacancy list's filters. Public."""
        return super().get(request, *args, **kwargs)

    def render(self, vacancies, last_modified):
        return rss_document(
            vacancies,
            title=FEED_TITLE,
            link=self.request.build_absolute_uri(reverse("vacancy-list")),
            self_url=self.request.build_absolute_uri(),
            url_of=self.url_of,
            last_modified=last_modified,
        )


class VacancyJsonFeedView(VacancyFeedView):
    media_type = "application/feed+json"

    @extend_schema(
        summary="JSON Feed 1.1 of published vacancies",
        operation_id="v1_vacancies_feed_json",
        filters=True,
        parameters=CONDITIONAL_PARAMETERS,
        responses={
            (200, "application/feed+json"): OpenApiResponse(
                OpenApiTypes.OBJECT, description="JSON Feed 1.1; each item carries its "
                "schema.org JobPosting in the `_job_posting` extension.",
            ),
            304: OpenApiResponse(description="Not modified since the copy you hold."),
        },
    )  # fmt: skip
    def get(self, request, *args, **kwargs):
        """The newest 100 published vacancies that match the vacancy list's filters. Public."""
        return super().get(request, *args, **kwargs)

    def render(self, vacancies, last_modified):
        document = json_feed_document(
            vacancies,
            title=FEED_TITLE,
            home_page_url=self.request.build_absolute_uri(reverse("vacancy-list")),
            feed_url=self.request.build_absolute_uri(),
            url_of=self.url_of,
        )
        return orjson.dumps(document)
