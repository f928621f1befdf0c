"""Scorecard math, criteria validation, the reviewer's candidate summary, and evaluation writes."""

from datetime import date
from decimal import Decimal

import pytest

from recruitment import reviews
from recruitment.enums import Role
from recruitment.exceptions import ConflictError, DomainValidationError, NotPermittedError
from recruitment.models import Application, Education, Evaluation, Experience, Note
from tests.factories import make_application, make_candidate, make_user, make_vacancy

CRITERIA = [
    {"key": "communication", "label": "Communication", "weight": 2, "kind": "competency"},
    {"key": "teamwork", "label": "Teamwork", "weight": 1, "kind": "competency"},
    {"key": "programme-design", "label": "Programme design", "weight": 3, "kind": "technical"},
]


def criteria(*weights):
    return [
        {"key": f"c{index}", "label": f"C{index}", "weight": weight, "kind": "technical"}
        for index, weight in enumerate(weights)
    ]


def error_of(excinfo):
    error = excinfo.value
    return {"code": error.code, "detail": error.detail, **error.extra}


# The weighted total


@pytest.mark.parametrize(
    ("weights", "scores", "expected"),
    [
        ((2, 1, 3), (4, 5, 3), Decimal("73.33")),  # 22 / 30
        ((2, 1, 3), (5, 5, 5), Decimal("100.00")),
        ((2, 1, 3), (1, 1, 1), Decimal("20.00")),  # the floor: every criterion at 1
        ((1,), (3,), Decimal("60.00")),
        ((10, 90), (5, 1), Decimal("28.00")),  # weights are relative, not percentages
        ((20, 180), (5, 1), Decimal("28.00")),  # ... so scaling them changes nothing
        ((159, 1), (1, 2), Decimal("20.13")),  # 20.125: half up, not to even
        ((1, 1, 1), (1, 2, 2), Decimal("33.33")),
    ],
)
def test_scorecard_total_is_weighted_normalised_and_rounded_half_up(weights, scores, expected):
    template = criteria(*weights)

    total = reviews.scorecard_total(
        criteria=template, scores={c["key"]: s for c, s in zip(template, scores, strict=True)}
    )

    assert (total, str(total)) == (expected, str(expected))


def test_scorecard_total_reports_missing_unknown_and_out_of_range_scores():
    scores = {"communication": 6, "teamwork": True, "leadership": 3}

    with pytest.raises(DomainValidationError) as excinfo:
        reviews.scorecard_total(criteria=CRITERIA, scores=scores)

    assert error_of(excinfo) == {
        "code": "invalid_scores",
        "detail": "The scores do not match the scorecard; see `fields`.",
        "fields": {
            "scores": {
                "communication": ["A whole number from 1 to 5 is required."],
                "leadership": ["Not a criterion of this scorecard."],
                "programme-design": ["A score is required."],
                "teamwork": ["A whole number from 1 to 5 is required."],
            }
        },
    }


@pytest.mark.parametrize("score", [0, 2.5, "3", None])
def test_scorecard_total_rejects_scores_that_are_not_whole_numbers_1_to_5(score):
    with pytest.raises(DomainValidationError) as excinfo:
        reviews.scorecard_total(criteria=criteria(1), scores={"c0": score})

    assert error_of(excinfo)["fields"] == {
        "scores": {"c0": ["A whole number from 1 to 5 is required."]}
    }


def test_scorecard_total_rejects_scores_that_are_not_an_object():
    with pytest.raises(DomainValidationError) as excinfo:
        reviews.scorecard_total(criteria=criteria(1), scores=[3])

    assert error_of(excinfo) == {
        "code": "invalid_scores",
        "detail": "Scores are an object of criterion key to score.",
        "fields": {"scores": ["Expected an object of criterion key to score."]},
    }


# Criteria validation


def test_scorecard_criteria_validate_keeps_known_keys_and_strips_labels():
    raw = [{"key": "communication", "label": "  Communication ", "weight": 7, "kind": "competency"}]

    assert reviews.scorecard_criteria_validate(raw) == [
        {"key": "communication", "label": "Communication", "weight": 7, "kind": "competency"}
    ]


@pytest.mark.parametrize("value", [[], None, {"key": "x"}, "communication"])
def test_scorecard_criteria_validate_requires_a_non_empty_list(value):
    with pytest.raises(DomainValidationError) as excinfo:
        reviews.scorecard_criteria_validate(value)

    assert error_of(excinfo) == {
        "code": "invalid_criteria",
        "detail": "The scorecard criteria are not valid; see `fields`.",
        "fields": {"criteria": ["A non-empty list of criteria is required."]},
    }


