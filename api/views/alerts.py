"""Saved searches: a candidate's job alerts."""

from rest_framework import viewsets

from api.permissions import roles
from api.serializers.alerts import SavedSearchSerializer
from recruitment import services
from recruitment.enums import Role
from recruitment.models import SavedSearch


class SavedSearchViewSet(viewsets.ModelViewSet):
    """Job alerts: vacancy list criteria, emailed as soon as a vacancy matches (`instant`) or
    as a daily digest (`daily`), after each feed sync and each newly published vacancy."""

    queryset = SavedSearch.objects.none()  # for schema generation
    serializer_class = SavedSearchSerializer
    permission_classes = [roles(Role.CANDIDATE)]
    ordering_fields = ["id", "created_at"]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return SavedSearch.objects.filter(user=self.request.user)

    def perform_create(self, serializer):
        serializer.save(user=self.request.user)

    def perform_destroy(self, instance):
        services.saved_search_delete(search=instance)
