"""The API's read bounds, without a server: a request's deadline is shared by all its
reads, and a timed-out read answers at its bound even when cancelling it takes longer."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from api.db import Graph, request_deadline
from api.errors import Unavailable


class SlowGraph(Graph):
    """A Graph whose every read takes `delay_s`, and whose cancellation lingers
    `linger_s` (as a session closing on a dead connection does)."""

    def __init__(self, delay_s: float, linger_s: float = 0.0, cold_s: float = 0.0) -> None:
        super().__init__(None, "neo4j", retry_after_s=2, timeout_s=5.0)  # type: ignore[arg-type]
        self.delay_s = delay_s
        self.linger_s = linger_s
        self.cold_s = cold_s  # the first read of a statement plans it: this much longer
        self.planned: set[str] = set()
        self.started = 0

    async def _run_read(self, query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        self.started += 1
        try:
            if query not in self.planned:
                await asyncio.sleep(self.cold_s)
                self.planned.add(query)
            await asyncio.sleep(self.delay_s)
        except asyncio.CancelledError:
            await asyncio.sleep(self.linger_s)
            raise
        return [{"ok": 1}]


def test_a_timed_out_read_answers_at_its_bound_not_after_its_cancellation() -> None:
    g = SlowGraph(delay_s=10, linger_s=1.5)

    async def run() -> float:
        t0 = time.monotonic()
        with pytest.raises(Unavailable) as e:
            await g.read("RETURN 1", budget_s=0.3)
        assert e.value.headers == {"Retry-After": "2"}
        return time.monotonic() - t0

    elapsed = asyncio.run(run())
    assert 0.3 <= elapsed < 0.8, elapsed


def test_reads_of_one_request_share_its_deadline() -> None:
    # Each read alone fits its own 0.5 s budget; two in a row do not fit a 0.6 s request.
    g = SlowGraph(delay_s=0.35)

    async def run() -> tuple[float, int]:
        t0 = time.monotonic()
        with request_deadline(0.6):
            assert await g.read("RETURN 1", budget_s=0.5) == [{"ok": 1}]
            with pytest.raises(Unavailable):
                await g.read("RETURN 2", budget_s=0.5)
        return time.monotonic() - t0, g.started

    elapsed, started = asyncio.run(run())
    assert 0.6 <= elapsed < 0.9, elapsed
    assert started == 2


def test_a_spent_deadline_answers_at_once() -> None:
    g = SlowGraph(delay_s=0.01)

    async def run() -> float:
        with request_deadline(0.05):
            await asyncio.sleep(0.1)
            t0 = time.monotonic()
            with pytest.raises(Unavailable):
                await g.read("RETURN 1", budget_s=1.0)
            return time.monotonic() - t0

    assert asyncio.run(run()) < 0.05


def test_without_a_deadline_a_read_keeps_its_own_bound() -> None:
    g = SlowGraph(delay_s=0.2)
    assert asyncio.run(g.read("RETURN 1", budget_s=1.0)) == [{"ok": 1}]


def test_a_cold_statement_is_planned_once_and_later_reads_wait_for_that_plan() -> None:
    # Planning takes 0.8 s, longer than the 0.5 s budget: the first read answers 503 and
    # its query goes on; the reads behind it do not start queries of their own.
    g = SlowGraph(delay_s=0.01, cold_s=0.8)

    async def run() -> list[str]:
        async def one(delay: float) -> str:
            await asyncio.sleep(delay)
            try:
                await g.read("check", budget_s=0.5)
                return "ok"
            except Unavailable:
                return "503"

        first = await one(0)
        assert g.started == 1 and "check" in g._warming
        # Arriving while the plan is made: they wait, and get their answer when it is.
        later = await asyncio.gather(*(one(0.05 * i) for i in range(5)))
        return [first, *later]

    outcomes = asyncio.run(run())
    assert outcomes[0] == "503"
    assert outcomes[1:] == ["ok"] * 5, outcomes
    assert g.started == 6  # the warm-up, then one quick read each once the plan was there


def test_the_front_door_gives_a_budgeted_path_one_deadline_for_the_key_and_the_route() -> None:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from api.db import _bound
    from api.guard import GuardMiddleware

    g = SlowGraph(delay_s=0.3)

    class Keys:
        async def lookup(self, token: str) -> object:
            await g.read("key lookup", budget_s=1.0)  # spends 0.3 s of the deadline
            return object()

    async def left(request: Request) -> JSONResponse:
        return JSONResponse({"left": _bound(None)})

    app = Starlette(routes=[Route("/v1/check", left, methods=["POST"]),
                            Route("/v1/other", left, methods=["POST"])])
    app.state.keys = Keys()
    app.add_middleware(GuardMiddleware, max_body_bytes=1000, budgets={"/v1/check": 1.0})
    with TestClient(app) as c:
        auth = {"Authorization": "Bearer k"}
        left_check = c.post("/v1/check", json={}, headers=auth).json()["left"]
        left_other = c.post("/v1/other", json={}, headers=auth).json()["left"]
    assert left_check is not None and 0.0 < left_check <= 0.7, left_check
    assert left_other is None


def test_the_hot_statements_are_planned_again_when_the_graph_answers_after_an_outage() -> None:
    from neo4j.exceptions import ServiceUnavailable

    g = SlowGraph(delay_s=0.01)
    g.keep_warm("check", payer="")
    down = True
    real = g._run_read

    async def flaky(query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        if down:
            raise ServiceUnavailable("connection refused")
        return await real(query, params)

    g._run_read = flaky  # type: ignore[method-assign]

    async def run() -> list[str]:
        nonlocal down
        g._lost = False  # as if warmed at start
        with pytest.raises(Unavailable):
            await g.read("other")
        down = False
        await g.read("other")  # the first answer after the outage
        warming = list(g._warming)
        await asyncio.sleep(0.1)
        return warming

    assert asyncio.run(run()) == ["check"]
    assert "check" in g.planned and not g._warming


def test_a_probe_warms_the_hot_path_without_waiting_for_a_request() -> None:
    """After an outage nobody's request has to get through first: the graph is probed
    in the background, and its first answer plans the hot statements."""
    from neo4j.exceptions import ServiceUnavailable

    g = SlowGraph(delay_s=0.01, cold_s=0.05)
    g.keep_warm("check", payer="")
    down = True
    real = g._run_read

    async def flaky(query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        if down:
            raise ServiceUnavailable("connection refused")
        return await real(query, params)

    g._run_read = flaky  # type: ignore[method-assign]

    async def run() -> tuple[bool, bool, bool]:
        nonlocal down
        g._lost = False
        with pytest.raises(Unavailable):
            await g.read("other")
        await asyncio.sleep(0.6)  # probing, the graph still away
        planned_while_down = "check" in g.planned
        down = False
        await asyncio.sleep(0.6)  # no request at all meanwhile
        planned_after = "check" in g.planned
        await g.close()
        return planned_while_down, planned_after, g._probe is not None and g._probe.done()

    assert asyncio.run(run()) == (False, True, True)


def test_closing_the_graph_stops_a_probe_of_a_graph_that_never_comes_back() -> None:
    from neo4j.exceptions import ServiceUnavailable

    g = SlowGraph(delay_s=0.01)
    g.keep_warm("check", payer="")

    async def dead(query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        raise ServiceUnavailable("connection refused")

    g._run_read = dead  # type: ignore[method-assign]

    async def run() -> bool:
        g._lost = False
        with pytest.raises(Unavailable):
            await g.read("other")
        await asyncio.sleep(0.3)
        assert g._probe is not None and not g._probe.done()
        await g.close()
        return g._probe.done()

    assert asyncio.run(run())