def test_scorecard_criteria_validate_reports_every_bad_item_by_index():
    raw = [
        {"key": "communication", "label": "Communication", "weight": 1, "kind": "competency"},
        {"key": "communication", "label": "Again", "weight": 1, "kind": "competency"},
        {"key": "Bad Key", "label": " ", "weight": 0, "kind": "soft"},
        {"key": "ok", "label": "Ok", "weight": True, "kind": "technical", "extra": 1},
        {"label": "No key"},
        "not an object",
    ]

    with pytest.raises(DomainValidationError) as excinfo:
        reviews.scorecard_criteria_validate(raw)

    assert error_of(excinfo)["fields"] == {
        "criteria": {
            "1": {"key": ["This key is used by an earlier criterion."]},
            "2": {
                "key": ["Use lower-case letters, digits, '-' and '_' (at most 50)."],
                "label": ["A label of 1 to 200 characters is required."],
                "weight": ["A positive whole number is required."],
                "kind": ["Use one of: competency, technical."],
            },
            "3": {
                "extra": ["Unknown field."],
                "weight": ["A positive whole number is required."],
            },
            "4": {
                "key": ["This field is required."],
                "weight": ["This field is required."],
                "kind": ["This field is required."],
            },
            "5": {"non_field_errors": ["Each criterion is an object."]},
        }
    }


def test_scorecard_template_create_stores_cleaned_criteria(db):
    template = reviews.scorecard_template_create(name=" Programme officer ", criteria=CRITERIA)

    template.refresh_from_db()
    assert (template.name, template.criteria) == ("Programme officer", CRITERIA)


def test_scorecard_template_create_rejects_a_taken_name(db):
    reviews.scorecard_template_create(name="P-3", criteria=CRITERIA)

    with pytest.raises(ConflictError) as excinfo:
        reviews.scorecard_template_create(name="P-3", criteria=CRITERIA)

    assert excinfo.value.code == "name_taken"


# The candidate summary


def test_age_on_counts_full_years():
    born = date(1995, 6, 15)

    assert [
        reviews.age_on(date_of_birth=born, today=today)
        for today in (date(2025, 6, 14), date(2025, 6, 15), date(2025, 12, 31))
    ] == [29, 30, 30]
    assert reviews.age_on(date_of_birth=None, today=date(2025, 1, 1)) is None


def test_experience_years_counts_overlaps_once_and_open_jobs_to_today():
    periods = [
        (date(2015, 1, 1), date(2017, 1, 1)),
        (date(2016, 1, 1), date(2018, 1, 1)),  # overlaps the first: 2015-2018 is 3 years
        (date(2020, 1, 1), None),  # open: runs to today, 2 years
        (date(2030, 1, 1), None),  # in the future: not counted
    ]

    years = reviews.experience_years(periods=periods, today=date(2022, 1, 1))

    assert years == Decimal("5.0")
    assert reviews.experience_years(periods=[], today=date(2022, 1, 1)) == Decimal("0.0")


def make_profile():
    user = make_candidate(
        given_name="Astrid", family_name="Lund", date_of_birth=date(1995, 6, 15),
        gender="female", citizenships=["KE", "NO"],
    )  # fmt: skip
    profile = user.candidate_profile
    Education.objects.create(profile=profile, level="master")
    Education.objects.create(profile=profile, level="bachelor")
    Education.objects.create(profile=profile, level="master")
    Experience.objects.create(
        profile=profile, title="Analyst", start_date=date(2019, 1, 1), end_date=date(2021, 1, 1)
    )
    return profile


def test_candidate_summary_shows_everything_outside_blind_mode(db):
    profile = make_profile()

    summary = reviews.candidate_summary(profile=profile, blind=False, today=date(2025, 6, 15))

    assert summary == {
        "id": profile.pk,
        "name": "Astrid Lund",
        "citizenships": ["KE", "NO"],
        "age": 30,
        "gender": "female",
        "education_levels": ["bachelor", "master"],
        "years_of_experience": Decimal("2.0"),
    }


def test_candidate_summary_in_blind_mode_hides_exactly_name_citizenships_age_and_gender(db):
    profile = make_profile()

    seen = reviews.candidate_summary(profile=profile, blind=False, today=date(2025, 6, 15))
    blind = reviews.candidate_summary(profile=profile, blind=True, today=date(2025, 6, 15))

    assert {key for key in seen if blind[key] != seen[key]} == {
        "name", "citizenships", "age", "gender",
    }  # fmt: skip
    assert [blind[key] for key in ("name", "citizenships", "age", "gender")] == [None] * 4


# Evaluations


@pytest.fixture
def evaluated_vacancy(db):
    template = reviews.scorecard_template_create(name="Programme officer", criteria=CRITERIA)
    return make_vacancy(scorecard_template=template)


