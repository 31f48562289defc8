"""The live event stream against a real Kafka broker (the project-managed KRaft node, on
the test ports) and the test Neo4j: events land once, a killed consumer resumes without
loss or re-reading, bad events reach the dead-letter topic pseudonymised, and the
pre-payment check's own statement sees a streamed transfer and SIM swap."""

from __future__ import annotations

import gc
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from api.decision import facts_from_row
from cypher import statement
from fraudgraph.kafka_server import KafkaServer
from fraudgraph.pseudonym import Pseudonymiser
from fraudgraph.settings import REPO_ROOT, Settings
from graph_loader.checksum import graph_checksum
from graph_loader.load import load_directory
from graph_loader.stream import StreamConsumer
from graph_loader.topics import (
    EventProducer,
    dlq_topic,
    ensure_topics,
    feed_topics,
    produce_directory,
    topic_of,
)
from tests.conftest import TEST_KEY
from tests.graph_loader.conftest import IBANS, IINS, PHONES, kz_iban

REFERENCE = ("accounts", "devices")


@pytest.fixture(scope="session")
def kafka_settings(settings: Settings) -> Iterator[Settings]:
    """The broker on the test ports for the whole session (stopped at the end if this
    session started it)."""
    port = int(os.environ.get("FRAUDGRAPH_TEST_KAFKA_PORT", "9094"))
    s = settings.model_copy(update={
        "kafka_bootstrap_servers": None, "kafka_port": port,
        "kafka_controller_port": int(os.environ.get("FRAUDGRAPH_TEST_KAFKA_CONTROLLER_PORT",
                                                    port + 1)),
        "stream_session_timeout_ms": 6000, "stream_metrics_port": 0})
    server = KafkaServer(s)
    started, _msg = server.start()  # raises (an error, not a skip) if it cannot start
    try:
        yield s
    finally:
        gc.collect()  # the tests' Kafka clients go before the broker (no reconnect noise)
        if started:
            server.stop()


@pytest.fixture
def stream_settings(kafka_settings: Settings) -> Iterator[Settings]:
    """Topics of this test's own (a fresh prefix): no event of another test is read.
    Deleted afterwards, so the test broker's store does not grow run after run."""
    from confluent_kafka.admin import AdminClient

    s = kafka_settings.model_copy(update={"stream_topic_prefix": f"t{uuid.uuid4().hex[:10]}."})
    ensure_topics(s)
    yield s
    admin = AdminClient({"bootstrap.servers": s.kafka_bootstrap})
    topics = [*feed_topics(s), dlq_topic(s)]
    for fut in admin.delete_topics(topics, request_timeout=30).values():
        fut.result(timeout=30)


def _consume(s: Settings, graph: Driver, pseudo: Pseudonymiser, **kw: Any) -> StreamConsumer:
    consumer = StreamConsumer(s, graph, pseudo, poll_s=0.2, **kw)
    consumer.run(idle_exit_s=1.0)
    return consumer


def _split(src: Path, dst: Path, feeds: tuple[str, ...]) -> Path:
    dst.mkdir()
    for f in feeds:
        shutil.copy(src / f"{f}.csv", dst / f"{f}.csv")
    return dst


def _load(graph: Driver, db: str, d: Path, pseudo: Pseudonymiser, tmp: Path) -> Any:
    return load_directory(graph, db, d, pseudo, rejects_path=tmp / f"{d.name}-rejects.csv",
                          progress=False)


def _dead_letters(s: Settings, n: int, timeout_s: float = 20.0) -> list[bytes]:
    from confluent_kafka import Consumer

    c = Consumer({"bootstrap.servers": s.kafka_bootstrap, "group.id": f"dlq-{uuid.uuid4()}",
                  "auto.offset.reset": "earliest", "enable.auto.commit": False})
    c.subscribe([dlq_topic(s)])
    out: list[bytes] = []
    deadline = time.monotonic() + timeout_s
    try:
        while len(out) < n and time.monotonic() < deadline:
            for m in c.consume(100, timeout=0.5):
                if m.error() is None:
                    out.append(m.value() or b"")
        # Anything beyond the n expected is read too: a repeat would show.
        for m in c.consume(100, timeout=1.0):
            if m.error() is None:
                out.append(m.value() or b"")
    finally:
        c.close()
    return out


