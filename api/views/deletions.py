"""Tombstones of deleted and erased records, for clients that mirror our data."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError

from api.pagination import CursorPagination
from api.permissions import roles
from api.serializers.common import StrictSerializer
from recruitment import selectors
from recruitment.enums import Role, TombstoneReason
from recruitment.models import Tombstone


class TombstoneSerializer(serializers.ModelSerializer):
    model = serializers.CharField(
        source="model_label", help_text="App and model, e.g. `recruitment.savedsearch`."
    )
    object_id = serializers.CharField(help_text="The deleted record's id.")
    reason = serializers.ChoiceField(choices=TombstoneReason.choices)

    class Meta:
        model = Tombstone
        fields = ["id", "model", "object_id", "reason", "deleted_at"]
        read_only_fields = fields


class DeletionsQuerySerializer(StrictSerializer):
    since = serializers.DateTimeField(
        help_text="ISO-8601: tombstones from this moment on (inclusive), e.g. the start of your "
        "previous sync."
    )
    limit = serializers.IntegerField(required=False, min_value=1, max_value=200)
    cursor = serializers.CharField(required=False)


class OldestFirst(CursorPagination):
    ordering = ("deleted_at", "id")


class DeletionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """What was deleted or erased since a moment, oldest first: remove these from your copy.
    You see the tombstones of records you could see: your own (and, for partner members,
    your organisation's); recruiters and admins see all. Erased personal data leaves only the
    model and id."""

    queryset = Tombstone.objects.none()  # for schema generation
    serializer_class = TombstoneSerializer
    permission_classes = [roles(Role.CANDIDATE, Role.PARTNER, Role.RECRUITER, Role.ADMIN)]
    pagination_class = OldestFirst
    filter_backends = []

    def get_queryset(self):
        return selectors.tombstone_list(user=self.request.user)

    @extend_schema(parameters=[DeletionsQuerySerializer])
    def list(self, request, *args, **kwargs):
        query = DeletionsQuerySerializer(data=request.query_params)
        if not query.is_valid():
            raise ValidationError(query.errors)
        queryset = self.get_queryset().filter(deleted_at__gte=query.validated_data["since"])
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
