"""The shortlist's match facts on a profile are kept by the database (migration 0008) from the
nested lists, whatever path writes them, and never overwritten by a stale profile."""

import importlib
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from recruitment import matching, services
from recruitment.bulk import copy_rows
from recruitment.eligibility import DEGREE_RANK, LEVEL_ORDINALS
from recruitment.models import CandidateProfile, LanguageSkill
from tests.factories import make_candidate
from workflows.privacy import candidate_erase

pytestmark = pytest.mark.django_db
FACTS = ("match_languages", "match_degree_rank", "match_experience_days", "match_open_job_starts")
MIGRATION = importlib.import_module("recruitment.migrations.0008_candidate_match_facts")


def facts(profile: CandidateProfile) -> tuple:
    return CandidateProfile.objects.values_list(*FACTS).get(pk=profile.pk)


def language(code: str, level: str, scale: str = "cefr", skill: str = "overall") -> dict:
    return {"language": code, "level": level, "scale": scale, "skill": skill}


def test_frozen_tables_are_the_eligibility_rules_tables():
    at_b1 = sorted(
        (scale, level)
        for scale, levels in LEVEL_ORDINALS.items()
        for level, ordinal in levels.items()
        if ordinal >= matching.LANGUAGE_MINIMUM_ORDINAL
    )
    assert sorted(re.findall(r"\('(\w+)', '(\w+)'\)", MIGRATION.LEVELS_AT_B1)) == at_b1
    assert MIGRATION.DEGREE_RANK == DEGREE_RANK


def test_facts_follow_every_change_of_the_nested_lists():
    profile = make_candidate().candidate_profile
    assert facts(profile) == ([], 0, 0, [])

    services.candidate_profile_update(profile=profile, data={
        "education": [{"level": "bachelor"}, {"level": "master"}],
        "experience": [
            {"title": "Analyst", "start_date": date(2015, 1, 1), "end_date": date(2016, 1, 1)},
            {"title": "Officer", "start_date": date(2016, 3, 1), "end_date": date(2016, 4, 1)},
            {"title": "Adviser", "start_date": date(2020, 5, 1)},
            {"title": "Tutor", "start_date": date(2019, 2, 1)},
        ],
        "languages": [
            language("en", "C1"), language("fr", "a2"), language("fr", "B1", skill="reading"),
            language("ar", "III", scale="un"), language("es", "basic", scale="inspira"),
        ],
    })  # fmt: skip
    assert facts(profile) == (["ar", "en", "fr"], 3, 365 + 31, [date(2019, 2, 1), date(2020, 5, 1)])

    # A direct write to one child table (no service): the trigger still follows.
    LanguageSkill.objects.filter(profile=profile, language="en").update(level="A1")
    services.candidate_profile_update(profile=profile, data={"education": [], "experience": []})
    assert facts(profile) == (["ar", "fr"], 0, 0, [])


def test_a_stale_profile_saved_later_keeps_the_facts():
    profile = make_candidate().candidate_profile
    stale = CandidateProfile.objects.get(pk=profile.pk)
    services.candidate_profile_update(profile=profile, data={
        "languages": [language("pt", "C2")], "education": [{"level": "doctorate"}],
    })  # fmt: skip

    stale.given_name = "Ingrid"
    stale.save()

    assert facts(profile) == (["pt"], 4, 0, [])
    assert CandidateProfile.objects.get(pk=profile.pk).given_name == "Ingrid"


def test_copied_lists_are_counted_by_the_statement_triggers():
    first, second = (make_candidate().candidate_profile for _ in range(2))
    now = timezone.now()
    copy_rows(LanguageSkill, ["created_at", "updated_at", "language", "skill", "level", "scale",
                              "profile_id"],
              [(now, now, "fr", "overall", "B2", "cefr", first.pk),
               (now, now, "de", "overall", "C1", "cefr", second.pk),
               (now, now, "it", "overall", "A1", "cefr", second.pk)])  # fmt: skip
    assert (facts(first)[0], facts(second)[0]) == (["fr"], ["de"])


def test_the_refresh_computes_the_same_vector_as_the_row_function():
    profile = make_candidate().candidate_profile
    today = timezone.localdate()
    services.candidate_profile_update(profile=profile, data={
        "skills": ["logistics", "gis"],
        "experience": [{"title": "Supply Officer", "employer": "WFP",
                        "start_date": today - timedelta(days=400)}],
        "education": [{"level": "master", "field_of_study": "Geography"}],
    })  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text, recruitment_candidate_search_vector(id, skills)::text "
            "FROM recruitment_candidateprofile WHERE id = %s",
            [profile.pk],
        )
        stored, computed = cursor.fetchone()
    assert stored == computed
    assert ("'geographi':" in stored, "'suppli':" in stored) == (True, True)


def test_erasure_empties_the_facts():
    user = make_candidate()
    profile = user.candidate_profile
    services.candidate_profile_update(profile=profile, data={
        "languages": [language("fr", "C1")], "education": [{"level": "master"}],
        "experience": [{"title": "Officer", "start_date": date(2020, 1, 1)}],
    })  # fmt: skip
    assert facts(profile) == (["fr"], 3, 0, [date(2020, 1, 1)])

    candidate_erase(user=user, now=timezone.now(), reason="request")

    assert facts(profile) == ([], 0, 0, [])
