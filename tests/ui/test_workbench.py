"""The investigator workbench end to end: Debian's headless Chromium against the real API
on a generated world. Each step leaves a screenshot in var/ui-artifacts/."""

from __future__ import annotations

from typing import Any

import pytest

from fraudgraph.pseudonym import Pseudonymiser
from tests.ui.conftest import Tab
from tests.ui.world import UiWorld

pytestmark = pytest.mark.browser

GRAPH = "#neighbourhood-graph"


def api_get(tab: Tab, key: str, path: str) -> Any:
    r = tab.page.request.get(tab.base + path, headers={"Authorization": f"Bearer {key}"})
    assert r.ok, (path, r.status, r.text())
    return r.json()


def api_status(tab: Tab, key: str, method: str, path: str) -> int:
    r = tab.page.request.fetch(tab.base + path, method=method,
                               headers={"Authorization": f"Bearer {key}"})
    return r.status


def drawn(tab: Tab, sel: str) -> dict[str, Any]:
    """What the Cytoscape instance in `sel` holds: node ids (folded ones too, aggregate
    nodes not) and edges (type, classes)."""
    out: dict[str, Any] = tab.page.evaluate(
        """(sel) => { const cy = document.querySelector(sel).fgGraph.cy;
             return { nodes: cy.nodes().not('.agg').map((n) => n.id()),
                      shown: cy.nodes(':visible').not('.agg').map((n) => n.id()),
                      aggregates: cy.nodes('.agg').map((n) => n.data()),
                      expanded: cy.nodes('.expanded').map((n) => n.id()),
                      selected: cy.nodes(':selected').map((n) => n.id()),
                      edges: cy.edges().map((e) => ({ type: e.data('type'),
                                                       path: e.hasClass('path') })) }; }""",
        sel)
    return out


def click_node(tab: Tab, sel: str, node_id: str) -> None:
    """A real mouse click on a node of the canvas."""
    tab.page.locator(sel).scroll_into_view_if_needed()
    x, y = tab.page.evaluate(
        """async ([sel, id]) => { const c = document.querySelector(sel);
             await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
             const p = c.fgGraph.cy.getElementById(id).renderedPosition();
             const r = c.getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }""",
        [sel, node_id])
    tab.page.mouse.click(x, y)


def search(tab: Tab, identifier: str) -> None:
    tab.page.fill("#search-form input[name=id]", identifier)
    tab.page.press("#search-form input[name=id]", "Enter")
    tab.page.wait_for_selector("#risk-band")


def wait_graph(tab: Tab, sel: str = GRAPH) -> None:
    """Drawn; for the neighbourhood also done (explanation paths merged, layout settled)."""
    tab.page.wait_for_selector(f"{sel}[data-nodes]")
    if sel == GRAPH:
        tab.page.wait_for_selector(f"{sel}[data-state=idle]")


def clear_of_others(tab: Tab, sel: str, min_px: float = 18.0) -> list[str]:
    """Nodes with no other node within `min_px` on screen: a click there hits only them."""
    ids: list[str] = tab.page.evaluate(
        """([sel, d]) => { const cy = document.querySelector(sel).fgGraph.cy;
             const ps = cy.nodes(':visible').map((n) => [n.id(), n.renderedPosition(), n.hasClass('agg')]);
             return ps.filter(([, , agg]) => !agg).filter(([id, p]) => ps.every(([o, q]) => o === id
               || Math.hypot(p.x - q.x, p.y - q.y) >= d)).map(([id]) => id); }""",
        [sel, min_px])
    return ids


