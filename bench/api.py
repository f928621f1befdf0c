"""API benchmark against the raw-SQL ceiling, on data loaded by `manage.py seed_scale`.

Starts gunicorn (2 sync workers) on 127.0.0.1 with bench/settings.py, whose URLconf adds
/ceiling/... views running the same queries through psycopg and orjson (bench/urls.py). For
each scenario it sends a bounded number of requests at a fixed concurrency to the API, as many
to its ceiling (the same statements: token look-up, rate-limit count, page) and as many to its
page-only ceiling, in alternating slices, and prints p50, p95, throughput and the ratio of the
API's throughput to each ceiling's.

    make seed-scale   # once: 100,000 vacancies, 1,000,000 candidates, 3,000,000 applications
    make bench-api    # BENCH_REQUESTS (1200) per scenario, BENCH_CONCURRENCY (4)
"""

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "api.json"
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "1200"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "4"))
WARMUP = 20
ROUNDS = 4  # API and ceiling alternate in this many slices of REQUESTS / ROUNDS each
# BENCH_SCENARIOS=shortlist,candidate_list runs only those (results are still written).
ONLY = [name for name in os.environ.get("BENCH_SCENARIOS", "").split(",") if name]
PORT = int(os.environ.get("BENCH_PORT", "8765"))
# p95 in ms and least ratio to the ceiling, from the issue (None: no target given).
TARGETS = {
    "vacancy_search": (25, 0.7),
    "vacancy_detail": (None, None),
    "candidate_list": (150, 0.85),
    "shortlist": (100, None),
    "applications_of_vacancy": (None, None),
}
SEARCH_TERMS = ["nutrition juba", "protection officer goma", "health specialist kabul",
                "supply chain maiduguri", "education specialist dhaka", "climate adaptation suva",
                "data analyst amman", "legal officer geneva", "wash engineer cox's bazar",
                "economist nairobi"]  # fmt: skip
GUNICORN_ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "SECRET_KEY": "bench-only-secret-key-not-for-production",
    "DEBUG": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DATABASE_CONN_MAX_AGE": "600",
    "LOG_LEVEL": "WARNING",
}


def prepare() -> dict:
    """Django in this process: the recruiter's token and the ids the scenarios use."""
    os.environ.update({key: value for key, value in GUNICORN_ENV.items()})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    from recruitment import services
    from recruitment.enums import Role, VacancyStatus
    from recruitment.models import User, Vacancy

    user = User.objects.filter(email="bench-recruiter@bench.example").first()
    if user is None:
        user = services.user_create(email="bench-recruiter@bench.example",
                                    password="bench-password-2026", role=Role.RECRUITER,
                                    organisation=None, profile_fields=None)  # fmt: skip
    token, _ = services.api_token_issue(user=user)
    scale = Vacancy.objects.filter(organisation__slug__startswith="scale-")
    hot = scale.order_by("id").values_list("id", flat=True).first()
    if hot is None:
        sys.exit("No seed_scale data in this database: run `make seed-scale` first.")
    published = list(
        scale.filter(status=VacancyStatus.PUBLISHED).order_by("id").values_list("id", flat=True)
    )
    detail_ids = published[:: max(1, len(published) // 200)][:200]
    sizes = {}
    with connection.cursor() as cursor:
        for table in ("vacancy", "candidateprofile", "application"):
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE relname = %s",
                [f"recruitment_{table}"],
            )
            sizes[table] = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM recruitment_application WHERE vacancy_id = %s", [hot])
        sizes["hot_vacancy_applications"] = cursor.fetchone()[0]
    connection.close()
    return {"token": token, "viewer": user.pk, "hot": hot, "detail_ids": detail_ids,
            "sizes": sizes}  # fmt: skip


def scenarios(context: dict) -> dict[str, tuple[list[str], list[str]]]:
    """Per scenario: the API paths and the ceiling paths, cycled through by the requests."""
    hot, ids, viewer = context["hot"], context["detail_ids"], context["viewer"]
    search = [urlencode({"q": term, "open": "true", "limit": 50}) for term in SEARCH_TERMS]
    candidates = [
        urlencode({"citizenship": "NO", "language": language, "language_level": "B2", "limit": 50})
        for language in ("fr", "es", "ar", "pt")
    ]
    return {
        "vacancy_search": ([f"/api/v1/vacancies/?{q}" for q in search],
                           [f"/ceiling/vacancies/?{q}" for q in search]),
        "vacancy_detail": ([f"/api/v1/vacancies/{i}/" for i in ids],
                           [f"/ceiling/vacancies/{i}/" for i in ids]),
        "candidate_list": ([f"/api/v1/candidates/?{q}" for q in candidates],
                           [f"/ceiling/candidates/?{q}&viewer={viewer}" for q in candidates]),
        "shortlist": ([f"/api/v1/vacancies/{hot}/shortlist/?limit=50"],
                      [f"/ceiling/vacancies/{hot}/shortlist/?limit=50"]),
        "applications_of_vacancy": ([f"/api/v1/applications/?vacancy={hot}&limit=50"],
                                    [f"/ceiling/applications/?vacancy={hot}&limit=50"]),
    }  # fmt: skip


def run(paths: list[str], token: str | None, total: int) -> tuple[list[float], list[str], float]:
    """`total` GETs over `paths` from CONCURRENCY threads, each on its own keep-alive
    connection; returns the latencies (s), the errors and the wall time (s)."""
    latencies: list[float] = []
    errors: list[str] = []
    counter = iter(range(total))
    lock = threading.Lock()
    headers = {"Authorization": f"Bearer {token}"} if token else {}

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        while True:
            with lock:
                number = next(counter, None)
            if number is None:
                break
            started = time.perf_counter()
            connection.request("GET", paths[number % len(paths)], headers=headers)
            response = connection.getresponse()
            body = response.read()
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if response.status != 200:
                    errors.append(f"{response.status} {body[:200]!r}")
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(CONCURRENCY)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, time.perf_counter() - started


def measure(arms: dict[str, tuple[list[str], str | None]]) -> dict[str, dict]:
    """REQUESTS to each arm (the API and its ceilings), in ROUNDS alternating slices, so a
    shared machine's drift (other jobs, CPU clock) weighs on all alike; p50/p95 (ms),
    throughput (requests/s) and errors of each."""
    results = {name: ([], [], 0.0) for name in arms}
    for _ in range(ROUNDS):
        for name, (paths, token) in arms.items():
            latencies, errors, wall = run(paths, token, REQUESTS // ROUNDS)
            done = results[name]
            results[name] = (done[0] + latencies, done[1] + errors, done[2] + wall)
    summaries = {}
    for name, (latencies, errors, wall) in results.items():
        latencies.sort()
        summaries[name] = {
            "requests": len(latencies),
            "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1),
            "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1),
            "throughput_rps": round(len(latencies) / wall, 1),
            "errors": len(errors),
            "first_error": errors[0] if errors else None,
        }  # fmt: skip
    return summaries


def start_gunicorn() -> subprocess.Popen:
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "recruitment.wsgi:application",
               "--workers", "2", "--worker-class", "sync", "--bind", f"127.0.0.1:{PORT}",
               "--log-level", "warning"]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **GUNICORN_ENV})
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not answer /healthz")


