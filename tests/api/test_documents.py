"""Documents: content sniffing, the size cap (413 before storing), private random names,
scoped reads, expiring attachment links and the access log of downloads."""

import io
import os
import zipfile

import pytest
from django.conf import settings as django_settings

from recruitment.enums import ApplicationStatus
from recruitment.models import AccessLogEntry, Document
from tests.api.bodies import iso
from tests.conftest import client_for
from tests.factories import make_application, make_vacancy

DOCUMENTS_URL = "/api/v1/documents/"
PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
UNSUPPORTED = {
    "code": "unsupported_document_type",
    "detail": "Only PDF and DOCX documents are accepted (judged by their content).",
}


def docx_bytes(*, word: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml" if word else "xl/workbook.xml", "<document/>")
    return buffer.getvalue()


def upload(client, content: bytes, name: str = "cv.pdf", kind: str = "cv"):
    file = io.BytesIO(content)
    file.name = name
    return client.post(DOCUMENTS_URL, {"file": file, "kind": kind}, format="multipart")


def close_file(response):
    """Close the streamed file only: response.close() would also end the test's connection."""
    for closer in response._resource_closers:
        closer()


def stored_files() -> list[str]:
    root = django_settings.DOCUMENT_STORAGE_ROOT
    return sorted(os.listdir(root)) if os.path.isdir(root) else []


def body_of(document):
    return {
        "id": document.pk,
        "candidate": document.profile_id,
        "kind": document.kind,
        "original_name": document.original_name,
        "content_type": document.content_type,
        "size": document.size,
        "sha256": document.sha256,
        "created_at": iso(document.created_at),
    }


@pytest.fixture
def clean_storage():
    before = set(stored_files())
    yield
    root = django_settings.DOCUMENT_STORAGE_ROOT
    for name in set(stored_files()) - before:
        os.remove(os.path.join(root, name))


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (PDF_BYTES, "cv.pdf", PDF),
        (docx_bytes(), "cv.docx", DOCX),
        (PDF_BYTES, "cv.docx", PDF),  # the content decides, not the name
        (docx_bytes(), "diploma", DOCX),
    ],
)
def test_document_upload_is_recognised_by_content(
    clean_storage, candidate_a, content, name, content_type
):
    before = set(stored_files())

    response = upload(client_for(candidate_a), content, name)

    document = Document.objects.get()
    assert (response.status_code, response.json()) == (201, body_of(document))
    assert (document.content_type, document.size, document.original_name) == (
        content_type,
        len(content),
        name,
    )
    # A random storage name, unrelated to the uploaded one.
    assert sorted(set(stored_files()) - before) == [document.storage_name]
    assert len(document.storage_name) == 40
    assert name not in document.storage_name


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"<html><script>alert(1)</script></html>", "cv.pdf"),
        (docx_bytes(word=False), "cv.docx"),  # a spreadsheet in OOXML clothing
        (b"PK\x03\x04 not really a zip", "cv.docx"),
        (b"MZ\x90\x00", "cv.pdf"),
    ],
)
def test_document_upload_refuses_other_content(clean_storage, candidate_a, content, name):
    before = stored_files()

    response = upload(client_for(candidate_a), content, name)

    assert (response.status_code, response.json()) == (400, UNSUPPORTED)
    assert (list(Document.objects.all()), stored_files()) == ([], before)


def test_document_upload_over_the_cap_is_413_and_stores_nothing(
    settings, clean_storage, candidate_a
):
    settings.DOCUMENT_MAX_BYTES = 1000
    before = stored_files()

    response = upload(client_for(candidate_a), PDF_BYTES + b" " * 1000)

    assert (response.status_code, response.json()) == (
        413,
        {"code": "payload_too_large", "detail": "A document may have at most 1000 bytes."},
    )
    assert (list(Document.objects.all()), stored_files()) == ([], before)


def test_document_upload_declared_too_large_is_refused_before_reading(
    settings, clean_storage, candidate_a
):
    settings.DOCUMENT_MAX_BYTES = 1000

    response = upload(client_for(candidate_a), PDF_BYTES + b" " * 200_000)

    assert (response.status_code, response.json()["code"]) == (413, "payload_too_large")
    assert list(Document.objects.all()) == []


def test_document_upload_exactly_at_the_cap_is_accepted(settings, clean_storage, candidate_a):
    settings.DOCUMENT_MAX_BYTES = 1000
    content = PDF_BYTES + b" " * (1000 - len(PDF_BYTES))

    response = upload(client_for(candidate_a), content)

    assert (response.status_code, response.json()["size"]) == (201, 1000)


def test_document_upload_only_by_candidates(clean_storage, recruiter):
    response = upload(client_for(recruiter), PDF_BYTES)

    assert (response.status_code, response.json()) == (
        403,
        {
            "code": "permission_denied",
            "detail": "Only candidates upload and delete their documents.",
        },
    )


def test_document_upload_validation_error_shape(clean_storage, candidate_a):
    file = io.BytesIO(PDF_BYTES)
    file.name = "cv.pdf"

    response = client_for(candidate_a).post(
        DOCUMENTS_URL, {"file": file, "kind": "passport"}, format="multipart"
    )

    assert (response.status_code, response.json()) == (
        400,
        {
            "code": "validation_error",
            "detail": "The request is not valid; see `fields`.",
            "fields": {"kind": ['"passport" is not a valid choice.']},
        },
    )


