"""Vacancy feeds: partners register their organisation's; recruiters and admins manage all."""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.permissions import role_of, roles
from api.serializers.feeds import (
    FeedRunSerializer,
    FeedSerializer,
    FeedSyncResponseSerializer,
    FeedWriteSerializer,
)
from recruitment import selectors
from recruitment.enums import Role
from recruitment.models import Feed
from workflows.feeds import services
from workflows.models import FeedRun


class FeedViewSet(viewsets.ModelViewSet):
    """Feeds of vacancies, synced on their interval (`interval_minutes`).

    A partner member's feeds carry its own organisation's vacancies, whatever the items say.
    Recruiters and admins may register aggregated feeds (`organisation: null`), whose items name
    their own organisation. URLs must reach public addresses (checked now and at every fetch).
    """

    queryset = Feed.objects.none()  # for schema generation; real reads go through selectors
    permission_classes = [roles(Role.PARTNER, Role.RECRUITER, Role.ADMIN)]
    filterset_fields = ["kind", "enabled"]
    ordering_fields = ["id", "created_at", "updated_at"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.feed_list(user=self.request.user)

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return FeedWriteSerializer
        return FeedSerializer

    def _organisation(self, data, default):
        if role_of(self.request) == Role.PARTNER:
            if "organisation" in data:
                raise exceptions.ValidationError(
                    {"organisation": ["Your feeds belong to your organisation."]}
                )
            organisation = selectors.organisation_of(self.request.user)
            if organisation is None:
                # Never fall back to an aggregated feed, whose items may name any organisation.
                self.permission_denied(self.request, "You belong to no organisation.")
            return organisation
        return data.get("organisation", default)

    def _respond(self, feed, http_status=status.HTTP_200_OK):
        return Response(FeedSerializer(feed).data, status=http_status)

    @extend_schema(request=FeedWriteSerializer, responses={201: FeedSerializer})
    def create(self, request, *args, **kwargs):
        serializer = FeedWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organisation = self._organisation(data, None)
        data.pop("organisation", None)
        feed = services.feed_create(organisation=organisation, data=data)
        return self._respond(feed, status.HTTP_201_CREATED)

    @extend_schema(request=FeedWriteSerializer, responses={200: FeedSerializer})
    def update(self, request, *args, **kwargs):
        feed = self.get_object()
        serializer = FeedWriteSerializer(
            feed, data=request.data, partial=kwargs.pop("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organisation = self._organisation(data, feed.organisation)
        data.pop("organisation", None)
        feed.organisation = organisation
        return self._respond(services.feed_update(feed=feed, data=data))

    @extend_schema(request=FeedWriteSerializer, responses={200: FeedSerializer})
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(summary="Sync this feed now", request=None,
                   responses={202: FeedSyncResponseSerializer})  # fmt: skip
    @action(detail=True, methods=["post"])
    def sync(self, request, pk=None):
        """Enqueue a sync; answers 202 with the id of the run to follow in `runs/`."""
        run = services.feed_sync_request(feed=self.get_object())
        return Response({"run_id": run.pk, "status": run.status}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(summary="Runs of this feed, newest first",
                   responses={200: FeedRunSerializer(many=True)})  # fmt: skip
    @action(detail=True, methods=["get"])
    def runs(self, request, pk=None):
        """Each run's counts (created, updated, unchanged, missing, closed, rejected) and each
        rejected item's reasons."""
        feed = self.get_object()
        page = self.paginate_queryset(FeedRun.objects.filter(feed=feed).order_by("-id"))
        return self.get_paginated_response(FeedRunSerializer(page, many=True).data)
