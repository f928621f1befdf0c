"""Candidate documents: recognised by content (PDF, DOCX), stored privately under random names,
read only through signed links that expire within minutes."""

import hashlib
import secrets
import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.db import transaction

from recruitment.enums import AccessedResource
from recruitment.exceptions import DomainValidationError, NotFoundError
from recruitment.models import CandidateProfile, Document
from recruitment.privacy import access_log_record
from recruitment.services import tombstone_record

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXTENSIONS = {PDF: "pdf", DOCX: "docx"}
_LINK_SALT = "recruitment.documents.download"


def document_storage() -> FileSystemStorage:
    """The private folder: never under STATIC_ROOT or a served media root; owner-only modes."""
    return FileSystemStorage(
        location=settings.DOCUMENT_STORAGE_ROOT,
        base_url=None,
        file_permissions_mode=0o600,
        directory_permissions_mode=0o700,
    )


def sniff_content_type(file: IO[bytes]) -> str | None:
    """PDF or DOCX judged by the bytes, never by the name or the declared type (None: neither).
    A DOCX is a ZIP (OOXML) holding [Content_Types].xml and word/document.xml."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            file.seek(0)
        if {"[Content_Types].xml", "word/document.xml"} <= names:
            return DOCX
    return None


def _clean_name(name: str) -> str:
    # The name the candidate gave, only for display and the download's filename.
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in base if ch.isprintable() and ch not in '"')[:200]


def document_store(
    *, profile: CandidateProfile, kind: str, file: IO[bytes], original_name: str
) -> Document:
    """Sniff the upload, write it to private storage under a random name, record it.

    Raises DomainValidationError(code="unsupported_document_type") when it is neither a PDF
    nor a DOCX (nothing is stored then). The size cap is enforced by the caller while the
    body streams in, before anything reaches this function."""
    content_type = sniff_content_type(file)
    if content_type is None:
        raise DomainValidationError(
            "Only PDF and DOCX documents are accepted (judged by their content).",
            code="unsupported_document_type",
        )
    digest, size = hashlib.sha256(), 0
    while chunk := file.read(64 * 1024):
        digest.update(chunk)
        size += len(chunk)
    file.seek(0)
    storage = document_storage()
    storage_name = storage.save(secrets.token_hex(20), File(file))
    try:
        return Document.objects.create(
            profile=profile,
            kind=kind,
            storage_name=storage_name,
            original_name=_clean_name(original_name),
            content_type=content_type,
            size=size,
            sha256=digest.hexdigest(),
        )
    except BaseException:
        storage.delete(storage_name)
        raise


def document_delete(*, document: Document) -> None:
    """Delete the row and leave its tombstone, then the file once the deletion has committed."""
    name = document.storage_name
    with transaction.atomic():
        tombstone_record(objects=[document], owner=document.profile.user)
        document.delete()
        transaction.on_commit(lambda: document_storage().delete(name))


def document_link_token(*, document: Document, viewer: AbstractBaseUser) -> str:
    """A signed token naming the document and who asked for it; valid DOCUMENT_LINK_TTL_SECONDS."""
    return signing.dumps({"d": document.pk, "u": viewer.pk}, salt=_LINK_SALT, compress=True)


@dataclass(frozen=True)
class Download:
    """A document being read, and by whom."""

    document: Document
    viewer_id: int


def document_download(*, token: str) -> tuple[Download, IO[bytes]]:
    """Resolve a link token and open the file; a read by anyone but the owner is written to the
    access log first. Raises NotFoundError (code="link_expired" or "not_found")."""
    try:
        data = signing.loads(token, salt=_LINK_SALT, max_age=settings.DOCUMENT_LINK_TTL_SECONDS)
    except signing.SignatureExpired:
        raise NotFoundError("This download link has expired.", code="link_expired") from None
    except signing.BadSignature:
        raise NotFoundError("Not found.", code="not_found") from None
    document = Document.objects.select_related("profile__user").filter(pk=data.get("d")).first()
    if document is None:
        raise NotFoundError("Not found.", code="not_found")
    download = Download(document=document, viewer_id=int(data["u"]))
    if download.viewer_id != document.profile.user_id:
        access_log_record(
            subject_id=document.profile.user_id,
            viewer_id=download.viewer_id,
            resource=AccessedResource.DOCUMENT,
            resource_id=document.pk,
        )
    return download, document_storage().open(document.storage_name, "rb")
