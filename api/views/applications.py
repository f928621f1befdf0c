"""Applications: candidates apply and withdraw; partners see nominations; staff see all."""

import orjson
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api.filters import ApplicationFilterSet
from api.json_rows import fragments, paginated_rows, row_by_id
from api.permissions import role_of
from api.responses import rendered
from api.serializers.applications import (
    APPLICATION_BODIES,
    ApplicationCreateRequestSerializer,
    ApplicationSerializer,
    ApplicationTransitionRequestSerializer,
    BulkTransitionRequestSerializer,
    BulkTransitionResponseSerializer,
    StatusChangeSerializer,
    WithdrawRequestSerializer,
)
from api.versioning import etag_for, expected_version
from recruitment import selectors
from recruitment.enums import STAGE_OF_STATUS, ApplicationStatus, Role
from recruitment.models import Application
from workflows.exceptions import InvalidTransition
from workflows.services import (
    application_bulk_transition,
    application_submit,
    application_transition,
)

IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, required=False,
    description="The `ETag` (version) you last read; a stale one answers 412 and changes nothing.",
)  # fmt: skip


class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         viewsets.GenericViewSet):  # fmt: skip
    """Applications to vacancies.

    A candidate applies with `{"vacancy": id}`, and lists, reads and withdraws only their own
    (seeing the coarse `stage`, not the internal `status`). Members of a partner organisation
    see the applications nominated to its vacancies and record interview and selection
    outcomes. Recruiters and admins see all and move them through the pipeline.
    """

    queryset = Application.objects.none()  # for schema generation; real reads go through selectors
    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilterSet
    ordering_fields = ["id", "created_at", "updated_at", "status_changed_at"]
    throttle_scopes = {"create": "apply"}

    def get_queryset(self):
        return selectors.application_list(user=self.request.user)

    def filter_queryset(self, queryset):
        # Filtering by internal status would let a candidate probe what `stage` hides.
        if role_of(self.request) == Role.CANDIDATE and "status" in self.request.query_params:
            raise ValidationError({"status": ["Candidates see stages, not internal statuses."]})
        return super().filter_queryset(queryset)

    def check_permissions(self, request):
        super().check_permissions(request)
        if not request.user.is_authenticated:
            self.permission_denied(request, "Log in to see applications.")
        if self.action in ("create", "withdraw") and role_of(request) != Role.CANDIDATE:
            self.permission_denied(request, "Only candidates apply and withdraw.")
        if self.action == "bulk_transitions" and role_of(request) not in (Role.RECRUITER,
                                                                           Role.ADMIN):  # fmt: skip
            self.permission_denied(request, "Only recruiters move applications in bulk.")

    def _transition(self, **kwargs):
        """application_transition, with a candidate's 409 told in stages, not internal ones."""
        try:
            return application_transition(actor=self.request.user, **kwargs)
        except InvalidTransition as error:
            if role_of(self.request) == Role.CANDIDATE and "current_status" in error.extra:
                stage = STAGE_OF_STATUS[error.extra["current_status"]]
                error.extra["current_status"] = stage
                error.detail = f"Cannot move from {stage} to {kwargs['to_status']}."
            raise

    def _body(self):
        """What ApplicationSerializer shows the caller's role, as SQL (api.json_rows)."""
        return APPLICATION_BODIES[role_of(self.request)]

    def list(self, request, *args, **kwargs):
        # One statement per page: PostgreSQL builds each application's JSON for the caller's
        # role (api.json_rows); no model instance, no per-row serializer.
        queryset = self.filter_queryset(selectors.application_scope(user=request.user))
        page = paginated_rows(self, queryset, self._body())
        return self.get_paginated_response(fragments(page))

    def _respond(self, application_id, http_status=status.HTTP_200_OK):
        """The application as the list shows it, with its version as the ETag (else 404)."""
        row = row_by_id(
            selectors.application_scope(user=self.request.user), application_id, self._body(),
            "version",
        )  # fmt: skip
        response = rendered(self.request, orjson.Fragment(row.body), http_status)
        response["ETag"] = etag_for(row.version)
        return response

    def retrieve(self, request, *args, **kwargs):
        return self._respond(kwargs["pk"])

    @extend_schema(
        request=ApplicationCreateRequestSerializer, responses={201: ApplicationSerializer}
    )
    def create(self, request):
        """Apply to a published vacancy before its deadline (one active application each)."""
        serializer = ApplicationCreateRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = application_submit(
            candidate_user=request.user, vacancy_id=serializer.validated_data["vacancy"]
        )
        return self._respond(application.pk, status.HTTP_201_CREATED)

    @extend_schema(summary="Withdraw my application", request=WithdrawRequestSerializer,
                   responses={200: ApplicationSerializer})  # fmt: skip
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        application = self.get_object()
        serializer = WithdrawRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self._transition(
            application_id=application.pk,
            to_status=ApplicationStatus.WITHDRAWN,
            reason=serializer.validated_data["reason"],
        )
        return self._respond(application.pk)

    @extend_schema(
        summary="Move this application to another status",
        request=ApplicationTransitionRequestSerializer,
        responses={200: ApplicationSerializer},
        parameters=[IF_MATCH],
    )
    @action(detail=True, methods=["post"])
    def transitions(self, request, pk=None):
        """Moves allowed for the caller's role are listed in `allowed_transitions`; any other
        answers 409 with the current status and the allowed targets. Offers need the vacancy's
        funding confirmed. A candidate withdraws, accepts or declines; a recruiter screens,
        shortlists, nominates, rejects and un-rejects; a partner records interview and
        selection outcomes of nominated candidates."""
        application = self.get_object()
        serializer = ApplicationTransitionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self._transition(
            application_id=application.pk,
            to_status=serializer.validated_data["to"],
            reason=serializer.validated_data["reason"],
            reason_code=serializer.validated_data["reason_code"],
            expected_version=expected_version(request),
        )
        return self._respond(application.pk)

    @extend_schema(
        summary="Move many applications at once",
        request=BulkTransitionRequestSerializer,
        responses={200: BulkTransitionResponseSerializer},
    )
    @action(detail=False, methods=["post"], url_path="bulk-transitions")
    def bulk_transitions(self, request):
        """Each application moves in its own transaction and gets its own result. Repeating
        the call is harmless: applications already in the target status are `unchanged`."""
        serializer = BulkTransitionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        results = application_bulk_transition(
            application_ids=data["ids"],
            to_status=data["to"],
            actor=request.user,
            reason=data["reason"],
            reason_code=data["reason_code"],
        )
        return Response({"results": [vars(result) for result in results]})

    @extend_schema(summary="Status history", responses={200: StatusChangeSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def history(self, request, pk=None):
        """Every move, oldest first. Candidates see coarse stages, without internal reasons or
        who made the move."""
        application = self.get_object()
        changes = list(application.status_changes.order_by("id"))
        if role_of(request) == Role.PARTNER:  # its part of the story starts at the nomination
            changes = [c for c in changes if c.created_at >= application.nominated_at]
        if role_of(request) == Role.CANDIDATE:
            changes = [
                change for change in changes
                if not change.from_status
                or STAGE_OF_STATUS[change.from_status] != STAGE_OF_STATUS[change.to_status]
            ]  # fmt: skip
        return Response(
            StatusChangeSerializer(changes, many=True, context={"request": request}).data
        )
