"""Report queries (validated like request bodies) and the shapes of the reports."""

from datetime import date

from django.utils import timezone
from rest_framework import serializers

from workflows.reports import DEMOGRAPHIC_POPULATIONS, FUNNEL_GROUPS, PIPELINE

from .common import StrictSerializer

YEAR = {"min_value": 2000, "max_value": 2100}


class ReportQuerySerializer(StrictSerializer):
    """Query parameters of a report; `format` is DRF's own (json or html) and passes through."""

    server_set_fields = frozenset({"format"})

    def to_internal_value(self, data):
        data = {key: value for key, value in data.items() if key != "format"}
        return super().to_internal_value(data)


class AnnualReportQuerySerializer(ReportQuerySerializer):
    year = serializers.IntegerField(**YEAR, help_text="The report's calendar year, e.g. 2026.")
    on = serializers.DateField(
        required=False,
        help_text="The day on which active placements and people abroad are counted; within "
        "the year. Default: 31 December, or today while the year is running.",
    )

    def validate(self, attrs):
        year = attrs["year"]
        if "on" not in attrs:
            today = timezone.localdate()
            attrs["on"] = today if today.year == year else date(year, 12, 31)
        elif attrs["on"].year != year:
            raise serializers.ValidationError({"on": ["Must be a day of `year`."]})
        return attrs


class FunnelQuerySerializer(ReportQuerySerializer):
    group_by = serializers.ChoiceField(choices=FUNNEL_GROUPS, default="vacancy")
    vacancy = serializers.IntegerField(required=False, min_value=1)
    scheme = serializers.CharField(required=False, help_text="Scheme code, e.g. `jpo`.")
    round = serializers.IntegerField(
        required=False, **YEAR,
        help_text="Call year: the year of the vacancy's closing date (of its creation when "
        "it has none). A round is a scheme's call year.",
    )  # fmt: skip
    organisation = serializers.CharField(required=False, help_text="Organisation slug.")


class DemographicsQuerySerializer(ReportQuerySerializer):
    year = serializers.IntegerField(**YEAR)
    population = serializers.ChoiceField(
        choices=DEMOGRAPHIC_POPULATIONS,
        default="applicants",
        help_text="`applicants`: an application created in the year; `placed`: a placement "
        "starting in the year.",
    )


class DaysSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    mean = serializers.FloatField(allow_null=True)
    median = serializers.FloatField(allow_null=True)


class FunnelStageSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=PIPELINE)
    reached = serializers.IntegerField(help_text="Held this status or a later pipeline one.")
    current = serializers.IntegerField(help_text="In this status now.")
    conversion_to_next = serializers.FloatField(
        allow_null=True, help_text="Share of `reached` that reached the next status."
    )
    days_in_stage = DaysSerializer(help_text="Finished stays only, from the audit trail.")


class FunnelGroupSerializer(serializers.Serializer):
    vacancy = serializers.IntegerField(allow_null=True)
    scheme = serializers.CharField(allow_null=True)
    round = serializers.IntegerField(allow_null=True)
    applications = serializers.IntegerField()
    stages = FunnelStageSerializer(many=True)
    days_closing_to_offer = DaysSerializer()
    days_closing_to_deployment = DaysSerializer()


class FunnelReportSerializer(serializers.Serializer):
    group_by = serializers.ChoiceField(choices=FUNNEL_GROUPS)
    groups = FunnelGroupSerializer(many=True)


class PartnerOrganisationsSerializer(serializers.Serializer):
    active = serializers.IntegerField(help_text="With a placement under way in the year.")
    last_year = serializers.IntegerField(help_text="With a placement under way the year before.")
    continued = serializers.IntegerField(help_text="Both: last year's partnerships continued.")


class BreakdownSerializer(serializers.Serializer):
    placements_active_in_year = serializers.IntegerField()
    placements_active_on = serializers.IntegerField()


class ApplicationBreakdownSerializer(BreakdownSerializer):
    applications_received = serializers.IntegerField()


class OrganisationBreakdownSerializer(ApplicationBreakdownSerializer):
    organisation = serializers.CharField()


class SchemeBreakdownSerializer(ApplicationBreakdownSerializer):
    scheme = serializers.CharField(allow_null=True)


class DutyStationBreakdownSerializer(BreakdownSerializer):
    duty_station = serializers.IntegerField()
    city = serializers.CharField()
    country = serializers.CharField()


class HardshipBreakdownSerializer(BreakdownSerializer):
    hardship_class = serializers.CharField(
        allow_null=True, help_text="ICSC class H, A-E on the report's day; null: unclassified."
    )


class AnnualReportSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    on = serializers.DateField()
    applications_received = serializers.IntegerField()
    candidates_nominated = serializers.IntegerField()
    candidates_selected = serializers.IntegerField()
    candidates_placed = serializers.IntegerField()
    placements_active_on = serializers.IntegerField()
    people_abroad_on = serializers.IntegerField(help_text="Active on `on`, not remote.")
    partner_organisations = PartnerOrganisationsSerializer()
    completed_pre_departure_training = serializers.IntegerField()
    completed_homecoming_debrief = serializers.IntegerField()
    placements_switched_to_remote = serializers.IntegerField()
    by_organisation = OrganisationBreakdownSerializer(many=True)
    by_scheme = SchemeBreakdownSerializer(many=True)
    by_duty_station = DutyStationBreakdownSerializer(many=True)
    by_hardship_class = HardshipBreakdownSerializer(many=True)


class CellSerializer(serializers.Serializer):
    value = serializers.CharField()
    count = serializers.IntegerField(allow_null=True, help_text="null: suppressed (small cell).")


class DemographicsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    population = serializers.ChoiceField(choices=DEMOGRAPHIC_POPULATIONS)
    threshold = serializers.IntegerField(help_text="Cells under this count are hidden.")
    total = serializers.IntegerField(allow_null=True)
    gender = CellSerializer(many=True)
    nationality = CellSerializer(many=True, help_text="First citizenship, ISO alpha-2.")
    age_band = CellSerializer(many=True, help_text="Age on 31 December of the year.")
