"""Live updates: domain events -> channels -> server-sent events (inbox, portal, widget).

The publisher is a first-party subscriber of the core's event bus (:data:`core.events.domain_event`).
Each live message goes to a *channel* and names its *audience*:

- ``ws:<id>:inbox``: the agents' inbox of a workspace (audience "agents");
- ``ws:<id>:conversation:<id>``: one conversation (agents, and the customer in it, who never
  receives internal notes: those are audience "agents");
- ``ws:<id>:ticket:<id>``: one ticket (agents, and customers who may see the ticket; internal
  comments are audience "agents").

Who may *subscribe* to a channel is decided by the web layer when it opens the stream; the
audience filter then drops agent-only messages for customers. Brokers: Redis pub/sub (shared by
every gunicorn process) when ``REDIS_URL`` is set, otherwise in-process queues.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any, Literal, Protocol

from core.events import DomainEvent

log = logging.getLogger("snapdesk.live")

REDIS_PREFIX = "snapdesk:live:"


@dataclass(frozen=True)
class LiveMessage:
    channel: str
    #: The domain event's name, e.g. "message_posted"; the SSE ``event:`` field.
    event: str
    audience: Literal["agents", "all"]
    data: dict[str, Any]

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"), default=str)

    @classmethod
    def from_json(cls, raw: str | bytes) -> "LiveMessage":
        return cls(**json.loads(raw))


def inbox_channel(workspace_id: int) -> str:
    return f"ws:{workspace_id}:inbox"


def conversation_channel(workspace_id: int, conversation_id: int) -> str:
    return f"ws:{workspace_id}:conversation:{conversation_id}"


def ticket_channel(workspace_id: int, ticket_id: int) -> str:
    return f"ws:{workspace_id}:ticket:{ticket_id}"


class Subscription(Protocol):
    def messages(self, timeout: float) -> Iterator[LiveMessage | None]:
        """Yield messages as they come; yield None after ``timeout`` seconds of silence (keep-alive)."""

    def close(self) -> None: ...


class Broker(Protocol):
    def publish(self, message: LiveMessage) -> None: ...

    def subscribe(self, channels: list[str]) -> Subscription: ...


class _MemorySubscription:
    def __init__(self, broker: "MemoryBroker", channels: list[str]) -> None:
        self.broker = broker
        self.channels = channels
        self.inbox: queue.Queue[LiveMessage] = queue.Queue()

    def messages(self, timeout: float) -> Iterator[LiveMessage | None]:
        while True:
            try:
                yield self.inbox.get(timeout=timeout)
            except queue.Empty:
                yield None

    def close(self) -> None:
        self.broker._remove(self)


class MemoryBroker:
    """In-process fan-out (the embedded default: one process serves every page)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[str, list[_MemorySubscription]] = defaultdict(list)

    def publish(self, message: LiveMessage) -> None:
        with self._lock:
            targets = list(self._subscribers.get(message.channel, ()))
        for subscription in targets:
            subscription.inbox.put(message)

    def subscribe(self, channels: list[str]) -> _MemorySubscription:
        subscription = _MemorySubscription(self, channels)
        with self._lock:
            for channel in channels:
                self._subscribers[channel].append(subscription)
        return subscription

    def _remove(self, subscription: _MemorySubscription) -> None:
        with self._lock:
            for channel in subscription.channels:
                if subscription in self._subscribers.get(channel, []):
                    self._subscribers[channel].remove(subscription)


class _RedisSubscription:
    def __init__(self, connection: Any, channels: list[str]) -> None:
        self.pubsub = connection.pubsub(ignore_subscribe_messages=True)
        self.pubsub.subscribe(*[REDIS_PREFIX + c for c in channels])

    def messages(self, timeout: float) -> Iterator[LiveMessage | None]:
        while True:
            raw = self.pubsub.get_message(timeout=timeout)
            if raw is None:
                yield None
            elif raw.get("type") == "message":
                yield LiveMessage.from_json(raw["data"])

    def close(self) -> None:
        try:
            self.pubsub.close()
        except Exception:  # noqa: BLE001 - closing a dead connection
            pass


class RedisBroker:
    """Redis pub/sub: every process publishes and subscribes through Redis."""

    def __init__(self, redis_url: str) -> None:
        from redis import Redis

        self.connection = Redis.from_url(redis_url)

    def publish(self, message: LiveMessage) -> None:
        self.connection.publish(REDIS_PREFIX + message.channel, message.to_json())

    def subscribe(self, channels: list[str]) -> _RedisSubscription:
        return _RedisSubscription(self.connection, channels)


def broker_from_url(redis_url: str | None) -> Broker:
    return RedisBroker(redis_url) if redis_url else MemoryBroker()


# -- events -> live messages ----------------------------------------------------------------------


def messages_for(event: DomainEvent) -> list[LiveMessage]:
    """The live messages one domain event produces (pure: easy to test)."""
    ws = event.workspace_id
    payload = event.payload
    out: list[LiveMessage] = []
    conversation = payload.get("conversation")
    if conversation is not None:
        summary = {"conversation": conversation}
        message = payload.get("message")
        if event.name in ("conversation_created", "message_posted") and message is not None:
            summary["message"] = message
        if "change" in payload:
            summary["change"] = payload["change"]
        internal = bool(message and message.get("internal"))
        out.append(LiveMessage(inbox_channel(ws), event.name, "agents", summary))
        out.append(
            LiveMessage(conversation_channel(ws, conversation["id"]), event.name, "agents" if internal else "all", summary)
        )
    ticket = payload.get("ticket")
    if ticket is not None:
        comment = payload.get("comment") if event.name == "comment_added" else None
        internal = bool(comment and comment.get("visibility") == "internal")
        data = {"ticket": ticket, **({"comment": comment} if comment else {})}
        out.append(LiveMessage(ticket_channel(ws, ticket["id"]), event.name, "agents" if internal else "all", data))
        out.append(LiveMessage(inbox_channel(ws), event.name, "agents", data))
    return out


def publish_event(sender: str, *, event: DomainEvent) -> None:
    """blinker receiver: publish an event's live messages on the current app's broker."""
    from core.runtime import get_runtime

    broker = get_runtime().live
    if broker is None:
        return
    for message in messages_for(event):
        try:
            broker.publish(message)
        except Exception:  # noqa: BLE001 - live updates are best effort; data is committed
            log.exception("could not publish live update on %s", message.channel)
