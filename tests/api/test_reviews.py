"""Scorecards, reviewers, evaluations, the review queue and notes through the API: bodies,
validation, and that candidates and partner members never see any of it."""

from datetime import date, timedelta

import pytest

from recruitment import reviews
from recruitment.enums import ApplicationStatus, Role
from recruitment.models import (
    Application,
    Education,
    Evaluation,
    Experience,
    Note,
    ReviewerAssignment,
    ScorecardTemplate,
)
from tests.api.bodies import iso
from tests.conftest import client_for
from tests.factories import birthday, make_application, make_candidate, make_user, make_vacancy

pytestmark = pytest.mark.django_db

TEMPLATES_URL = "/api/v1/scorecard-templates/"
INVALID = "The request is not valid; see `fields`."
WRONG_ROLE = {"code": "permission_denied", "detail": "Your role may not do this."}
NOT_AUTHENTICATED = {
    "code": "not_authenticated",
    "detail": "Authentication credentials were not provided.",
}
NOT_FOUND = {"code": "not_found", "detail": "Not found."}
NOT_ASSIGNED = {
    "code": "reviewer_not_assigned",
    "detail": "You are not a reviewer of this vacancy.",
}

CRITERIA = [
    {"key": "communication", "label": "Communication", "weight": 2, "kind": "competency"},
    {"key": "teamwork", "label": "Teamwork", "weight": 1, "kind": "competency"},
    {"key": "programme-design", "label": "Programme design", "weight": 3, "kind": "technical"},
]
GOOD = {"communication": 4, "teamwork": 5, "programme-design": 3}  # 22 / 30 → 73.33
BEST = {"communication": 5, "teamwork": 5, "programme-design": 5}  # 100.00

# What must never reach a candidate or a partner member.
SECRET_NOTE = "Weak on budgeting; check references"
SECRET_CANDIDATE_NOTE = "Previously dismissed by another agency"
SECRET_COMMENT = "Reviewer one thinks the cover letter was ghost-written"


def reviewers_url(vacancy):
    return f"/api/v1/vacancies/{vacancy.pk}/reviewers/"


def queue_url(vacancy):
    return f"/api/v1/vacancies/{vacancy.pk}/review-queue/"


def evaluations_url(application):
    return f"/api/v1/applications/{application.pk}/evaluations/"


def application_notes_url(application):
    return f"/api/v1/applications/{application.pk}/notes/"


def candidate_notes_url(profile):
    return f"/api/v1/candidates/{profile.pk}/notes/"


def one_page(response):
    body = response.json()
    assert (response.status_code, body["next"], body["previous"]) == (200, None, None)
    return body["results"]


def template_body(template):
    return {
        "id": template.pk,
        "name": template.name,
        "criteria": template.criteria,
        "created_at": iso(template.created_at),
        "updated_at": iso(template.updated_at),
    }


def evaluation_body(evaluation):
    evaluation.refresh_from_db()
    return {
        "id": evaluation.pk,
        "application": evaluation.application_id,
        "reviewer": evaluation.reviewer_id,
        "scores": evaluation.scores,
        "total": str(evaluation.total),
        "comment": evaluation.comment,
        "created_at": iso(evaluation.created_at),
        "updated_at": iso(evaluation.updated_at),
    }


def note_body(note):
    return {
        "id": note.pk,
        "application": note.application_id,
        "candidate": note.candidate_id,
        "author": note.author_id,
        "body": note.body,
        "created_at": iso(note.created_at),
        "updated_at": iso(note.updated_at),
    }


def assignment_body(assignment):
    return {
        "id": assignment.pk,
        "vacancy": assignment.vacancy_id,
        "reviewer": assignment.reviewer_id,
        "reviewer_name": assignment.reviewer.name,
        "reviewer_email": assignment.reviewer.email,
        "created_at": iso(assignment.created_at),
    }


def validation_error(fields):
    return {"code": "validation_error", "detail": INVALID, "fields": fields}


@pytest.fixture
def template(db):
    return reviews.scorecard_template_create(name="Programme officer", criteria=CRITERIA)


@pytest.fixture
def vacancy(organisation_x, template):
    return make_vacancy(
        organisation=organisation_x, title="Education Specialist", scorecard_template=template
    )


@pytest.fixture
def reviewer(recruiter, vacancy):
    reviews.reviewer_assign(vacancy=vacancy, reviewer=recruiter)
    return recruiter


