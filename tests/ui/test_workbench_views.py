"""The workbench's languages, zoned times and readable graphs (issue 18, item 6) in
Debian's headless Chromium against the real API on the generated world."""

from __future__ import annotations

import re
from typing import Any

import pytest
from neo4j import Driver

from fraudgraph.settings import Settings
from tests.ui.conftest import Tab
from tests.ui.test_workbench import GRAPH, search, wait_graph
from tests.ui.world import UiWorld

pytestmark = pytest.mark.browser

CAP = 15  # api/static/ui/js/fold.js NEIGHBOUR_CAP
ISO = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def nav_labels(tab: Tab) -> list[str]:
    return [a.inner_text() for a in tab.page.locator("nav li:not([hidden]) a").all()]


def pick_language(tab: Tab, code: str) -> None:
    tab.page.select_option("#lang-pick", code)
    tab.page.wait_for_function("(c) => document.documentElement.lang === c", arg=code)


def test_switching_language_relabels_the_page_and_is_remembered(tab: Tab, ui_world: UiWorld) -> None:
    tab.goto()
    assert tab.page.evaluate("() => document.documentElement.lang") == "en"
    assert tab.page.inner_text("#signin-title") == "Sign in"
    pick_language(tab, "kk")
    assert tab.page.inner_text("#signin-title") == "Кіру"
    assert tab.page.inner_text("label[for=signin-key]") == "API кілті"
    tab.page.fill("#signin-key", ui_world.analyst)
    tab.page.press("#signin-key", "Enter")
    tab.page.wait_for_selector("#who:not([hidden])")
    assert nav_labels(tab) == ["Іздеу", "Кластерлер мен схемалар", "Оқиғаны қадағалау",
                               "Атаулы сұраулар", "Тізімдер", "Ескертулер кезегі", "Істер"]
    assert tab.page.inner_text("#sign-out") == "Шығу"
    assert tab.page.inner_text("#search-title") == "Нысанды іздеу"
    # Remembered across a reload (localStorage), the key too (sessionStorage).
    tab.page.reload()
    tab.page.wait_for_selector("#who:not([hidden])")
    assert tab.page.evaluate("() => [document.documentElement.lang, localStorage.getItem('fraudgraph.lang')]") \
        == ["kk", "kk"]
    assert tab.page.input_value("#lang-pick") == "kk"
    assert nav_labels(tab)[0] == "Іздеу"
    tab.page.wait_for_selector("#search-title:has-text('Нысанды іздеу')")
    # Russian, with a view already open: it is built again in Russian.
    search(tab, ui_world.mule_id)
    pick_language(tab, "ru")
    assert nav_labels(tab)[0] == "Поиск"
    tab.page.wait_for_selector("#risk-card h3:has-text('Карточка риска')")
    band = tab.page.get_attribute("#risk-band", "data-band")
    assert tab.page.inner_text("#risk-band").lower() == {"low": "низкий", "medium": "средний", "high": "высокий",
                                                 "critical": "критический"}[band]
    wait_graph(tab)
    legend = tab.page.inner_text("#graph-panel .legend")
    assert "риск: низкий" in legend and "Фигуры" in legend
    tab.shot("10-russian")
    pick_language(tab, "en")
    assert nav_labels(tab)[0] == "Search"
    assert tab.errors == [], tab.errors


