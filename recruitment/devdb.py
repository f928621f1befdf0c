"""Find or start a PostgreSQL server for local development (`make run`, `make test`).

Standard library only, so it runs before any dependency is installed. Discovery order:
1. DATABASE_URL set in the environment: used as is, nothing is started.
2. a PostgreSQL answering on 127.0.0.1:5432 (DEVDB_PROBE_HOST / DEVDB_PROBE_PORT override):
   postgres://postgres@127.0.0.1:5432/<db>, i.e. trust auth as user "postgres".
3. a project-local cluster on 127.0.0.1:DEVDB_PORT (default 54329), initialised and started
   from the machine's PostgreSQL binaries (as root, Debian's package is installed if missing).
In modes 2 and 3 the database DEVDB_NAME (default "recruitment") is created when missing.

    python -m recruitment.devdb url              print the URL (a started cluster keeps running)
    python -m recruitment.devdb exec -- CMD ...  run CMD with DATABASE_URL set, return its exit
                                                 code, stop the cluster if this call started it
    python -m recruitment.devdb stop             stop the project-local cluster
Progress goes to stderr; stdout carries only the URL.
"""

import glob
import hashlib
import os
import pwd
import shlex
import shutil
import signal
import socket
import struct
import subprocess
import sys
from pathlib import Path
from typing import NoReturn
from urllib.parse import quote

PROJECT = Path(__file__).resolve().parent.parent
IS_ROOT = os.geteuid() == 0
DBNAME = os.environ.get("DEVDB_NAME", "recruitment")
PORT = int(os.environ.get("DEVDB_PORT", "54329"))
# The server refuses to run as root, so as root the cluster belongs to the "postgres" user and
# lives outside root's home folder (where the project may be checked out and postgres cannot
# enter). The hash of the project path keeps several checkouts apart.
PATH_HASH = hashlib.sha1(bytes(PROJECT), usedforsecurity=False).hexdigest()[:10]
# bandit B108, accepted 2026-11-28: a development cluster only (never production), and initdb
# creates the folder 0700 for its owner and refuses one that exists and is not empty.
DATADIR = (
    Path(f"/var/tmp/recruitment-pg-{PATH_HASH}")  # nosec B108
    if IS_ROOT
    else PROJECT / ".pgdata"
)
SERVER_TOOLS = ("initdb", "pg_ctl", "postgres")


def log(msg: str) -> None:
    print(f"postgres: {msg}", file=sys.stderr, flush=True)


def fail(msg: str) -> NoReturn:
    raise SystemExit(f"postgres: {msg}")


def speaks_postgres(host: str, port: int) -> bool:
    """True if host:port accepts TCP and answers an SSLRequest the way PostgreSQL does."""
    try:
        with socket.create_connection((host, port), timeout=1) as sock:
            sock.settimeout(2)
            sock.sendall(struct.pack("!ii", 8, 80877103))  # SSLRequest: length, magic code
            return sock.recv(1) in (b"S", b"N")  # SSL supported / not supported
    except OSError:
        return False


def find_tool_dir(*tools: str) -> Path | None:
    """First folder holding all tools: pg_config's bindir, PATH, then Debian's layout."""
    dirs = []
    if pg_config := shutil.which("pg_config"):
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True).stdout
        dirs.append(Path(out.strip()))
    for found in filter(None, map(shutil.which, tools)):  # symlinks: try their targets, too
        dirs += [Path(found).parent, Path(found).resolve().parent]
    # Debian keeps the server off PATH, in one folder per major version: newest first.
    debian = glob.glob("/usr/lib/postgresql/*/bin")
    debian.sort(key=lambda d: [int(x) for x in d.split("/")[-2].split(".") if x.isdigit()])
    dirs += map(Path, reversed(debian))
    return next((d for d in dirs if all((d / tool).is_file() for tool in tools)), None)


def server_bindir() -> Path:
    """The server binaries' folder; as root, install Debian's package when they are missing."""
    if bindir := find_tool_dir(*SERVER_TOOLS):
        return bindir
    if not IS_ROOT:
        fail("PostgreSQL server binaries (initdb, pg_ctl, postgres) not found: install them "
             "(e.g. `sudo apt-get install postgresql`) or set DATABASE_URL")  # fmt: skip
    log("server binaries not found, installing Debian's postgresql package ...")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "postgresql"]):
        subprocess.run(cmd, env=env, stdout=sys.stderr, check=True)  # stdout is for the URL
    # The package may also create and start its own cluster: we ignore it and run ours.
    return find_tool_dir(*SERVER_TOOLS) or fail("postgresql installed, but no server binaries")


def run_as_owner(cmd: list[str]) -> bool:
    """Run a server tool as the cluster's owner (as root: the postgres user); True if it worked."""
    if IS_ROOT:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    # Output is shown only on failure (and `url` must print nothing but the URL on stdout).
    # cwd="/": the tools complain when the postgres user cannot access the current folder.
    # New session: a Ctrl-C in the terminal must not reach the server; we stop it ourselves.
    res = subprocess.run(cmd, cwd="/", capture_output=True, text=True, start_new_session=True)
    sys.stderr.write(res.stdout + res.stderr if res.returncode else "")
    return res.returncode == 0


def running_port() -> int | None:
    """Port of the project-local cluster if it is up and answering, else None."""
    try:  # postmaster.pid lines: pid, data folder, start time, port, ...
        port = int((DATADIR / "postmaster.pid").read_text().splitlines()[3])
    except (OSError, IndexError, ValueError):
        return None
    return port if speaks_postgres("127.0.0.1", port) else None