@pytest.fixture
def second_reviewer(vacancy):
    user = make_user(role=Role.RECRUITER, email="second@agency.no")
    reviews.reviewer_assign(vacancy=vacancy, reviewer=user)
    return user


@pytest.fixture
def application(candidate_a, vacancy):
    """Candidate A's own application, nominated: partner X's organisation sees it too."""
    return make_application(
        candidate=candidate_a, vacancy=vacancy, status=ApplicationStatus.NOMINATED
    )


@pytest.fixture
def sensitive(application, reviewer, second_reviewer):
    """Everything that could leak: two evaluations, a note on the application and one on the
    candidate."""
    reviews.evaluation_submit(
        application=application, reviewer=reviewer, scores=GOOD, comment=SECRET_COMMENT
    )
    reviews.evaluation_submit(application=application, reviewer=second_reviewer, scores=BEST)
    reviews.note_create(author=reviewer, body=SECRET_NOTE, application=application)
    reviews.note_create(
        author=reviewer, body=SECRET_CANDIDATE_NOTE, candidate=application.candidate
    )
    return application


def counts():
    return [
        model.objects.count() for model in (ScorecardTemplate, ReviewerAssignment, Evaluation, Note)
    ]


# Candidates and partner members see nothing: every endpoint refuses their role


def calls_of(application):
    vacancy, profile = application.vacancy, application.candidate
    template_id = vacancy.scorecard_template_id
    return [
        ("get", TEMPLATES_URL, None),
        ("post", TEMPLATES_URL, {"name": "Mine", "criteria": CRITERIA}),
        ("get", f"{TEMPLATES_URL}{template_id}/", None),
        ("get", reviewers_url(vacancy), None),
        ("post", reviewers_url(vacancy), {"reviewer": application.candidate.user_id}),
        ("get", queue_url(vacancy), None),
        ("get", evaluations_url(application), None),
        ("post", evaluations_url(application), {"scores": BEST}),
        ("get", application_notes_url(application), None),
        ("post", application_notes_url(application), {"body": "Mine"}),
        ("get", candidate_notes_url(profile), None),
        ("post", candidate_notes_url(profile), {"body": "Mine"}),
    ]


@pytest.mark.parametrize("caller", ["candidate_a", "partner_x"])
def test_reviews_endpoints_refuse_candidates_and_partners_whose_application_has_them(
    request, caller, sensitive
):
    client = client_for(request.getfixturevalue(caller))
    before = counts()

    responses = [getattr(client, method)(url, body) for method, url, body in calls_of(sensitive)]

    assert [(r.status_code, r.json()) for r in responses] == [(403, WRONG_ROLE)] * 12
    assert counts() == before


@pytest.mark.parametrize("caller", ["candidate_a", "partner_x"])
def test_application_detail_shows_candidates_and_partners_no_score_note_or_reviewer(
    request, caller, sensitive, reviewer, second_reviewer
):
    response = client_for(request.getfixturevalue(caller)).get(
        f"/api/v1/applications/{sensitive.pk}/"
    )

    body = response.json()
    text = response.content.decode()
    assert (response.status_code, body["id"], body["evaluation_score"]) == (
        200, sensitive.pk, None,
    )  # fmt: skip
    assert [secret in text for secret in (SECRET_NOTE, SECRET_CANDIDATE_NOTE, SECRET_COMMENT)] == [
        False, False, False,
    ]  # fmt: skip
    assert {"evaluations", "notes", "reviewers", "reviewer"} & set(body) == set()


def test_reviews_endpoints_refuse_anonymous_callers(sensitive, anonymous):
    responses = [getattr(anonymous, method)(url, body) for method, url, body in calls_of(sensitive)]

    assert [(r.status_code, r.json()) for r in responses] == [(401, NOT_AUTHENTICATED)] * 12


@pytest.mark.parametrize(
    "url",
    [
        f"{TEMPLATES_URL}999999/",
        "/api/v1/vacancies/999999/reviewers/",
        "/api/v1/vacancies/999999/review-queue/",
        "/api/v1/applications/999999/evaluations/",
        "/api/v1/applications/999999/notes/",
        "/api/v1/candidates/999999/notes/",
    ],
)
def test_reviews_endpoints_of_missing_objects_are_not_found_for_staff(admin_user, url):
    response = client_for(admin_user).get(url)

    assert (response.status_code, response.json()) == (404, NOT_FOUND)


