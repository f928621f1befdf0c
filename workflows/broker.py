"""Builds the dramatiq broker from BROKER_URL and binds actors to it.

`amqp://` → RabbitMQ with publisher confirms; `redis://` → Redis; unset → the in-process broker
(a StubBroker that `manage.py serve` drains with a Worker thread, and tests inspect).
"""

import logging

import dramatiq
from django.conf import settings
from django.db import close_old_connections
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import Middleware

logger = logging.getLogger(__name__)


class DbConnectionsMiddleware(Middleware):
    """Close stale database connections around each message, as requests do in Django."""

    def before_process_message(self, broker: dramatiq.Broker, message: dramatiq.Message) -> None:
        close_old_connections()

    def after_process_message(
        self,
        broker: dramatiq.Broker,
        message: dramatiq.Message,
        *,
        result: object = None,
        exception: BaseException | None = None,
    ) -> None:
        close_old_connections()

    after_skip_message = after_process_message

    def after_worker_thread_boot(self, broker: dramatiq.Broker, thread: object) -> None:
        close_old_connections()


def build_broker(url: str) -> dramatiq.Broker:
    """A broker for `url` (see the module docstring), with our middleware added."""
    if url.startswith(("amqp://", "amqps://")):
        broker: dramatiq.Broker = RabbitmqBroker(url=url, confirm_delivery=True)
    elif url.startswith(("redis://", "rediss://")):
        broker = RedisBroker(url=url)
    elif not url:
        broker = StubBroker()
        broker.emit_after("process_boot")
    else:
        raise ValueError("BROKER_URL must start with amqp://, amqps://, redis:// or rediss://")
    broker.add_middleware(DbConnectionsMiddleware())
    return broker


broker = build_broker(settings.BROKER_URL)
dramatiq.set_broker(broker)


def broker_ping() -> bool:
    """Whether the broker answers now (the in-process one always does)."""
    try:
        if isinstance(broker, RabbitmqBroker):
            return broker.connection.is_open
        if isinstance(broker, RedisBroker):
            return bool(broker.client.ping())
    except Exception:  # an unreachable broker raises many kinds of errors; all mean "not ready"
        logger.warning("broker unreachable", exc_info=True)
        return False
    return True
