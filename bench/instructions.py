"""Instructions per request of each API scenario and its raw-SQL ceiling, counted by callgrind.

The time-based benchmark (bench/api.py) shares two cores with PostgreSQL and its own client, and
its figures drift with the machine. Counted instructions do not: the same code and data give
the same count, whatever else runs. Each scenario's requests go through the WSGI application
gunicorn loads (recruitment/wsgi.py) in one process (no gunicorn, no HTTP), with
bench/settings.py, on data loaded by `manage.py seed_scale`. The count covers this process
only: PostgreSQL's work is not in it.

    make seed-scale           # once
    make bench-instructions   # BENCH_INSTRUCTION_REQUESTS (40) per scenario and arm

Needs valgrind (callgrind and callgrind_control); says so and exits when it is missing.
"""

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "instructions.json"
REQUESTS = int(os.environ.get("BENCH_INSTRUCTION_REQUESTS", "40"))
WARMUP = 20
ARMS = ("api", "ceiling")


def child(name: str, arm: str) -> None:
    """Inside valgrind: warm up, then count REQUESTS requests of the scenario's arm."""
    from bench import api

    context = api.prepare()  # sets bench/settings.py up, as gunicorn runs it
    from recruitment.wsgi import application as handler  # what gunicorn loads

    paths = api.scenarios(context)[name][ARMS.index(arm)]

    def get(path: str) -> None:
        route, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": route, "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": str(api.PORT), "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": f"127.0.0.1:{api.PORT}", "wsgi.input": io.BytesIO(b""),
            "HTTP_AUTHORIZATION": f"Bearer {context['token']}", "wsgi.url_scheme": "http",
        }  # fmt: skip
        status = []
        body = b"".join(handler(environ, lambda line, headers, *_: status.append(line)))
        if not status[0].startswith("200"):
            sys.exit(f"{path}: {status[0]} {body[:200]!r}")

    for number in range(WARMUP):
        get(paths[number % len(paths)])
    control = ["callgrind_control", "--instr"]
    subprocess.run([*control, "on", str(os.getpid())], check=True, capture_output=True)
    for number in range(REQUESTS):
        get(paths[number % len(paths)])
    subprocess.run([*control, "off", str(os.getpid())], check=True, capture_output=True)


def count(name: str, arm: str) -> int:
    """Instructions per request of one scenario's arm, in a process of its own."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        subprocess.run(
            ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}",
             sys.executable, __file__, "--child", name, arm],
            check=True, capture_output=True, cwd=ROOT,
        )  # fmt: skip
        totals = [line for line in out.read_text().splitlines() if line.startswith("totals:")]
        return int(totals[-1].split()[1]) // REQUESTS


def main() -> None:
    if not (shutil.which("valgrind") and shutil.which("callgrind_control")):
        sys.exit("valgrind is not installed: this benchmark counts instructions with callgrind.")
    from bench.api import ONLY, TARGETS

    results = {}
    print(f"{'scenario':<24} {'API':>10} {'ceiling':>10} {'API only':>10}  (instructions/request)")
    for name in TARGETS:
        if ONLY and name not in ONLY:
            continue
        print(f"counting {name}: {REQUESTS} requests per arm under callgrind ...", file=sys.stderr)
        api, ceiling = (count(name, arm) for arm in ARMS)
        results[name] = {"api": api, "ceiling": ceiling, "api_only": api - ceiling}
        print(f"{name:<24} {api:>10,} {ceiling:>10,} {api - ceiling:>10,}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"requests": REQUESTS, "results": results}, indent=2) + "\n")
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], sys.argv[3])
    else:
        main()
