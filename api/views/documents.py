"""Candidate documents: upload (PDF/DOCX by content, size-capped before storing), list, delete,
and downloads only through links that expire within DOCUMENT_LINK_TTL_SECONDS."""

from datetime import timedelta

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler
from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from api.middleware import max_request_bytes
from api.permissions import role_of
from api.serializers.common import ErrorSerializer
from api.serializers.documents import (
    DocumentLinkSerializer,
    DocumentSerializer,
    DocumentUploadRequestSerializer,
)
from recruitment import documents, selectors
from recruitment.enums import Role
from recruitment.models import Document


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"

    def __init__(self):
        limit = settings.DOCUMENT_MAX_BYTES
        super().__init__(f"A document may have at most {limit} bytes.")


class SizeCapUploadHandler(FileUploadHandler):
    """First in the chain: stops the upload at the first byte over the cap, before any later
    handler (memory or temporary file) sees it."""

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > settings.DOCUMENT_MAX_BYTES:
            raise PayloadTooLarge()
        return raw_data

    def file_complete(self, file_size):
        return None


class DocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      mixins.DestroyModelMixin, viewsets.GenericViewSet):  # fmt: skip
    """CVs and diplomas. Candidates upload (multipart: `file`, `kind`), list and delete their
    own; recruiters see all, partner members those of candidates nominated to them. The file
    itself is read only through `GET documents/{id}/link/`, a link that expires within
    five minutes; every read by someone other than the owner is in the candidate's access log.
    """

    queryset = Document.objects.none()  # for schema generation; reads go through selectors
    serializer_class = DocumentSerializer
    filterset_fields = ["kind"]
    ordering_fields = ["id", "created_at"]
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [MultiPartParser]  # only the upload has a body

    def get_queryset(self):
        return selectors.document_list(user=self.request.user)

    def check_permissions(self, request):
        super().check_permissions(request)
        if self.action in ("create", "destroy") and role_of(request) != Role.CANDIDATE:
            self.permission_denied(request, "Only candidates upload and delete their documents.")

    @extend_schema(
        request={"multipart/form-data": DocumentUploadRequestSerializer},
        responses={
            201: DocumentSerializer,
            413: OpenApiResponse(ErrorSerializer, description="Larger than the size cap."),
        },
    )
    def create(self, request):
        # Refuse before reading the body when its declared size is already too large.
        if int(request.META.get("CONTENT_LENGTH") or 0) > max_request_bytes():
            raise PayloadTooLarge()
        request._request.upload_handlers.insert(0, SizeCapUploadHandler(request._request))
        serializer = DocumentUploadRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        profile = selectors.candidate_profile_get(user=request.user)
        if profile is None:
            raise exceptions.NotFound()
        upload = serializer.validated_data["file"]
        document = documents.document_store(
            profile=profile,
            kind=serializer.validated_data["kind"],
            file=upload,
            original_name=upload.name or "",
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        documents.document_delete(document=instance)

    @extend_schema(responses={200: DocumentLinkSerializer})
    @action(detail=True, methods=["get"], filterset_fields=None)
    def link(self, request, pk=None):
        """A download link for this document, valid for DOCUMENT_LINK_TTL_SECONDS (≤ 5 min)."""
        document = self.get_object()
        token = documents.document_link_token(document=document, viewer=request.user)
        url = request.build_absolute_uri(reverse("document_download", args=[token]))
        expires_at = timezone.now() + timedelta(seconds=settings.DOCUMENT_LINK_TTL_SECONDS)
        return Response(DocumentLinkSerializer({"url": url, "expires_at": expires_at}).data)


class DocumentDownloadView(APIView):
    """The file, as an attachment, for a link from `documents/{id}/link/` that has not expired;
    the signed link is the credential."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        responses={
            # The document's own media type, as sniffed at upload: PDF or DOCX.
            **{(200, media_type): OpenApiTypes.BINARY for media_type in documents.EXTENSIONS},
            404: OpenApiResponse(ErrorSerializer, description="Unknown or expired link."),
        }
    )
    def get(self, request, token):
        download, file = documents.document_download(token=token)
        document = download.document
        filename = document.original_name or (
            f"{document.kind}.{documents.EXTENSIONS[document.content_type]}"
        )
        response = FileResponse(
            file, as_attachment=True, filename=filename, content_type=document.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response
