"""Organisations, duty stations and schemes: everyone reads, admins write."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.filters import DutyStationFilterSet, OrganisationFilterSet
from api.permissions import AdminWritesOthersRead, ScopedWrite, role_of
from api.serializers.placements import CrisisRequestSerializer, CrisisResponseSerializer
from api.serializers.reference import (
    DutyStationSerializer,
    OrganisationSerializer,
    SchemeSerializer,
)
from recruitment.enums import Role
from recruitment.models import DutyStation, DutyStationClassification, Organisation, Scheme
from workflows.services import duty_station_crisis


class OrganisationViewSet(viewsets.ModelViewSet):
    """UN agencies, international organisations, donors and partners."""

    queryset = Organisation.objects.select_related("parent")
    serializer_class = OrganisationSerializer
    permission_classes = [AdminWritesOthersRead]
    filterset_class = OrganisationFilterSet
    ordering_fields = ["id", "slug", "name", "updated_at"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]


class DutyStationViewSet(viewsets.ModelViewSet):
    """Duty stations with their current ICSC hardship class and family status."""

    queryset = DutyStation.objects.prefetch_related(
        Prefetch(
            "classifications",
            queryset=DutyStationClassification.objects.order_by("-effective_from"),
        )
    )
    serializer_class = DutyStationSerializer
    permission_classes = [AdminWritesOthersRead]
    filterset_class = DutyStationFilterSet
    ordering_fields = ["id", "city", "updated_at"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def check_permissions(self, request):
        if self.action == "crisis":
            if role_of(request) not in (Role.RECRUITER, Role.ADMIN):
                self.permission_denied(request, "Only recruiters and admins act in a crisis.")
            if not ScopedWrite().has_permission(request, self):
                # A crisis is a write: a read-only API client may not trigger it.
                self.permission_denied(request, ScopedWrite.message)
            return
        super().check_permissions(request)

    @extend_schema(
        summary="Crisis: move every deployed placement here",
        request=CrisisRequestSerializer,
        responses={200: CrisisResponseSerializer},
    )
    @action(detail=True, methods=["post"])
    def crisis(self, request, pk=None):
        """Moves every deployed placement at this duty station to `remote`, `suspended` or
        `evacuated`, each with its own audit row and notification. Safe to repeat: placements
        already there are listed as `unchanged`."""
        station = self.get_object()
        serializer = CrisisRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = duty_station_crisis(
            duty_station_id=station.pk,
            to_status=serializer.validated_data["to"],
            actor=request.user,
            reason=serializer.validated_data["reason"],
        )
        return Response(result)


class SchemeViewSet(viewsets.ModelViewSet):
    """Funding schemes: JPO, UN Volunteers, senior experts, secondments, ..."""

    queryset = Scheme.objects.all()
    serializer_class = SchemeSerializer
    permission_classes = [AdminWritesOthersRead]
    filterset_fields = ["code"]
    ordering_fields = ["id", "code", "updated_at"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
