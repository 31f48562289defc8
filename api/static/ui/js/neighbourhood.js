// The neighbourhood graph of an entity (the `neighbourhood` named query): filters by
// time window and relationship type, expansion on click, explanation paths on top.
import { api } from "./api.js";
import { param, queryInfo } from "./catalogue.js";
import { fill, fail, field, h, say } from "./dom.js";
import { dateToTs, kzt, score, shortId, timeEl } from "./format.js";
import { GraphView, legend } from "./graph.js";
import { TimeSlider } from "./timeslider.js";
import { band, t } from "./i18n.js";

const FALLBACK_TYPES = ["HOLDS", "USED", "HAS_PHONE", "TRANSFERRED", "CALLED", "VICTIM",
  "BENEFICIARY", "CALLER", "LISTS"];
const MAX_NODES = 200;
const PER_NODE = 25;

export class Neighbourhood {
  constructor(root, { onOpenEntity } = {}) {
    this.root = root;
    this.onOpenEntity = onOpenEntity;
    this.view = null;
    this.startId = null;
    this.expanded = new Set();
    this.paths = [];
  }

  async build() {
    const info = await queryInfo("neighbourhood");
    const rel = param(info, "rel_types");
    const choices = rel?.choices || FALLBACK_TYPES;
    const defaults = new Set(rel?.default || FALLBACK_TYPES);
    const hops = h("select", { name: "hops" }, [1, 2, 3].map((n) => h("option", { value: n, text: String(n), selected: n === 1 })));
    const from = h("input", { type: "date", name: "from" });
    const to = h("input", { type: "date", name: "to" });
    this.typeBoxes = choices.map((t) => h("input", { type: "checkbox", name: "rel", value: t, checked: defaults.has(t) }));
    this.form = h("form", { class: "inline", "aria-label": t("Neighbourhood filters") },
      field(t("Hops"), hops)[0], field(t("From (date)"), from)[0], field(t("To (date)"), to)[0],
      h("fieldset", {}, h("legend", { text: t("Relationship types") }),
        h("div", { class: "checks" }, this.typeBoxes.map((b) => h("label", {}, b, b.value)))),
      h("button", { type: "submit", text: t("Apply filters") }));
    this.form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      if (this.startId) this.show(this.startId, { paths: this.paths });
    });
    this.inputs = { hops, from, to };
    this.canvas = h("div", { id: "neighbourhood-graph", class: "graph", role: "img",
      "aria-label": t("Neighbourhood graph; the node list below offers the same with the keyboard") });
    this.detail = h("div", { id: "node-detail", class: "card", "aria-live": "polite" },
      h("p", { class: "hint", text: t("Click a node (or use the node list) to expand it and see its details.") }));
    this.list = h("details", { id: "node-list" }, h("summary", { text: t("Nodes as a list (keyboard)") }));
    this.sliderRoot = h("div");
    fill(this.root, h("h3", { id: "graph-title", text: t("Neighbourhood") }), this.form,
      this.canvas, this.sliderRoot, legend(), this.detail, this.list);
    try {
      this.view = new GraphView(this.canvas, { onTap: (d) => this.expand(d.id), onOpen: (r) => this.opened(r) });
      this.slider = new TimeSlider(this.view);
      this.sliderRoot.append(this.slider.el);
    } catch (e) {
      this.canvas.replaceWith(h("p", { class: "error", role: "alert", text: e.message }));
    }
  }

  params(id, hops) {
    const types = this.typeBoxes.filter((b) => b.checked).map((b) => b.value);
    return {
      id, hops, rel_types: types.length ? types : FALLBACK_TYPES, max_nodes: MAX_NODES,
      per_node: PER_NODE, from_ts: dateToTs(this.inputs.from.value),
      to_ts: dateToTs(this.inputs.to.value, true),
    };
  }

  async run(id, hops) {
    const p = this.params(id, hops);
    for (const k of Object.keys(p)) if (p[k] === null) delete p[k];
    return api("/v1/queries/neighbourhood", { method: "POST", body: { params: p } });
  }

  async show(id, { paths = [] } = {}) {
    if (!this.view) await this.build();
    if (!this.view) return;
    this.startId = id;
    this.paths = paths;
    this.expanded = new Set([id]);
    say(t("Loading the neighbourhood…"));
    this.canvas.dataset.state = "busy";
    try {
      const res = await this.run(id, Number(this.inputs.hops.value));
      const drawn = await this.view.set(res, { start: id });
      this.view.cy.getElementById(id).addClass("expanded");
      const lit = paths.length ? await this.view.highlightPaths(paths) : 0;
      this.slider.refresh();
      this.renderList();
      say(t("Neighbourhood: {nodes} nodes, {edges} edges", { nodes: drawn.nodes, edges: drawn.edges })
        + (res.truncated ? ` ${t("(cut at the limit)")}` : "")
        + (lit ? `; ${t("{n} explanation path(s) highlighted", { n: paths.length })}` : "") + ".");
    } catch (e) {
      fail(e, t("Neighbourhood"));
    } finally {
      this.canvas.dataset.state = "idle";
    }
  }

  /** One more hop around a node, merged into the drawing. */
  async expand(id) {
    this.select(id);
    if (this.expanded.has(id)) return;
    this.expanded.add(id);
    say(t("Expanding {id}…", { id: shortId(id) }));
    this.canvas.dataset.state = "busy";
    try {
      const res = await this.run(id, 1);
      const r = await this.view.merge(res, { around: id });
      this.view.cy.getElementById(id).addClass("expanded");
      if (this.paths.length) await this.view.highlightPaths(this.paths);
      this.slider.refresh();
      this.renderList();
      say(t("Expanded {id}: {added} new node(s), {nodes} in all.", { id: shortId(id), added: r.added, nodes: r.nodes }));
    } catch (e) {
      this.expanded.delete(id);
      fail(e, t("Expand"));
    } finally {
      this.canvas.dataset.state = "idle";
    }
  }

  /** An aggregate node was opened: what it held is drawn now. */
  opened(r) {
    if (!r) return;
    this.slider.refresh();
    this.renderList();
    say(t("Showed {n} folded node(s).", { n: r.shown }));
  }

  select(id) {
    const node = this.view.cy.getElementById(id);
    if (node.empty()) return;
    this.view.cy.elements().unselect();
    node.select();
    const d = node.data();
    const edges = node.connectedEdges().map((e) => e.data());
    const money = edges.filter((e) => e.type === "TRANSFERRED");
    const rows = [["Kind", t(d.kind)], ["Id", d.id], ["Bank", d.bank || "—"],
      ["Risk", d.risk === null ? "—" : `${score(d.risk)} (${band(d.band)})`],
      ["Links drawn", String(edges.length)],
      ["Transfers drawn", money.length ? `${money.length}, ${kzt(money.reduce((s, e) => s + Number(e.amount || 0), 0))}` : "—"]];
    const last = edges.map((e) => e.ts).filter((t) => t !== null && t !== undefined).sort().pop();
    if (last) rows.push(["Latest link", timeEl(last)]);
    const canOpen = ["account", "person", "phone", "device"].includes(d.kind);
    fill(this.detail, h("h4", { text: t("Selected {kind}", { kind: t(d.kind) }) }),
      h("dl", { class: "facts" }, rows.map(([k, v]) => [h("dt", { text: t(k) }), h("dd", { class: k === "Id" ? "mono" : null }, v)])),
      canOpen && this.onOpenEntity ? h("button", { type: "button", class: "quiet", text: t("Open its risk card"),
        onclick: () => this.onOpenEntity(d.kind, d.id) }) : null);
  }

  renderList() {
    const nodes = this.view.nodes().sort((a, b) => (b.risk ?? -1) - (a.risk ?? -1));
    const items = nodes.map((d) => h("li", {},
      h("button", { type: "button", class: "link", text: `${t(d.kind)} ${shortId(d.id)} — ${band(d.band)}${this.expanded.has(d.id) ? ` ${t("(expanded)")}` : ""}`,
        "data-node": d.id, onclick: () => this.expand(d.id) })));
    // The aggregates are reachable from the keyboard too.
    const aggs = this.view.aggregates().map((d) => h("li", {},
      h("button", { type: "button", class: "link", text: `${d.label} — ${d.title}`, "data-node": d.id,
        onclick: () => this.view.openAggregate(d.id).then((r) => this.opened(r)) })));
    const summary = this.list.querySelector("summary");
    fill(this.list, summary, h("ul", {}, aggs, items));
  }
}
