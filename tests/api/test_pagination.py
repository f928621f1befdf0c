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


def test_the_ordering_ends_with_the_id_and_names_each_field_once():
    def ordering_of(query: str) -> tuple[str, ...]:
        request, view = list_request(query)
        return CursorPagination().get_ordering(request, CandidateProfile.objects.all(), view)

    queries = [
        "ordering=created_at",
        "ordering=-updated_at",
        "ordering=created_at,-created_at,created_at",
        "ordering=-id,id,created_at",
    ]
    orderings = {query: ordering_of(query) for query in queries}

    assert orderings == {
        "ordering=created_at": ("created_at", "id"),
        "ordering=-updated_at": ("-updated_at", "-id"),
        "ordering=created_at,-created_at,created_at": ("created_at", "id"),
        "ordering=-id,id,created_at": ("-id", "created_at"),
    }


def test_the_ordering_is_worked_out_once_per_request_and_view_whatever_the_queryset():
    """DRF asks again with the page's rows instead of the queryset: the same answer."""
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