def test_streamed_feeds_give_the_file_loaders_graph(
        graph: Driver, db: str, tiny_feeds: Path, pseudo: Pseudonymiser, tmp_path: Path,
        stream_settings: Settings) -> None:
    """The same feeds once loaded from files, once streamed (after the reference feeds
    are loaded): the same graph, content checksum included, and each event once."""
    rep = _load(graph, db, tiny_feeds, pseudo, tmp_path)
    assert rep.rejected == 0
    from_files = graph_checksum(graph, db)

    graph.execute_query("MATCH (n) DETACH DELETE n", database_=db)
    _load(graph, db, _split(tiny_feeds, tmp_path / "reference", REFERENCE), pseudo, tmp_path)
    events = ["phones", "logins", "transfers", "calls", "incidents", "list_entries"]
    sent = produce_directory(stream_settings, tiny_feeds, feeds=events)
    assert set(sent) == set(events)
    port = _free_port()
    consumer = StreamConsumer(stream_settings, graph, pseudo, poll_s=0.2, metrics_port=port)
    scraped: list[str] = []

    def scrape(_stats: object) -> None:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
            scraped.append(r.read().decode())

    consumer.run(idle_exit_s=1.0, on_batch=scrape)
    stats = consumer.stats
    assert stats.loaded == sum(sent.values()) and stats.rejected == 0
    assert graph_checksum(graph, db) == from_files
    # The offsets in the graph are the topics' ends: nothing left to read.
    recs, _, _ = graph.execute_query(
        "MATCH (o:StreamOffset) WHERE o.topic STARTS WITH $p "
        "RETURN o.topic AS t, sum(o.next_offset) AS n",
        p=stream_settings.stream_topic_prefix, database_=db)
    assert {r["t"]: r["n"] for r in recs} == {topic_of(stream_settings, f): n
                                            for f, n in sent.items()}
    assert consumer.total_lag == 0
    assert scraped and all('fraudgraph_stream_lag{partition="' in t for t in scraped)
    assert 'fraudgraph_stream_events_total{feed="transfers",outcome="loaded"} 4.0' in scraped[-1]

    # A second consumer of the same group reads nothing again.
    again = _consume(stream_settings, graph, pseudo)
    assert again.stats.consumed == 0
    assert graph_checksum(graph, db) == from_files


def _transfers(n: int, tag: str) -> list[dict[str, str]]:
    at = datetime(2026, 3, 4, 10, tzinfo=UTC)
    return [{"tx_id": f"{tag}-{i}", "from_iban": IBANS[i % 5], "to_iban": IBANS[(i + 1) % 5],
             "amount_kzt": str(100 + i), "at": (at + timedelta(seconds=i)).isoformat(),
             "channel": "app", "interbank": "false"} for i in range(n)]


def _stream_env(s: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("NEO4J_URI", "KAFKA_BOOTSTRAP_SERVERS")}
    env.update({
        "FRAUDGRAPH_VAR_DIR": str(s.var_dir), "FRAUDGRAPH_BOLT_PORT": str(s.bolt_port),
        "FRAUDGRAPH_HTTP_PORT": str(s.http_port), "FRAUDGRAPH_PSEUDONYM_KEY": TEST_KEY,
        "FRAUDGRAPH_ENV": "test", "FRAUDGRAPH_KAFKA_PORT": str(s.kafka_port),
        "FRAUDGRAPH_STREAM_TOPIC_PREFIX": s.stream_topic_prefix,
        "FRAUDGRAPH_STREAM_SESSION_TIMEOUT_MS": "6000"})
    return env


def _stream_cmd(report: Path, batch: int) -> list[str]:
    exe = Path(sys.executable).with_name("fraudgraph")
    return [str(exe), "stream", "--batch-size", str(batch), "--metrics-port", "0",
            "--idle-exit", "1.5", "--report", str(report)]


def _tx_ids(graph: Driver, db: str, tag: str) -> list[str]:
    recs, _, _ = graph.execute_query(
        "MATCH ()-[t:TRANSFERRED]->() WHERE t.tx_id STARTS WITH $tag RETURN t.tx_id AS id",
        tag=tag + "-", database_=db)
    return [r["id"] for r in recs]


