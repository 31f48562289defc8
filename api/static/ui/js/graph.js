// Graph drawing with Cytoscape.js: nodes coloured by risk band and shaped by kind, edges
// labelled with amount and time. Accepts the API's two graph shapes: named-query results
// ({id, labels, props} / {type, source, target, props}) and drawings ({id, kind, risk} /
// {source, target, type, count, amount_kzt}).
import { foldPlan } from "./fold.js";
import { bandOf, compact, day, kindOfLabels, shortId, toDate } from "./format.js";
import { band as bandName, t } from "./i18n.js";

export const SHAPES = {
  account: "round-rectangle", person: "ellipse", phone: "diamond", device: "hexagon",
  incident: "star", list_entry: "tag", bank: "barrel", cluster: "octagon", signal: "triangle",
};
export const BAND_COLOURS = {
  low: "#2e7d32", medium: "#b7791f", high: "#c2410c", critical: "#9f1239", unknown: "#8a94a3",
};
// Above this many nodes a force layout costs more than a second on a laptop: rings by
// hop distance from the start instead (also easier to read for a neighbourhood).
export const FORCE_LAYOUT_MAX = 150;
// Above this many edges their labels are shown only around the selected node: measuring
// and drawing a thousand rotated labels costs more than the rest of the drawing.
export const EDGE_LABELS_MAX = 300;

function nodeLabel(kind, id, props) {
  if (kind === "list_entry") return `${props.list || "list"} ${shortId(id)}`;
  return shortId(id);
}

export function normaliseNode(n) {
  const props = n.props || {};
  const kind = n.kind || kindOfLabels(n.labels);
  const risk = n.risk ?? props.risk ?? null;
  const band = n.band || props.risk_band || bandOf(risk) || "unknown";
  return {
    id: String(n.id), kind, risk, band, bank: n.bank ?? props.bank ?? null,
    label: nodeLabel(kind, n.id, props), props,
    shape: SHAPES[kind] || "triangle", colour: BAND_COLOURS[band] || BAND_COLOURS.unknown,
  };
}

export function edgeLabel(d) {
  const parts = [];
  if (d.amount !== null && d.amount !== undefined) parts.push(`${compact(d.amount)} KZT`);
  if (d.ts !== null && d.ts !== undefined) parts.push(day(d.ts));
  if (!parts.length) return d.type || "";
  if (d.count > 1) parts.push(`×${d.count}`);
  return parts.join(" · ");
}

/** One edge's drawing data; parallel edges of one type are merged later (aggregate). */
export function normaliseEdge(e) {
  const p = e.props || {};
  const amount = e.traced_kzt ?? p.amount ?? e.amount_kzt ?? p.total ?? null;
  const ts = e.ts ?? p.ts ?? p.last_ts ?? null;
  // Every transfer's time, as epoch seconds, for the time window (kept through merging).
  const when = toDate(ts);
  return {
    id: `${e.type || ""}:${e.source}->${e.target}`, source: String(e.source), target: String(e.target),
    type: e.type || "", props: p, amount: amount === null ? null : Number(amount),
    ts, count: Number(e.count ?? p.transfers ?? 1), times: when ? [when.getTime() / 1000] : [],
  };
}

/** Merge parallel edges (same type, same direction): one line per pair, with the total
 * amount, the count and the latest time, so that a busy pair does not draw 50 lines. */
export function aggregate(edges) {
  const out = new Map();
  for (const e of edges) {
    const x = out.get(e.id);
    if (!x) {
      out.set(e.id, { ...e, times: [...(e.times || [])] });
      continue;
    }
    x.count += e.count;
    x.times.push(...(e.times || []));
    if (e.amount !== null) x.amount = (x.amount ?? 0) + e.amount;
    if (e.ts !== null && (x.ts === null || e.ts > x.ts)) x.ts = e.ts;
  }
  for (const x of out.values()) x.label = edgeLabel(x);
  return out;
}

/** Hop distance of every node from `start` (unreachable nodes: one past the deepest). */
export function bfsLevels(nodeIds, edges, start) {
  const adj = new Map(nodeIds.map((id) => [id, []]));
  for (const e of edges) {
    if (adj.has(e.source) && adj.has(e.target)) {
      adj.get(e.source).push(e.target);
      adj.get(e.target).push(e.source);
    }
  }
  const level = new Map();
  const first = adj.has(start) ? start : nodeIds[0];
  if (first === undefined) return level;
  level.set(first, 0);
  const queue = [first];
  for (let i = 0; i < queue.length; i += 1) {
    const x = queue[i];
    for (const y of adj.get(x)) {
      if (!level.has(y)) {
        level.set(y, level.get(x) + 1);
        queue.push(y);
      }
    }
  }
  const deepest = Math.max(0, ...level.values());
  for (const id of nodeIds) if (!level.has(id)) level.set(id, deepest + 1);
  return level;
}

