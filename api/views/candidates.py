"""Candidate profiles: the caller's own, and the recruiters' list of all."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, viewsets

from api.filters import CandidateProfileFilterSet
from api.permissions import roles
from api.serializers.candidates import PROFILE_COLUMNS, CandidateProfileSerializer, profile_rows
from recruitment import selectors, services
from recruitment.enums import Role
from recruitment.models import CandidateProfile


class CandidateProfileViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                              viewsets.GenericViewSet):  # fmt: skip
    """All candidate profiles, for recruiters and admins, with filters."""

    serializer_class = CandidateProfileSerializer
    permission_classes = [roles(Role.RECRUITER, Role.ADMIN)]
    filterset_class = CandidateProfileFilterSet
    ordering_fields = ["id", "created_at", "updated_at"]

    queryset = (
        CandidateProfile.objects.none()
    )  # for schema generation; real reads go through selectors

    def get_queryset(self):
        return selectors.candidate_profile_list(user=self.request.user)

    def list(self, request, *args, **kwargs):
        """Rows, not model instances: 4 queries (page + 3 nested lists) and no per-row
        serializer machinery, whatever the page size."""
        queryset = self.filter_queryset(self.get_queryset()).prefetch_related(None)
        page = self.paginate_queryset(queryset.values(*PROFILE_COLUMNS))
        items = selectors.candidate_profile_items(profile_ids=[row["id"] for row in page])
        return self.get_paginated_response(profile_rows(page, items))


class MyCandidateProfileView(generics.RetrieveUpdateAPIView):
    """The calling candidate's own profile. PUT replaces it; PATCH changes the fields given.
    A nested list that is sent (education, experience, languages) replaces the stored list."""

    serializer_class = CandidateProfileSerializer
    permission_classes = [roles(Role.CANDIDATE)]

    def get_object(self):
        profile = selectors.candidate_profile_get(user=self.request.user)
        if profile is None:
            # Every candidate gets a profile at registration; a missing one is a 404, not a 500.
            raise Http404
        return profile

    @extend_schema(responses={200: CandidateProfileSerializer})
    def update(self, request, *args, **kwargs):
        profile = self.get_object()
        serializer = self.get_serializer(
            profile, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        services.candidate_profile_update(profile=profile, data=serializer.validated_data)
        return self.retrieve(request)
