"""api.pagination.CursorPagination: what it adds to DRF's cursor pagination."""

from django.http import QueryDict
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from api.pagination import CursorPagination
from api.views.candidates import CandidateProfileViewSet
from recruitment.models import CandidateProfile


def list_request(query: str) -> tuple[Request, CandidateProfileViewSet]:
    request = Request(APIRequestFactory().get("/api/v1/candidates/", QueryDict(query)))
    view = CandidateProfileViewSet(request=request, action="list", format_kwarg=None)
    return request, view


def test_the_ordering_ends_with_the_id_and_is_worked_out_once_per_request():
    paginator = CursorPagination()
    (by_creation, view), (newest_change, other_view) = map(
        list_request, ["ordering=created_at", "ordering=-updated_at"]
    )
    profiles = CandidateProfile.objects.all()
    first = paginator.get_ordering(by_creation, profiles, view)
    again = paginator.get_ordering(by_creation, profiles.none(), view)
    other = paginator.get_ordering(newest_change, profiles, other_view)

    assert [first, again, other] == [
        ("created_at", "id"),
        ("created_at", "id"),
        ("-updated_at", "-id"),
    ]
    assert again is first