# Scorecard templates


def test_scorecard_template_create_returns_whole_body(recruiter):
    response = client_for(recruiter).post(
        TEMPLATES_URL, {"name": "Junior Professional Officer", "criteria": CRITERIA}
    )

    template = ScorecardTemplate.objects.get()
    assert (response.status_code, response.json()) == (201, template_body(template))
    assert (template.name, template.criteria) == ("Junior Professional Officer", CRITERIA)


def test_scorecard_template_list_and_retrieve_for_staff(admin_user, template):
    other = reviews.scorecard_template_create(name="Technical only", criteria=CRITERIA[2:])
    client = client_for(admin_user)

    listed = client.get(TEMPLATES_URL)
    retrieved = client.get(f"{TEMPLATES_URL}{template.pk}/")

    assert one_page(listed) == [template_body(other), template_body(template)]
    assert (retrieved.status_code, retrieved.json()) == (200, template_body(template))


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"name": "T", "criteria": []}, {"criteria": {"non_field_errors": [
            "This list may not be empty."]}}),
        ({"name": "T"}, {"criteria": ["This field is required."]}),
        (
            {"name": "T", "criteria": [{**CRITERIA[0], "weight": 0}]},
            {"criteria": {"0": {"weight": ["Ensure this value is greater than or equal to 1."]}}},
        ),
        (
            {"name": "T", "criteria": [{**CRITERIA[0], "kind": "soft"}]},
            {"criteria": {"0": {"kind": ['"soft" is not a valid choice.']}}},
        ),
        (
            {"name": "T", "criteria": [{**CRITERIA[0], "key": "Communication skills"}]},
            {"criteria": {"0": {"key": ["This value does not match the required pattern."]}}},
        ),
        (
            {"name": "T", "criteria": [CRITERIA[0], {**CRITERIA[1], "colour": "red"}]},
            {"criteria": {"1": {"colour": ["Unknown field."]}}},
        ),
        (
            {"name": "T", "criteria": CRITERIA, "id": 7, "created_at": "2025-01-01T00:00:00Z"},
            {"id": ["This field is read-only."], "created_at": ["This field is read-only."]},
        ),
        ({"name": "Programme officer", "criteria": CRITERIA}, {"name": [
            "scorecard template with this name already exists."]}),
    ],
)  # fmt: skip
def test_scorecard_template_create_validation_errors(recruiter, template, body, fields):
    response = client_for(recruiter).post(TEMPLATES_URL, body)

    assert (response.status_code, response.json()) == (400, validation_error(fields))
    assert ScorecardTemplate.objects.count() == 1


def test_scorecard_template_create_with_duplicate_keys_names_the_item(recruiter):
    criteria = [CRITERIA[0], {**CRITERIA[1], "key": "communication"}]

    response = client_for(recruiter).post(TEMPLATES_URL, {"name": "T", "criteria": criteria})

    assert (response.status_code, response.json()) == (
        400,
        {
            "code": "invalid_criteria",
            "detail": "The scorecard criteria are not valid; see `fields`.",
            "fields": {"criteria": {"1": {"key": ["This key is used by an earlier criterion."]}}},
        },
    )
    assert ScorecardTemplate.objects.count() == 0


# Reviewers


def test_reviewer_assign_returns_201_then_200_and_lists_once(admin_user, vacancy, recruiter):
    client = client_for(admin_user)

    first = client.post(reviewers_url(vacancy), {"reviewer": recruiter.pk})
    second = client.post(reviewers_url(vacancy), {"reviewer": recruiter.pk})
    listed = client.get(reviewers_url(vacancy))

    expected = assignment_body(ReviewerAssignment.objects.get())
    assert [(r.status_code, r.json()) for r in (first, second, listed)] == [
        (201, expected), (200, expected), (200, [expected]),
    ]  # fmt: skip
    assert (expected["vacancy"], expected["reviewer"]) == (vacancy.pk, recruiter.pk)