def main() -> None:
    print("preparing (token, ids, table sizes) ...", file=sys.stderr)
    context = prepare()
    print(f"data: {context['sizes']}", file=sys.stderr)
    server = start_gunicorn()
    results = {}
    try:
        for name, (api_paths, ceiling_paths) in scenarios(context).items():
            if ONLY and name not in ONLY:
                continue
            print(f"running {name}: {REQUESTS} requests at concurrency {CONCURRENCY} ...",
                  file=sys.stderr)  # fmt: skip
            arms = {
                "api": (api_paths, context["token"]),
                # The same statements as the API: the token's look-up, the rate-limit count
                # and the page (bench/urls.py).
                "ceiling": (ceiling_paths, context["token"]),
                # The page's statements only.
                "page_only": (ceiling_paths, None),
            }
            for paths, token in arms.values():
                run(paths, token, WARMUP)
            result = measure(arms)
            api, ceiling, page_only = result["api"], result["ceiling"], result["page_only"]
            result["ratio"] = round(api["throughput_rps"] / ceiling["throughput_rps"], 2)
            result["ratio_page_only"] = round(
                api["throughput_rps"] / page_only["throughput_rps"], 2
            )
            results[name] = result
            print(f"  api p95 {api['p95_ms']} ms, {api['throughput_rps']} req/s; ceiling "
                  f"{ceiling['throughput_rps']} req/s, page only {page_only['throughput_rps']} "
                  f"req/s; ratio {result['ratio']} ({result['ratio_page_only']})",
                  file=sys.stderr)  # fmt: skip
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    load = os.getloadavg()
    print(f"\n{'scenario':<24} {'p50':>7} {'p95':>7} {'req/s':>7} | {'ceiling p95':>11} "
          f"{'req/s':>7} | {'ratio':>5} | {'page-only req/s':>15} {'ratio':>5}   "
          "targets (p95, ratio)")  # fmt: skip
    for name, result in results.items():
        api, ceiling = result["api"], result["ceiling"]
        p95_target, ratio_target = TARGETS[name]
        target = ", ".join(
            f"{label} {'ok' if ok else 'MISSED'}"
            for label, ok in (
                (f"p95<={p95_target}ms", api["p95_ms"] <= (p95_target or 0)),
                (f"ratio>={ratio_target}", result["ratio"] >= (ratio_target or 0)),
            )
            if label.split("=")[-1].rstrip("ms") != "None"
        )
        page_only = result["page_only"]
        failed = [arm for arm in ("api", "ceiling", "page_only") if result[arm]["errors"]]
        errors = f"  ERRORS in {', '.join(failed)}" if failed else ""
        print(f"{name:<24} {api['p50_ms']:>5} ms {api['p95_ms']:>4} ms {api['throughput_rps']:>7} "
              f"| {ceiling['p95_ms']:>8} ms {ceiling['throughput_rps']:>7} | "
              f"{result['ratio']:>5} | {page_only['throughput_rps']:>15} "
              f"{result['ratio_page_only']:>5}   {target}{errors}")  # fmt: skip
    print(f"data: {context['sizes']}; load average at the end {load[0]:.1f} on "
          f"{os.cpu_count()} CPUs (shared machine)")  # fmt: skip
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({
        "requests_per_scenario": REQUESTS, "concurrency": CONCURRENCY, "workers": 2,
        "data": context["sizes"], "load_average": [round(value, 2) for value in load],
        "targets": {name: {"p95_ms": p95, "ratio": ratio} for name, (p95, ratio) in
                    TARGETS.items()},
        "results": results,
    }, indent=2) + "\n")  # fmt: skip
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