/** Cytoscape elements of a graph; edges are kept when both ends are in `data` or in
 * `known` (the ids already drawn), dropped otherwise. */
export function toElements(data, start, known = new Set()) {
  const nodes = new Map();
  for (const n of data.nodes || []) {
    const x = normaliseNode(n);
    if (!nodes.has(x.id)) nodes.set(x.id, x);
  }
  const edges = aggregate((data.edges || []).map(normaliseEdge)
    .filter((x) => (nodes.has(x.source) || known.has(x.source)) && (nodes.has(x.target) || known.has(x.target))));
  const levels = bfsLevels([...nodes.keys()], [...edges.values()], start);
  return [
    ...[...nodes.values()].map((d) => ({ group: "nodes", data: { ...d, level: levels.get(d.id) ?? 0 } })),
    ...[...edges.values()].map((d) => ({ group: "edges", data: d })),
  ];
}

const STYLE = [
  { selector: "node", style: {
    "background-color": "data(colour)", shape: "data(shape)", label: "data(label)",
    width: 22, height: 22, "font-size": 9, color: "#1b1f24", "text-valign": "bottom",
    "text-margin-y": 3, "border-width": 1, "border-color": "#ffffff",
    "min-zoomed-font-size": 7,
  } },
  { selector: "node.start", style: { width: 34, height: 34, "font-weight": "bold" } },
  { selector: "node.expanded", style: { "border-width": 3, "border-color": "#13233a" } },
  { selector: "node:selected", style: { "border-width": 4, "border-color": "#d35400" } },
  { selector: "edge", style: {
    width: 1.4, "line-color": "#9aa4b1", "target-arrow-color": "#9aa4b1",
    "target-arrow-shape": "triangle", "arrow-scale": 0.7, "curve-style": "straight",
    label: "data(label)", "font-size": 7, color: "#3a4250", "text-rotation": "autorotate",
    "text-background-color": "#ffffff", "text-background-opacity": 0.85,
    "text-background-padding": 1, "min-zoomed-font-size": 8,
  } },
  { selector: "edge.path", style: {
    "line-color": "#d35400", "target-arrow-color": "#d35400", width: 3.5, "z-index": 10,
  } },
  { selector: "node.path", style: { "border-color": "#d35400", "border-width": 4 } },
  { selector: "edge.unlabelled", style: { label: "" } },
  { selector: ".hidden", style: { display: "none" } },
  // Folded away into an aggregate node, or outside the time window.
  { selector: ".folded", style: { display: "none" } },
  { selector: "edge.outside", style: { display: "none" } },
  { selector: "node.agg", style: {
    shape: "round-rectangle", width: "label", height: 18, padding: 4, "background-color": "data(colour)",
    "background-opacity": 0.85, "border-style": "dashed", "border-width": 1.5, "border-color": "#13233a",
    label: "data(label)", "text-valign": "center", "text-halign": "center", color: "#ffffff",
    "font-size": 9, "font-weight": "bold", "min-zoomed-font-size": 5,
  } },
  { selector: "edge.agg", style: { "line-style": "dashed", "target-arrow-shape": "none", label: "" } },
];

// fcose (cytoscape-fcose: spectral start, then force-directed refinement) stays fast and
// untangled well past the plain force layout's limit; rings remain the fallback.
export const FCOSE_MAX = 3000;

export function hasFcose() {
  try {
    return Boolean(window.cytoscape && window.cytoscape("layout", "fcose"));
  } catch {
    return false;
  }
}

