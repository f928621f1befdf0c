"""Placements: from funding to homecoming, with checklist, renewals and history."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.filters import PlacementFilterSet
from api.permissions import role_of, roles
from api.serializers.placements import (
    ChecklistItemSerializer,
    ChecklistItemUpdateSerializer,
    PlacementSerializer,
    PlacementStatusChangeSerializer,
    PlacementTransitionRequestSerializer,
    RenewalRequestSerializer,
)
from api.versioning import etag_for, expected_version
from api.views.applications import IF_MATCH
from recruitment import selectors, services
from recruitment.enums import Role
from recruitment.models import Placement, PlacementChecklistItem
from workflows.services import placement_renew, placement_transition

STAFF = (Role.RECRUITER, Role.ADMIN)


class PlacementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       viewsets.GenericViewSet):  # fmt: skip
    """Placements that follow accepted offers. The placed candidate sees their own, partner
    members their organisation's; recruiters and admins see and move all."""

    queryset = Placement.objects.none()  # for schema generation; real reads go through selectors
    serializer_class = PlacementSerializer
    permission_classes = [roles(Role.CANDIDATE, Role.PARTNER, Role.RECRUITER, Role.ADMIN)]
    filterset_class = PlacementFilterSet
    ordering_fields = ["id", "start_date", "end_date", "updated_at"]

    def get_queryset(self):
        return selectors.placement_list(user=self.request.user).prefetch_related(
            Prefetch(
                "checklist", queryset=PlacementChecklistItem.objects.order_by("due_date", "id")
            )
        )

    def check_permissions(self, request):
        super().check_permissions(request)
        if self.action in ("transitions", "checklist_item", "renewals") and (
            role_of(request) not in STAFF
        ):
            self.permission_denied(request, "Only recruiters and admins manage placements.")

    def _respond(self, placement_id=None, *, placement=None):
        """The representation with its ETag, of `placement` as read, or read afresh (after a
        change) by id."""
        if placement is None:
            placement = self.get_queryset().get(pk=placement_id)
        response = Response(PlacementSerializer(placement, context={"request": self.request}).data)
        response["ETag"] = etag_for(placement.version)
        return response

    def retrieve(self, request, *args, **kwargs):
        return self._respond(placement=self.get_object())

    @extend_schema(summary="Move this placement to another status",
                   request=PlacementTransitionRequestSerializer,
                   responses={200: PlacementSerializer}, parameters=[IF_MATCH])  # fmt: skip
    @action(detail=True, methods=["post"])
    def transitions(self, request, pk=None):
        placement = self.get_object()
        serializer = PlacementTransitionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        placement_transition(
            placement_id=placement.pk,
            to_status=serializer.validated_data["to"],
            actor=request.user,
            reason=serializer.validated_data["reason"],
            reason_code=serializer.validated_data["reason_code"],
            expected_version=expected_version(request),
        )
        return self._respond(placement.pk)

    @extend_schema(summary="Status history",
                   responses={200: PlacementStatusChangeSerializer(many=True)})  # fmt: skip
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        placement = self.get_object()
        changes = placement.status_changes.order_by("id")
        return Response(
            PlacementStatusChangeSerializer(changes, many=True, context={"request": request}).data
        )

    @extend_schema(summary="Mark a checklist item done or not done",
                   request=ChecklistItemUpdateSerializer,
                   responses={200: ChecklistItemSerializer})  # fmt: skip
    @action(detail=True, methods=["patch"], url_path=r"checklist/(?P<item_id>\d+)")
    def checklist_item(self, request, pk=None, item_id=None):
        placement = self.get_object()
        item = get_object_or_404(PlacementChecklistItem, pk=item_id, placement=placement)
        serializer = ChecklistItemUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.checklist_item_complete(
            item=item, user=request.user, completed=serializer.validated_data["completed"],
            now=timezone.now(),
        )  # fmt: skip
        return Response(ChecklistItemSerializer(item).data)

    @extend_schema(
        summary="Renew: extend the end date (a JPO's third year elsewhere)",
        request=RenewalRequestSerializer,
        responses={200: PlacementSerializer},
    )
    @action(detail=True, methods=["post"])
    def renewals(self, request, pk=None):
        """Checks the contract rules of the new term and moves deployed → extended."""
        placement = self.get_object()
        serializer = RenewalRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        placement_renew(
            placement_id=placement.pk,
            new_end_date=serializer.validated_data["end_date"],
            duty_station_id=getattr(serializer.validated_data.get("duty_station"), "pk", None),
            actor=request.user,
            reason=serializer.validated_data["reason"],
        )
        return self._respond(placement.pk)
