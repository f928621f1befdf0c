"""Eligibility decisions: every check explained, in a stable order, under a stated rule version."""

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recruitment import eligibility
from recruitment.eligibility import (
    CandidateFacts,
    Degree,
    Job,
    Language,
    RuleSet,
    VacancyFacts,
    age_on,
    evaluate,
    experience_days,
)
from recruitment.enums import DegreeLevel, LanguageScale, LanguageSkillKind

TODAY = date(2026, 6, 1)
CLOSES = date(2026, 7, 1)

UNV_YOUTH = {"age": {"min": 18, "max": 29, "measured_at": "planned_end_date"}}
MASTERS_OR_BACHELORS = {
    "education": [{"degree": "master", "years": 2}, {"degree": "bachelor", "years": 3}]
}
GRADE_TABLE = {"P-1": 0, "P-2": 2, "P-3": 5, "P-4": 7, "P-5": 10, "D-1": 15}
ENGLISH_B2 = {"languages": [{"language": "en", "min_level": "B2", "scale": "cefr"}]}

# Experience measured at CLOSES: an ongoing job from these dates gives these years.
TWO_YEARS = Job(date(2024, 7, 2))  # 730 days
TWO_POINT_NINE_YEARS = Job(date(2023, 7, 20))  # 1078 days
THREE_POINT_ONE_YEARS = Job(date(2023, 5, 27))  # 1132 days


def decide(candidate, rules, vacancy=None, version=1):
    vacancy = vacancy or VacancyFacts(closes_at=CLOSES)
    return evaluate(candidate, vacancy, RuleSet(version=version, rules=rules), today=TODAY)


def check(rule, passed, detail):
    return {"rule": rule, "passed": passed, "detail": detail}


def single(rule, passed, detail, version=1):
    return {"eligible": passed, "rule_set": version, "checks": [check(rule, passed, detail)]}


# --- Age -------------------------------------------------------------------------------------

YOUTH_VACANCY = VacancyFacts(
    closes_at=date(2026, 7, 15), planned_start=date(2026, 10, 1), planned_end=date(2027, 9, 30)
)


def test_youth_volunteer_aged_29_at_closing_who_turns_30_before_the_end_is_ineligible():
    candidate = CandidateFacts(date_of_birth=date(1997, 3, 10))  # 29 at closing

    result = decide(candidate, UNV_YOUTH, YOUTH_VACANCY)

    assert result.as_dict() == single(
        "age", False, "aged 30 on the planned end date (2027-09-30); must be 18-29"
    )


def test_youth_volunteer_who_stays_29_until_the_end_is_eligible():
    candidate = CandidateFacts(date_of_birth=date(1997, 12, 1))

    result = decide(candidate, UNV_YOUTH, YOUTH_VACANCY)

    assert result.as_dict() == single(
        "age", True, "aged 29 on the planned end date (2027-09-30); must be 18-29"
    )


def test_age_turning_30_on_the_planned_end_date_itself_is_ineligible():
    candidate = CandidateFacts(date_of_birth=date(1997, 9, 30))

    result = decide(candidate, UNV_YOUTH, YOUTH_VACANCY)

    assert result.as_dict() == single(
        "age", False, "aged 30 on the planned end date (2027-09-30); must be 18-29"
    )


def test_age_measured_at_the_closing_date_by_default():
    candidate = CandidateFacts(date_of_birth=date(1997, 3, 10))

    result = decide(candidate, {"age": {"max": 29}}, YOUTH_VACANCY)

    assert result.as_dict() == single(
        "age", True, "aged 29 on the closing date (2026-07-15); must be at most 29"
    )


def test_age_without_the_measurement_date_fails_naming_the_missing_date():
    candidate = CandidateFacts(date_of_birth=date(1997, 12, 1))

    result = decide(candidate, UNV_YOUTH, VacancyFacts(closes_at=CLOSES))

    assert result.as_dict() == single(
        "age", False, "the vacancy has no planned end date to measure age at"
    )


