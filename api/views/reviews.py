"""Scorecards, reviewers, evaluations, the review queue and internal notes.

All of it is for recruiters and admins: candidates and partner members get 403 on every
endpoint here, whatever the object, so nothing about notes, scores or reviewers leaks.
"""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import roles
from api.serializers.reviews import (
    EvaluationRequestSerializer,
    EvaluationSerializer,
    EvaluationSummarySerializer,
    NoteSerializer,
    ReviewerAssignmentRequestSerializer,
    ReviewerAssignmentSerializer,
    ReviewQueueItemSerializer,
    ScorecardTemplateSerializer,
)
from recruitment import privacy, reviews, selectors
from recruitment.enums import AccessedResource, Role
from recruitment.models import Application, Note, ReviewerAssignment, ScorecardTemplate

STAFF_ONLY = roles(Role.RECRUITER, Role.ADMIN)


class ScopedParentMixin:
    """Looks up the parent object of a nested path through the caller's selector (404 outside
    the caller's scope)."""

    def _vacancy(self):
        return get_object_or_404(
            selectors.vacancy_list(user=self.request.user), pk=self.kwargs["vacancy_id"]
        )

    def _application(self):
        return get_object_or_404(
            selectors.application_list(user=self.request.user), pk=self.kwargs["application_id"]
        )

    def _candidate(self):
        return get_object_or_404(
            selectors.candidate_profile_list(user=self.request.user),
            pk=self.kwargs["candidate_id"],
        )


class ScorecardTemplateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                               mixins.CreateModelMixin, viewsets.GenericViewSet):  # fmt: skip
    """Scorecard templates: weighted criteria (UN core competencies and technical ones) that
    reviewers score 1-5. Templates are never edited, so stored evaluations keep their meaning;
    create a new one instead. Recruiters and admins only."""

    serializer_class = ScorecardTemplateSerializer
    permission_classes = [STAFF_ONLY]
    filter_backends = []

    queryset = ScorecardTemplate.objects.none()  # for schema generation; reads use `reviews`

    def get_queryset(self):
        return reviews.scorecard_template_list(user=self.request.user)

    @extend_schema(request=ScorecardTemplateSerializer,
                   responses={201: ScorecardTemplateSerializer})  # fmt: skip
    def create(self, request, *args, **kwargs):
        serializer = ScorecardTemplateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        template = reviews.scorecard_template_create(
            name=serializer.validated_data["name"],
            criteria=[dict(item) for item in serializer.validated_data["criteria"]],
        )
        return Response(ScorecardTemplateSerializer(template).data, status=status.HTTP_201_CREATED)