export function layoutOptions(count, start, { incremental = false } = {}) {
  if (hasFcose() && count <= FCOSE_MAX) {
    // Keeping the known nodes in place (an expansion) needs fcose's "proof" quality.
    // Strong repulsion and long ideal edges: a hub's leaves spread into a fan with room
    // for their labels instead of a tight ring (the default 4500/50 packs them).
    return { name: "fcose", animate: false, randomize: !incremental,
      quality: incremental ? "proof" : (count > 500 ? "draft" : "default"),
      nodeRepulsion: () => 25000, idealEdgeLength: () => 90, edgeElasticity: () => 0.3,
      nodeSeparation: 90, gravity: 0.2, numIter: 2500, tile: true, packComponents: true, padding: 20 };
  }
  if (count <= FORCE_LAYOUT_MAX) {
    return { name: "cose", animate: false, randomize: true, numIter: 1000,
      nodeRepulsion: () => 9000, idealEdgeLength: () => 70, padding: 20 };
  }
  return { name: "concentric", animate: false, padding: 20, minNodeSpacing: 6,
    startAngle: 1.5 * Math.PI, concentric: (n) => -n.data("level"), levelWidth: () => 1,
    avoidOverlap: true, roots: start ? `#${CSS.escape(start)}` : undefined };
}

export class GraphView {
  /** fold: fold dense nodes and low-risk leaves (off for money trails, shown whole);
   * onOpen(result): an aggregate node was opened by a click. */
  constructor(container, { onTap, onOpen, fold = true } = {}) {
    if (!window.cytoscape) throw new Error(t("the graph library is missing (run `make ui`)"));
    this.container = container;
    this.start = null;
    this.folding = fold;
    this.opened = new Set();  // aggregates opened by the investigator: "low:<hub>", "more:<hub>"
    this.window = null;  // [from, to] epoch seconds over transfers, or null for all
    this.cy = window.cytoscape({
      container, style: STYLE, minZoom: 0.05, maxZoom: 4, boxSelectionEnabled: false,
      textureOnViewport: true,
    });
    container.fgGraph = this;  // for the tests and the benchmark
    // Cytoscape caches where its container sits on the page; content drawn above it
    // (the risk card, a status line) moves it without a scroll or resize event.
    container.addEventListener("pointerenter", () => this.cy.resize());
    this.cy.on("select unselect", "node", () => this.quietLabels());
    this.cy.on("tap", "node", (ev) => {
      if (ev.target.hasClass("agg")) {
        this.openAggregate(ev.target.id()).then((r) => onOpen && onOpen(r));
        return;
      }
      if (onTap) onTap(ev.target.data(), ev.target);
    });
  }

  /** Replace the drawing; resolves once laid out and rendered, with the time it took. */
  set(data, { start = null, layout } = {}) {
    const t0 = performance.now();
    this.start = start;
    this.opened = new Set();
    this.cy.batch(() => {
      this.cy.elements().remove();
      this.cy.add(toElements(data, start));
      if (start) this.cy.getElementById(start).addClass("start");
      this.fold();
      this.applyWindow();
      this.quietLabels();
    });
    return this.layout(layout, t0);
  }

  /** Add what is new in `data` (an expansion); the known nodes keep their place. */
  merge(data, { around } = {}) {
    const t0 = performance.now();
    const known = new Set(this.cy.nodes().map((n) => n.id()));
    const origin = around ? this.cy.getElementById(around) : null;
    const pos = origin && origin.nonempty() ? origin.position() : { x: 0, y: 0 };
    const base = origin && origin.nonempty() ? origin.data("level") : 0;
    const els = toElements(data, around, known).filter((el) => el.group === "edges"
      ? this.cy.getElementById(el.data.id).empty()
      : !known.has(el.data.id));
    let added = 0;
    this.cy.batch(() => {
      for (const el of els) {
        if (el.group === "nodes") {
          el.data.level = base + el.data.level;
          el.position = { x: pos.x + (Math.random() - 0.5) * 60, y: pos.y + (Math.random() - 0.5) * 60 };
          added += 1;
        }
        this.cy.add(el);
      }
      this.fold();
      this.applyWindow();
      this.quietLabels();
    });
    const n = this.cy.nodes().length;
    const opts = hasFcose() && n <= FCOSE_MAX ? layoutOptions(n, this.start, { incremental: true })
      : n <= FORCE_LAYOUT_MAX ? { ...layoutOptions(n), randomize: false } : layoutOptions(n, this.start);
    return this.layout(opts, t0).then((r) => ({ ...r, added }));
  }

  /** Edge labels everywhere on small graphs; on big ones around the selection only. */
  quietLabels() {
    const big = this.cy.edges().length > EDGE_LABELS_MAX;
    this.cy.edges().toggleClass("unlabelled", big);
    if (big) this.cy.nodes(":selected").connectedEdges().removeClass("unlabelled");
  }

