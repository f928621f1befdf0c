"""Vacancies: everyone reads published ones; partners manage their own; staff manage all."""

import orjson
from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.filters import VacancyFilterSet
from api.json_rows import fragments, paginated_rows, row_by_id
from api.permissions import role_of
from api.responses import rendered
from api.serializers.vacancies import (
    VACANCY_BODY,
    EligibilitySerializer,
    ShortlistRequestSerializer,
    ShortlistSerializer,
    VacancySerializer,
    VacancyWriteSerializer,
)
from recruitment import matching, selectors, services
from recruitment.enums import Role, VacancyStatus
from recruitment.models import Vacancy
from workflows.feeds.outward import job_posting
from workflows.services import vacancy_transition

WRITER_ROLES = (Role.PARTNER, Role.RECRUITER, Role.ADMIN)
STAFF_ONLY_FIELDS = ("funding_status", "scorecard_template", "rule_set", "blind_review")


class VacancyViewSet(viewsets.ModelViewSet):
    """Vacancies of UN and international organisations.

    Anyone lists and reads published vacancies. Members of a partner organisation also see,
    create and edit their own organisation's vacancies in any status; recruiters and admins see
    and edit all. A new vacancy starts as a draft: publish and close it with the actions below.
    """

    filterset_class = VacancyFilterSet
    ordering_fields = ["id", "created_at", "updated_at", "title"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    queryset = Vacancy.objects.none()  # for schema generation; real reads go through selectors

    def get_queryset(self):
        if self.action in ("list", "retrieve"):  # rows built by PostgreSQL: the scope only
            return selectors.vacancy_scope(user=self.request.user)
        if self.action == "shortlist":  # only what the ranking reads
            return selectors.vacancy_editable_scope(user=self.request.user).only(
                *matching.VACANCY_FIELDS
            )
        if self.action in ("update", "partial_update", "publish", "close"):
            return selectors.vacancy_editable_list(user=self.request.user)
        return selectors.vacancy_list(user=self.request.user)

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return VacancyWriteSerializer
        return VacancySerializer

    def filter_queryset(self, queryset):
        # List filters narrow lists; a detail is looked up in the caller's scope only
        # (building the FilterSet's form for every detail read cost more than the read).
        if self.detail:
            return queryset
        return super().filter_queryset(queryset)

    def list(self, request, *args, **kwargs):
        # One statement per page: PostgreSQL builds each vacancy's JSON, duty stations and
        # sources included (api.json_rows); no model instance, no per-row serializer.
        queryset = self.filter_queryset(self.get_queryset())
        page = paginated_rows(self, queryset, VACANCY_BODY)
        return self.get_paginated_response(fragments(page))

    def retrieve(self, request, *args, **kwargs):
        # The list's statement for one vacancy in the caller's scope (else 404).
        return rendered(request, self._body(self.get_queryset(), kwargs["pk"]))

    def _body(self, queryset, vacancy_id):
        return orjson.Fragment(row_by_id(queryset, vacancy_id, VACANCY_BODY).body)

    def check_permissions(self, request):
        super().check_permissions(request)
        if self.action in ("create", "update", "partial_update", "publish", "close") and (
            role_of(request) not in WRITER_ROLES
        ):
            self.permission_denied(request, "Only partner members and staff manage vacancies.")

    def _check_partner_fields(self, data):
        """Partners post and edit their vacancies' content, not the programme's decisions."""
        if role_of(self.request) != Role.PARTNER:
            return
        errors = {
            field: ["Set by the national agency's recruiters."]
            for field in STAFF_ONLY_FIELDS
            if field in data
        }
        if "organisation" in data:
            errors["organisation"] = ["Your vacancies belong to your organisation."]
        if errors:
            raise exceptions.ValidationError(errors)

    def _organisation(self, data):
        if role_of(self.request) == Role.PARTNER:
            organisation = selectors.organisation_of(self.request.user)
            if organisation is None:
                self.permission_denied(self.request, "You belong to no organisation.")
            return organisation
        if "organisation" not in data:
            raise exceptions.ValidationError({"organisation": ["This field is required."]})
        return data["organisation"]

    def _respond(self, vacancy_id, http_status=status.HTTP_200_OK):
        body = self._body(selectors.vacancy_scope(user=self.request.user), vacancy_id)
        return rendered(self.request, body, http_status)

    @extend_schema(request=VacancyWriteSerializer, responses={201: VacancySerializer})
    def create(self, request, *args, **kwargs):
        serializer = VacancyWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        self._check_partner_fields(data)
        organisation = self._organisation(data)
        vacancy = services.vacancy_create(
            organisation=organisation,
            created_by=request.user,
            data=data,
            duty_stations=data.pop("duty_station_ids", []),
        )
        return self._respond(vacancy.pk, status.HTTP_201_CREATED)

    @extend_schema(request=VacancyWriteSerializer, responses={200: VacancySerializer})
    def update(self, request, *args, **kwargs):
        vacancy = self.get_object()
        partial = kwargs.pop("partial", False)
        serializer = VacancyWriteSerializer(vacancy, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        self._check_partner_fields(data)
        services.vacancy_update(
            vacancy=vacancy, data=data, duty_stations=data.pop("duty_station_ids", None)
        )
        return self._respond(vacancy.pk)

    @extend_schema(request=VacancyWriteSerializer, responses={200: VacancySerializer})
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(summary="Am I eligible?", responses={200: EligibilitySerializer})
    @action(detail=True, methods=["get"])
    def eligibility(self, request, pk=None):
        """The calling candidate's eligibility for this vacancy, rule by rule, with the version
        of the rule set used. The same result is stored on an application when applying."""
        if role_of(request) != Role.CANDIDATE:
            self.permission_denied(request, "Eligibility is checked for the calling candidate.")
        vacancy = self.get_object()
        profile = selectors.candidate_profile_get(user=request.user)
        if profile is None:
            raise Http404
        return Response(selectors.eligibility_for(profile=profile, vacancy=vacancy))

    @extend_schema(
        summary="Applicants ranked by match score, with the reasons",
        parameters=[ShortlistRequestSerializer],
        responses={200: ShortlistSerializer},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def shortlist(self, request, pk=None):
        """The vacancy's active applications ranked by a match score (0-100), best first, ties
        by application id. Each row shows its components (0-1), their weights and the points
        they bring: eligibility (as stored on the application), required languages at B1 or
        above, years of experience against the grade's minimum, education (master's = 1),
        skills shared with the vacancy, and duty-station preference. The weights are data:
        the scheme's own, else the default set.

        Recruiters and admins rank every applicant; members of a partner organisation rank
        the applicants nominated to their own organisation's vacancies (other vacancies: 404).
        """
        if role_of(request) not in (Role.RECRUITER, Role.ADMIN, Role.PARTNER):
            self.permission_denied(request, "Only recruiters, admins and partners rank applicants.")
        query = ShortlistRequestSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        vacancy = self.get_object()
        ranked = selectors.vacancy_shortlist(
            user=request.user, vacancy=vacancy, limit=query.validated_data["limit"]
        )
        return rendered(
            request,
            {"vacancy": ranked.vacancy_id, "weights": ranked.weights,
             "grade_minimum_years": ranked.minimum_years, "results": ranked.results}
        )  # fmt: skip

    @extend_schema(summary="Publish a draft or closed vacancy", request=None,
                   responses={200: VacancySerializer})  # fmt: skip
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        vacancy = self.get_object()
        vacancy_transition(vacancy_id=vacancy.pk, to_status=VacancyStatus.PUBLISHED,
                           actor=request.user)  # fmt: skip
        return self._respond(vacancy.pk)

    @extend_schema(summary="Close a published vacancy to new applications", request=None,
                   responses={200: VacancySerializer})  # fmt: skip
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        vacancy = self.get_object()
        vacancy_transition(vacancy_id=vacancy.pk, to_status=VacancyStatus.CLOSED,
                           actor=request.user)  # fmt: skip
        return self._respond(vacancy.pk)

    @extend_schema(
        summary="The vacancy as schema.org JobPosting (JSON-LD)",
        responses={
            (200, "application/ld+json"): OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="A schema.org JobPosting: title, description, datePosted, "
                "validThrough, hiringOrganization, jobLocation (or, without a duty station, "
                "applicantLocationRequirements), employmentType, identifier, "
                "eligibilityToWorkRequirement (the nationality rule), totalJobOpenings, and "
                "`grade` (a term declared in `@context`: schema.org has none).",
            )
        },
    )
    @action(detail=True, methods=["get"], url_path="jobposting")
    def jobposting(self, request, pk=None):
        """Search engines and job boards read this; so does our own `jsonld` feed adapter."""
        vacancy = self.get_object()
        rule_set = selectors.rule_set_for(vacancy)
        url = request.build_absolute_uri(reverse("vacancy-detail", args=[vacancy.pk]))
        posting = job_posting(vacancy, url=url, rules=rule_set.rules if rule_set else None)
        return Response(posting, content_type="application/ld+json")