def test_reviewer_list_shows_only_the_vacancys_reviewers(recruiter, vacancy, reviewer):
    other_vacancy = make_vacancy(title="Water Engineer")
    reviews.reviewer_assign(vacancy=other_vacancy, reviewer=make_user(role=Role.ADMIN))

    response = client_for(recruiter).get(reviewers_url(vacancy))

    assignment = ReviewerAssignment.objects.get(vacancy=vacancy)
    assert (response.status_code, response.json()) == (200, [assignment_body(assignment)])


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.PARTNER])
def test_reviewer_assign_of_non_staff_is_refused(recruiter, vacancy, organisation_x, role):
    user = make_user(role=role, organisation=organisation_x if role == Role.PARTNER else None)

    response = client_for(recruiter).post(reviewers_url(vacancy), {"reviewer": user.pk})

    assert (response.status_code, response.json()) == (
        400,
        {
            "code": "reviewer_not_staff",
            "detail": "Only active recruiters and admins review applications.",
        },
    )
    assert ReviewerAssignment.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"reviewer": 999999}, {"reviewer": ['Invalid pk "999999" - object does not exist.']}),
        ({}, {"reviewer": ["This field is required."]}),
        ({"reviewer": 1, "vacancy": 2}, {"vacancy": ["This field is read-only."]}),
        ({"reviewer": 1, "role": "lead"}, {"role": ["Unknown field."]}),
    ],
)
def test_reviewer_assign_validation_errors(recruiter, vacancy, body, fields):
    response = client_for(recruiter).post(reviewers_url(vacancy), body)

    assert (response.status_code, response.json()) == (400, validation_error(fields))
    assert ReviewerAssignment.objects.count() == 0


# Evaluations


def test_evaluation_create_by_assigned_reviewer_returns_201_and_sets_the_score(
    reviewer, application
):
    response = client_for(reviewer).post(
        evaluations_url(application), {"scores": GOOD, "comment": "Strong field record."}
    )

    evaluation = Evaluation.objects.get()
    assert (response.status_code, response.json()) == (
        201,
        {
            "id": evaluation.pk,
            "application": application.pk,
            "reviewer": reviewer.pk,
            "scores": GOOD,
            "total": "73.33",
            "comment": "Strong field record.",
            "created_at": iso(evaluation.created_at),
            "updated_at": iso(evaluation.updated_at),
        },
    )
    application.refresh_from_db()
    assert str(application.evaluation_score) == "73.33"


def test_evaluation_list_shows_staff_every_reviewer_and_the_mean(
    recruiter, application, reviewer, second_reviewer
):
    client_for(reviewer).post(evaluations_url(application), {"scores": GOOD})
    client_for(second_reviewer).post(evaluations_url(application), {"scores": BEST})

    response = client_for(recruiter).get(evaluations_url(application))
    detail = client_for(recruiter).get(f"/api/v1/applications/{application.pk}/")

    first, second = Evaluation.objects.order_by("id")
    assert (response.status_code, response.json()) == (
        200,
        {
            "application": application.pk,
            "evaluation_score": "86.67",  # (73.33 + 100.00) / 2 = 86.665, half up
            "evaluation_count": 2,
            "evaluations": [evaluation_body(first), evaluation_body(second)],
        },
    )
    assert [(e["reviewer"], e["total"]) for e in response.json()["evaluations"]] == [
        (reviewer.pk, "73.33"), (second_reviewer.pk, "100.00"),
    ]  # fmt: skip
    assert detail.json()["evaluation_score"] == "86.67"


def test_evaluation_list_before_any_evaluation(admin_user, application):
    response = client_for(admin_user).get(evaluations_url(application))

    assert (response.status_code, response.json()) == (
        200,
        {
            "application": application.pk,
            "evaluation_score": None,
            "evaluation_count": 0,
            "evaluations": [],
        },
    )


def test_evaluation_resubmission_replaces_the_reviewers_evaluation_with_200(
    reviewer, second_reviewer, application
):
    client_for(second_reviewer).post(evaluations_url(application), {"scores": BEST})
    client = client_for(reviewer)
    client.post(evaluations_url(application), {"scores": BEST, "comment": "First look."})
    lowest = {"communication": 1, "teamwork": 1, "programme-design": 1}

    response = client.post(evaluations_url(application), {"scores": lowest})

    evaluation = Evaluation.objects.get(reviewer=reviewer)
    assert (response.status_code, response.json()) == (200, evaluation_body(evaluation))
    assert (evaluation.scores, str(evaluation.total), evaluation.comment) == (
        lowest, "20.00", "",
    )  # fmt: skip
    assert Evaluation.objects.count() == 2
    application.refresh_from_db()
    assert str(application.evaluation_score) == "60.00"  # (20.00 + 100.00) / 2