def test_sign_in_keeps_the_key_in_session_storage_only(tab: Tab, ui_world: UiWorld) -> None:
    tab.goto()
    tab.page.fill("#signin-key", "fgk_not-a-real-key")
    tab.page.press("#signin-key", "Enter")
    tab.page.wait_for_selector("#signin-error:has-text('does not know this key')")
    assert tab.page.is_hidden("#nav")
    # The browser reports the API's 401 on the console; nothing else may appear.
    assert all("401" in e for e in tab.errors), tab.errors
    tab.errors.clear()

    tab.page.fill("#signin-key", ui_world.analyst)
    tab.page.press("#signin-key", "Enter")
    tab.page.wait_for_selector("#who:not([hidden])")
    assert "afc_analyst" in tab.page.inner_text("#who-text")
    visible = [a.inner_text() for a in tab.page.locator("nav li:not([hidden]) a").all()]
    assert visible == ["Search", "Clusters & schemes", "Incident trace", "Named queries", "Lists",
                       "Alert queue", "Cases"]
    stored = tab.page.evaluate("() => [sessionStorage.getItem('fraudgraph.apiKey'), "
                               "localStorage.length, document.cookie]")
    assert stored == [ui_world.analyst, 0, ""]
    assert tab.page.input_value("#signin-key") == ""
    tab.shot("01-signed-in")
    tab.page.click("#sign-out")
    assert tab.page.evaluate("() => sessionStorage.getItem('fraudgraph.apiKey')") is None
    assert tab.page.is_visible("#signin-form")
    assert tab.errors == []


def test_search_a_mule_by_raw_iban_shows_its_band_and_paths(
        tab: Tab, ui_world: UiWorld, pseudo: Pseudonymiser) -> None:
    tab.sign_in(ui_world.analyst)
    search(tab, ui_world.mule_iban)
    expected = api_get(tab, ui_world.analyst, f"/v1/entities/account/{ui_world.mule_id}/risk")
    assert expected["band"] in ("high", "critical")
    assert tab.page.inner_text("#risk-band").lower() == expected["band"]
    assert tab.page.inner_text("#risk-score") == f"{expected['risk']:.3f}"
    card = tab.page.inner_text("#risk-card")
    assert pseudo("account", ui_world.mule_iban) in card
    assert ui_world.mule_iban not in card  # the raw identifier stays in the search box
    wait_graph(tab)
    g = drawn(tab, GRAPH)
    assert ui_world.mule_id in g["nodes"]
    # The explanation paths are drawn: every engine path's nodes are on the graph.
    for p in expected["paths"]:
        assert {n["id"] for n in p["nodes"]} <= set(g["nodes"])
    if expected["paths"]:
        assert any(e["path"] for e in g["edges"])
    tab.shot("02-risk-card")
    assert tab.errors == []


def test_clicking_a_node_expands_the_neighbourhood(tab: Tab, ui_world: UiWorld) -> None:
    tab.sign_in(ui_world.analyst)
    search(tab, ui_world.mule_id)
    wait_graph(tab)
    before = drawn(tab, GRAPH)
    # A neighbour whose own neighbourhood holds something not drawn yet.
    target = None
    for node in clear_of_others(tab, GRAPH):
        if node == ui_world.mule_id:
            continue
        r = tab.page.request.post(
            tab.base + "/v1/queries/neighbourhood",
            headers={"Authorization": f"Bearer {ui_world.analyst}"},
            data={"params": {"id": node, "hops": 1, "max_nodes": 200, "per_node": 25}})
        if r.ok and {n["id"] for n in r.json()["nodes"]} - set(before["nodes"]):
            target = node
            break
    assert target is not None, "no expandable neighbour in the drawing"
    click_node(tab, GRAPH, target)
    assert drawn(tab, GRAPH)["selected"] == [target]
    tab.page.wait_for_function(
        "([sel, n]) => Number(document.querySelector(sel).dataset.nodes) > n",
        arg=[GRAPH, len(before["nodes"])])
    after = drawn(tab, GRAPH)
    assert set(before["nodes"]) < set(after["nodes"])
    assert target in after["expanded"] and after["selected"] == [target]
    assert "Selected" in tab.page.inner_text("#node-detail")
    tab.shot("03-neighbourhood-expanded")
    assert tab.errors == []


