"""Feed sync benchmark: a generated 10,000-item feed in the ReliefWeb and RSS shapes.

Reports, per shape: first sync time, unchanged re-sync time and peak memory, against the targets
(5 s, 0.5 s, 150 MB). Each shape runs in its own process so peak RSS is its own.

    make bench-feeds            (or: python -m recruitment.devdb exec -- python bench/feeds.py)
"""

import json
import os
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "feeds.json"
TARGETS = {"first_sync_s": 5.0, "resync_s": 0.5, "peak_mb": 150.0}
ITEMS = int(os.environ.get("BENCH_FEED_ITEMS", "10000"))

AGENCIES = ["UNICEF", "UNHCR", "UNDP", "WFP", "UN Women", "UNFPA", "WHO", "FAO", "ILO", "IOM"]
CITIES = [("Nairobi", "Kenya", "KEN"), ("Juba", "South Sudan", "SSD"), ("Geneva", "Switzerland",
          "CHE"), ("Kathmandu", "Nepal", "NPL"), ("Accra", "Ghana", "GHA"), ("Amman", "Jordan",
          "JOR"), ("Dakar", "Senegal", "SEN"), ("Bangkok", "Thailand", "THA")]  # fmt: skip
TITLES = [
    "Programme Officer",
    "Nutrition Specialist",
    "Protection Associate",
    "Supply Chain Officer",
    "Monitoring and Evaluation Analyst",
    "Education Specialist",
]
GRADES = ["P-2", "P3", "P 4", "NOB", "GS-6", "P-5"]


def reliefweb_document(n: int, envelope: str = "") -> bytes:
    closing = datetime(2027, 3, 1, tzinfo=UTC)
    data = []
    for i in range(n):
        city, country, iso3 = CITIES[i % len(CITIES)]
        agency = AGENCIES[i % len(AGENCIES)]
        title = f"{TITLES[i % len(TITLES)]}, {GRADES[i % len(GRADES)]}, {city} ({i})"
        data.append({"id": str(7000000 + i), "fields": {
            "id": 7000000 + i, "title": title,
            "url_alias": f"https://reliefweb.int/job/{7000000 + i}/bench",
            "date": {"created": "2026-11-01T00:00:00+00:00",
                     "closing": (closing + timedelta(hours=i % 500)).isoformat()},
            "source": [{"name": agency, "shortname": agency}],
            "country": [{"name": country, "iso3": iso3.lower(), "primary": True}],
            "city": [{"name": city}], "type": [{"name": "Job"}],
            "career_categories": [{"name": "Program/Project Management"}],
            "body-html": f"<p>{title}: lead the programme.</p><script>x()</script>",
        }})  # fmt: skip
    return json.dumps({"time": envelope, "totalCount": n, "count": n, "data": data}).encode()


def rss_document(n: int, envelope: str = "") -> bytes:
    items = []
    for i in range(n):
        city, country, _ = CITIES[i % len(CITIES)]
        title = (f"{TITLES[i % len(TITLES)]}, {GRADES[i % len(GRADES)]}, Fixed Term, "
                 f"{city}, {country} #{700000 + i:08d}")  # fmt: skip
        items.append(
            f"<item><title>{title}</title><link>https://jobs.unicef.org/job/{700000 + i}</link>"
            f'<guid isPermaLink="false">{700000 + i}</guid>'
            f"<description>&lt;p&gt;{title}&lt;/p&gt;&lt;p&gt;Deadline: 20 Mar 2027 23:55 "
            f"E. Africa Standard Time&lt;/p&gt;</description>"
            f"<pubDate>Mon, 02 Nov 2026 08:00:00 +0000</pubDate></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>UNICEF jobs</title><link>https://jobs.unicef.org/</link>"
        f"<lastBuildDate>{envelope}</lastBuildDate>" + "".join(items) + "</channel></rss>"
    ).encode()