  /** Fold dense nodes and low-risk leaves into aggregate nodes (see fold.js); the
   * aggregates are made again from scratch, so a merge or an opened one is reflected. */
  fold() {
    const cy = this.cy;
    cy.batch(() => {
      cy.elements(".agg").remove();
      cy.elements(".folded").removeClass("folded");
      if (!this.folding) return;
      const nodes = cy.nodes().map((n) => ({ id: n.id(), risk: n.data("risk"), band: n.data("band"),
        keep: n.hasClass("start") || n.hasClass("path") }));
      const edges = cy.edges().map((e) => ({ id: e.id(), source: e.source().id(), target: e.target().id(),
        keep: e.hasClass("path") }));
      const plan = foldPlan(nodes, edges, { open: this.opened, root: this.start });
      for (const id of plan.hiddenNodes) cy.getElementById(id).addClass("folded");
      for (const id of plan.hiddenEdges) cy.getElementById(id).addClass("folded");
      for (const g of plan.groups) {
        const hub = cy.getElementById(g.hub);
        const n = g.members.length;
        cy.add({ group: "nodes", classes: "agg", position: { ...hub.position() }, data: {
          id: g.id, kind: "group", agg: g.kind, hub: g.hub, members: g.members, risk: null,
          band: g.kind === "low" ? "low" : "unknown", level: (hub.data("level") ?? 0) + 1,
          label: g.kind === "low" ? t("{n} low-risk", { n }) : t("+{n} more", { n }),
          title: g.kind === "low" ? t("{n} low-risk leaves of {id}; click to show them", { n, id: shortId(g.hub) })
            : t("{n} neighbours of {id} folded away; click to show them", { n, id: shortId(g.hub) }),
          colour: g.kind === "low" ? BAND_COLOURS.low : "#4a5260" } });
        cy.add({ group: "edges", classes: "agg", data: { id: `${g.id}:link`, source: g.hub, target: g.id,
          type: "FOLDED", label: "" } });
      }
    });
  }

  /** Show what an aggregate node stands for; the rest of the drawing keeps its place. */
  openAggregate(id) {
    const agg = this.cy.getElementById(id);
    if (agg.empty()) return Promise.resolve(null);
    const { agg: kind, hub, members } = agg.data();
    const at = { ...agg.position() };
    const wasFolded = new Set(members.filter((m) => this.cy.getElementById(m).hasClass("folded")));
    this.opened.add(`${kind}:${hub}`);
    // What "+K more" held is shown as such, not folded again into a low-risk group.
    if (kind === "more") this.opened.add(`low:${hub}`);
    this.fold();
    this.applyWindow();
    // The revealed nodes start where their aggregate was, then the layout settles them.
    for (const m of wasFolded) {
      this.cy.getElementById(m).position({ x: at.x + (Math.random() - 0.5) * 40, y: at.y + (Math.random() - 0.5) * 40 });
    }
    this.quietLabels();
    const n = this.shown().nodes().length;
    const opts = hasFcose() && n <= FCOSE_MAX ? layoutOptions(n, this.start, { incremental: true })
      : layoutOptions(n, this.start);
    return this.layout(opts).then((r) => ({ ...r, hub, kind, shown: members.length }));
  }

  /** Times (epoch seconds) of the transfers drawn, sorted. */
  transferTimes() {
    return this.cy.edges("[type = 'TRANSFERRED']").map((e) => e.data("times") || []).flat().sort((a, b) => a - b);
  }

  /** Show only the transfers with a time in [from, to] (null: all); other links stay. */
  setWindow(from, to) {
    this.window = from === null || from === undefined ? null : [from, to];
    this.applyWindow();
  }

  applyWindow() {
    const w = this.window;
    this.cy.batch(() => this.cy.edges("[type = 'TRANSFERRED']").forEach((e) => {
      const ts = e.data("times") || [];
      e.toggleClass("outside", Boolean(w && ts.length && !ts.some((x) => x >= w[0] && x <= w[1])));
    }));
  }

  /** What a layout arranges: every node and link not folded away. */
  shown() {
    const nodes = this.cy.nodes().not(".folded");
    return nodes.union(nodes.edgesWith(nodes).not(".folded"));
  }

