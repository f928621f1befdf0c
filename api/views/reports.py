"""Reports for the agency's recruiters and admins: the annual report, funnels, parity tables."""

from django.template.loader import render_to_string
from drf_orjson_renderer.renderers import ORJSONRenderer
from drf_spectacular.utils import extend_schema
from rest_framework import renderers
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import roles
from api.serializers.reports import (
    AnnualReportQuerySerializer,
    AnnualReportSerializer,
    DemographicsQuerySerializer,
    DemographicsSerializer,
    FunnelQuerySerializer,
    FunnelReportSerializer,
)
from recruitment.enums import Role
from workflows import reports

REPORT_READERS = roles(Role.RECRUITER, Role.ADMIN)
CHART_WIDTH = 360


def _bars(rows, label, value):
    """Rows of a horizontal bar chart: label, value and the bar's width in SVG units."""
    top = max((row[value] for row in rows), default=0) or 1
    return [
        {"label": row[label] if row[label] is not None else "none", "value": row[value],
         "width": round(CHART_WIDTH * row[value] / top, 1), "y": index * 24}
        for index, row in enumerate(rows)
    ]  # fmt: skip


class AnnualReportHTMLRenderer(renderers.BaseRenderer):
    """The annual report as a page with inline SVG charts (no script, no external file)."""

    media_type = "text/html"
    format = "html"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        charts = [
            ("Placements under way in the year, by organisation",
             _bars(data["by_organisation"], "organisation", "placements_active_in_year")),
            ("Applications received, by organisation",
             _bars(data["by_organisation"], "organisation", "applications_received")),
            ("Placements under way in the year, by scheme",
             _bars(data["by_scheme"], "scheme", "placements_active_in_year")),
            ("Placements under way in the year, by hardship class",
             _bars(data["by_hardship_class"], "hardship_class", "placements_active_in_year")),
        ]  # fmt: skip
        charts = [
            {"title": title, "bars": bars, "height": max(len(bars), 1) * 24}
            for title, bars in charts
        ]
        return render_to_string(
            "reports/annual.html", {"report": data, "charts": charts, "width": CHART_WIDTH}
        )


class ReportView(APIView):
    permission_classes = [REPORT_READERS]
    query_serializer = None

    def query(self, request):
        serializer = self.query_serializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class AnnualReportView(ReportView):
    """The year's figures: applications received; candidates nominated, selected and placed;
    placements active and people abroad on a day; partner organisations with placements under
    way this year and how many of last year's continued; people who completed pre-departure
    training and the homecoming debrief; placements that switched to remote work; and the
    same by organisation, scheme, duty station and hardship class.

    `?format=html` answers a readable page with charts; errors stay JSON in the one shape."""

    renderer_classes = [ORJSONRenderer, AnnualReportHTMLRenderer]
    query_serializer = AnnualReportQuerySerializer

    def handle_exception(self, exc):
        # Errors keep the one JSON error shape, also when the page was asked for.
        response = super().handle_exception(exc)
        self.request.accepted_renderer = ORJSONRenderer()
        self.request.accepted_media_type = self.request.accepted_renderer.media_type
        return response

    @extend_schema(
        summary="The annual report's figures",
        parameters=[AnnualReportQuerySerializer],
        responses={200: AnnualReportSerializer},
    )
    def get(self, request):
        query = self.query(request)
        report = reports.annual_report(
            user=request.user, period=reports.Year(query["year"], query["on"])
        )
        return Response(AnnualReportSerializer(report).data)


class FunnelReportView(ReportView):
    """Applications per pipeline status, conversion between statuses, days in each status, and
    days from the closing date to the offer and to deployment; per vacancy, scheme or round
    (a scheme's call year: the year of the vacancy's closing date)."""

    query_serializer = FunnelQuerySerializer

    @extend_schema(
        summary="Recruitment funnels",
        parameters=[FunnelQuerySerializer],
        responses={200: FunnelReportSerializer},
    )
    def get(self, request):
        query = self.query(request)
        report = reports.funnel_report(
            user=request.user,
            group_by=query["group_by"],
            vacancy_id=query.get("vacancy"),
            scheme=query.get("scheme"),
            round_year=query.get("round"),
            organisation=query.get("organisation"),
        )
        return Response(FunnelReportSerializer(report).data)


class DemographicsReportView(ReportView):
    """Gender, nationality and age-band tables of the year's applicants or placed people. A cell
    under 5 is hidden (`count` null), and so is the smallest other cell when the total would
    give a lone hidden cell away; a total under 5 hides the whole table."""

    query_serializer = DemographicsQuerySerializer

    @extend_schema(
        summary="Gender, nationality and age statistics (small cells suppressed)",
        parameters=[DemographicsQuerySerializer],
        responses={200: DemographicsSerializer},
    )
    def get(self, request):
        query = self.query(request)
        report = reports.demographics(
            user=request.user, year=query["year"], population=query["population"]
        )
        return Response(DemographicsSerializer(report).data)