def run_shape(shape: str) -> dict[str, object]:
    """Runs in a child process: sync the document twice and measure."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from recruitment.enums import FeedKind, OrganisationKind
    from recruitment.models import Feed, Organisation, Vacancy
    from workflows.feeds.sync import vacancy_feed_sync_run

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:  # a clean slate; ORM deletes would load every row
        tables = ", ".join(model._meta.db_table for model in (Vacancy, Feed))
        cursor.execute(f"TRUNCATE {tables} CASCADE")
    make = reliefweb_document if shape == "reliefweb" else rss_document
    content = make(ITEMS, envelope="first")
    # The same items in a changed envelope (a new build time): every item is compared by hash.
    rewrapped = make(ITEMS, envelope="second")
    organisation = None
    if shape == "rss":
        organisation, _ = Organisation.objects.get_or_create(
            slug="unicef", defaults={"name": "UNICEF", "kind": OrganisationKind.UN_AGENCY}
        )
    feed = Feed.objects.create(kind=FeedKind(shape), organisation=organisation, url="")
    print(f"  {shape}: {len(content) / 1e6:.1f} MB document, {ITEMS:,} items", file=sys.stderr)

    started = time.perf_counter()
    first = vacancy_feed_sync_run(feed_id=feed.pk, content=content)
    first_s = time.perf_counter() - started
    print(f"  {shape}: first sync {first_s:.2f} s {first.counts()}", file=sys.stderr)

    started = time.perf_counter()
    second = vacancy_feed_sync_run(feed_id=feed.pk, content=rewrapped)
    resync_s = time.perf_counter() - started
    print(f"  {shape}: re-sync, same items {resync_s:.2f} s {second.counts()}", file=sys.stderr)

    started = time.perf_counter()
    third = vacancy_feed_sync_run(feed_id=feed.pk, content=rewrapped)
    same_bytes_s = time.perf_counter() - started
    print(f"  {shape}: re-sync, same bytes {same_bytes_s:.2f} s {third.counts()}", file=sys.stderr)
    return {
        "shape": shape,
        "items": ITEMS,
        "document_mb": round(len(content) / 1e6, 2),
        "first_sync_s": round(first_s, 3),
        "resync_s": round(resync_s, 3),
        "resync_same_bytes_s": round(same_bytes_s, 3),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "first_counts": first.counts(),
        "resync_counts": second.counts(),
        "resync_same_bytes_counts": third.counts(),
    }


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--shape":
        print(json.dumps(run_shape(sys.argv[2])))
        return
    results = []
    for shape in ("reliefweb", "rss"):
        print(f"running {shape} ...", file=sys.stderr)
        output = subprocess.run(
            [sys.executable, __file__, "--shape", shape], check=True, capture_output=True,
            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        sys.stderr.write(output.stderr)
        results.append(json.loads(output.stdout.strip().splitlines()[-1]))
    print(
        f"\n{'shape':<10} {'first sync':>11} {'re-sync (items)':>16} {'re-sync (bytes)':>16}"
        f" {'peak RSS':>9}   ratio to target (first, re-sync items, re-sync bytes, peak)"
    )
    for r in results:
        ratios = ", ".join(
            f"{r[key] / TARGETS[target]:.2f}"
            for key, target in (("first_sync_s", "first_sync_s"), ("resync_s", "resync_s"),
                                ("resync_same_bytes_s", "resync_s"), ("peak_mb", "peak_mb"))
        )  # fmt: skip
        times = f"{r['first_sync_s']:>9.2f} s {r['resync_s']:>14.2f} s"
        print(f"{r['shape']:<10} {times} {r['resync_same_bytes_s']:>14.2f} s "
              f"{r['peak_mb']:>6.0f} MB   {ratios}")  # fmt: skip
    print("targets: first sync <= 5 s, re-sync <= 0.5 s, peak <= 150 MB (ratio <= 1 meets it);")
    print("re-sync (items): same items in a changed envelope, every item compared by hash;")
    print("re-sync (bytes): the very same document, recognised by its sha256 and not parsed")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"targets": TARGETS, "results": results}, indent=2) + "\n")
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