def test_relationship_filter_redraws_with_those_types_only(tab: Tab, ui_world: UiWorld) -> None:
    tab.sign_in(ui_world.analyst)
    search(tab, ui_world.mule_id)
    wait_graph(tab)
    for box in tab.page.locator("#graph-panel input[name=rel]").all():
        box.set_checked(box.get_attribute("value") == "TRANSFERRED")
    tab.page.click("#graph-panel button:has-text('Apply filters')")
    wait_graph(tab)
    tab.page.wait_for_function(
        "(sel) => document.querySelector(sel).fgGraph.cy.edges().every("
        "(e) => e.data('type') === 'TRANSFERRED' || e.hasClass('path'))", arg=GRAPH)
    g = drawn(tab, GRAPH)
    assert any(e["type"] == "TRANSFERRED" for e in g["edges"])
    assert tab.errors == []


def test_open_a_cluster_shows_members_and_flows(tab: Tab, ui_world: UiWorld) -> None:
    assert ui_world.clusters > 0
    tab.sign_in(ui_world.analyst)
    tab.page.click("nav a[data-view=clusters]")
    page = api_get(tab, ui_world.analyst, "/v1/clusters?sort=total_kzt")
    first = page["items"][0]
    tab.page.wait_for_selector(f"#cluster-list button[data-cluster='{first['id']}']")
    tab.page.click(f"#cluster-list button[data-cluster='{first['id']}']")
    tab.page.wait_for_selector("#cluster-graph[data-nodes]")
    detail = api_get(tab, ui_world.analyst, f"/v1/clusters/{first['id']}")
    members = tab.page.locator("#cluster-detail table").first.locator("tbody tr")
    assert members.count() == len(detail["members"])
    assert f"Cluster {first['id']}" in tab.page.inner_text("#cluster-detail-title")
    g = drawn(tab, "#cluster-graph")
    assert {m["id"] for m in detail["members"]} <= set(g["nodes"])
    tab.shot("04-cluster")
    assert tab.errors == []


def traced_incident(tab: Tab, ui_world: UiWorld) -> tuple[str, dict[str, Any]]:
    """An incident whose money moved on and is partly still held somewhere."""
    for inc in ui_world.incident_ids:
        t = api_get(tab, ui_world.analyst, f"/v1/incidents/{inc}/trace")
        if t["hops"] and t["holders"]:
            return inc, t
    raise AssertionError("no incident in the world has both onward hops and holders")


def test_trace_an_incident_to_the_current_holders(tab: Tab, ui_world: UiWorld) -> None:
    tab.sign_in(ui_world.analyst)
    incident, t = traced_incident(tab, ui_world)
    tab.page.click("nav a[data-view=trace]")
    tab.page.fill("#trace-form input[name=incident]", incident)
    tab.page.press("#trace-form input[name=incident]", "Enter")
    tab.page.wait_for_selector("#trace-totals")
    assert f"Who holds it now ({len(t['holders'])})" in tab.page.inner_text("#trace-result")
    hop_tables = tab.page.locator("#trace-hops table")
    assert hop_tables.count() == len(t["hops"])
    tab.page.wait_for_selector("#trace-graph[data-nodes]")
    g = drawn(tab, "#trace-graph")
    assert {h["account"] for h in t["holders"]} <= set(g["nodes"])
    tab.shot("05-incident-trace")
    assert tab.errors == []


