"""Applications: candidates apply and withdraw; partners see nominations; staff see all."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.filters import ApplicationFilterSet
from api.permissions import role_of
from api.serializers.applications import (
    ApplicationCreateRequestSerializer,
    ApplicationSerializer,
    WithdrawRequestSerializer,
)
from recruitment import selectors
from recruitment.enums import ApplicationStatus, Role
from recruitment.models import Application
from workflows.services import application_submit, application_transition


class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         viewsets.GenericViewSet):  # fmt: skip
    """Applications to vacancies.

    A candidate applies with `{"vacancy": id}`, and lists, reads and withdraws only their own.
    Members of a partner organisation see the applications nominated to its vacancies.
    Recruiters and admins see all.
    """

    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilterSet
    ordering_fields = ["id", "created_at", "updated_at", "status_changed_at"]

    queryset = Application.objects.none()  # for schema generation; real reads go through selectors

    def get_queryset(self):
        return selectors.application_list(user=self.request.user)

    def check_permissions(self, request):
        super().check_permissions(request)
        if not request.user.is_authenticated:
            self.permission_denied(request, "Log in to see applications.")
        if self.action in ("create", "withdraw") and role_of(request) != Role.CANDIDATE:
            self.permission_denied(request, "Only candidates apply and withdraw.")

    def _respond(self, application_id, http_status=status.HTTP_200_OK):
        application = self.get_queryset().get(pk=application_id)
        return Response(ApplicationSerializer(application).data, status=http_status)

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
        application_transition(
            application_id=application.pk,
            to_status=ApplicationStatus.WITHDRAWN,
            actor=request.user,
            reason=serializer.validated_data["reason"],
        )
        return self._respond(application.pk)