def test_consumer_killed_mid_stream_resumes_without_loss_or_rereading(
        graph: Driver, db: str, tiny_feeds: Path, pseudo: Pseudonymiser, tmp_path: Path,
        stream_settings: Settings) -> None:
    """`fraudgraph stream` is SIGKILLed mid-stream and started again: every produced
    transfer is in the graph once, and the second run reads exactly the events the first
    had not committed (it seeks to the offsets stored with the graph writes)."""
    _load(graph, db, _split(tiny_feeds, tmp_path / "reference", REFERENCE), pseudo, tmp_path)
    n = 20000
    produced = _transfers(n, "k")
    prod = EventProducer(stream_settings)
    for raw in produced:
        prod.send("transfers", raw)
    prod.flush()

    first = subprocess.Popen(_stream_cmd(tmp_path / "first.json", 100),
                             env=_stream_env(stream_settings), cwd=REPO_ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 40
    try:
        while len(_tx_ids(graph, db, "k")) < 800:
            assert first.poll() is None, first.stderr.read().decode()[-2000:] if first.stderr else ""
            assert time.monotonic() < deadline, "the consumer made no progress"
            time.sleep(0.05)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    committed = len(_tx_ids(graph, db, "k"))
    assert 800 <= committed < n, "the kill did not land mid-stream"

    second = subprocess.run(_stream_cmd(tmp_path / "second.json", 100),
                            env=_stream_env(stream_settings), cwd=REPO_ROOT,
                            capture_output=True, text=True, timeout=60, check=False)
    assert second.returncode == 0, second.stderr[-2000:]
    rep = json.loads((tmp_path / "second.json").read_text())
    ids = _tx_ids(graph, db, "k")
    assert len(ids) == n and set(ids) == {r["tx_id"] for r in produced}
    assert rep["consumed"] == n - committed and rep["skipped"] == 0
    assert rep["loaded"] == n - committed


def test_rebalance_between_two_consumers_loses_and_repeats_nothing(
        graph: Driver, db: str, tiny_feeds: Path, pseudo: Pseudonymiser, tmp_path: Path,
        stream_settings: Settings) -> None:
    """A second consumer joins the group mid-stream (the partitions are shared out again):
    between them every event is loaded once, none read twice."""
    _load(graph, db, _split(tiny_feeds, tmp_path / "reference", REFERENCE), pseudo, tmp_path)
    n = 3000
    prod = EventProducer(stream_settings)
    for raw in _transfers(n, "r"):
        prod.send("transfers", raw)
    prod.flush()
    a = StreamConsumer(stream_settings, graph, pseudo, poll_s=0.2, batch_size=50)
    b = StreamConsumer(stream_settings, graph, pseudo, poll_s=0.2, batch_size=50)
    def slow(_stats: object) -> None:
        time.sleep(0.1)  # the graph of a busy day: the stream lasts long enough to share

    threads = [threading.Thread(target=c.run, kwargs={"idle_exit_s": 2.0, "on_batch": slow})
               for c in (a, b)]
    threads[0].start()
    deadline = time.monotonic() + 30
    while a.stats.loaded < 300 and time.monotonic() < deadline:
        time.sleep(0.02)
    threads[1].start()
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads)
    assert 0 < a.stats.loaded < n and b.stats.loaded > 0, "no rebalance happened"
    assert a.stats.loaded + b.stats.loaded == n
    assert a.stats.skipped + b.stats.skipped == 0
    assert len(set(_tx_ids(graph, db, "r"))) == len(_tx_ids(graph, db, "r")) == n


def test_bad_events_reach_the_dead_letter_topic_pseudonymised(
        graph: Driver, db: str, tiny_feeds: Path, pseudo: Pseudonymiser, tmp_path: Path,
        stream_settings: Settings) -> None:
    _load(graph, db, _split(tiny_feeds, tmp_path / "reference", REFERENCE), pseudo, tmp_path)
    good = _transfers(3, "g")
    bad_amount = {**good[0], "tx_id": "bad-1", "amount_kzt": "-5"}
    unknown_login = {"session_id": "l-x", "iban": kz_iban("125", 99), "device_id": "dev-a",
                     "ip": "10.0.0.9", "at": "2026-03-04T10:00:00+05:00"}
    prod = EventProducer(stream_settings)
    for raw in good:
        prod.send("transfers", raw)
    prod.send("transfers", bad_amount)
    prod.send("logins", unknown_login)
    prod.producer.produce(topic_of(stream_settings, "calls"), b"{not json")
    prod.flush()

    c = _consume(stream_settings, graph, pseudo)
    assert c.stats.loaded == 3 and c.stats.rejected == 3
    assert sorted(_tx_ids(graph, db, "g")) == sorted(r["tx_id"] for r in good)
    assert _tx_ids(graph, db, "bad") == []

    letters = _dead_letters(stream_settings, 3)
    assert len(letters) == 3
    by_feed = {json.loads(m)["feed"]: json.loads(m) for m in letters}
    amount = by_feed["transfers"]
    assert amount["field"] == "amount_kzt" and "positive" in amount["reason"]
    assert amount["topic"] == topic_of(stream_settings, "transfers")
    assert isinstance(amount["offset"], int) and isinstance(amount["partition"], int)
    assert amount["row"]["from_iban"] == pseudo("account", good[0]["from_iban"])
    login = by_feed["logins"]
    assert login["field"] == "iban" and "dangling" in login["reason"]
    assert by_feed["calls"]["field"] == "(record)" and "JSON" in by_feed["calls"]["reason"]
    blob = b"".join(letters).decode()
    for raw_id in (good[0]["from_iban"], good[0]["to_iban"], unknown_login["iban"], "dev-a",
                   "10.0.0.9"):
        assert raw_id not in blob


