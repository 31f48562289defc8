// Clusters (fraud rings) and emerging schemes: a list with size, money and growth; one
// cluster's members, money flow and drawing.
import { api, enc } from "./api.js";
import { fill, fail, field, h, s, say, table } from "./dom.js";
import { growthSeries, kzt, score, shortId, sparkPoints, when, timeEl } from "./format.js";
import { GraphView, legend } from "./graph.js";
import { band, t } from "./i18n.js";

const SPARK_W = 80;
const SPARK_H = 20;

/** An inline SVG sparkline of a series, with its last point marked. */
export function sparkline(series, label) {
  const pts = sparkPoints(series, SPARK_W, SPARK_H);
  if (!pts) return null;
  const last = pts.split(" ").pop().split(",");
  return s("svg", { class: "spark", width: SPARK_W, height: SPARK_H, viewBox: `0 0 ${SPARK_W} ${SPARK_H}`,
    role: "img", "aria-label": label },
  s("title", {}, label), s("polyline", { points: pts }), s("circle", { cx: last[0], cy: last[1], r: 2 }));
}

function growthCell(c) {
  const series = growthSeries(c);
  const g = c.predicted_growth ?? c.growth ?? c.properties?.growth_rate ?? null;
  const text = typeof g === "number" ? `${g >= 0 ? "+" : ""}${score(g, 2)}` : "—";
  return h("span", {}, text, series ? sparkline(series, `new payers per window: ${series.join(", ")}`) : null);
}

function banks(c) {
  if (Array.isArray(c.banks)) return c.banks.join(", ");
  const codes = c.properties?.bank_codes;
  return Array.isArray(codes) ? codes.join(", ") : "—";
}

export const clustersView = {
  perm: "clusters",

  init(section) {
    this.section = section;
    this.sort = h("select", { name: "sort" }, ["total_kzt", "size", "growth", "first_seen"].map((k) => h("option", { value: k, text: k.replace("_", " ") })));
    this.minSize = h("input", { type: "number", name: "min_size", min: 0, value: 0, size: 5 });
    const form = h("form", { class: "inline card", "aria-label": t("Cluster list options") },
      field(t("Sort by"), this.sort)[0], field(t("Smallest size"), this.minSize)[0], h("button", { type: "submit", text: t("Show") }));
    form.addEventListener("submit", (ev) => { ev.preventDefault(); this.loadList(); });
    this.emerging = h("div", { id: "emerging", class: "card" });
    this.list = h("div", { id: "cluster-list", class: "card" });
    this.detail = h("div", { id: "cluster-detail", class: "card", hidden: true });
    section.append(h("h2", { id: "clusters-title", tabindex: "-1", text: t("Clusters and emerging schemes") }), form,
      this.detail, this.emerging, this.list);
  },

  async show(args) {
    const [id] = args;
    await this.loadList();
    if (id) await this.open(decodeURIComponent(id));
    else this.detail.hidden = true;
  },

  columns() {
    const open = (c) => h("button", { type: "button", class: "link", text: c.id, "data-cluster": c.id,
      onclick: () => { window.location.hash = `#/clusters/${enc(c.id)}`; } });
    return [
      { label: t("Cluster"), render: open }, { label: t("Scheme"), key: "scheme" },
      { label: t("Size"), key: "size", num: true }, { label: t("Banks"), render: banks },
      { label: t("Victims"), key: "victims", num: true },
      { label: t("Total"), num: true, render: (c) => kzt(c.total_kzt) },
      { label: t("First seen"), render: (c) => timeEl(c.first_seen_ts) },
      { label: t("Growth"), render: growthCell },
    ];
  },

  async loadList() {
    try {
      const [em, page] = await Promise.all([
        api("/v1/schemes/emerging", { query: { limit: 10 } }),
        api("/v1/clusters", { query: { sort: this.sort.value, min_size: this.minSize.value || 0, limit: 100 } }),
      ]);
      const cols = this.columns();
      fill(this.emerging, h("h3", { text: t("Emerging schemes (fastest expected growth)") }),
        em.items.length ? table([{ label: t("Rank"), key: "rank", num: true }, { label: t("Score"), num: true, render: (x) => score(x.score, 2) },
          ...cols.map((c) => ({ ...c, render: (x) => (c.render ? c.render(x.cluster) : x.cluster[c.key]) }))], em.items)
          : h("p", { class: "muted", text: t("No scheme has a growth estimate yet.") }));
      fill(this.list, h("h3", { text: t("Clusters ({n})", { n: page.total }) }),
        page.items.length ? table(cols, page.items) : h("p", { class: "muted", text: t("No clusters yet (run `fraudgraph clusters`).") }));
      say(t("{n} cluster(s).", { n: page.total }));
    } catch (e) {
      fail(e, "Clusters");
    }
  },

  async open(id) {
    say(t("Opening cluster {id}…", { id }));
    let d;
    try {
      d = await api(`/v1/clusters/${enc(id)}`);
    } catch (e) {
      fail(e, "Cluster");
      return;
    }
    const c = d.cluster;
    const canvas = h("div", { id: "cluster-graph", class: "graph small", role: "img", "aria-label": t("Money flow inside cluster {id}", { id: c.id }) });
    const memberCols = [
      { label: t("Account"), render: (m) => h("button", { type: "button", class: "link mono", text: shortId(m.id), title: m.id,
        onclick: () => { window.location.hash = `#/search/${m.kind === "account" || !m.kind ? "account" : m.kind}/${enc(m.id)}`; } }) },
      { label: t("Bank"), key: "bank" }, { label: t("Band"), key: "band" }, { label: t("Risk"), num: true, render: (m) => score(m.risk) },
    ];
    const flowCols = [
      { label: t("From"), render: (f) => h("span", { class: "mono", text: shortId(f.src) }) },
      { label: t("To"), render: (f) => h("span", { class: "mono", text: shortId(f.dst) }) },
      { label: t("Transfers"), key: "count", num: true }, { label: t("Total"), num: true, render: (f) => kzt(f.total_kzt) },
      { label: t("First"), render: (f) => timeEl(f.first_ts) }, { label: t("Last"), render: (f) => timeEl(f.last_ts) },
    ];
    const flows = [...d.flows].sort((a, b) => b.total_kzt - a.total_kzt);
    const inside = flows.reduce((t, f) => t + f.total_kzt, 0);
    fill(this.detail, 
      h("h3", { id: "cluster-detail-title", tabindex: "-1", text: t("Cluster {id}", { id: c.id }) }),
      h("p", {}, `${c.scheme || "unknown scheme"} · ${c.size ?? d.members.length} members · ${banks(c)} · total ${kzt(c.total_kzt)} · growth `, growthCell(c)),
      h("button", { type: "button", class: "quiet", text: t("Back to the list"), onclick: () => { window.location.hash = "#/clusters"; } }),
      canvas, legend(),
      h("div", { class: "grid" },
        h("div", {}, h("h4", { text: t("Members ({n})", { n: `${d.members.length}${d.truncated ? ", …" : ""}` }) }), table(memberCols, d.members)),
        h("div", {}, h("h4", { text: t("Money flow inside the cluster ({n} pairs, {amount})", { n: flows.length, amount: kzt(inside) }) }), table(flowCols, flows))));
    this.detail.hidden = false;
    this.detail.querySelector("#cluster-detail-title").focus();
    try {
      const view = new GraphView(canvas);
      const r = await view.set(d.graph);
      say(t("Cluster {id}: {m} members, {e} links drawn.", { id: c.id, m: d.members.length, e: r.edges }));
    } catch (e) {
      fail(e, "Cluster drawing");
    }
  },
};