def test_age_without_a_date_of_birth_fails():
    result = decide(CandidateFacts(), {"age": {"min": 25}})

    assert result.as_dict() == single(
        "age", False, "no date of birth declared; must be at least 25 on the closing date"
    )


def test_age_on_counts_a_29_february_birthday_on_1_march():
    born = date(2000, 2, 29)

    assert [age_on(born, date(2029, 2, 28)), age_on(born, date(2029, 3, 1))] == [28, 29]


# --- Nationalities ---------------------------------------------------------------------------

DEVELOPING_COUNTRY_JPO = {
    "nationalities": {
        "eligible_countries": ["ET", "KE", "GH", "NP"],
        "exclude_duty_station_country": True,
    }
}
ADDIS_ABABA = VacancyFacts(closes_at=CLOSES, duty_station_countries=("ET",))


def test_host_country_national_applying_to_a_developing_country_jpo_is_ineligible():
    result = decide(CandidateFacts(citizenships=("ET",)), DEVELOPING_COUNTRY_JPO, ADDIS_ABABA)

    assert result.as_dict() == single(
        "nationalities", False, "citizenship ET is the duty-station country, which is excluded"
    )


def test_other_eligible_country_national_applying_to_a_developing_country_jpo_is_eligible():
    result = decide(CandidateFacts(citizenships=("KE",)), DEVELOPING_COUNTRY_JPO, ADDIS_ABABA)

    assert result.as_dict() == single(
        "nationalities", True, "citizenship KE is on the eligible list"
    )


def test_developing_country_jpo_lists_every_citizenships_reason():
    candidate = CandidateFacts(citizenships=("et", "NO"))

    result = decide(candidate, DEVELOPING_COUNTRY_JPO, ADDIS_ABABA)

    assert result.as_dict() == single(
        "nationalities",
        False,
        "citizenship ET is the duty-station country, which is excluded; "
        "citizenship NO is not on the eligible list",
    )


def test_donor_nationals_only_accepts_a_dual_citizen_holding_the_donor_nationality():
    rules = {"nationalities": {"allowed": ["NO"]}}

    result = decide(CandidateFacts(citizenships=("SE", "NO")), rules)

    assert result.as_dict() == single(
        "nationalities", True, "citizenship NO is on the allowed list"
    )


def test_donor_nationals_only_refuses_other_nationals():
    rules = {"nationalities": {"allowed": ["NO"]}}

    result = decide(CandidateFacts(citizenships=("SE",)), rules)

    assert result.as_dict() == single(
        "nationalities", False, "citizenship SE is not on the allowed list"
    )


@pytest.mark.parametrize(
    ("citizenships", "passed", "detail"),
    [
        (("NP",), True, "citizenship NP is the duty-station country"),
        (("IN",), False, "citizenship IN is not the duty-station country (NP)"),
    ],
)
def test_national_officer_post_takes_duty_station_country_nationals_only(
    citizenships, passed, detail
):
    vacancy = VacancyFacts(closes_at=CLOSES, grade="NO-B", duty_station_countries=("NP",))

    result = decide(
        CandidateFacts(citizenships=citizenships),
        {"nationalities": {"duty_station_country": True}},
        vacancy,
    )

    assert result.as_dict() == single("nationalities", passed, detail)


def test_excluded_nationality_with_a_second_citizenship_is_eligible():
    rules = {"nationalities": {"excluded": ["ET"]}}

    result = decide(CandidateFacts(citizenships=("ET", "KE")), rules)

    assert result.as_dict() == single("nationalities", True, "citizenship KE is not excluded")


def test_nationality_rule_without_citizenship_fails():
    result = decide(CandidateFacts(), {"nationalities": {"allowed": ["NO"]}})

    assert result.as_dict() == single("nationalities", False, "no citizenship declared")


def test_nationality_rule_with_an_unknown_country_code_fails_as_invalid():
    rules = {"nationalities": {"allowed": ["NO", "XX"]}}

    result = decide(CandidateFacts(citizenships=("NO",)), rules)

    assert result.as_dict() == single(
        "nationalities",
        False,
        "invalid rule: nationalities.allowed has unknown country codes XX",
    )