  layout(opts, t0 = performance.now()) {
    const eles = this.shown();
    const n = eles.nodes().length;
    const options = opts || layoutOptions(n, this.start);
    return new Promise((resolve) => {
      const done = () => {
        // The frame after layoutstop is the first one with the final positions.
        this.cy.one("render", () => {
          const ms = performance.now() - t0;
          const real = this.cy.nodes().not(".agg");
          this.container.dataset.nodes = String(real.length);
          this.container.dataset.edges = String(this.cy.edges().not(".agg").length);
          this.container.dataset.shown = String(real.not(".folded").length);
          this.container.dataset.aggregates = String(this.cy.nodes(".agg").length);
          resolve({ ms, nodes: real.length, edges: this.cy.edges().not(".agg").length, layout: options.name,
            shown: real.not(".folded").length });
        });
        this.cy.fit(eles, 20);
      };
      const layout = eles.layout(options);
      layout.one("layoutstop", done);
      layout.run();
    });
  }

  /** Draw explanation paths ({nodes: [{kind, id}], rels: [...]}) over the graph. */
  highlightPaths(paths) {
    this.cy.elements().removeClass("path");
    const missing = { nodes: [], edges: [] };
    for (const p of paths || []) {
      const ns = p.nodes || [];
      for (const n of ns) {
        if (this.cy.getElementById(n.id).empty()) missing.nodes.push({ id: n.id, kind: n.kind });
      }
      for (let i = 0; i + 1 < ns.length; i += 1) {
        const a = ns[i].id;
        const b = ns[i + 1].id;
        const between = this.cy.edges().filter((e) => (e.source().id() === a && e.target().id() === b)
          || (e.source().id() === b && e.target().id() === a));
        if (between.empty()) {
          // Reason paths write rels as "-[:T]->" or "<-[:T]-"; the engine's as plain types.
          const raw = String((p.rels || [])[i] || "");
          const rel = raw.replace(/[^A-Z_]/g, "") || "PATH";
          const back = raw.startsWith("<");
          missing.edges.push({ source: back ? b : a, target: back ? a : b, type: rel });
        }
      }
    }
    const apply = () => {
      for (const p of paths || []) {
        const ids = (p.nodes || []).map((n) => n.id);
        ids.forEach((id, i) => {
          this.cy.getElementById(id).addClass("path");
          if (i + 1 < ids.length) {
            this.cy.edges().filter((e) => (e.source().id() === id && e.target().id() === ids[i + 1])
              || (e.source().id() === ids[i + 1] && e.target().id() === id)).addClass("path");
          }
        });
      }
      const lit = this.cy.elements(".path").length;
      // A path through a folded node unfolds it: explanation paths are always shown.
      if (this.folding && this.cy.elements(".path.folded").nonempty()) {
        this.fold();
        this.applyWindow();
        const n = this.shown().nodes().length;
        const opts = hasFcose() && n <= FCOSE_MAX ? layoutOptions(n, this.start, { incremental: true }) : layoutOptions(n, this.start);
        return this.layout(opts).then(() => lit);
      }
      return lit;
    };
    if (missing.nodes.length || missing.edges.length) {
      return this.merge(missing, { around: this.start }).then(apply);
    }
    return Promise.resolve(apply());
  }

  /** Show only edges of these types (nodes left without a visible edge stay). */
  showTypes(types) {
    const keep = new Set(types);
    this.cy.batch(() => this.cy.edges().forEach((e) => e.toggleClass("hidden", !keep.has(e.data("type")))));
  }

  /** The drawing's real nodes (aggregates left out), folded ones included. */
  nodes() {
    return this.cy.nodes().not(".agg").map((n) => n.data());
  }

  /** The aggregate nodes: [{id, agg, hub, members, label}]. */
  aggregates() {
    return this.cy.nodes(".agg").map((n) => n.data());
  }

  destroy() {
    this.cy.destroy();
    delete this.container.fgGraph;
  }
}

/** Draw a graph into `container` and time it (the benchmark calls this). */
export async function drawGraph(container, data, opts = {}) {
  const view = container.fgGraph || new GraphView(container);
  return view.set(data, opts);
}

export function legend() {
  const d = document.createElement("div");
  d.className = "legend";
  d.setAttribute("aria-label", t("Legend"));
  for (const [band, colour] of Object.entries(BAND_COLOURS)) {
    const sw = document.createElement("span");
    sw.className = "swatch";
    sw.style.background = colour;
    const item = document.createElement("span");
    item.append(sw, t("{band} risk", { band: bandName(band) }));
    d.append(item);
  }
  const shapes = document.createElement("span");
  shapes.textContent = t("Shapes: account ▢ · person ○ · phone ◇ · device ⬡ · incident ☆ · list entry ⌂");
  d.append(shapes);
  return d;
}
