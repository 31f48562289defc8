"""The feeds as Kafka topics: their names, the client configuration, and producing feed
files' rows as events (`fraudgraph produce`, the bench). The consumer is stream.py."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fraudgraph.errors import StreamError
from fraudgraph.settings import Settings
from graph_loader.feeds import FEEDS, FEEDS_BY_NAME, Feed
from graph_loader.reader import find_feed_file, read_rows

if TYPE_CHECKING:
    from confluent_kafka import Producer

log = logging.getLogger(__name__)

DLQ = "dlq"  # the dead-letter topic: <prefix>dlq


def topic_of(settings: Settings, feed: str) -> str:
    return settings.stream_topic_prefix + feed


def dlq_topic(settings: Settings) -> str:
    return settings.stream_topic_prefix + DLQ


def feed_topics(settings: Settings) -> list[str]:
    return [topic_of(settings, f.name) for f in FEEDS]


def feed_of(prefix: str, topic: str) -> Feed | None:
    if not topic.startswith(prefix):
        return None
    return FEEDS_BY_NAME.get(topic[len(prefix):])


def offset_id(topic: str, partition: int) -> str:
    return f"{topic}:{partition}"


def client_config(settings: Settings) -> dict[str, Any]:
    return {"bootstrap.servers": settings.kafka_bootstrap}


def ensure_topics(settings: Settings, timeout_s: float = 30.0) -> list[str]:
    """Create the feed topics and the dead-letter topic where missing. Returns those created."""
    from confluent_kafka import KafkaError, KafkaException
    from confluent_kafka.admin import AdminClient, NewTopic

    admin = AdminClient(client_config(settings))
    try:
        existing = set(admin.list_topics(timeout=timeout_s).topics)
    except KafkaException as e:
        hint = " (`fraudgraph kafka start` runs the local broker)" if settings.kafka_managed else ""
        raise StreamError(f"Kafka at {settings.kafka_bootstrap} does not answer: {e}{hint}") from e
    wanted = [t for t in [*feed_topics(settings), dlq_topic(settings)] if t not in existing]
    if not wanted:
        return []
    futures = admin.create_topics(
        [NewTopic(t, num_partitions=settings.kafka_partitions,
                  replication_factor=settings.kafka_replication_factor) for t in wanted],
        request_timeout=timeout_s)
    created = []
    for t, fut in futures.items():
        try:
            fut.result(timeout=timeout_s)
            created.append(t)
        except KafkaException as e:
            if e.args and e.args[0].code() == KafkaError.TOPIC_ALREADY_EXISTS:
                continue
            raise StreamError(f"could not create topic {t}: {e}") from e
    log.info("created topics: %s", ", ".join(created))
    return created


# ------------------------------------------------------------------------ producing
def _json_default(value: object) -> str:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def event_key(feed: Feed, raw: dict[str, Any]) -> bytes:
    """The message key: a hash of the event's own id (the feed's first column), so the same
    entity always lands on the same partition, without a raw identifier in the key."""
    return hashlib.blake2b(str(raw.get(feed.columns[0], "")).encode(),
                           digest_size=8).hexdigest().encode()


class EventProducer:
    """Publishes raw feed rows to their topics (demos, the bench, the tests)."""

    def __init__(self, settings: Settings, *, linger_ms: int = 5) -> None:
        from confluent_kafka import Producer

        self.producer: Producer = Producer({
            **client_config(settings), "enable.idempotence": True, "acks": "all",
            "linger.ms": linger_ms, "compression.type": "lz4"})
        self.settings = settings
        self.errors: list[str] = []
        self.delivered = 0

    def _done(self, err: Any, _msg: Any) -> None:
        if err is not None:
            self.errors.append(str(err))
        else:
            self.delivered += 1

    def send(self, feed_name: str, raw: dict[str, Any]) -> None:
        feed = FEEDS_BY_NAME[feed_name]
        value = json.dumps(raw, default=_json_default, ensure_ascii=False).encode()
        topic = topic_of(self.settings, feed.name)
        while True:
            try:
                self.producer.produce(topic, value, event_key(feed, raw),
                                      on_delivery=self._done)
                break
            except BufferError:  # the local queue is full: let deliveries drain
                self.producer.poll(0.1)
        self.producer.poll(0)

    def flush(self, timeout_s: float = 60.0) -> None:
        left = self.producer.flush(timeout_s)
        if left:
            raise StreamError(f"{left} events not acknowledged by Kafka within {timeout_s:.0f}s")
        if self.errors:
            raise StreamError(f"Kafka refused {len(self.errors)} events: {self.errors[0]}")


def produce_directory(settings: Settings, directory: Path,
                      feeds: Iterable[str] | None = None) -> dict[str, int]:
    """Publish every feed file of `directory` (in feed order) to its topic. Returns the
    events sent per feed; a structurally unreadable record is not sent (and counted)."""
    ensure_topics(settings)
    names = set(feeds) if feeds is not None else None
    producer = EventProducer(settings)
    counts: dict[str, int] = {}
    for feed in FEEDS:
        if names is not None and feed.name not in names:
            continue
        path = find_feed_file(directory, feed.name)
        if path is None:
            continue
        sent = unreadable = 0
        for _row, raw, structural in read_rows(path, feed.columns):
            if raw is None or structural is not None:
                unreadable += 1
                continue
            producer.send(feed.name, raw)
            sent += 1
        producer.flush()
        counts[feed.name] = sent
        log.info("%s: %d events sent to %s%s", path.name, sent, topic_of(settings, feed.name),
                 f" ({unreadable} unreadable records not sent)" if unreadable else "")
    return counts