# --- Education and experience ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("degrees", "job", "passed", "detail"),
    [
        (
            ("master",),
            TWO_YEARS,
            True,
            "master's + 2.0 years meets master's + 2",
        ),
        (
            ("bachelor",),
            TWO_POINT_NINE_YEARS,
            False,
            "bachelor's + 2.9 years; needs master's + 2 or bachelor's + 3",
        ),
        (
            ("bachelor",),
            THREE_POINT_ONE_YEARS,
            True,
            "bachelor's + 3.1 years meets bachelor's + 3",
        ),
        (
            ("secondary", "bachelor", "doctorate"),
            TWO_YEARS,
            True,
            "doctorate + 2.0 years meets master's + 2",
        ),
        (
            ("master",),
            Job(date(2025, 1, 1), date(2026, 6, 30)),
            False,
            "master's + 1.4 years; needs master's + 2 or bachelor's + 3",
        ),
        (
            (),
            THREE_POINT_ONE_YEARS,
            False,
            "no degree + 3.1 years; needs master's + 2 or bachelor's + 3",
        ),
    ],
)
def test_education_masters_plus_two_or_bachelors_plus_three(degrees, job, passed, detail):
    candidate = CandidateFacts(
        education=tuple(Degree(level) for level in degrees), experience=(job,)
    )

    result = decide(candidate, MASTERS_OR_BACHELORS)

    assert result.as_dict() == single("education", passed, detail)


def test_education_counts_overlapping_jobs_once():
    candidate = CandidateFacts(
        education=(Degree("bachelor", date(2022, 6, 30)),),
        experience=(
            Job(date(2023, 1, 1), date(2024, 12, 31)),
            Job(date(2024, 1, 1), date(2025, 12, 31)),  # a second job, the same year 2024
        ),
    )

    result = decide(candidate, {**MASTERS_OR_BACHELORS, "experience_years": 4})

    assert result.as_dict() == {
        "eligible": False,
        "rule_set": 1,
        "checks": [
            {
                "rule": "education",
                "passed": True,
                "detail": "bachelor's + 3.0 years meets bachelor's + 3",
            },
            {
                "rule": "experience_years",
                "passed": False,
                "detail": "3.0 years of professional experience; needs 4",
            },
        ],
    }


def test_education_ignores_a_degree_completed_after_the_closing_date():
    candidate = CandidateFacts(
        education=(Degree("bachelor"), Degree("master", date(2026, 9, 1))),
        experience=(TWO_YEARS,),
    )

    result = decide(candidate, MASTERS_OR_BACHELORS)

    assert result.as_dict() == single(
        "education", False, "bachelor's + 2.0 years; needs master's + 2 or bachelor's + 3"
    )


def test_experience_years_count_only_until_the_closing_date():
    candidate = CandidateFacts(
        experience=(
            Job(date(2024, 7, 2), date(2030, 1, 1)),  # contract end in the future
            Job(date(2026, 8, 1)),  # starts after the closing date
        )
    )

    result = decide(candidate, {"experience_years": 2})

    assert result.as_dict() == single(
        "experience_years", True, "2.0 years of professional experience; needs 2"
    )


def test_experience_without_a_closing_date_is_measured_today():
    candidate = CandidateFacts(experience=(Job(date(2024, 6, 2)),))

    result = decide(candidate, {"experience_years": 2}, VacancyFacts())

    assert result.as_dict() == single(
        "experience_years", True, "2.0 years of professional experience; needs 2"
    )


def test_international_experience_counts_only_international_jobs():
    candidate = CandidateFacts(
        experience=(
            Job(date(2020, 7, 1), date(2023, 6, 30)),
            Job(date(2023, 7, 1), date(2024, 12, 31), is_international=True),
        )
    )

    result = decide(candidate, {"experience_years": 5, "international_experience_years": 2})

    assert result.as_dict() == {
        "eligible": False,
        "rule_set": 1,
        "checks": [
            {
                "rule": "experience_years",
                "passed": False,
                "detail": "4.5 years of professional experience; needs 5",
            },
            {
                "rule": "international_experience_years",
                "passed": False,
                "detail": "1.5 years of international experience; needs 2",
            },
        ],
    }