def test_evaluation_by_unassigned_recruiter_is_403_and_writes_nothing(
    recruiter, application, vacancy
):
    response = client_for(recruiter).post(evaluations_url(application), {"scores": BEST})

    assert (response.status_code, response.json()) == (403, NOT_ASSIGNED)
    application.refresh_from_db()
    assert (Evaluation.objects.count(), application.evaluation_score) == (0, None)


def test_evaluation_by_an_assignment_to_another_vacancy_is_403(recruiter, application):
    reviews.reviewer_assign(vacancy=make_vacancy(title="Water Engineer"), reviewer=recruiter)

    response = client_for(recruiter).post(evaluations_url(application), {"scores": BEST})

    assert (response.status_code, response.json()) == (403, NOT_ASSIGNED)
    assert Evaluation.objects.count() == 0


def test_evaluation_by_unassigned_admin_is_accepted(admin_user, application):
    response = client_for(admin_user).post(evaluations_url(application), {"scores": BEST})

    evaluation = Evaluation.objects.get()
    assert (response.status_code, response.json()) == (201, evaluation_body(evaluation))
    assert evaluation.reviewer == admin_user


def test_evaluation_without_scorecard_template_is_400(admin_user, candidate_b):
    application = make_application(candidate=candidate_b, vacancy=make_vacancy(title="No card"))

    response = client_for(admin_user).post(evaluations_url(application), {"scores": BEST})

    assert (response.status_code, response.json()) == (
        400,
        {
            "code": "scorecard_missing",
            "detail": "This vacancy has no scorecard template to evaluate against.",
        },
    )
    assert Evaluation.objects.count() == 0


def test_evaluation_with_missing_and_unknown_criteria_names_each(reviewer, application):
    scores = {"communication": 4, "teamwork": 5, "leadership": 3}

    response = client_for(reviewer).post(evaluations_url(application), {"scores": scores})

    assert (response.status_code, response.json()) == (
        400,
        {
            "code": "invalid_scores",
            "detail": "The scores do not match the scorecard; see `fields`.",
            "fields": {
                "scores": {
                    "leadership": ["Not a criterion of this scorecard."],
                    "programme-design": ["A score is required."],
                }
            },
        },
    )
    assert Evaluation.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        (
            {"scores": {**GOOD, "teamwork": 6}},
            {"scores": {"teamwork": ["Ensure this value is less than or equal to 5."]}},
        ),
        (
            {"scores": {**GOOD, "teamwork": 0}},
            {"scores": {"teamwork": ["Ensure this value is greater than or equal to 1."]}},
        ),
        ({"scores": {}}, {"scores": ["This dictionary may not be empty."]}),
        ({"comment": "No scores"}, {"scores": ["This field is required."]}),
        ({"scores": GOOD, "total": "100.00"}, {"total": ["This field is read-only."]}),
        ({"scores": GOOD, "reviewer": 1}, {"reviewer": ["This field is read-only."]}),
        ({"scores": GOOD, "bonus": 5}, {"bonus": ["Unknown field."]}),
    ],
)
def test_evaluation_validation_errors(reviewer, application, body, fields):
    response = client_for(reviewer).post(evaluations_url(application), body)

    assert (response.status_code, response.json()) == (400, validation_error(fields))
    assert Evaluation.objects.count() == 0


# The review queue and blind review


@pytest.fixture
def queued(vacancy):
    """An application to `vacancy` by a candidate with a complete profile."""
    user = make_candidate(
        email="kamau@example.org", given_name="Wanjiru", family_name="Kamau",
        date_of_birth=birthday(29) - timedelta(days=10), gender="female",
        citizenships=["KE", "UG"],
    )  # fmt: skip
    profile = user.candidate_profile
    Education.objects.create(profile=profile, level="master")
    Education.objects.create(profile=profile, level="bachelor")
    Experience.objects.create(
        profile=profile, title="Officer", start_date=date(2015, 1, 1), end_date=date(2017, 1, 1)
    )
    Experience.objects.create(  # overlaps the first: 2015 to 2018 counts as 3.0 years
        profile=profile, title="Analyst", start_date=date(2016, 1, 1), end_date=date(2018, 1, 1)
    )
    return make_application(candidate=user, vacancy=vacancy)


