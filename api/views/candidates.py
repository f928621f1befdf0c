"""Candidate profiles: the caller's own, and the recruiters' list of all."""

import orjson
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.filters import CandidateProfileFilterSet
from api.json_rows import fragments, paginated_rows, row_by_id
from api.permissions import role_of, roles
from api.responses import rendered
from api.serializers.candidates import PROFILE_BODY, CandidateProfileSerializer
from api.serializers.privacy import ErasureSerializer, LegalHoldSerializer
from api.views.privacy import erasure_body
from recruitment import privacy, selectors, services
from recruitment.enums import AccessedResource, Role
from recruitment.models import CandidateProfile
from workflows.privacy import candidate_erase


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
        if self.action in ("list", "retrieve"):  # rows built by PostgreSQL: the scope only
            return selectors.candidate_profile_scope(user=self.request.user)
        return selectors.candidate_profile_list(user=self.request.user)

    def check_permissions(self, request):
        super().check_permissions(request)
        if self.action in ("erasure", "legal_hold") and role_of(request) != Role.ADMIN:
            self.permission_denied(request, "Only admins erase data or set legal holds.")

    @extend_schema(request=None, responses={200: ErasureSerializer})
    @action(detail=True, methods=["post"], filterset_class=None)
    def erasure(self, request, pk=None):
        """Erase this candidate's personal data on a request received outside the portal
        (as `candidates/me/erasure/`); 409 `legal_hold` while the profile is held."""
        profile = self.get_object()
        result = candidate_erase(user=profile.user, now=timezone.now(), reason="staff")
        return Response(erasure_body(result))

    @extend_schema(request=LegalHoldSerializer, responses={200: LegalHoldSerializer})
    @action(detail=True, methods=["post"], url_path="legal-hold", filterset_class=None)
    def legal_hold(self, request, pk=None):
        """Set or lift the legal hold: while it is on, neither the retention purge nor an
        erasure request touches the profile."""
        serializer = LegalHoldSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        profile = services.candidate_legal_hold_set(
            profile=self.get_object(), legal_hold=serializer.validated_data["legal_hold"]
        )
        return Response(LegalHoldSerializer({"legal_hold": profile.legal_hold}).data)

    def retrieve(self, request, *args, **kwargs):
        # The list's statement for one profile in the caller's scope (else 404), and the
        # access log: 2 queries.
        row = row_by_id(self.get_queryset(), kwargs["pk"], PROFILE_BODY, "id", "user_id")
        self._log_reads([row])
        return rendered(request, orjson.Fragment(row.body))

    def list(self, request, *args, **kwargs):
        # One statement per page (PostgreSQL builds each profile's JSON with its nested lists:
        # api.json_rows), and the access log: 2 queries whatever the page size.
        queryset = self.filter_queryset(self.get_queryset())
        page = paginated_rows(self, queryset, PROFILE_BODY, "user_id")
        self._log_reads(page)
        return self.get_paginated_response(fragments(page))

    def _log_reads(self, rows):
        # Every profile shown to a recruiter is a read of personal data: log it (GDPR art. 30).
        privacy.access_log_record_many(
            viewer=self.request.user,
            resource=AccessedResource.PROFILE,
            reads=[(row.user_id, row.id) for row in rows],
        )


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