@pytest.mark.parametrize(
    ("grade", "passed", "detail"),
    [
        ("P-2", True, "4.0 years of experience; P-2 needs 2"),
        ("P-3", False, "4.0 years of experience; P-3 needs 5"),
        ("NO-B", True, "no minimum experience for grade NO-B"),
        (None, True, "the vacancy has no grade; no minimum experience"),
    ],
)
def test_experience_by_grade(grade, passed, detail):
    candidate = CandidateFacts(experience=(Job(date(2022, 7, 1), date(2026, 6, 30)),))
    vacancy = VacancyFacts(closes_at=CLOSES, grade=grade)

    result = decide(candidate, {"experience_by_grade": GRADE_TABLE}, vacancy)

    assert result.as_dict() == single("experience_by_grade", passed, detail)


def test_experience_days_merges_adjacent_and_nested_jobs():
    jobs = [
        Job(date(2020, 1, 1), date(2020, 12, 31)),
        Job(date(2021, 1, 1), date(2021, 12, 31)),  # adjacent: no gap, no overlap
        Job(date(2021, 3, 1), date(2021, 4, 30)),  # nested
    ]

    assert experience_days(jobs, until=date(2030, 1, 1)) == 366 + 365


# --- Languages -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("declared", "passed", "detail"),
    [
        (
            Language("en", "overall", "fluent", "inspira"),
            True,
            "en: fluent (inspira, overall) meets B2 (cefr)",
        ),
        (
            Language("en", "speaking", "confident", "inspira"),
            True,
            "en: confident (inspira, speaking) meets B2 (cefr)",
        ),
        (
            Language("en", "overall", "basic", "inspira"),
            False,
            "en: basic (inspira, overall) is below B2 (cefr)",
        ),
        (Language("en", "overall", "III", "un"), True, "en: III (un, overall) meets B2 (cefr)"),
        (Language("EN", "overall", "2", "un"), False, "en: 2 (un, overall) is below B2 (cefr)"),
        (Language("en", "overall", "", "cefr"), False, "no level declared for en"),
        (
            Language("en", "overall", "native", "cefr"),
            False,
            "no level declared for en (unrecognised: 'native' (cefr))",
        ),
    ],
)
def test_language_levels_compare_across_scales(declared, passed, detail):
    result = decide(CandidateFacts(languages=(declared,)), ENGLISH_B2)

    assert result.as_dict() == single("languages:en", passed, detail)


def test_required_language_without_a_declared_level_fails_and_each_language_is_a_check():
    candidate = CandidateFacts(languages=(Language("en", "overall", "C1", "cefr"),))
    rules = {
        "languages": [
            {"language": "en", "min_level": "B2", "scale": "cefr"},
            {"language": "fr", "min_level": "II", "scale": "un"},
        ]
    }

    result = decide(candidate, rules)

    assert result.as_dict() == {
        "eligible": False,
        "rule_set": 1,
        "checks": [
            check("languages:en", True, "en: C1 (cefr, overall) meets B2 (cefr)"),
            check("languages:fr", False, "no level declared for fr"),
        ],
    }


@pytest.mark.parametrize(
    ("declared", "passed", "detail"),
    [
        (
            (Language("en", "writing", "B2", "cefr"), Language("en", "reading", "C2", "cefr")),
            False,
            "en: B2 (cefr, writing) is below C1 (cefr)",
        ),
        (
            (Language("en", "reading", "C2", "cefr"), Language("en", "overall", "C1", "cefr")),
            True,
            "en: C1 (cefr, overall) meets C1 (cefr)",
        ),
        (
            (Language("en", "reading", "C2", "cefr"),),
            False,
            "no level declared for en writing or overall",
        ),
    ],
)
def test_language_requirement_for_one_skill_counts_that_skill_or_overall(declared, passed, detail):
    rules = {
        "languages": [{"language": "en", "min_level": "C1", "scale": "cefr", "skill": "writing"}]
    }

    result = decide(CandidateFacts(languages=declared), rules)

    assert result.as_dict() == single("languages:en", passed, detail)