def zoned_times(tab: Tab, root: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = tab.page.evaluate(
        """(root) => [...document.querySelectorAll(`${root} time`)].map((el) => ({
             text: el.textContent, title: el.title, iso: el.dateTime }))""", root)
    return out


def test_every_time_shown_carries_its_zone(tab: Tab, ui_world: UiWorld) -> None:
    tab.sign_in(ui_world.analyst)
    tab.page.click("nav a[data-view=clusters]")
    tab.page.wait_for_selector("#cluster-list table")
    times = zoned_times(tab, "#cluster-list")
    assert times, "the cluster list shows when each cluster was first seen"
    for x in times:
        assert x["text"].endswith("GMT+5"), x
        assert "Asia/Almaty" in x["title"] and x["iso"].endswith("Z")
    # In Russian the same instants, still with the zone.
    pick_language(tab, "ru")
    tab.page.wait_for_selector("#cluster-list table")
    ru = zoned_times(tab, "#cluster-list")
    assert [x["iso"] for x in ru] == [x["iso"] for x in times]
    assert all(x["text"].endswith("GMT+5") and "Asia/Almaty" in x["title"] for x in ru)
    assert not ISO.search(tab.page.inner_text("main")), "a bare ISO time on the page"
    # The node detail's latest link time, too.
    pick_language(tab, "en")
    tab.page.click("nav a[data-view=search]")
    search(tab, ui_world.mule_id)
    wait_graph(tab)
    tab.page.click("#node-list summary")
    tab.page.click(f"#node-list button[data-node='{ui_world.mule_id}']")
    tab.page.wait_for_selector("#node-detail time")
    assert zoned_times(tab, "#node-detail")[0]["text"].endswith("GMT+5")
    assert not ISO.search(tab.page.inner_text("#risk-card"))
    assert tab.errors == [], tab.errors


def two_hops(tab: Tab, ui_world: UiWorld) -> None:
    tab.sign_in(ui_world.analyst)
    search(tab, ui_world.mule_id)
    wait_graph(tab)
    tab.page.select_option("#graph-panel select[name=hops]", "2")
    tab.page.click("#graph-panel button:has-text('Apply filters')")  # says "Loading" at once
    tab.page.wait_for_function(
        "(sel) => document.querySelector(sel).dataset.state === 'idle'"
        " && document.querySelector('#status').textContent.startsWith('Neighbourhood:')", arg=GRAPH)


def hub_state(tab: Tab, hub: str) -> dict[str, Any]:
    out: dict[str, Any] = tab.page.evaluate(
        """([sel, hub]) => { const cy = document.querySelector(sel).fgGraph.cy;
             const n = cy.getElementById(hub);
             const real = n.connectedEdges(':visible').connectedNodes(':visible').not(n);
             return { shown: real.not('.agg').map((x) => x.id()),
                      pinned: real.filter('.path, .start').map((x) => x.id()),
                      all: n.connectedEdges().not('.agg').connectedNodes().not(n).map((x) => x.id()),
                      more: cy.nodes('.agg[agg = "more"][hub = "' + hub + '"]').map((x) => x.id()) }; }""",
        [GRAPH, hub])
    return out


def dense_account(tab: Tab, ui_world: UiWorld, neo4j_driver: Driver, settings: Settings) -> str:
    """An account whose drawn 1-hop neighbourhood has more than CAP distinct neighbours."""
    recs, _, _ = neo4j_driver.execute_query(
        "MATCH (a:Account)--(b) WITH a, count(DISTINCT b) AS d WHERE d > $cap "
        "RETURN a.id AS id ORDER BY d DESC, id LIMIT 20", cap=CAP, database_=settings.neo4j_database)
    for r in recs:
        res = tab.page.request.post(
            tab.base + "/v1/queries/neighbourhood",
            headers={"Authorization": f"Bearer {ui_world.analyst}"},
            data={"params": {"id": r["id"], "hops": 1, "max_nodes": 200, "per_node": 25}}).json()
        if len({n["id"] for n in res["nodes"]} - {r["id"]}) > CAP + 2:
            return str(r["id"])
    raise AssertionError(f"no account with more than {CAP} neighbours drawn")


def test_a_dense_node_is_capped_and_its_aggregate_opens_on_click(
        tab: Tab, ui_world: UiWorld, neo4j_driver: Driver, settings: Settings) -> None:
    tab.sign_in(ui_world.analyst)
    dense = dense_account(tab, ui_world, neo4j_driver, settings)
    search(tab, dense)
    wait_graph(tab)
    aggs: list[dict[str, Any]] = tab.page.evaluate(
        "(sel) => document.querySelector(sel).fgGraph.aggregates()", GRAPH)
    more = [a for a in aggs if a["agg"] == "more" and a["hub"] == dense]
    assert more, f"the dense start is not capped ({aggs})"
    agg = more[0]
    before = hub_state(tab, agg["hub"])
    assert len(before["all"]) > CAP
    assert len(before["shown"]) <= CAP + len(before["pinned"])
    assert before["more"] == [agg["id"]]
    assert set(agg["members"]) <= set(before["all"]) and not set(agg["members"]) & set(before["shown"])
    assert agg["label"] == f"+{len(agg['members'])} more"
    # Fewer nodes drawn than the API returned: the drawing is folded.
    counts = tab.page.evaluate("(sel) => ({...document.querySelector(sel).dataset})", GRAPH)
    assert int(counts["shown"]) < int(counts["nodes"])
    tab.shot("11-two-hops-folded")
    # A real click on the aggregate shows what it held.
    tab.page.locator(GRAPH).scroll_into_view_if_needed()
    x, y = tab.page.evaluate(
        """async ([sel, id]) => { const c = document.querySelector(sel);
             await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
             const p = c.fgGraph.cy.getElementById(id).renderedPosition();
             const r = c.getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }""",
        [GRAPH, agg["id"]])
    tab.page.mouse.click(x, y)
    tab.page.wait_for_function("(t) => document.querySelector('#status').textContent.startsWith(t)",
                               arg="Showed ")
    after = hub_state(tab, agg["hub"])
    assert after["more"] == []
    assert set(agg["members"]) <= set(after["shown"])
    assert len(after["shown"]) > len(before["shown"])
    tab.shot("12-aggregate-opened")
    assert tab.errors == [], tab.errors


def test_low_risk_leaves_are_grouped(tab: Tab, ui_world: UiWorld) -> None:
    tab.goto()
    got = tab.page.evaluate(
        """async () => { const f = await import('./js/fold.js');
             const nodes = [{id: 'h', band: 'high', risk: 0.9}, {id: 'x', band: 'high', risk: 0.7}]
               .concat([1, 2, 3, 4].map((i) => ({id: 'l' + i, band: 'low', risk: 0.1})));
             const edges = nodes.slice(1).map((n) => ({id: 'e' + n.id, source: 'h', target: n.id}));
             const p = f.foldPlan(nodes, edges);
             const opened = f.foldPlan(nodes, edges, {open: new Set(['low:h'])});
             return { hidden: [...p.hiddenNodes].sort(), groups: p.groups,
                      reopened: [...opened.hiddenNodes] }; }""")
    assert got["hidden"] == ["l1", "l2", "l3", "l4"]
    assert got["groups"] == [{"id": "fold-low:h", "kind": "low", "hub": "h",
                              "members": ["l1", "l2", "l3", "l4"]}]
    assert got["reopened"] == []
    assert tab.errors == [], tab.errors


def test_the_time_slider_hides_transfers_outside_the_window(tab: Tab, ui_world: UiWorld) -> None:
    two_hops(tab, ui_world)
    tab.page.wait_for_selector("#time-window:not([hidden])")
    total = tab.page.evaluate(
        "(sel) => document.querySelector(sel).fgGraph.cy.edges(\"[type = 'TRANSFERRED']\").length", GRAPH)
    assert total > 1
    # Narrow the window to its later half.
    tab.page.evaluate(
        """() => { const r = document.querySelector('#time-window input[name=window-from]');
             r.value = '100'; r.dispatchEvent(new Event('input', {bubbles: true})); }""")
    lo = int(tab.page.get_attribute("#time-window", "data-from") or "0")
    hi = int(tab.page.get_attribute("#time-window", "data-to") or "0")
    assert lo < hi
    state = tab.page.evaluate(
        """async ([sel, lo, hi]) => { const cy = document.querySelector(sel).fgGraph.cy;
             // Cytoscape recomputes styles on the next frame; visible() reads them.
             await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
             const tr = cy.edges("[type = 'TRANSFERRED']");
             const inside = (e) => (e.data('times') || []).some((x) => x >= lo && x <= hi);
             return { hidden: tr.filter((e) => e.hasClass('outside')).length,
                      wrong_hidden: tr.filter((e) => e.hasClass('outside') && inside(e)).length,
                      wrong_shown: tr.filter((e) => !e.hasClass('outside') && (e.data('times') || []).length
                        && !inside(e)).length,
                      drawn: tr.filter((e) => e.hasClass('outside') && e.visible()).length,
                      others: cy.edges().not("[type = 'TRANSFERRED']").filter('.outside').length }; }""",
        [GRAPH, lo, hi])
    assert state["hidden"] > 0, "the later half of the span hides no transfer"
    assert state["wrong_hidden"] == 0 and state["wrong_shown"] == 0 and state["drawn"] == 0
    assert state["others"] == 0
    text = tab.page.inner_text("#time-window output")
    assert text.count("GMT+5") == 2, text
    assert "Asia/Almaty" in (tab.page.get_attribute("#time-window output", "title") or "")
    tab.shot("13-time-window")
    tab.page.click("#time-window button")
    assert tab.page.evaluate(
        "(sel) => document.querySelector(sel).fgGraph.cy.edges('.outside').length", GRAPH) == 0
    assert tab.errors == [], tab.errors