def start_cluster() -> int:
    """Initialise the project-local cluster if needed, start it, and return its port."""
    bindir = server_bindir()
    if IS_ROOT and "postgres" not in {user.pw_name for user in pwd.getpwall()}:
        subprocess.run(["useradd", "--system", "-s", "/usr/sbin/nologin", "postgres"], check=True)
    if not (DATADIR / "PG_VERSION").exists():
        log(f"initialising a cluster in {DATADIR} ...")
        DATADIR.mkdir(mode=0o700, exist_ok=True)
        if IS_ROOT:
            shutil.chown(DATADIR, user="postgres")
        init = [str(bindir / "initdb"), "-D", str(DATADIR), "-U", "postgres", "--auth=trust"]
        # C.UTF-8 gives predictable sorting, but minimal systems may lack the locale.
        if not run_as_owner([*init, "-E", "UTF8", "--locale=C.UTF-8"]):
            log("retrying initdb with --no-locale")
            if not run_as_owner([*init, "-E", "UTF8", "--no-locale"]):
                fail(f"initdb failed in {DATADIR}")
    # Unix socket in the data folder (the system's /var/run/postgresql may not be writable);
    # none at all if the path is too long for a socket name (108 bytes at most).
    sockdir = str(DATADIR) if len(str(DATADIR)) < 90 else ""
    opts = f"-p {PORT} -c listen_addresses=127.0.0.1 -k {shlex.quote(sockdir)}"
    logfile = DATADIR / "server.log"
    cmd = [str(bindir / "pg_ctl"), "start", "-w", "-s", "-D", str(DATADIR), "-l", str(logfile)]
    if not run_as_owner([*cmd, "-o", opts]):
        tail = logfile.read_text().splitlines()[-6:] if logfile.exists() else []
        sys.stderr.write("".join(f"  {line}\n" for line in tail))
        fail(f"could not start the cluster in {DATADIR} (port {PORT} busy? set DEVDB_PORT)")
    log(f"started project-local cluster in {DATADIR} on 127.0.0.1:{PORT}")
    return PORT


def stop_cluster() -> None:
    bindir = find_tool_dir(*SERVER_TOOLS)
    if not bindir or not (DATADIR / "postmaster.pid").exists():
        return log("project-local cluster not running")
    if run_as_owner([str(bindir / "pg_ctl"), "stop", "-s", "-m", "fast", "-D", str(DATADIR)]):
        log(f"stopped project-local cluster in {DATADIR}")


def ensure_database(host: str, port: int) -> None:
    """Create DBNAME unless it exists, with psql (over TCP with trust auth: no user switch)."""
    if not (bindir := find_tool_dir("psql")):
        return log(f"psql not found, cannot make sure that database {DBNAME!r} exists")
    # psql quotes :'name' as a literal; \gexec runs the CREATE only if the SELECT returns it.
    sql = (r"SELECT format('CREATE DATABASE %I', :'name') WHERE NOT EXISTS "
           r"(SELECT FROM pg_database WHERE datname = :'name') \gexec")  # fmt: skip
    cmd = [str(bindir / "psql"), "-Xq", "-v", "ON_ERROR_STOP=1", "-v", f"name={DBNAME}"]
    url = f"postgres://postgres@{host}:{port}/postgres"
    if subprocess.run([*cmd, url], input=sql, text=True, stdout=sys.stderr).returncode:
        fail(f"could not create database {DBNAME!r} on {host}:{port}")


def ensure_server() -> tuple[str, bool]:
    """Return (DATABASE_URL, whether this call started the project-local cluster)."""
    if url := os.environ.get("DATABASE_URL"):
        log("using DATABASE_URL from the environment")
        return url, False
    host = os.environ.get("DEVDB_PROBE_HOST", "127.0.0.1")
    port = int(os.environ.get("DEVDB_PROBE_PORT", "5432"))
    started = False
    if speaks_postgres(host, port):
        log(f"using server on {host}:{port}")
    elif local_port := running_port():
        host, port = "127.0.0.1", local_port
        log(f"using running project-local cluster in {DATADIR} on 127.0.0.1:{port}")
    else:
        host, port, started = "127.0.0.1", start_cluster(), True
    ensure_database(host, port)
    return f"postgres://postgres@{host}:{port}/{quote(DBNAME)}", started


def exec_with_db(cmd: list[str]) -> int:
    """Run cmd with DATABASE_URL set; stop the cluster afterwards if we started it."""
    url, started = ensure_server()
    child = None

    def on_signal(signum: int, _frame: object) -> None:
        # Ctrl-C's SIGINT already reached the whole foreground process group, child included:
        # we only survive it, to clean up. SIGTERM/SIGHUP are aimed at us: pass them on.
        if child and signum != signal.SIGINT:
            child.send_signal(signum)

    # A Python handler (unlike SIG_IGN) is reset to the default in the child at exec.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, on_signal)
    try:
        child = subprocess.Popen(cmd, env={**os.environ, "DATABASE_URL": url})
        code = child.wait()
    except OSError as exc:  # command not found / not executable
        log(f"cannot run {cmd[0]!r}: {exc}")
        code = 127
    finally:
        if started:
            stop_cluster()
    return code if code >= 0 else 128 - code  # killed by signal N: 128 + N, like a shell


def main(argv: list[str]) -> int:
    match argv:
        case ["url"]:
            print(ensure_server()[0])
            return 0
        case ["stop"]:
            stop_cluster()
            return 0
        case ["exec", "--", *cmd] | ["exec", *cmd] if cmd:
            return exec_with_db(cmd)
    print("usage: python -m recruitment.devdb url | exec -- CMD [ARGS...] | stop", file=sys.stderr)
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:  # Ctrl-C while finding or starting the server
        sys.exit(130)