def test_language_rule_with_a_level_not_on_its_scale_fails_as_invalid():
    rules = {"languages": [{"language": "en", "min_level": "fluent", "scale": "cefr"}]}

    result = decide(CandidateFacts(languages=(Language("en", "overall", "C2", "cefr"),)), rules)

    assert result.as_dict() == single(
        "languages:en",
        False,
        "invalid rule: languages[0].min_level 'fluent' is not a level on the cefr scale",
    )


# --- Rule sets -------------------------------------------------------------------------------


def test_empty_rules_are_eligible_with_no_checks():
    result = decide(CandidateFacts(), {}, version=7)

    assert result.as_dict() == {"eligible": True, "rule_set": 7, "checks": []}


def test_unknown_rule_key_fails_so_typos_never_pass():
    rules = {"nationality": {"allowed": ["NO"]}, "age": {"max": 32}}
    candidate = CandidateFacts(date_of_birth=date(1996, 1, 1), citizenships=("NO",))

    result = decide(candidate, rules, version=3)

    assert result.as_dict() == {
        "eligible": False,
        "rule_set": 3,
        "checks": [
            {
                "rule": "age",
                "passed": True,
                "detail": "aged 30 on the closing date (2026-07-01); must be at most 32",
            },
            check("nationality", False, "unknown rule 'nationality'"),
        ],
    }


def test_unknown_key_inside_a_rule_fails_as_invalid():
    result = decide(CandidateFacts(date_of_birth=date(2000, 1, 1)), {"age": {"maximum": 29}})

    assert result.as_dict() == single("age", False, "invalid rule: unknown key 'maximum' in age")


def test_checks_come_in_schema_order_whatever_the_order_of_the_rule_data():
    candidate = CandidateFacts(
        date_of_birth=date(1996, 5, 17),
        citizenships=("NO",),
        education=(Degree("master", date(2021, 6, 15)),),
        experience=(Job(date(2021, 9, 1), is_international=True),),
        languages=(Language("en", "overall", "C1", "cefr"),),
    )
    vacancy = VacancyFacts(closes_at=CLOSES, grade="P-2", duty_station_countries=("KE",))
    rules = {
        **ENGLISH_B2,
        "experience_by_grade": GRADE_TABLE,
        "international_experience_years": 1,
        "experience_years": 2,
        **MASTERS_OR_BACHELORS,
        "age": {"max": 32},
        "nationalities": {"allowed": ["NO"]},
    }

    result = decide(candidate, rules, vacancy, version=2)

    assert result.as_dict() == {
        "eligible": True,
        "rule_set": 2,
        "checks": [
            check("nationalities", True, "citizenship NO is on the allowed list"),
            check("age", True, "aged 30 on the closing date (2026-07-01); must be at most 32"),
            check("education", True, "master's + 4.8 years meets master's + 2"),
            check("experience_years", True, "4.8 years of professional experience; needs 2"),
            check(
                "international_experience_years",
                True,
                "4.8 years of international experience; needs 1",
            ),
            check("experience_by_grade", True, "4.8 years of experience; P-2 needs 2"),
            check("languages:en", True, "en: C1 (cefr, overall) meets B2 (cefr)"),
        ],
    }


def test_failed_checks_are_the_ones_a_refused_application_reports():
    result = decide(CandidateFacts(citizenships=("SE",)), {"nationalities": {"allowed": ["NO"]}})

    assert [failed.as_dict() for failed in result.failed_checks] == [
        check("nationalities", False, "citizenship SE is not on the allowed list")
    ]


def test_vocabularies_match_the_model_enums():
    assert (
        set(eligibility.DEGREE_RANK),
        set(eligibility.LEVEL_ORDINALS),
        set(eligibility.SKILLS),
    ) == (set(DegreeLevel.values), set(LanguageScale.values), set(LanguageSkillKind.values))


