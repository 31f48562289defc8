"""The live event stream: feeds as Kafka topics, consumed into Neo4j exactly once.

One topic per feed, ``fraudgraph.<feed>`` (``fraudgraph.transfers``, ...; the prefix is
the setting `stream_topic_prefix`), each event a
JSON object with the feed file's columns (docs/feeds.md), the values as in a CSV cell or a
Parquet value. `fraudgraph stream` consumes them with the file loader's validation and
pseudonymisation (feeds.py: `feed.shape` with a ShapeContext), and writes each poll's
events in one managed transaction with the next offset of every partition they came from
(a :StreamOffset node per topic and partition). Kafka's own committed offsets are never
used (enable.auto.commit is off): on every partition assignment the consumer seeks to the
offset stored in the graph, so an event is in the graph exactly once across crashes,
restarts and rebalances. The offset nodes are write-locked first in each batch's
transaction, so a consumer that lost a partition but still writes (a zombie) waits for the
new owner's commit and skips what it committed.

Rejected events go to the dead-letter topic ``fraudgraph.dlq`` with their feed, topic,
partition, offset, the field and the reason, and the event's values pseudonymised as in
the loader's rejects file (report.redacted_row): no raw identifier reaches Kafka again. A
dead letter is produced (and acknowledged by the broker) before the graph transaction that
moves the offset past its event, so none is lost; a crash between the two can repeat one
(its topic/partition/offset identify it).

Consumer lag (the partition's end offset less the next offset in the graph) is a
Prometheus gauge, `fraudgraph_stream_lag`, on the consumer's own /metrics port.

Ordering: Kafka orders events within a partition only. On every assignment, a consumer
pauses its event partitions while the reference topics (accounts, devices) hold events
not yet in the graph (up to their ends at that moment, whoever of the group reads them),
so a backlog of both lands in the file loader's order. Afterwards an event that names an
account not yet arrived is treated as a file row would be: a transfer's unknown
counterparty is an external account (made a participant's when the account arrives), a
login of an unknown account is dead-lettered.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from neo4j import Driver, ManagedTransaction
from neo4j.exceptions import ServiceUnavailable, SessionExpired

from cypher import statement
from fraudgraph.errors import GraphUnavailableError, StreamError
from fraudgraph.pseudonym import Pseudonymiser
from fraudgraph.settings import Settings
from graph_loader.feeds import FEEDS, Feed, RowRejected, ShapeContext, Shaped
from graph_loader.hashset import U64Set, key64
from graph_loader.load import write_statement
from graph_loader.report import redacted_row
from graph_loader.stream_stats import StreamMetrics, StreamStats
from graph_loader.topics import (
    client_config,
    dlq_topic,
    feed_of,
    feed_topics,
    offset_id,
    topic_of,
)
from graph_loader.writer import cypher

if TYPE_CHECKING:
    from confluent_kafka import Consumer, Message, Producer, TopicPartition

log = logging.getLogger(__name__)

_FEED_ORDER = {f.name: i for i, f in enumerate(FEEDS)}
# Streamed before the events that name them (StreamConsumer._hold_events).
REFERENCE_FEEDS = ("accounts", "devices")
# How long an account found unknown is taken as unknown without asking the graph again.
_MISS_TTL_S = 10.0


@dataclass(slots=True)
class _Item:
    feed: Feed
    part: str
    offset: int
    shaped: Shaped
    produced_ms: int


class StreamConsumer:
    """Consumes the feed topics into Neo4j (see the module's docstring)."""

    def __init__(self, settings: Settings, driver: Driver, pseudo: Pseudonymiser, *,
                 group: str | None = None, batch_size: int | None = None,
                 metrics_port: int | None = None, poll_s: float = 0.5,
                 feeds: Iterable[str] | None = None) -> None:
        from confluent_kafka import Consumer, Producer
        from confluent_kafka.admin import AdminClient

        self.settings, self.driver, self.pseudo = settings, driver, pseudo
        self.database = settings.neo4j_database
        self.batch_size = batch_size or settings.stream_batch_size
        self.poll_s = poll_s
        self.prefix = settings.stream_topic_prefix
        self.dlq_topic = dlq_topic(settings)
        self.topics = ([topic_of(settings, f) for f in feeds] if feeds is not None
                       else feed_topics(settings))
        session_ms = settings.stream_session_timeout_ms
        self.consumer: Consumer = Consumer({
            **client_config(settings),
            "group.id": group or settings.stream_group,
            # Offsets live in the graph, written with the events (exactly once).
            "enable.auto.commit": False,
            "enable.auto.offset.store": False,
            "auto.offset.reset": "earliest",
            "isolation.level": "read_committed",
            "session.timeout.ms": session_ms,
            "heartbeat.interval.ms": max(1000, session_ms // 4),
            "partition.assignment.strategy": "range",
            # Freshness: a fetch returns after at most this even if it got little.
            "fetch.wait.max.ms": 100,
        })
        self.admin = AdminClient(client_config(settings))
        self.dlq: Producer = Producer({**client_config(settings), "enable.idempotence": True,
                                       "acks": "all", "linger.ms": 0})
        self.metrics = StreamMetrics(settings.stream_metrics_port if metrics_port is None
                                else metrics_port)
        self.stats = StreamStats()
        self.ctx = ShapeContext(now=datetime.now(UTC), pseudo=pseudo,
                                account_known=self._account_known,
                                device_known=self._device_known)
        # Accounts introduced by the batch being shaped, not committed yet.
        self._batch_accounts: set[str] = set()
        self._known = U64Set()
        with driver.session(database=self.database, default_access_mode="READ") as session:
            for rec in session.run(statement("load/known_accounts")):
                self._known.add(key64(rec["id"]))
        self._misses: dict[str, float] = {}
        self.assignment: set[tuple[str, int]] = set()
        self.positions: dict[tuple[str, int], int | None] = {}
        self.assigned_once = False
        self._lag_at = 0.0
        self.total_lag: int | None = None
        self._dlq_errors: list[str] = []
        self.stop_event = threading.Event()
        # Event partitions paused until the reference partitions reach these offsets.
        self._paused: list[TopicPartition] = []
        self._gate: dict[str, int] = {}
        self._gate_at = 0.0

    # ------------------------------------------------------------ graph look-ups
    def _ask(self, name: str, pseudonym: str) -> bool:
        recs, _, _ = self.driver.execute_query(statement(name), id=pseudonym,
                                               database_=self.database, routing_="r")
        return bool(recs and recs[0]["known"])

    def _account_known(self, acc: str) -> bool:
        """A participant's account: loaded when the consumer started (one read, as the
        file loader does), introduced by this consumer's batches, or found in the graph
        since (accounts another process loaded). A miss is remembered for a few seconds:
        external counterparties recur, and each would cost a round trip."""
        key = key64(acc)
        if key in self._known or acc in self._batch_accounts:
            return True
        now = time.monotonic()
        missed = self._misses.get(acc)
        if missed is not None and now - missed < _MISS_TTL_S:
            return False
        if self._ask("stream/account_known", acc):
            self._known.add(key)
            return True
        if len(self._misses) >= 200_000:
            self._misses.clear()
        self._misses[acc] = now
        return False

    def _device_known(self, dev: str) -> bool:
        return self._ask("stream/device_known", dev)

    # ------------------------------------------------------------ rebalances
    def _on_assign(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        from confluent_kafka import OFFSET_BEGINNING

        ids = [offset_id(p.topic, p.partition) for p in partitions]
        recs, _, _ = self.driver.execute_query(statement("stream/offsets_read"), ids=ids,
                                               database_=self.database)
        stored = {r["id"]: r["next_offset"] for r in recs}
        for p in partitions:
            nxt = stored.get(offset_id(p.topic, p.partition))
            p.offset = int(nxt) if nxt is not None else OFFSET_BEGINNING
            self.positions[(p.topic, p.partition)] = None if nxt is None else int(nxt)
            self.assignment.add((p.topic, p.partition))
        consumer.assign(partitions)
        self.assigned_once = True
        self._lag_at = 0.0
        log.info("assigned %s", ", ".join(
            f"{p.topic}[{p.partition}]@{'earliest' if p.offset < 0 else p.offset}"
            for p in partitions) or "nothing")
        self._hold_events(consumer, partitions)

    def _hold_events(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        """Pause the event partitions just assigned while the reference feeds (accounts,
        devices) hold events not yet in the graph, whichever consumer of the group reads
        them: Kafka orders nothing across topics, and a login or an incident naming an
        account still in the accounts topic would be rejected as dangling. The targets
        are the reference partitions' ends now, so a reference feed that keeps flowing
        holds nothing back for long."""
        self._paused, self._gate = [], {}
        refs = {topic_of(self.settings, f) for f in REFERENCE_FEEDS} & set(self.topics)
        events = [p for p in partitions if p.topic not in refs]
        if not events or not refs:
            return
        from confluent_kafka.admin import OffsetSpec

        md = self.admin.list_topics(timeout=10)
        parts = [(t, p) for t in sorted(refs) if t in md.topics for p in md.topics[t].partitions]
        if not parts:
            return
        ends = self._offsets(parts, OffsetSpec.latest())
        starts = self._offsets(parts, OffsetSpec.earliest())
        targets = {offset_id(t, p): ends[(t, p)] for t, p in parts
                   if ends[(t, p)] > starts[(t, p)]}
        if targets and not self._references_in(targets):
            consumer.pause(events)
            self._paused, self._gate = events, targets
            log.info("events held until the reference feeds are in the graph (%s)",
                     ", ".join(f"{k}<{v}" for k, v in sorted(targets.items())))

    def _references_in(self, targets: dict[str, int]) -> bool:
        recs, _, _ = self.driver.execute_query(statement("stream/offsets_read"),
                                               ids=list(targets), database_=self.database)
        stored = {r["id"]: r["next_offset"] for r in recs}
        return all(stored.get(k) is not None and int(stored[k]) >= end
                   for k, end in targets.items())

    def _release_events(self) -> None:
        now = time.monotonic()
        if not self._paused or now - self._gate_at < 0.2:
            return
        self._gate_at = now
        if self._references_in(self._gate):
            self.consumer.resume(self._paused)
            log.info("reference feeds in the graph: events resumed")
            self._paused, self._gate = [], {}

    def _on_revoke(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        for p in partitions:
            key = (p.topic, p.partition)
            self.assignment.discard(key)
            self.positions.pop(key, None)
            with contextlib.suppress(KeyError):
                self.metrics.lag.remove(p.topic, str(p.partition))
        gone = {(p.topic, p.partition) for p in partitions}
        self._paused = [p for p in self._paused if (p.topic, p.partition) not in gone]
        if partitions:
            log.info("revoked %s", ", ".join(f"{p.topic}[{p.partition}]" for p in partitions))

    # ------------------------------------------------------------ the loop
    def run(self, *, max_batches: int | None = None, idle_exit_s: float | None = None,
            on_batch: Callable[[StreamStats], None] | None = None) -> StreamStats:
        """Consume until stopped (stop_event, max_batches) or, with idle_exit_s, until
        this consumer is caught up (lag 0) and got no event for that long."""
        from confluent_kafka import KafkaError, KafkaException

        self.consumer.subscribe(self.topics, on_assign=self._on_assign,
                                on_revoke=self._on_revoke, on_lost=self._on_revoke)
        idle_since = time.monotonic()
        try:
            while not self.stop_event.is_set():
                self._release_events()
                msgs = self.consumer.consume(self.batch_size, timeout=self.poll_s)
                good = []
                for m in msgs:
                    err = m.error()
                    if err is None:
                        good.append(m)
                    elif err.fatal():
                        raise StreamError(f"Kafka consumer failed: {err}")
                    elif err.code() != KafkaError._PARTITION_EOF:
                        log.warning("Kafka: %s", err)
                if good:
                    self._process(good)
                    idle_since = time.monotonic()
                self._update_lag(force=not good)
                if good and on_batch is not None:
                    on_batch(self.stats)
                if max_batches is not None and self.stats.batches >= max_batches:
                    break
                if (idle_exit_s is not None and not good and self.assigned_once
                        and self.total_lag == 0
                        and time.monotonic() - idle_since >= idle_exit_s):
                    break
        except KafkaException as e:
            raise StreamError(f"Kafka: {e}") from e
        finally:
            self.close()
        return self.stats

    def close(self) -> None:
        # Leaves the group at once: no wait for a session timeout. Closed already: fine.
        with contextlib.suppress(RuntimeError):
            self.consumer.close()
        self.dlq.flush(10)
        self.metrics.close()

    def _process(self, msgs: list[Message]) -> None:
        if self.stats.first_batch_at is None:
            self.stats.first_batch_at = time.monotonic()
        self.ctx.now = datetime.now(UTC)
        self._batch_accounts.clear()
        items: list[_Item] = []
        rejects: list[dict[str, Any]] = []
        nexts: dict[str, tuple[str, int, int]] = {}
        seen: set[tuple[str, str]] = set()
        # Reference feeds first (accounts before the transfers that name them).
        order = sorted(msgs, key=lambda m: _FEED_ORDER.get(
            (feed_of(self.prefix, m.topic() or "") or FEEDS[0]).name, 0))
        for m in order:
            topic, part, offset = m.topic() or "", m.partition() or 0, m.offset() or 0
            pid = offset_id(topic, part)
            prev = nexts.get(pid)
            nexts[pid] = (topic, part, max(offset + 1, prev[2] if prev else 0))
            self.stats.consumed += 1
            feed = feed_of(self.prefix, topic)
            if feed is None:
                continue  # not a feed topic (never subscribed)
            raw, problem = _decode(m.value(), feed)
            if problem is not None:
                rejects.append(self._dead_letter(feed, m, "(record)", problem, raw))
                continue
            assert raw is not None
            try:
                shaped = feed.shape(raw, self.ctx)
            except RowRejected as e:
                rejects.append(self._dead_letter(feed, m, e.field, e.reason, raw))
                continue
            if (feed.name, shaped.key) in seen:
                self.stats.duplicates += 1
                self.metrics.events.labels(feed.name, "duplicate").inc()
                continue
            seen.add((feed.name, shaped.key))
            if shaped.new_account:
                self._batch_accounts.add(shaped.new_account)
            _ts_type, ts_ms = m.timestamp()
            items.append(_Item(feed, pid, offset, shaped, ts_ms))
        if rejects:
            self._send_dead_letters(rejects)
        parts = [{"id": pid, "topic": t, "partition": p} for pid, (t, p, _n) in nexts.items()]
        advance = [{"id": pid, "next": n} for pid, (_t, _p, n) in nexts.items()]
        try:
            with self.driver.session(database=self.database) as session:
                kept: list[_Item] = session.execute_write(_write_batch, items, parts, advance)
        except (ServiceUnavailable, SessionExpired) as e:
            # Nothing of the batch is in the graph and its offsets did not move: a restart
            # reads it again (its dead letters, sent already, may repeat).
            raise GraphUnavailableError(f"Neo4j became unreachable during the stream: {e}"
                                        ) from e
        done_ms = time.time() * 1000
        self.stats.last_commit_at = time.monotonic()
        for it in kept:
            if it.shaped.new_account:
                self._known.add(key64(it.shaped.new_account))
            lat = max(0.0, (done_ms - it.produced_ms) / 1000)
            self.metrics.latency.observe(lat)
            if len(self.stats.latencies_s) < 2_000_000:
                self.stats.latencies_s.append(lat)
            self.stats.per_feed[it.feed.name] = self.stats.per_feed.get(it.feed.name, 0) + 1
            self.metrics.events.labels(it.feed.name, "loaded").inc()
        skipped = len(items) - len(kept)
        if skipped:
            self.metrics.events.labels("(any)", "skipped").inc(skipped)
        self.stats.loaded += len(kept)
        self.stats.skipped += skipped
        self.stats.batches += 1
        for _pid, (t, p, n) in nexts.items():
            if (t, p) in self.assignment:
                self.positions[(t, p)] = n
        log.info("batch %d: %d events, %d loaded, %d rejected, %d skipped",
                 self.stats.batches, len(msgs), len(kept), len(rejects), skipped)

    # ------------------------------------------------------------ dead letters
    def _dead_letter(self, feed: Feed, m: Message, field_name: str, reason: str,
                     raw: dict[str, Any] | None) -> dict[str, Any]:
        self.stats.rejected += 1
        self.metrics.events.labels(feed.name, "rejected").inc()
        redacted = redacted_row(feed, raw, self.pseudo)
        return {"feed": feed.name, "topic": m.topic(), "partition": m.partition(),
                "offset": m.offset(), "field": field_name, "reason": reason,
                "row": json.loads(redacted) if redacted else None,
                "rejected_at": datetime.now(UTC).isoformat()}

    def _send_dead_letters(self, letters: list[dict[str, Any]]) -> None:
        """Produce and wait for the broker's acknowledgement: only then may the graph
        transaction move the offsets past these events."""
        errors: list[str] = []

        def done(err: Any, _msg: Any) -> None:
            if err is not None:
                errors.append(str(err))

        for letter in letters:
            key = f"{letter['topic']}:{letter['partition']}:{letter['offset']}".encode()
            self.dlq.produce(self.dlq_topic, json.dumps(letter, ensure_ascii=False).encode(), key,
                             on_delivery=done)
        left = self.dlq.flush(30)
        if left or errors:
            raise StreamError(f"the dead-letter topic {self.dlq_topic} did not take "
                              f"{left or len(errors)} events: {errors[:1]}")

    # ------------------------------------------------------------ lag
    def _update_lag(self, *, force: bool) -> None:
        """The lag gauges: each assigned partition's end offset (one request for all, from
        an admin client: the consumer's own look-up waits behind its fetches) less the
        next offset in the graph (or, with none stored yet, the partition's start)."""
        now = time.monotonic()
        if now - self._lag_at < (0.5 if force else 2.0):
            return
        self._lag_at = now
        from confluent_kafka import KafkaException
        from confluent_kafka.admin import OffsetSpec

        parts = sorted(self.assignment)
        if not parts:
            self.total_lag = 0
            self.metrics.lag_total.set(0)
            return
        unknown = [tp for tp in parts if self.positions.get(tp) is None]
        try:
            ends = self._offsets(parts, OffsetSpec.latest())
            starts = self._offsets(unknown, OffsetSpec.earliest()) if unknown else {}
        except KafkaException as e:
            log.warning("no end offsets for the lag: %s", e)
            self.total_lag = None
            return
        total = 0
        for tp in parts:
            pos = self.positions.get(tp)
            lag = max(0, ends[tp] - (pos if pos is not None else starts[tp]))
            self.metrics.lag.labels(tp[0], str(tp[1])).set(lag)
            total += lag
        self.metrics.lag_total.set(total)
        self.total_lag = total

    def _offsets(self, parts: list[tuple[str, int]], spec: Any) -> dict[tuple[str, int], int]:
        from confluent_kafka import TopicPartition

        futures = self.admin.list_offsets({TopicPartition(t, p): spec for t, p in parts},
                                          request_timeout=5)
        return {(tp.topic, tp.partition): int(f.result(timeout=10).offset)
                for tp, f in futures.items()}


def _decode(value: bytes | None, feed: Feed) -> tuple[dict[str, Any] | None, str | None]:
    """The event's values by column, or why it is not an event of the feed."""
    if not value:
        return None, "empty event"
    try:
        obj = json.loads(value)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        return None, f"not JSON ({type(e).__name__})"
    if not isinstance(obj, dict):
        return None, "not a JSON object"
    raw = {c: obj.get(c) for c in feed.columns}
    for c, v in raw.items():
        if isinstance(v, (dict, list)):
            return {k: (None if isinstance(x, (dict, list)) else x) for k, x in raw.items()}, (
                f"{c}: must be a single value, not a JSON {type(v).__name__}")
    return raw, None


def _write_batch(tx: ManagedTransaction, items: list[_Item], parts: list[dict[str, Any]],
                 advance: list[dict[str, Any]]) -> list[_Item]:
    """One poll's events and the offsets past them, in one transaction. Returns the
    events written (those at or past the offset the graph already held)."""
    stored = {r["id"]: r["next_offset"]
              for r in tx.run(statement("stream/offsets_lock"), parts=parts)}
    kept = [it for it in items
            if stored.get(it.part) is None or it.offset >= int(stored[it.part])]
    by_feed: dict[str, list[_Item]] = {}
    for it in kept:
        by_feed.setdefault(it.feed.name, []).append(it)
    times: list[int] = []
    for feed in FEEDS:
        batch = by_feed.get(feed.name)
        if not batch:
            continue
        banks = sorted({it.shaped.bank for it in batch if it.shaped.bank})
        if banks:
            tx.run(cypher("banks"), rows=banks).consume()
        rows = [it.shaped.row for it in batch]
        query, params = write_statement(feed.name, rows)
        tx.run(query, params).consume()
        times += [r["ts"] for r in rows if isinstance(r.get("ts"), int)]
    tx.run(statement("stream/offsets_write"), parts=advance,
           max_ts=max(times) if times else None).consume()
    return kept