def test_evaluation_submit_keeps_the_mean_of_all_reviewers_totals(evaluated_vacancy):
    application = make_application(candidate=make_candidate(), vacancy=evaluated_vacancy)
    first, second = make_user(role=Role.RECRUITER), make_user(role=Role.ADMIN)
    reviews.reviewer_assign(vacancy=evaluated_vacancy, reviewer=first)
    scores = {"communication": 4, "teamwork": 5, "programme-design": 3}  # 73.33

    evaluation, created = reviews.evaluation_submit(
        application=application, reviewer=first, scores=scores, comment=" Solid. "
    )
    reviews.evaluation_submit(  # an admin needs no assignment; 100.00
        application=application, reviewer=second,
        scores={"communication": 5, "teamwork": 5, "programme-design": 5},
    )  # fmt: skip

    assert created is True
    assert (evaluation.scores, evaluation.comment, evaluation.total) == (
        scores, "Solid.", Decimal("73.33"),
    )  # fmt: skip
    application.refresh_from_db()
    assert application.evaluation_score == Decimal("86.67")  # 86.665, half away from zero


def test_evaluation_submit_again_replaces_the_reviewers_evaluation(evaluated_vacancy):
    application = make_application(candidate=make_candidate(), vacancy=evaluated_vacancy)
    reviewer = make_user(role=Role.RECRUITER)
    reviews.reviewer_assign(vacancy=evaluated_vacancy, reviewer=reviewer)
    reviews.evaluation_submit(
        application=application, reviewer=reviewer,
        scores={"communication": 1, "teamwork": 1, "programme-design": 1},
    )  # fmt: skip

    evaluation, created = reviews.evaluation_submit(
        application=application, reviewer=reviewer,
        scores={"communication": 5, "teamwork": 5, "programme-design": 5},
    )  # fmt: skip

    assert created is False
    assert list(Evaluation.objects.values_list("id", "total")) == [
        (evaluation.pk, Decimal("100.00"))
    ]
    assert Application.objects.get().evaluation_score == Decimal("100.00")


def test_evaluation_submit_by_an_unassigned_recruiter_changes_nothing(evaluated_vacancy):
    application = make_application(candidate=make_candidate(), vacancy=evaluated_vacancy)

    with pytest.raises(NotPermittedError) as excinfo:
        reviews.evaluation_submit(
            application=application, reviewer=make_user(role=Role.RECRUITER),
            scores={"communication": 5, "teamwork": 5, "programme-design": 5},
        )  # fmt: skip

    assert excinfo.value.code == "reviewer_not_assigned"
    assert (Evaluation.objects.count(), Application.objects.get().evaluation_score) == (0, None)


def test_evaluation_submit_needs_a_scorecard_template(db):
    application = make_application(candidate=make_candidate(), vacancy=make_vacancy())

    with pytest.raises(DomainValidationError) as excinfo:
        reviews.evaluation_submit(
            application=application, reviewer=make_user(role=Role.ADMIN), scores={"a": 1}
        )

    assert excinfo.value.code == "scorecard_missing"


# Reviewers and notes


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.PARTNER])
def test_reviewer_assign_accepts_only_staff(db, role, organisation_x):
    vacancy = make_vacancy(organisation=organisation_x)
    user = make_user(role=role, organisation=organisation_x if role == Role.PARTNER else None)

    with pytest.raises(DomainValidationError) as excinfo:
        reviews.reviewer_assign(vacancy=vacancy, reviewer=user)

    assert excinfo.value.code == "reviewer_not_staff"


def test_reviewer_assign_twice_returns_the_same_assignment(db):
    vacancy, reviewer = make_vacancy(), make_user(role=Role.RECRUITER)

    first, first_created = reviews.reviewer_assign(vacancy=vacancy, reviewer=reviewer)
    second, second_created = reviews.reviewer_assign(vacancy=vacancy, reviewer=reviewer)

    assert (first.pk, first_created, second_created) == (second.pk, True, False)


def test_note_create_refuses_non_staff_authors(db):
    candidate = make_candidate()

    with pytest.raises(NotPermittedError) as excinfo:
        reviews.note_create(author=candidate, body="Hi", candidate=candidate.candidate_profile)

    assert (excinfo.value.code, Note.objects.count()) == ("notes_staff_only", 0)


def test_note_create_is_about_exactly_one_thing(db):
    candidate = make_candidate()
    application = make_application(candidate=candidate, vacancy=make_vacancy())

    with pytest.raises(DomainValidationError) as excinfo:
        reviews.note_create(
            author=make_user(role=Role.RECRUITER), body="Both",
            application=application, candidate=candidate.candidate_profile,
        )  # fmt: skip

    assert (excinfo.value.code, Note.objects.count()) == ("invalid_note", 0)
