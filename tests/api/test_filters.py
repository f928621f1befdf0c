"""api.filters' FilterSet base and fields: the same answers as django-filter's, for less work
per request."""

from django.http import QueryDict

from api.filters import CandidateProfileFilterSet
from recruitment.models import CandidateProfile


def test_a_filterset_copies_the_filters_sent_only_and_only_when_asked():
    filterset = CandidateProfileFilterSet(
        data=QueryDict("citizenship=NO&language=fr"), queryset=CandidateProfile.objects.all()
    )
    assert filterset.is_valid()
    filterset.qs  # noqa: B018 - the search lists filter through candidate_search

    copied_before_asked = "filters" in vars(filterset)
    filters = filterset.filters

    assert copied_before_asked is False
    assert sorted(filters) == ["citizenship", "language"]
    assert [(f.parent, f.model) for f in filters.values()] == [(filterset, CandidateProfile)] * 2
    assert all(f is not CandidateProfileFilterSet.base_filters[n] for n, f in filters.items())
