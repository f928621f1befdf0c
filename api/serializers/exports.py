"""Export jobs: the request that starts one and its representation."""

from django.urls import reverse
from rest_framework import serializers

from recruitment.enums import ExportKind, ExportStatus
from workflows.exports import export_download_token
from workflows.models import ExportJob

from .common import StrictSerializer


class ExportJobRequestSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=ExportKind.choices)
    filters = serializers.DictField(
        required=False,
        default=dict,
        help_text='The list\'s filters as JSON, e.g. `{"status": ["nominated"]}` for '
        'applications or `{"organisation": 3}` for placements.',
    )


class ExportJobSerializer(serializers.ModelSerializer):
    filters = serializers.JSONField(source="criteria", read_only=True)
    progress = serializers.IntegerField(read_only=True, help_text="Percent of rows written.")
    download_url = serializers.SerializerMethodField(
        help_text="Once succeeded: a signed link, valid a few minutes (fetch the job again for a "
        "fresh one); usable without credentials. Null otherwise."
    )

    class Meta:
        model = ExportJob
        fields = [
            "id", "kind", "filters", "include_personal", "status", "progress", "rows_total",
            "rows_written", "download_url", "error", "created_at", "started_at", "finished_at",
            "expires_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_download_url(self, job) -> str | None:
        if job.status != ExportStatus.SUCCEEDED:
            return None
        path = reverse("export-download", args=[job.pk])
        url = f"{path}?token={export_download_token(job)}"
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url
