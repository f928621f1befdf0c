"""Proof that status updates are never lost: 10,000 status changes delivered as signed webhooks
to a local receiver while workers are killed with SIGKILL and the broker restarts.

Per broker (RabbitMQ, then Redis) it prints: delivered, lost (must be 0), raw duplicate
deliveries, duplicates after the receiver dedupes on the event id (must be 0), p50/p99 latency
from commit to receipt, throughput, and throughput as a ratio to dramatiq's own for a no-op
actor with the same 2 workers (target >= 0.5). Run by hand (it restarts the local brokers):

    make proof-outbox      (or: python -m recruitment.devdb exec -- python bench/outbox_proof.py)
"""

import contextlib
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DRAMATIQ = str(Path(PYTHON).with_name("dramatiq"))
APPLICATIONS = int(os.environ.get("PROOF_APPLICATIONS", "2000"))
MOVES = ["screening", "shortlisted", "nominated", "interview", "selected"]  # 5 x 2,000 = 10,000
BROKERS = {
    "rabbitmq": "amqp://guest:guest@127.0.0.1:5672/%2F",
    "redis": "redis://127.0.0.1:6379/14",
}
RESULTS = ROOT / "bench" / "results" / "outbox_proof.json"


def child_env(broker_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "recruitment.settings",
        "SECRET_KEY": "outbox-proof-only",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "BROKER_URL": broker_url,
        "NETWORK_ALLOW_LOOPBACK": "true",
        "OUTBOX_LEASE_SECONDS": "15",
        "OUTBOX_RELAY_GRACE_SECONDS": "5",
        "OUTBOX_BACKOFF_BASE_SECONDS": "1",
        "LOG_LEVEL": "CRITICAL",
        # Workers keep their database connection between messages, as in production.
        "DATABASE_CONN_MAX_AGE": "60",
    }


class Receiver(BaseHTTPRequestHandler):
    """Records every delivery: (event id, time received, commit time from the payload)."""

    received: list[tuple[str, float, str]] = []
    lock = threading.Lock()
    protocol_version = "HTTP/1.1"  # keep-alive, as any production receiver offers

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        now = time.time()
        changed_at = json.loads(body)["data"].get("changed_at", "")
        with self.lock:
            self.received.append((self.headers["webhook-id"], now, changed_at))
        self.send_response(204)
        self.end_headers()


def restart_broker(kind: str) -> None:
    if kind == "rabbitmq":
        subprocess.run(["rabbitmqctl", "stop_app"], capture_output=True, check=False)
        time.sleep(2)
        subprocess.run(["rabbitmqctl", "start_app"], capture_output=True, check=False)
    else:
        # Redis here keeps nothing on disk: its queues are lost; the outbox relay refills them.
        subprocess.run(["redis-cli", "shutdown", "nosave"], capture_output=True, check=False)
        time.sleep(2)
        subprocess.run(
            ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port",
             "6379", "--save", "", "--appendonly", "no", "--dir", "/var/lib/redis",
             "--logfile", "/var/log/redis/ci.log"],
            capture_output=True, check=False,
        )  # fmt: skip
    time.sleep(3)