# --- Property --------------------------------------------------------------------------------

dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2035, 12, 31))
countries = st.sampled_from(["NO", "SE", "ET", "KE", "NP", "IN", "et", "XX"])
jobs = st.builds(
    Job,
    start_date=dates,
    end_date=st.none() | dates,
    is_international=st.booleans(),
)
languages = st.builds(
    Language,
    language=st.sampled_from(["en", "fr", "es", "EN"]),
    skill=st.sampled_from(sorted(eligibility.SKILLS)),
    level=st.sampled_from(["", "A1", "B2", "C2", "I", "IV", "3", "basic", "fluent", "native"]),
    scale=st.sampled_from(["cefr", "un", "inspira", "other"]),
)
degrees = st.builds(
    Degree,
    level=st.sampled_from(["secondary", "bachelor", "master", "doctorate", "phd"]),
    completed_on=st.none() | dates,
)
candidates = st.builds(
    CandidateFacts,
    date_of_birth=st.none() | dates,
    citizenships=st.lists(countries, max_size=3).map(tuple),
    education=st.lists(degrees, max_size=3).map(tuple),
    experience=st.lists(jobs, max_size=4).map(tuple),
    languages=st.lists(languages, max_size=4).map(tuple),
)
vacancies = st.builds(
    VacancyFacts,
    closes_at=st.none() | dates,
    planned_start=st.none() | dates,
    planned_end=st.none() | dates,
    grade=st.none() | st.sampled_from(["P-2", "P-3", "NO-B", "UNV", ""]),
    duty_station_countries=st.lists(countries, max_size=2).map(tuple),
)
# Valid and deliberately broken fragments of rule data.
rule_values = {
    "nationalities": st.sampled_from([
        {"allowed": ["NO"]}, {"excluded": ["ET"]}, {"duty_station_country": True},
        {"eligible_countries": ["ET", "KE"], "exclude_duty_station_country": True},
        {"allowed": ["XX"]}, {"allowed": ["NO"], "excluded": ["SE"]}, [],
    ]),
    "age": st.sampled_from([
        {"min": 18, "max": 29, "measured_at": "planned_end_date"}, {"max": 32}, {"min": 25},
        {"max": "29"}, {"min": 40, "max": 30}, {"measured_at": "tomorrow", "max": 1},
    ]),
    "education": st.sampled_from([
        MASTERS_OR_BACHELORS["education"], [{"degree": "doctorate"}], [], [{"degree": "phd"}],
    ]),
    "experience_years": st.sampled_from([0, 2, 2.5, -1, True, "2"]),
    "international_experience_years": st.sampled_from([0, 1, None]),
    "experience_by_grade": st.sampled_from([GRADE_TABLE, {"P-2": "x"}, []]),
    "languages": st.sampled_from([
        ENGLISH_B2["languages"], [{"language": "fr", "min_level": "II", "scale": "un",
                                   "skill": "writing"}],
        [{"language": "en", "min_level": "Z9", "scale": "cefr"}], ["en"], {},
    ]),
    "nationality": st.just({"allowed": ["NO"]}),
}  # fmt: skip
rule_sets = st.fixed_dictionaries({}, optional=rule_values)
RANK = {name: index for index, name in enumerate(eligibility.RULE_ORDER)}


@settings(max_examples=300, database=None, deadline=None)
@given(candidate=candidates, vacancy=vacancies, rules=rule_sets, today=dates)
def test_eligible_exactly_when_every_check_passes(candidate, vacancy, rules, today):
    result = evaluate(candidate, vacancy, RuleSet(version=5, rules=rules), today=today)

    snapshot = json.loads(json.dumps(result.as_dict()))
    order = [RANK.get(item["rule"].split(":")[0], len(RANK)) for item in snapshot["checks"]]
    assert (snapshot["eligible"], snapshot["rule_set"], order) == (
        all(item.passed for item in result.checks),
        5,
        sorted(order),
    )
