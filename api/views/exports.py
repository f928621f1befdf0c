"""CSV exports of applications and placements: streamed now, or as a background job."""

from django.http import FileResponse, StreamingHttpResponse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from api.filters import ApplicationFilterSet, PlacementFilterSet, criteria_json
from api.permissions import roles
from api.serializers.exports import ExportJobRequestSerializer, ExportJobSerializer
from api.views.vacancy_feeds import FirstRenderer
from recruitment.enums import ExportKind, Role
from recruitment.exceptions import NotPermittedError
from recruitment.models import Application, Placement
from workflows import exports
from workflows.models import ExportJob

ANY_ROLE = roles(Role.CANDIDATE, Role.PARTNER, Role.RECRUITER, Role.ADMIN)
FILTERSETS = {
    ExportKind.APPLICATIONS: ApplicationFilterSet,
    ExportKind.PLACEMENTS: PlacementFilterSet,
}
PERSONAL_NOTE = (
    " Personal columns (candidate id, names, email, and for applications date of birth, gender "
    "and citizenships) are included for recruiters and admins only."
)


class CsvExportView(generics.GenericAPIView):
    """Base of the streamed exports: the caller's rows matching the list's filters."""

    permission_classes = [ANY_ROLE]
    filter_backends = [DjangoFilterBackend]
    pagination_class = None
    content_negotiation_class = FirstRenderer
    throttle_scope = "export"  # RATE_LIMIT_EXPORT per caller
    kind = ""

    def get_queryset(self):
        return exports.export_queryset(user=self.request.user, kind=self.kind, criteria={})

    def get(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        columns = exports.export_columns(
            self.kind, include_personal=exports.may_export_personal_data(request.user)
        )
        response = StreamingHttpResponse(
            exports.csv_lines(exports.export_rows(queryset, columns)),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{self.kind}.csv"'
        return response


CSV_RESPONSE = {
    (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV with a header row."),
}


class ApplicationCsvExportView(CsvExportView):
    queryset = Application.objects.none()  # for schema generation
    filterset_class = ApplicationFilterSet
    kind = ExportKind.APPLICATIONS

    @extend_schema(
        summary="Applications as CSV (streamed)",
        operation_id="v1_exports_applications_csv",
        filters=True,
        responses=CSV_RESPONSE,
    )
    def get(self, request, *args, **kwargs):
        """The applications you may see, with the application list's filters, streamed row by
        row (constant memory). For very large exports, start a background job instead."""
        return super().get(request, *args, **kwargs)

    get.__doc__ += PERSONAL_NOTE


class PlacementCsvExportView(CsvExportView):
    queryset = Placement.objects.none()  # for schema generation
    filterset_class = PlacementFilterSet
    kind = ExportKind.PLACEMENTS

    @extend_schema(
        summary="Placements as CSV (streamed)",
        operation_id="v1_exports_placements_csv",
        filters=True,
        responses=CSV_RESPONSE,
    )
    def get(self, request, *args, **kwargs):
        """The placements you may see, with the placement list's filters, streamed row by row
        (constant memory). For very large exports, start a background job instead."""
        return super().get(request, *args, **kwargs)

    get.__doc__ += PERSONAL_NOTE


class ExportJobViewSet(mixins.CreateModelMixin, mixins.ListModelMixin,
                       mixins.RetrieveModelMixin, viewsets.GenericViewSet):  # fmt: skip
    """Background CSV exports: start one, follow its `progress`, then fetch the file from its
    short-lived `download_url`. Jobs and files are deleted a day after they finish. You see
    only your own jobs."""

    queryset = ExportJob.objects.none()  # for schema generation
    serializer_class = ExportJobSerializer
    permission_classes = [ANY_ROLE]
    filter_backends = []
    throttle_scopes = {"create": "export"}  # RATE_LIMIT_EXPORT per caller

    def get_queryset(self):
        return exports.export_job_list(user=self.request.user)

    def get_permissions(self):
        if self.action == "download":
            return [AllowAny()]  # the signed token is the credential
        return super().get_permissions()

    @extend_schema(request=ExportJobRequestSerializer, responses={202: ExportJobSerializer})
    def create(self, request, *args, **kwargs):
        body = ExportJobRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        kind = body.validated_data["kind"]
        filters = body.validated_data["filters"]
        filterset_class = FILTERSETS[kind]
        unknown = sorted(set(filters) - set(filterset_class.base_filters))
        if unknown:
            raise exceptions.ValidationError(
                {"filters": {key: ["Unknown filter."] for key in unknown}}
            )
        filterset = filterset_class(
            data=filters, queryset=filterset_class.Meta.model.objects.none()
        )
        if not filterset.is_valid():
            raise exceptions.ValidationError({"filters": filterset.errors})
        job = exports.export_job_create(
            owner=request.user, kind=kind, criteria=criteria_json(filterset)
        )
        return Response(
            ExportJobSerializer(job, context={"request": request}).data,
            status=status.HTTP_202_ACCEPTED,
        )

    @extend_schema(
        summary="Download a finished export",
        parameters=[OpenApiParameter("token", OpenApiTypes.STR, required=True,
                                     description="From the job's `download_url`.")],
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="The CSV.")},
    )  # fmt: skip
    @action(detail=True, methods=["get"], authentication_classes=[],
            content_negotiation_class=FirstRenderer)  # fmt: skip
    def download(self, request, pk=None):
        """The export's CSV. The link is signed and expires a few minutes after it was issued
        (403 `link_invalid`): fetch the job again for a fresh one."""
        job = exports.export_job_for_token(request.query_params.get("token", ""))
        if job is None or str(job.pk) != str(pk):
            raise NotPermittedError(
                "This download link is invalid or has expired; fetch the export job again "
                "for a fresh link.",
                code="link_invalid",
            )
        response = FileResponse(
            exports.export_file_open(job), content_type="text/csv; charset=utf-8",
            as_attachment=True, filename=f"{job.kind}.csv",
        )  # fmt: skip
        return response