def start_worker(env: dict[str, str], queue: str, module: str) -> subprocess.Popen:
    return subprocess.Popen(
        [DRAMATIQ, module, "--processes", "1", "--threads", "8", "--queues", queue],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip


def stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


def run(kind: str) -> dict[str, object]:
    """In a child process whose environment names the broker: the whole proof for one broker."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.models.functions import Now

    from recruitment import services
    from recruitment.enums import OutboxStatus, Role
    from recruitment.models import (
        Application,
        CandidateProfile,
        DutyStation,
        NotificationPreference,
        Organisation,
        Vacancy,
    )
    from workflows.broker import broker
    from workflows.models import OutboxMessage, WebhookSubscription
    from workflows.notifications import new_webhook_secret
    from workflows.services import application_transition
    from workflows.tasks import deliver_outbox_message, deliver_outbox_messages, relay_outbox

    env = child_env(os.environ["BROKER_URL"])
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE recruitment_user, recruitment_organisation, recruitment_dutystation "
            "RESTART IDENTITY CASCADE"
        )
    broker.flush_all()

    ThreadingHTTPServer.request_queue_size = 256  # 16 sending threads: the default 5 refuses
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    Receiver.received = []

    print(f"[{kind}] setting up {APPLICATIONS:,} applications", file=sys.stderr)
    organisation = Organisation.objects.create(slug="unicef", name="UNICEF", kind="un_agency")
    vacancy = Vacancy.objects.create(
        organisation=organisation, title="Proof", status="published", funding_status="confirmed"
    )
    vacancy.duty_stations.add(DutyStation.objects.create(city="Nairobi", country="KE"))
    recruiter = services.user_create(email="r@proof", password=None, role=Role.RECRUITER)
    WebhookSubscription.objects.create(
        owner=recruiter, url=f"http://127.0.0.1:{httpd.server_port}/hook",
        event_types=["application.status_changed"], secret=new_webhook_secret(),
    )  # fmt: skip
    users = [
        services.user_create(email=f"c{i}@proof", password=None, role=Role.CANDIDATE)
        for i in range(APPLICATIONS)
    ]
    NotificationPreference.objects.bulk_create(  # webhooks only: no email in this proof
        NotificationPreference(user=user, event_type="application.status_changed", email=False)
        for user in users
    )
    profiles = CandidateProfile.objects.order_by("id")
    Application.objects.bulk_create(Application(candidate=p, vacancy=vacancy) for p in profiles)
    ids = list(Application.objects.order_by("id").values_list("pk", flat=True))

    workers = [start_worker(env, "notifications", "workflows.worker") for _ in range(2)]
    stop_relay = threading.Event()

    def relay() -> None:  # the scheduler's relay_outbox, every 2 s instead of 10 s
        while not stop_relay.wait(2):
            try:
                relay_outbox.fn()
            except Exception:  # the broker is restarting: the next round tries again
                pass
            finally:
                connection.close()

    def chaos() -> None:
        for round_ in range(5):
            time.sleep(8)
            victim = random.randrange(len(workers))
            os.killpg(workers[victim].pid, signal.SIGKILL)
            print(f"[{kind}] SIGKILL worker {victim} ({round_ + 1}/5)", file=sys.stderr)
            time.sleep(1)
            workers[victim] = start_worker(env, "notifications", "workflows.worker")
            if round_ == 2:
                print(f"[{kind}] restarting the broker", file=sys.stderr)
                restart_broker(kind)

    threading.Thread(target=relay, daemon=True).start()
    chaos_thread = threading.Thread(target=chaos, daemon=True)
    chaos_thread.start()
    started = time.time()
    for step, to_status in enumerate(MOVES):
        for application_id in ids:
            application_transition(application_id=application_id, to_status=to_status,
                                   actor=recruiter)  # fmt: skip
        print(f"[{kind}] {(step + 1) * len(ids):,} status changes committed", file=sys.stderr)
    produced_s = time.time() - started
    chaos_thread.join()

    expected = OutboxMessage.objects.filter(event_type="application.status_changed").count()
    deadline = time.time() + 600
    while time.time() < deadline:
        open_rows = OutboxMessage.objects.exclude(
            status__in=[OutboxStatus.DELIVERED, OutboxStatus.DEAD]
        ).count()
        if open_rows == 0:
            break
        print(f"[{kind}] waiting: {open_rows:,} undelivered", file=sys.stderr)
        time.sleep(5)
    stop_relay.set()
    time.sleep(1)

    received = list(Receiver.received)
    unique = {event_id for event_id, _, _ in received}
    first_receipt = {}
    for event_id, at, changed_at in received:
        first_receipt.setdefault(event_id, (at, changed_at))
    latencies = sorted(
        (at - datetime.fromisoformat(changed_at).timestamp()) * 1000
        for at, changed_at in first_receipt.values()
        if changed_at
    )

    # Delivery throughput with a backlog: every row due again, 2 fresh workers drain it, once
    # enqueued as the relay does (batches of OUTBOX_BATCH_SIZE) and once one message per row
    # (the on-commit fast path's shape).
    def drain(batched: bool) -> float:
        nonlocal workers
        for worker in workers:
            stop(worker)
        broker.flush_all()
        Receiver.received = []
        OutboxMessage.objects.update(
            status=OutboxStatus.PENDING, attempts=0, next_attempt_at=Now(), lease_until=None
        )
        row_ids = list(OutboxMessage.objects.order_by("id").values_list("pk", flat=True))
        if batched:
            size = settings.OUTBOX_BATCH_SIZE
            for start in range(0, len(row_ids), size):
                deliver_outbox_messages.send(row_ids[start : start + size])
        else:
            for message_id in row_ids:
                deliver_outbox_message.send(message_id)
        workers = [start_worker(env, "notifications", "workflows.worker") for _ in range(2)]
        # No relay here (it would mix batches into the per-row figure): stop waiting when
        # nothing more arrives for 20 s.
        give_up, seen, progressed = time.time() + 600, 0, time.time()
        while len(Receiver.received) < expected and time.time() < give_up:
            time.sleep(0.2)
            if len(Receiver.received) > seen:
                seen, progressed = len(Receiver.received), time.time()
            elif time.time() - progressed > 20:
                break
        drained = list(Receiver.received)
        span = max(at for _, at, _ in drained) - min(at for _, at, _ in drained)
        shape = "relay batches" if batched else "one message per row"
        print(f"[{kind}] backlog of {len(drained):,} drained in {span:.1f} s ({shape})",
              file=sys.stderr)  # fmt: skip
        return len(drained) / span if span else 0.0

    delivery_rate = drain(batched=True)
    single_rate = drain(batched=False)

    # dramatiq's own ceiling: the same 2 workers (processes x threads) on a no-op actor.
    for worker in workers:
        stop(worker)
    noop = [start_worker(env, "bench-noop", "bench.noop_actors") for _ in range(2)]
    time.sleep(3)
    from bench.noop_actors import noop as noop_actor

    count = len(ids) * len(MOVES)
    noop_started = time.time()
    for _ in range(count):
        noop_actor.send()
    broker.join("bench-noop", timeout=600_000)
    noop_rate = count / (time.time() - noop_started)
    for worker in noop:
        stop(worker)
    httpd.shutdown()
    return {
        "broker": kind,
        "status_changes": len(ids) * len(MOVES),
        "outbox_rows": expected,
        "delivered": len(unique),
        "lost": expected - len(unique),
        "dead": OutboxMessage.objects.filter(status=OutboxStatus.DEAD).count(),
        "raw_duplicates": len(received) - len(unique),
        "duplicates_after_dedupe": 0 if len(unique) == len(first_receipt) else -1,
        "latency_p50_ms": round(statistics.median(latencies)),
        "latency_p99_ms": round(latencies[int(len(latencies) * 0.99) - 1]),
        "produce_s": round(produced_s, 1),
        "deliveries_per_s": round(delivery_rate, 1),
        "deliveries_per_s_one_message_per_row": round(single_rate, 1),
        "batch_size": settings.OUTBOX_BATCH_SIZE,
        "noop_messages_per_s": round(noop_rate, 1),
        "ratio_to_noop": round(delivery_rate / noop_rate, 2),
        "sigkills": 5,
        "broker_restarts": 1,
    }


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--broker":
        print(json.dumps(run(sys.argv[2])))
        return
    results = []
    for kind, url in BROKERS.items():
        output = subprocess.run(
            [PYTHON, __file__, "--broker", kind], env=child_env(url), cwd=ROOT,
            stdout=subprocess.PIPE, text=True, check=False,
        )  # fmt: skip
        if output.returncode:
            sys.exit(f"{kind} run failed")
        results.append(json.loads(output.stdout.strip().splitlines()[-1]))
    keys = [
        "delivered", "lost", "raw_duplicates", "duplicates_after_dedupe", "latency_p50_ms",
        "latency_p99_ms", "deliveries_per_s", "deliveries_per_s_one_message_per_row",
        "noop_messages_per_s", "ratio_to_noop",
    ]  # fmt: skip
    print(f"\n{'':38}" + "".join(f"{r['broker']:>12}" for r in results))
    for key in keys:
        print(f"{key:38}" + "".join(f"{r[key]:>12}" for r in results))
    print("targets: lost = 0, duplicates after dedupe = 0, ratio to no-op >= 0.5")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