@pytest.fixture
def documents_of_a_and_b(clean_storage, candidate_a, candidate_b):
    upload(client_for(candidate_a), PDF_BYTES, "a.pdf")
    upload(client_for(candidate_b), docx_bytes(), "b.docx")
    return (
        Document.objects.get(original_name="a.pdf"),
        Document.objects.get(original_name="b.docx"),
    )


def listed_ids(response):
    assert response.status_code == 200
    return [item["id"] for item in response.json()["results"]]


def test_document_list_is_scoped(
    documents_of_a_and_b, candidate_a, recruiter, partner_x, organisation_x
):
    doc_a, doc_b = documents_of_a_and_b
    vacancy = make_vacancy(organisation=organisation_x)
    make_application(candidate=candidate_a, vacancy=vacancy, status=ApplicationStatus.NOMINATED)

    assert listed_ids(client_for(candidate_a).get(DOCUMENTS_URL)) == [doc_a.pk]
    assert listed_ids(client_for(recruiter).get(DOCUMENTS_URL + "?ordering=id")) == [
        doc_a.pk,
        doc_b.pk,
    ]
    assert listed_ids(client_for(partner_x).get(DOCUMENTS_URL)) == [doc_a.pk]


def test_document_of_another_candidate_is_404(documents_of_a_and_b, candidate_a, partner_y):
    _, doc_b = documents_of_a_and_b
    not_found = {"code": "not_found", "detail": "Not found."}

    for client in (client_for(candidate_a), client_for(partner_y)):
        for url in (f"{DOCUMENTS_URL}{doc_b.pk}/", f"{DOCUMENTS_URL}{doc_b.pk}/link/"):
            response = client.get(url)
            assert (response.status_code, response.json()) == (404, not_found)
        response = client.delete(f"{DOCUMENTS_URL}{doc_b.pk}/")
        assert response.status_code in (403, 404)
    assert Document.objects.filter(pk=doc_b.pk).exists()


def test_document_download_through_an_expiring_attachment_link(documents_of_a_and_b, candidate_a):
    doc_a, _ = documents_of_a_and_b
    client = client_for(candidate_a)

    link = client.get(f"{DOCUMENTS_URL}{doc_a.pk}/link/").json()
    download = client_for(None).get(link["url"].removeprefix("http://testserver"))

    assert link["url"].startswith("http://testserver/api/v1/documents/download/")
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    close_file(download)
    assert content == PDF_BYTES
    assert (
        download["Content-Type"],
        download["Content-Disposition"],
        download["X-Content-Type-Options"],
        download["Cache-Control"],
    ) == (PDF, 'attachment; filename="a.pdf"', "nosniff", "private, no-store")
    assert list(AccessLogEntry.objects.all()) == []  # the owner's own read is not logged


def test_document_download_link_expires(settings, documents_of_a_and_b, candidate_a):
    doc_a, _ = documents_of_a_and_b
    url = client_for(candidate_a).get(f"{DOCUMENTS_URL}{doc_a.pk}/link/").json()["url"]
    settings.DOCUMENT_LINK_TTL_SECONDS = -1

    response = client_for(None).get(url.removeprefix("http://testserver"))

    assert (response.status_code, response.json()) == (
        404,
        {"code": "link_expired", "detail": "This download link has expired."},
    )


def test_document_download_with_a_forged_link_is_404(db):
    response = client_for(None).get("/api/v1/documents/download/forged:token/")

    assert (response.status_code, response.json()) == (
        404,
        {"code": "not_found", "detail": "Not found."},
    )


def test_document_download_by_a_recruiter_is_in_the_access_log(
    documents_of_a_and_b, candidate_a, recruiter
):
    doc_a, _ = documents_of_a_and_b
    url = client_for(recruiter).get(f"{DOCUMENTS_URL}{doc_a.pk}/link/").json()["url"]

    close_file(client_for(None).get(url.removeprefix("http://testserver")))

    assert list(
        AccessLogEntry.objects.values_list(
            "subject_id", "viewer_id", "viewer_role", "resource", "resource_id"
        )
    ) == [(candidate_a.pk, recruiter.pk, "recruiter", "document", doc_a.pk)]


def test_document_delete_removes_the_file(
    documents_of_a_and_b, candidate_a, django_capture_on_commit_callbacks
):
    doc_a, doc_b = documents_of_a_and_b

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(candidate_a).delete(f"{DOCUMENTS_URL}{doc_a.pk}/")

    assert response.status_code == 204
    assert list(Document.objects.values_list("pk", flat=True)) == [doc_b.pk]
    assert doc_a.storage_name not in stored_files()
    assert doc_b.storage_name in stored_files()


def test_document_upload_with_an_idempotency_key_stores_once(clean_storage, candidate_a):
    client = client_for(candidate_a)
    before = stored_files()

    def send(boundary):
        # Clients draw a new multipart boundary for every attempt.
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\ncv\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="cv.pdf"'
                f"\r\nContent-Type: application/pdf\r\n\r\n"
            ).encode()
            + PDF_BYTES
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return client.generic(
            "POST", DOCUMENTS_URL, body,
            content_type=f"multipart/form-data; boundary={boundary}",
            HTTP_IDEMPOTENCY_KEY="upload-1",
        )  # fmt: skip

    first, second = send("a1b2c3"), send("z9y8x7w6")

    document = Document.objects.get()
    assert (first.status_code, first.json()) == (201, body_of(document))
    assert (second.status_code, second.json(), second["Idempotent-Replayed"]) == (
        201,
        body_of(document),
        "true",
    )
    assert sorted(set(stored_files()) - set(before)) == [document.storage_name]