def test_named_query_form_is_built_from_its_parameters(tab: Tab, ui_world: UiWorld) -> None:
    tab.sign_in(ui_world.analyst)
    tab.page.click("nav a[data-view=queries]")
    tab.page.wait_for_selector("#query-pick option", state="attached")
    tab.page.select_option("#query-pick", "shared_identifiers")
    tab.page.wait_for_selector("#query-form button:has-text('Run shared_identifiers')")
    for name in ("id", "limit"):  # every parameter has a labelled control
        ctl = tab.page.locator(f"#query-form [name={name}]")
        assert tab.page.locator(f"label[for='{ctl.get_attribute('id')}']").count() == 1
    assert tab.page.input_value("#query-form [name=limit]") == "200"
    tab.page.fill("#query-form [name=id]", ui_world.mule_iban)
    tab.page.press("#query-form [name=id]", "Enter")
    tab.page.wait_for_selector("#query-result:not([hidden]) table")
    assert "rows" in tab.page.inner_text("#query-result h3")
    tab.page.select_option("#query-pick", "neighbourhood")
    tab.page.wait_for_selector("#query-form button:has-text('Run neighbourhood')")
    tab.page.fill("#query-form [name=id]", ui_world.mule_id)
    tab.page.click("#query-form button[type=submit]")
    tab.page.wait_for_selector("#query-graph[data-nodes]")
    tab.shot("06-named-query")
    tab.page.click("#query-result button:has-text('Table')")
    assert tab.page.is_visible("#query-table") and tab.page.is_hidden("#query-graph")
    assert tab.errors == []


def test_admin_adds_and_removes_a_list_entry_with_reasons(
        tab: Tab, ui_world: UiWorld, pseudo: Pseudonymiser) -> None:
    tab.sign_in(ui_world.admin)
    tab.page.click("nav a[data-view=lists]")
    tab.page.wait_for_selector("#list-table table")
    tab.page.select_option("#list-pick", "grey")
    tab.page.click("form[aria-label='Which list'] button")
    tab.page.wait_for_selector("#list-table h3:has-text('grey list')")
    tab.page.select_option("#list-add [name=entity_kind]", "account")
    tab.page.fill("#list-add [name=entity_id]", ui_world.legit_iban)
    tab.page.fill("#list-add [name=reason]", "ui test: mule of a phone-fraud ring")
    tab.page.press("#list-add [name=reason]", "Enter")
    tab.page.wait_for_selector("#list-table td:has-text('ui test: mule of a phone-fraud ring')")
    row = tab.page.locator("#list-table tr", has_text="ui test: mule")
    entry = row.locator("td").first.inner_text()
    assert pseudo("account", ui_world.legit_iban)[:10] in row.inner_text()
    tab.shot("07-lists-admin")
    row.locator("button:has-text('Remove')").click()
    assert tab.page.input_value("#list-remove [name=entry_id]") == entry
    assert tab.page.evaluate("() => document.activeElement.name") == "reason"
    tab.page.keyboard.type("ui test: entered in error")
    tab.page.keyboard.press("Enter")
    tab.page.wait_for_selector(f"#list-table td:text-is('{entry}')", state="detached")
    grey = api_get(tab, ui_world.admin, "/v1/lists/grey?include_inactive=true")
    gone = next(e for e in grey["items"] if e["id"] == entry)
    assert gone["active"] is False and gone["removed_reason"] == "ui test: entered in error"
    assert tab.errors == []


def test_a_bank_key_sees_no_lists_and_only_the_band_of_others(
        tab: Tab, ui_world: UiWorld) -> None:
    lists_calls: list[str] = []
    tab.page.on("request", lambda r: lists_calls.append(r.url) if "/v1/lists" in r.url else None)
    tab.sign_in(ui_world.bank)
    visible = [a.inner_text() for a in tab.page.locator("nav li:not([hidden]) a").all()]
    assert visible == ["Search", "Incident trace", "Alert queue"]
    tab.goto("/ui/#/lists")
    tab.page.wait_for_selector("#view-denied:not([hidden])")
    assert tab.page.is_hidden("#view-lists")
    tab.shot("08-bank-no-lists")
    assert lists_calls == []  # the page asked nothing ...
    assert api_status(tab, ui_world.bank, "GET", "/v1/lists/black") == 403  # ... and the API refuses
    tab.goto("/ui/#/search")
    search(tab, ui_world.mule_iban)  # the mule is another bank's customer
    assert tab.page.inner_text("#risk-band") != ""
    assert tab.page.locator("#risk-score").count() == 0
    assert "band only" in tab.page.inner_text("#risk-card")
    assert tab.page.is_hidden("#graph-panel")
    tab.shot("09-bank-restricted-card")
    assert tab.errors == []