class VacancyReviewerView(ScopedParentMixin, generics.ListCreateAPIView):
    """The recruiters (and admins) assigned to review a vacancy's applications. Recruiters and
    admins only."""

    serializer_class = ReviewerAssignmentSerializer
    permission_classes = [STAFF_ONLY]
    filter_backends = []
    pagination_class = None

    queryset = ReviewerAssignment.objects.none()  # for schema generation

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ReviewerAssignment.objects.none()
        return reviews.reviewer_assignment_list(user=self.request.user, vacancy=self._vacancy())

    @extend_schema(
        summary="Assign a reviewer",
        request=ReviewerAssignmentRequestSerializer,
        responses={
            201: ReviewerAssignmentSerializer,
            200: OpenApiResponse(ReviewerAssignmentSerializer, "Already assigned: unchanged."),
        },
    )
    def post(self, request, vacancy_id):
        """Assign an active recruiter or admin; assigning again returns the assignment (200)."""
        vacancy = self._vacancy()
        serializer = ReviewerAssignmentRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assignment, created = reviews.reviewer_assign(
            vacancy=vacancy, reviewer=serializer.validated_data["reviewer"]
        )
        return Response(
            ReviewerAssignmentSerializer(assignment).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class ApplicationEvaluationView(ScopedParentMixin, APIView):
    """Reviewers' scorecards for one application. Recruiters and admins read all of them with
    their mean; an assigned reviewer (or any admin) submits their own."""

    permission_classes = [STAFF_ONLY]

    @extend_schema(summary="Evaluations of an application and their mean",
                   responses={200: EvaluationSummarySerializer})  # fmt: skip
    def get(self, request, application_id):
        application = self._application()
        evaluations = list(reviews.evaluation_list(user=request.user, application=application))
        summary = {
            "application": application.pk,
            "evaluation_score": application.evaluation_score,
            "evaluation_count": len(evaluations),
            "evaluations": evaluations,
        }
        return Response(EvaluationSummarySerializer(summary).data)

    @extend_schema(
        summary="Submit or replace my evaluation",
        request=EvaluationRequestSerializer,
        responses={
            201: EvaluationSerializer,
            200: OpenApiResponse(EvaluationSerializer, "Replaced the caller's evaluation."),
        },
    )
    def post(self, request, application_id):
        """Score every criterion of the vacancy's scorecard template 1-5. One evaluation per
        reviewer: submitting again replaces it (200). The application's `evaluation_score`
        becomes the mean of all reviewers' totals. A recruiter not assigned to the vacancy gets
        403 `reviewer_not_assigned`; a vacancy without a template, 400 `scorecard_missing`."""
        application = self._application()
        serializer = EvaluationRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        evaluation, created = reviews.evaluation_submit(
            application=application,
            reviewer=request.user,
            scores=serializer.validated_data["scores"],
            comment=serializer.validated_data["comment"],
        )
        return Response(
            EvaluationSerializer(evaluation).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class ReviewQueueView(ScopedParentMixin, generics.ListAPIView):
    """A vacancy's applications as its reviewers see them, newest first. With the vacancy's
    `blind_review` on, each candidate's name, citizenships, age and gender are null. For the
    vacancy's assigned reviewers and admins (others get 403 `reviewer_not_assigned`)."""

    serializer_class = ReviewQueueItemSerializer
    permission_classes = [STAFF_ONLY]
    filter_backends = []

    queryset = Application.objects.none()  # for schema generation; `list` reads the queue

    def list(self, request, *args, **kwargs):
        vacancy = self._vacancy()
        page = self.paginate_queryset(reviews.review_queue(user=request.user, vacancy=vacancy))
        today = timezone.localdate()
        items = [
            {
                "id": application.pk,
                "status": application.status,
                "created_at": application.created_at,
                "candidate": reviews.candidate_summary(
                    profile=application.candidate, blind=vacancy.blind_review, today=today
                ),
            }
            for application in page
        ]
        privacy.access_log_record_many(
            viewer=request.user,
            resource=AccessedResource.PROFILE,
            reads=[(a.candidate.user_id, a.candidate_id) for a in page],
        )
        return self.get_paginated_response(ReviewQueueItemSerializer(items, many=True).data)


class NoteListView(ScopedParentMixin, generics.ListCreateAPIView):
    """Base of the two note collections: internal, for recruiters and admins only."""

    serializer_class = NoteSerializer
    permission_classes = [STAFF_ONLY]
    filter_backends = []

    queryset = Note.objects.none()  # for schema generation

    def _parent(self):
        raise NotImplementedError

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Note.objects.none()
        return reviews.note_list(user=self.request.user, **self._parent())

    @extend_schema(request=NoteSerializer, responses={201: NoteSerializer})
    def post(self, request, *args, **kwargs):
        parent = self._parent()
        serializer = NoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        note = reviews.note_create(
            author=request.user, body=serializer.validated_data["body"], **parent
        )
        return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)


class ApplicationNoteView(NoteListView):
    """Internal notes on an application, newest first. Recruiters and admins only: candidates
    and partner members never see them."""

    def _parent(self):
        return {"application": self._application()}


class CandidateNoteView(NoteListView):
    """Internal notes on a candidate, newest first. Recruiters and admins only: candidates and
    partner members never see them."""

    def _parent(self):
        return {"candidate": self._candidate()}