def queue_item(application, **candidate):
    return {
        "id": application.pk,
        "status": application.status,
        "created_at": iso(application.created_at),
        "candidate": {
            "id": application.candidate_id,
            "name": "Wanjiru Kamau",
            "citizenships": ["KE", "UG"],
            "age": 29,
            "gender": "female",
            "education_levels": ["bachelor", "master"],
            "years_of_experience": "3.0",
            **candidate,
        },
    }


def test_review_queue_shows_assigned_reviewer_the_vacancys_applications(
    reviewer, queued, vacancy, candidate_b
):
    make_application(candidate=candidate_b, vacancy=make_vacancy(title="Elsewhere"))

    response = client_for(reviewer).get(queue_url(vacancy))

    assert one_page(response) == [queue_item(queued)]


def test_review_queue_in_blind_mode_hides_exactly_name_citizenships_age_and_gender(
    reviewer, queued, vacancy
):
    client = client_for(reviewer)
    seen = one_page(client.get(queue_url(vacancy)))[0]
    vacancy.blind_review = True
    vacancy.save(update_fields=["blind_review"])

    blind = one_page(client.get(queue_url(vacancy)))[0]

    assert blind == queue_item(queued, name=None, citizenships=None, age=None, gender=None)
    hidden = {key for key, value in seen["candidate"].items() if blind["candidate"][key] != value}
    assert hidden == {"name", "citizenships", "age", "gender"}


def test_review_queue_refuses_an_unassigned_recruiter(recruiter, queued, vacancy):
    response = client_for(recruiter).get(queue_url(vacancy))

    assert (response.status_code, response.json()) == (403, NOT_ASSIGNED)


def test_review_queue_is_open_to_admins(admin_user, queued, application, vacancy):
    response = client_for(admin_user).get(queue_url(vacancy))

    assert [item["id"] for item in one_page(response)] == [
        application.pk,
        queued.pk,
    ]  # newest first


# Notes


def test_application_note_create_and_list(recruiter, admin_user, application):
    first = client_for(recruiter).post(application_notes_url(application), {"body": " Call HR "})
    second = client_for(admin_user).post(application_notes_url(application), {"body": "Done."})
    reviews.note_create(author=recruiter, body="About the person", candidate=application.candidate)

    listed = client_for(recruiter).get(application_notes_url(application))

    older, newer = Note.objects.filter(application=application).order_by("id")
    assert [(r.status_code, r.json()) for r in (first, second)] == [
        (201, note_body(older)), (201, note_body(newer)),
    ]  # fmt: skip
    assert (older.body, older.author, older.candidate) == ("Call HR", recruiter, None)
    assert one_page(listed) == [note_body(newer), note_body(older)]


def test_candidate_note_create_and_list(recruiter, application):
    profile = application.candidate
    reviews.note_create(author=recruiter, body="About the application", application=application)
    client = client_for(recruiter)

    created = client.post(candidate_notes_url(profile), {"body": "Strong referee."})
    listed = client.get(candidate_notes_url(profile))

    note = Note.objects.get(candidate=profile)
    assert (created.status_code, created.json()) == (201, note_body(note))
    assert (note.application, note.author, note.body) == (None, recruiter, "Strong referee.")
    assert one_page(listed) == [note_body(note)]


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"body": ""}, {"body": ["This field may not be blank."]}),
        ({"body": "   "}, {"body": ["This field may not be blank."]}),
        ({}, {"body": ["This field is required."]}),
        (
            {"body": "x" * 10_001},
            {"body": ["Ensure this field has no more than 10000 characters."]},
        ),
        ({"body": "Hi", "author": 1}, {"author": ["This field is read-only."]}),
        ({"body": "Hi", "candidate": 1}, {"candidate": ["This field is read-only."]}),
        ({"body": "Hi", "private": True}, {"private": ["Unknown field."]}),
    ],
)
def test_note_create_validation_errors(recruiter, application, body, fields):
    response = client_for(recruiter).post(application_notes_url(application), body)

    assert (response.status_code, response.json()) == (400, validation_error(fields))
    assert Note.objects.count() == 0


def test_staff_see_notes_of_any_application(recruiter, sensitive):
    response = client_for(recruiter).get(application_notes_url(sensitive))

    assert [note["body"] for note in one_page(response)] == [SECRET_NOTE]
    assert Application.objects.get().pk == sensitive.pk
