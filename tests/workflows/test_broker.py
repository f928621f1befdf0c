"""Messages round-trip through real RabbitMQ and Redis with the broker settings we ship."""

import shutil
import socket
import subprocess
import threading
import time
import uuid

import dramatiq
import pytest
from dramatiq import Worker

from workflows.broker import build_broker

pytestmark = pytest.mark.broker


def _answers(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _wait_for(port: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _answers(port):
            return True
        time.sleep(0.5)
    return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def rabbitmq_url():
    """RabbitMQ on 5672, started when absent; skipped (with the reason) where it cannot be."""
    if not _answers(5672):
        if shutil.which("rabbitmq-server") is None:
            pytest.skip("RabbitMQ is not running on 127.0.0.1:5672 and rabbitmq-server is absent")
        subprocess.run(["rabbitmq-server", "-detached"], check=False, capture_output=True)
        if not _wait_for(5672, 90):
            pytest.skip("rabbitmq-server was started but did not answer on 5672 within 90 s")
    return "amqp://guest:guest@127.0.0.1:5672/"


@pytest.fixture(scope="module")
def redis_url():
    """Redis on 6379, or a private redis-server on a free port; skipped where neither exists."""
    if _answers(6379):
        yield "redis://127.0.0.1:6379/15"
        return
    if shutil.which("redis-server") is None:
        pytest.skip("Redis is not running on 127.0.0.1:6379 and redis-server is absent")
    port = _free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    if not _wait_for(port, 20):
        process.kill()
        pytest.skip("redis-server was started but did not answer")
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(10)


def _round_trip(url: str) -> list[dict]:
    broker = build_broker(url)
    queue = f"test-{uuid.uuid4().hex[:12]}"
    received: list[dict] = []
    done = threading.Event()

    def record(payload):
        received.append(payload)
        done.set()

    actor = dramatiq.actor(record, broker=broker, actor_name=f"tests.{queue}", queue_name=queue)
    worker = Worker(broker, worker_threads=1, worker_timeout=100)
    worker.start()
    try:
        actor.send({"application_id": 42, "to": "shortlisted"})
        done.wait(30)
    finally:
        worker.stop()
        broker.flush(queue)
        broker.close()
    return received


def test_message_round_trips_through_rabbitmq(rabbitmq_url):
    assert _round_trip(rabbitmq_url) == [{"application_id": 42, "to": "shortlisted"}]


def test_message_round_trips_through_redis(redis_url):
    assert _round_trip(redis_url) == [{"application_id": 42, "to": "shortlisted"}]
