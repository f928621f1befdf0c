"""`manage.py sync_feed`: local documents through the sync code path, ending with one JSON line;
documents of one kind and organisation count as one feed; bad arguments are CommandErrors."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from recruitment.enums import FeedKind, FeedRunStatus
from recruitment.models import Feed, Organisation, Vacancy, VacancySource
from tests.factories import make_organisation
from workflows.models import FeedRun

pytestmark = pytest.mark.django_db

SHARED_FEEDS = Path(__file__).resolve().parents[2] / ".." / "shared" / "feeds"
UNJOBS_590983 = [
    SHARED_FEEDS / "real" / "unjobs" / "unjobs_vacancy_1771682554309.html",
    SHARED_FEEDS / "real" / "unjobs" / "unjobs_vacancy_1774533615523.html",
]


def item(external_id: str, **overrides) -> dict:
    return {
        "external_id": external_id,
        "title": f"Programme Officer {external_id}",
        "closes_at": "2030-01-31T17:00:00+01:00",
        "grade": "P3",
        "duty_stations": [{"city": "Nairobi", "country": "KE"}],
        **overrides,
    }


def write(path: Path, *items: dict) -> Path:
    path.write_text(json.dumps({"vacancies": list(items)}))
    return path


def sync_feed(*args: str) -> str:
    """Run the command; returns its stdout."""
    stdout = StringIO()
    call_command("sync_feed", *args, stdout=stdout)
    return stdout.getvalue()


def last_line(output: str) -> str:
    return output.rstrip("\n").splitlines()[-1]


def counts_line(created=0, updated=0, unchanged=0, missing=0, closed=0, rejected=0) -> str:
    return (
        f'{{"created": {created}, "updated": {updated}, "unchanged": {unchanged}, '
        f'"missing": {missing}, "closed": {closed}, "rejected": {rejected}}}'
    )


@pytest.fixture
def unicef(db):
    return make_organisation(slug="unicef")


def partner(path: Path, *extra: str) -> str:
    return sync_feed("--kind", "partner", "--file", str(path), "--organisation", "unicef", *extra)


def test_sync_feed_ends_with_one_line_of_json_counts(unicef, tmp_path, capsys):
    path = write(tmp_path / "vacancies.json", item("A"), item("B"), item("C", grade="P9"))

    output = partner(path)

    assert last_line(output) == counts_line(created=2, rejected=1)
    assert json.loads(last_line(output)) == {
        "created": 2, "updated": 0, "unchanged": 0, "missing": 0, "closed": 0, "rejected": 1,
    }  # fmt: skip
    feed = Feed.objects.get()
    assert (feed.kind, feed.organisation, feed.url, feed.enabled) == ("partner", unicef, "", False)
    assert sorted(VacancySource.objects.values_list("feed_id", "external_id")) == [
        (feed.pk, "A"),
        (feed.pk, "B"),
    ]
    run = FeedRun.objects.get()
    assert (run.trigger, run.status) == ("command", FeedRunStatus.SUCCEEDED)
    progress = [line.split("] ", 1)[1] for line in capsys.readouterr().err.splitlines()]
    assert progress == [
        f"read {path.stat().st_size:,} bytes from {path}",
        f"parsing and applying as partner feed {feed.pk}",
        f"run {run.pk} succeeded",
    ]


def test_sync_feed_again_on_same_document_counts_unchanged(unicef, tmp_path):
    path = write(tmp_path / "vacancies.json", item("A"), item("B"))
    partner(path)
    before = sorted(Vacancy.objects.values_list("pk", "title", "status", "closes_at", "updated_at"))

    output = partner(path)

    assert last_line(output) == counts_line(unchanged=2)
    assert (
        sorted(Vacancy.objects.values_list("pk", "title", "status", "closes_at", "updated_at"))
        == before
    )
    assert Feed.objects.count() == 1


def test_sync_feed_second_document_of_same_kind_and_organisation_counts_missing(unicef, tmp_path):
    first = write(tmp_path / "monday.json", item("A"), item("B"))
    second = write(tmp_path / "tuesday.json", item("A"))
    partner(first)

    output = partner(second)

    assert last_line(output) == counts_line(unchanged=1, missing=1)
    feed = Feed.objects.get()
    assert sorted(VacancySource.objects.values_list("feed_id", "external_id", "missing_count")) == [
        (feed.pk, "A", 0),
        (feed.pk, "B", 1),
    ]
    assert list(FeedRun.objects.values_list("feed_id", flat=True)) == [feed.pk, feed.pk]


def test_sync_feed_into_an_existing_feed(unicef, tmp_path):
    feed = Feed.objects.create(kind=FeedKind.PARTNER, organisation=unicef, url="", name="mine")
    path = write(tmp_path / "vacancies.json", item("A"))

    output = sync_feed("--kind", "partner", "--file", str(path), "--feed", str(feed.pk))

    assert last_line(output) == counts_line(created=1)
    assert list(VacancySource.objects.values_list("feed_id", "external_id")) == [(feed.pk, "A")]
    assert Feed.objects.count() == 1


def test_sync_feed_with_feed_of_another_kind_is_an_error(unicef, tmp_path):
    feed = Feed.objects.create(kind=FeedKind.RSS, organisation=unicef, url="")
    path = write(tmp_path / "vacancies.json", item("A"))

    with pytest.raises(CommandError) as raised:
        sync_feed("--kind", "partner", "--file", str(path), "--feed", str(feed.pk))

    assert str(raised.value) == f"no partner feed {feed.pk}"
    assert (FeedRun.objects.count(), Vacancy.objects.count()) == (0, 0)


def test_sync_feed_with_unknown_feed_id_is_an_error(unicef, tmp_path):
    path = write(tmp_path / "vacancies.json", item("A"))

    with pytest.raises(CommandError) as raised:
        sync_feed("--kind", "partner", "--file", str(path), "--feed", "987654")

    assert str(raised.value) == "no partner feed 987654"
    assert (Feed.objects.count(), FeedRun.objects.count()) == (0, 0)


@pytest.mark.parametrize(
    ("name", "reason"),
    [("absent.json", "No such file or directory"), ("", "Is a directory")],
    ids=["absent", "directory"],
)
def test_sync_feed_with_unreadable_file_is_an_error(unicef, tmp_path, name, reason):
    path = tmp_path / name

    with pytest.raises(CommandError) as raised:
        partner(path)

    assert str(raised.value) == f"cannot read {path}: {reason}"
    assert (Feed.objects.count(), FeedRun.objects.count()) == (0, 0)


def test_sync_feed_with_unknown_organisation_is_an_error(unicef, tmp_path):
    path = write(tmp_path / "vacancies.json", item("A"))

    with pytest.raises(CommandError) as raised:
        sync_feed("--kind", "partner", "--file", str(path), "--organisation", "unknown")

    assert str(raised.value) == "no organisation 'unknown'"
    assert (Feed.objects.count(), Organisation.objects.count()) == (0, 1)


def test_sync_feed_with_unknown_kind_is_an_error(unicef, tmp_path):
    path = write(tmp_path / "vacancies.json", item("A"))

    with pytest.raises(CommandError) as raised:
        sync_feed("--kind", "atom", "--file", str(path))

    assert str(raised.value).startswith("Error: argument --kind: invalid choice: 'atom'")
    assert Feed.objects.count() == 0


def test_sync_feed_unreadable_document_is_an_error_and_changes_nothing(unicef, tmp_path):
    partner(write(tmp_path / "good.json", item("A")))
    bad = tmp_path / "bad.json"
    bad.write_text('{"vacancies": [')

    with pytest.raises(CommandError) as raised:
        partner(bad)

    assert str(raised.value) == (
        "the document could not be read: "
        "the document is not JSON (Expecting value: line 1 column 16 (char 15))"
    )
    assert list(VacancySource.objects.values_list("external_id", "missing_count")) == [("A", 0)]
    assert list(FeedRun.objects.order_by("id").values_list("status", flat=True)) == [
        FeedRunStatus.SUCCEEDED,
        FeedRunStatus.FAILED,
    ]


def test_sync_feed_two_real_unjobs_pages_of_one_post_end_as_one_vacancy(unicef):
    if not SHARED_FEEDS.is_dir():
        pytest.skip("../shared/feeds not present")
    for path in UNJOBS_590983:
        if not path.is_file():
            pytest.skip(f"{path.name} not present in ../shared/feeds")

    outputs = [
        sync_feed("--kind", "jsonld", "--file", str(path), "--organisation", "unicef")
        for path in UNJOBS_590983
    ]

    vacancy = Vacancy.objects.get()
    feed = Feed.objects.get()
    assert (vacancy.organisation, vacancy.reference, vacancy.grade) == (unicef, "590983", "P-2")
    assert sorted(vacancy.sources.values_list("feed_id", "external_id")) == [
        (feed.pk, "1771682554309"),
        (feed.pk, "1774533615523"),
    ]
    # The second page is the same post re-published under a new id: it joins the vacancy, and
    # the first page, absent from the second document, counts as missing.
    assert [last_line(output) for output in outputs] == [
        counts_line(created=1),
        counts_line(updated=1, missing=1),
    ]


def test_sync_feed_repost_with_extended_deadline_moves_the_vacancy_deadline(unicef, tmp_path):
    """A post re-published under a new id (same job number) with a later deadline: the one
    vacancy must carry the new deadline, as the real UNICEF 590983 pages do (20 → 29 March)."""
    partner(write(tmp_path / "monday.json", item("A", organisation_job_number="590983")))
    repost = item(
        "A-2",
        organisation_job_number="590983",
        title="Programme Officer A (extended)",
        closes_at="2030-02-28T17:00:00+01:00",
    )

    output = partner(write(tmp_path / "tuesday.json", repost))

    assert last_line(output) == counts_line(updated=1, missing=1)
    vacancy = Vacancy.objects.get()
    assert vacancy.closes_at.isoformat() == "2030-02-28T16:00:00+00:00"
    assert sorted(vacancy.sources.values_list("external_id", "missing_count")) == [
        ("A", 1),
        ("A-2", 0),
    ]
