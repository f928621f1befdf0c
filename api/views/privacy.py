"""The calling candidate's privacy: export, access log, consents and erasure (GDPR)."""

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import roles
from api.serializers.privacy import (
    AccessLogEntrySerializer,
    ConsentRequestSerializer,
    ConsentSerializer,
    ErasureSerializer,
    ExportSerializer,
)
from recruitment import privacy, selectors
from recruitment.enums import Role
from recruitment.models import AccessLogEntry, ConsentRecord, Organisation
from workflows.privacy import candidate_erase


def own_profile(request):
    profile = selectors.candidate_profile_get(user=request.user)
    if profile is None:
        raise Http404
    return profile


class ExportView(APIView):
    """Everything held about you (GDPR art. 15 and 20): every row about you in every model,
    with all fields but secrets, and your documents' content. Rate-limited (RATE_LIMIT_EXPORT)."""

    permission_classes = [roles(Role.CANDIDATE)]
    throttle_scope = "export"

    @extend_schema(responses={200: ExportSerializer})
    def get(self, request):
        own_profile(request)
        data = privacy.personal_data_export(user=request.user)
        return Response({"exported_at": timezone.now(), "data": data})


class AccessLogViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Every read of your profile or documents by someone else (recruiters, partners): which,
    when, and the reader's role and organisation. Append-only; newest first."""

    queryset = AccessLogEntry.objects.none()  # for schema generation
    serializer_class = AccessLogEntrySerializer
    permission_classes = [roles(Role.CANDIDATE)]
    filterset_fields = ["resource"]
    ordering_fields = ["id"]

    def get_queryset(self):
        return AccessLogEntry.objects.filter(subject=self.request.user).select_related(
            "viewer_organisation"
        )


class ConsentViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Your consents: to stay in the talent pool (until it expires) and to share your profile
    with a partner organisation. Withdraw any at any time; records stay as proof."""

    queryset = ConsentRecord.objects.none()  # for schema generation
    serializer_class = ConsentSerializer
    permission_classes = [roles(Role.CANDIDATE)]
    filterset_fields = ["purpose"]
    ordering_fields = ["id"]

    def get_queryset(self):
        return ConsentRecord.objects.filter(profile__user=self.request.user).select_related(
            "organisation"
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}

    @extend_schema(request=ConsentRequestSerializer, responses={201: ConsentSerializer})
    def create(self, request):
        serializer = ConsentRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        organisation: Organisation | None = data.get("organisation")
        consent = privacy.consent_grant(
            profile=own_profile(request),
            purpose=data["purpose"],
            organisation=organisation,
            expires_at=data.get("expires_at"),
            now=timezone.now(),
        )
        return Response(
            ConsentSerializer(consent, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses={200: ConsentSerializer})
    @action(detail=True, methods=["post"], filterset_fields=None)
    def withdraw(self, request, pk=None):
        """Withdraw this consent now (withdrawing again changes nothing)."""
        consent = privacy.consent_withdraw(consent=self.get_object(), now=timezone.now())
        return Response(ConsentSerializer(consent, context=self.get_serializer_context()).data)


class ErasureView(APIView):
    """Erase your personal data (GDPR art. 17): your profile, documents and answers are erased
    and your account closed; anonymous statistics stay (that an application to a vacancy
    reached a stage). Organisations that received your data are notified. 409 `legal_hold`
    while the agency must keep the data."""

    permission_classes = [roles(Role.CANDIDATE)]

    @extend_schema(request=None, responses={200: ErasureSerializer})
    def post(self, request):
        own_profile(request)
        return Response(erasure_body(candidate_erase(user=request.user, now=timezone.now())))


def erasure_body(result):
    slugs = dict(
        Organisation.objects.filter(pk__in=result.notified_organisation_ids).values_list(
            "pk", "slug"
        )
    )
    return ErasureSerializer(
        {
            "candidate": result.profile_id,
            "erased_at": result.erased_at,
            "notified_organisations": [slugs[pk] for pk in result.notified_organisation_ids],
        }
    ).data