def test_check_statement_sees_a_streamed_transfer_and_sim_swap(
        graph: Driver, db: str, tiny_feeds: Path, pseudo: Pseudonymiser, tmp_path: Path,
        stream_settings: Settings) -> None:
    """Once its batch is committed, the pre-payment check's own statement
    (cypher/api/check.cypher, read as the API reads it) sees the streamed events."""
    _load(graph, db, _split(tiny_feeds, tmp_path / "reference", REFERENCE), pseudo, tmp_path)
    now = datetime.now(UTC).replace(microsecond=0)
    payer, payee = IBANS[1], IBANS[4]
    params = {"payer": pseudo("account", payer), "payee": pseudo("account", payee),
              "device": None, "phone": None, "at": int(now.timestamp()),
              "sim_window": 48 * 3600, "inbound_window": 2 * 3600}

    def facts() -> Any:
        recs, _, _ = graph.execute_query(statement("api/check"), params, database_=db)
        return facts_from_row(dict(recs[0]))

    before = facts()
    assert before.max_interbank_inbound == 0 and before.prior_payments == 0
    prod = EventProducer(stream_settings)
    inbound_ts = now - timedelta(minutes=10)
    prod.send("transfers", {"tx_id": "in-1", "from_iban": IBANS[0], "to_iban": payer,
                            "amount_kzt": "250000", "at": inbound_ts.isoformat(),
                            "channel": "app", "interbank": "true"})
    prod.send("transfers", {"tx_id": "pay-1", "from_iban": payer, "to_iban": payee,
                            "amount_kzt": "1000", "at": (now - timedelta(minutes=5)).isoformat(),
                            "channel": "app", "interbank": "false"})
    swap_ts = now - timedelta(hours=1)
    prod.send("phones", {"event_id": "swap-1", "number": PHONES[1], "operator": "KCELL",
                         "holder_iin": IINS[1], "event": "swap", "at": swap_ts.isoformat()})
    prod.flush()
    c = _consume(stream_settings, graph, pseudo)
    assert c.stats.loaded == 3
    after = facts()
    assert after.max_interbank_inbound == 250000.0
    assert after.prior_payments == 1
    assert after.last_sim_change_ts == int(swap_ts.timestamp())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_zombie_batch_is_skipped_by_the_offsets_in_its_transaction(
        graph: Driver, db: str, tiny_feeds: Path, pseudo: Pseudonymiser, tmp_path: Path,
        stream_settings: Settings) -> None:
    """A consumer that lost its partitions but still writes the batch it holds (after the
    new owner committed it) finds the graph's offsets past it, in the same transaction as
    its write, and writes nothing: the events are not applied twice."""
    from confluent_kafka import Consumer

    _load(graph, db, _split(tiny_feeds, tmp_path / "reference", REFERENCE), pseudo, tmp_path)
    prod = EventProducer(stream_settings)
    for raw in _transfers(20, "z"):
        prod.send("transfers", raw)
    prod.flush()
    raw_consumer = Consumer({"bootstrap.servers": stream_settings.kafka_bootstrap,
                             "group.id": f"peek-{uuid.uuid4()}", "enable.auto.commit": False,
                             "auto.offset.reset": "earliest"})
    raw_consumer.subscribe([topic_of(stream_settings, "transfers")])
    msgs: list[Any] = []
    deadline = time.monotonic() + 20
    while len(msgs) < 20 and time.monotonic() < deadline:
        msgs += [m for m in raw_consumer.consume(20, timeout=0.5) if m.error() is None]
    raw_consumer.close()
    assert len(msgs) == 20
    owner = StreamConsumer(stream_settings, graph, pseudo)
    zombie = StreamConsumer(stream_settings, graph, pseudo)
    try:
        owner._process(msgs)
        zombie._process(msgs[5:])  # the same events, later than the owner's commit
    finally:
        owner.close()
        zombie.close()
    assert owner.stats.loaded == 20
    assert zombie.stats.loaded == 0 and zombie.stats.skipped == 15


