"""Organisations, duty stations and schemes: everyone reads, admins write."""

from django.db.models import Prefetch
from rest_framework import viewsets

from api.filters import DutyStationFilterSet, OrganisationFilterSet
from api.permissions import AdminWritesOthersRead
from api.serializers.reference import (
    DutyStationSerializer,
    OrganisationSerializer,
    SchemeSerializer,
)
from recruitment.models import DutyStation, DutyStationClassification, Organisation, Scheme


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


class SchemeViewSet(viewsets.ModelViewSet):
    """Funding schemes: JPO, UN Volunteers, senior experts, secondments, ..."""

    queryset = Scheme.objects.all()
    serializer_class = SchemeSerializer
    permission_classes = [AdminWritesOthersRead]
    filterset_fields = ["code"]
    ordering_fields = ["id", "code", "updated_at"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
