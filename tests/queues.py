"""What the stub broker holds: the tests of notifications, webhooks and the outbox read the
messages their code enqueued."""

from dramatiq import Message

from workflows.broker import broker


def queued(queue: str = "notifications") -> list[tuple[str, list]]:
    """(actor, args) of each message waiting in `queue`, sorted."""
    messages = [Message.decode(data) for data in list(broker.queues[queue].queue)]
    return sorted((message.actor_name, list(message.args)) for message in messages)