def test_keyboard_only_sign_in_and_navigation(tab: Tab, ui_world: UiWorld) -> None:
    tab.goto()
    tab.page.keyboard.press("Tab")
    assert tab.page.evaluate("() => document.activeElement.className") == "skip"
    tab.page.keyboard.press("Tab")  # the language switch in the header comes first
    assert tab.page.evaluate("() => document.activeElement.id") == "lang-pick"
    tab.page.keyboard.press("Tab")
    assert tab.page.evaluate("() => document.activeElement.id") == "signin-key"
    tab.page.keyboard.type(ui_world.analyst)
    tab.page.keyboard.press("Enter")
    tab.page.wait_for_selector("#search-form")
    # Focus is visible: the focused control draws an outline.
    tab.page.keyboard.press("Tab")
    tab.page.keyboard.press("Tab")
    outline = tab.page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
    tab.page.focus("nav a[data-view=trace]")
    tab.page.keyboard.press("Enter")
    tab.page.wait_for_selector("#view-trace:not([hidden])")
    tab.page.focus("#trace-form input[name=incident]")
    tab.page.keyboard.type(ui_world.incident_ids[0])
    tab.page.keyboard.press("Enter")
    tab.page.wait_for_selector("#trace-totals")
    labelled = tab.page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea')]
             .filter((el) => el.offsetParent !== null && el.type !== 'checkbox')
             .filter((el) => !document.querySelector(`label[for='${el.id}']`))
             .map((el) => el.name || el.id)""")
    assert labelled == []
    assert tab.errors == []


def test_pure_helpers_in_the_page(tab: Tab) -> None:
    tab.goto()
    got = tab.page.evaluate(
        """async () => {
             const f = await import('./js/format.js');
             const g = await import('./js/graph.js');
             return {
               kinds: ['KZ86125KZT5004100100', '900101300101', '+7 701 123 45 67',
                       'acc_' + 'a'.repeat(32), 'pho_' + 'b'.repeat(32), 'a1b2-android-fp']
                 .map(f.inferKind),
               bands: [0, 0.29, 0.3, 0.6, 0.85, 1, null].map(f.bandOf),
               spark: f.sparkPoints([0, 2, 1], 40, 10, 0),
               flat: f.sparkPoints([3, 3], 40, 10, 0),
               empty: f.sparkPoints([], 40, 10),
               series: [f.growthSeries({growth: [1, 2]}), f.growthSeries({growth: 0.4, properties: {}})],
               agg: [...g.aggregate([
                 {id: 'T:a->b', type: 'T', source: 'a', target: 'b', amount: 100, ts: 5, count: 1},
                 {id: 'T:a->b', type: 'T', source: 'a', target: 'b', amount: 50, ts: 9, count: 1},
                 {id: 'T:b->a', type: 'T', source: 'b', target: 'a', amount: null, ts: null, count: 1},
               ]).values()].map((e) => [e.id, e.amount, e.ts, e.count, e.label]),
               levels: Object.fromEntries(g.bfsLevels(['a', 'b', 'c', 'd'],
                 [{source: 'a', target: 'b'}, {source: 'c', target: 'b'}], 'a')),
             };
           }""")
    assert got["kinds"] == ["account", "person", "phone", "account", "phone", "device"]
    assert got["bands"] == ["low", "low", "medium", "high", "critical", "critical", None]
    assert got["spark"] == "0.0,10.0 20.0,0.0 40.0,5.0"
    assert got["flat"] == "0.0,10.0 40.0,10.0"
    assert got["empty"] == ""
    assert got["series"] == [[1, 2], None]
    assert got["agg"][0][:4] == ["T:a->b", 150, 9, 2] and got["agg"][0][4].endswith("×2")
    assert got["agg"][1] == ["T:b->a", None, None, 1, "T"]
    assert got["levels"] == {"a": 0, "b": 1, "c": 2, "d": 3}
    assert tab.errors == []
