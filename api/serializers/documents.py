"""Candidate documents (CV, diplomas): metadata, upload requests and download links."""

from rest_framework import serializers

from recruitment.enums import DocumentKind
from recruitment.models import Document

from .common import StrictSerializer


class DocumentSerializer(serializers.ModelSerializer):
    candidate = serializers.IntegerField(source="profile_id", read_only=True)

    class Meta:
        model = Document
        fields = [
            "id", "candidate", "kind", "original_name", "content_type", "size", "sha256",
            "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class DocumentUploadRequestSerializer(StrictSerializer):
    file = serializers.FileField(
        help_text="A PDF or DOCX of at most DOCUMENT_MAX_BYTES (10 MB); judged by its content."
    )
    kind = serializers.ChoiceField(choices=DocumentKind.choices)


class DocumentLinkSerializer(serializers.Serializer):
    url = serializers.CharField(help_text="Absolute download URL; needs no credentials.")
    expires_at = serializers.DateTimeField()