def test_sigterm_stops_the_consumer_cleanly_after_its_batch(
        graph: Driver, db: str, tiny_feeds: Path, pseudo: Pseudonymiser, tmp_path: Path,
        stream_settings: Settings) -> None:
    """`fraudgraph stream` without --idle-exit runs until stopped; SIGTERM ends it with
    exit code 0 and its report, what it loaded committed."""
    _load(graph, db, _split(tiny_feeds, tmp_path / "reference", REFERENCE), pseudo, tmp_path)
    prod = EventProducer(stream_settings)
    for raw in _transfers(30, "s"):
        prod.send("transfers", raw)
    prod.flush()
    cmd = [c for c in _stream_cmd(tmp_path / "run.json", 100) if c not in ("--idle-exit", "1.5")]
    proc = subprocess.Popen(cmd, env=_stream_env(stream_settings), cwd=REPO_ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while len(_tx_ids(graph, db, "s")) < 30:
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(1.0)
        assert proc.poll() is None  # still consuming, waiting for more
        proc.send_signal(signal.SIGTERM)
        rc = proc.wait(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert rc == 0, proc.stderr.read().decode()[-2000:] if proc.stderr else ""
    rep = json.loads((tmp_path / "run.json").read_text())
    assert rep["loaded"] == 30 and rep["consumed"] == 30


def test_events_wait_for_the_reference_feeds_streamed_with_them(
        graph: Driver, db: str, tiny_feeds: Path, pseudo: Pseudonymiser, tmp_path: Path,
        stream_settings: Settings) -> None:
    """Everything streamed, the events published before the accounts and devices they
    name, read a few at a time: the event partitions wait until the reference feeds are
    in the graph, so the graph is the file loader's (no login dead-lettered as dangling,
    no participant's account taken for an external one)."""
    rep = _load(graph, db, tiny_feeds, pseudo, tmp_path)
    assert rep.rejected == 0
    from_files = graph_checksum(graph, db)
    d1 = _dump(graph, db)
    graph.execute_query("MATCH (n) DETACH DELETE n", database_=db)

    events = ["phones", "logins", "transfers", "calls", "incidents", "list_entries"]
    sent = produce_directory(stream_settings, tiny_feeds, feeds=events)
    sent |= produce_directory(stream_settings, tiny_feeds, feeds=list(REFERENCE))
    consumer = StreamConsumer(stream_settings, graph, pseudo, poll_s=0.2, batch_size=1)
    consumer.run(idle_exit_s=1.0)
    d2 = _dump(graph, db)
    assert consumer.stats.rejected == 0
    assert consumer.stats.loaded == sum(sent.values())
    assert d1 == d2, ([x for x in d1 if x not in d2], [x for x in d2 if x not in d1])
    assert graph_checksum(graph, db) == from_files


def _dump(graph: Driver, db: str) -> list[str]:
    """Every loaded node and relationship as sorted JSON lines (a readable diff where the
    checksum only says that something differs)."""
    nodes, _, _ = graph.execute_query(
        "MATCH (n) WHERE NOT n:LoadBatch AND NOT n:Meta AND NOT n:StreamOffset "
        "RETURN labels(n) AS l, properties(n) AS p", database_=db)
    rels, _, _ = graph.execute_query(
        "MATCH (a)-[r]->(b) RETURN type(r) AS t, a.id AS a, b.id AS b, properties(r) AS p",
        database_=db)
    return sorted(json.dumps([sorted(r["l"]), {k: v for k, v in r["p"].items()
                                               if k != "updated_at"}],
                             sort_keys=True, default=str) for r in nodes) + sorted(
        json.dumps([r["t"], r["a"], r["b"], r["p"]], sort_keys=True, default=str)
        for r in rels)
