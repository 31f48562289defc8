// Named queries: a form built from each query's parameters (GET /v1/queries), results as
// a graph or a table.
import { api, enc } from "./api.js";
import { catalogue } from "./catalogue.js";
import { fill, fail, field, h, say, table } from "./dom.js";
import { GraphView, legend } from "./graph.js";
import { band, t } from "./i18n.js";

/** A form control for one parameter spec; returns {el, read()} (read gives undefined when empty). */
export function control(p) {
  const hint = [p.description, p.required ? "required" : null].filter(Boolean).join(" — ");
  if (p.type === "bool") {
    const box = h("input", { type: "checkbox", name: p.name, checked: p.default === true });
    return { el: field(p.name, box, hint)[0], read: () => box.checked };
  }
  if ((p.type === "list[str]" || p.type === "str") && p.choices) {
    if (p.type === "str") {
      const sel = h("select", { name: p.name }, (p.required ? [] : [h("option", { value: "", text: "—" })]).concat(
        p.choices.map((c) => h("option", { value: c, text: c, selected: c === p.default }))));
      return { el: field(p.name, sel, hint)[0], read: () => sel.value || undefined };
    }
    const boxes = p.choices.map((c) => h("input", { type: "checkbox", name: p.name, value: c, checked: (p.default || []).includes(c) }));
    const el = h("fieldset", {}, h("legend", { text: p.name }), h("p", { class: "hint", text: hint }),
      h("div", { class: "checks" }, boxes.map((b) => h("label", {}, b, b.value))));
    return { el, read: () => { const v = boxes.filter((b) => b.checked).map((b) => b.value); return v.length ? v : undefined; } };
  }
  if (p.type.startsWith("list[")) {
    const area = h("textarea", { name: p.name, rows: 3, required: p.required });
    if (Array.isArray(p.default)) area.value = p.default.join("\n");
    return { el: field(`${p.name} (one per line)`, area, hint)[0],
      read: () => { const v = area.value.split(/[\n,]/).map((x) => x.trim()).filter(Boolean); return v.length ? v : undefined; } };
  }
  const attrs = { name: p.name, required: p.required, autocomplete: "off" };
  if (p.type === "int" || p.type === "float") {
    Object.assign(attrs, { type: "number", step: p.type === "int" ? 1 : "any" });
    if (p.range) { attrs.min = p.range[0] ?? null; attrs.max = p.range[1] ?? null; }
  } else {
    attrs.type = "text";
    if (p.type === "ts") attrs.placeholder = "epoch seconds or ISO date";
  }
  const input = h("input", attrs);
  if (p.default !== null && p.default !== undefined) input.value = String(p.default);
  return { el: field(p.name, input, hint)[0], read: () => {
    const v = input.value.trim();
    if (v === "") return undefined;
    if (p.type === "int") return parseInt(v, 10);
    if (p.type === "float") return Number(v);
    if (p.type === "ts" && /^\d+$/.test(v)) return parseInt(v, 10);
    return v;
  } };
}

function cell(v) {
  if (v === null || v === undefined) return "—";
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

function rowsTable(rows) {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return table(keys.map((k) => ({ label: k, render: (r) => cell(r[k]) })), rows);
}

export const queriesView = {
  perm: "queries",

  init(section) {
    this.pick = h("select", { name: "query", id: "query-pick" });
    this.pick.addEventListener("change", () => { window.location.hash = `#/queries/${enc(this.pick.value)}`; });
    this.formRoot = h("div", { class: "card" });
    this.out = h("div", { id: "query-result", class: "card", hidden: true });
    section.append(h("h2", { id: "queries-title", tabindex: "-1", text: t("Named queries") }),
      h("div", { class: "card" }, field(t("Query"), this.pick)[0]), this.formRoot, this.out);
  },

  async show(args) {
    let list;
    try {
      list = await catalogue();
    } catch (e) {
      fail(e, "Queries");
      return;
    }
    if (!this.pick.options.length) {
      for (const q of list) this.pick.append(h("option", { value: q.name, text: q.title || q.name }));
    }
    const name = args[0] ? decodeURIComponent(args[0]) : list[0]?.name;
    const q = list.find((x) => x.name === name);
    if (!q) return;
    this.pick.value = q.name;
    this.buildForm(q);
  },

  buildForm(q) {
    const controls = q.params.map((p) => [p.name, control(p)]);
    const form = h("form", { id: "query-form" }, h("p", { class: "hint", text: q.description || "" }),
      controls.map(([, c]) => c.el), h("button", { type: "submit", text: t("Run {name}", { name: q.name }) }));
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const params = {};
      for (const [name, c] of controls) {
        const v = c.read();
        if (v !== undefined) params[name] = v;
      }
      this.run(q, params);
    });
    fill(this.formRoot, h("h3", { text: q.title || q.name }), form);
    this.out.hidden = true;
  },

  async run(q, params) {
    say(t("Running {name}…", { name: q.name }));
    let res;
    try {
      res = await api(`/v1/queries/${enc(q.name)}`, { method: "POST", body: { params } });
    } catch (e) {
      fail(e, q.name);
      return;
    }
    const isGraph = res.returns === "graph";
    const graphBox = h("div", { id: "query-graph", class: "graph small", role: "img", "aria-label": t("Result of {name} as a graph", { name: q.name }) });
    const nodeRows = (res.nodes || []).map((n) => ({ id: n.id, labels: (n.labels || []).join(","), ...(n.props || {}) }));
    const edgeRows = (res.edges || []).map((e) => ({ type: e.type, source: e.source, target: e.target, ...(e.props || {}) }));
    const tableBox = h("div", { id: "query-table" }, isGraph
      ? [h("h4", { text: t("Nodes ({n})", { n: nodeRows.length }) }), rowsTable(nodeRows), h("h4", { text: t("Edges ({n})", { n: edgeRows.length }) }), rowsTable(edgeRows)]
      : rowsTable(res.rows || []));
    const extra = Object.keys(res.extra || {}).length ? h("p", { class: "hint mono", text: JSON.stringify(res.extra) }) : null;
    const asGraph = h("button", { type: "button", "aria-pressed": String(isGraph), text: t("Graph"), disabled: !isGraph });
    const asTable = h("button", { type: "button", "aria-pressed": String(!isGraph), text: t("Table") });
    const flip = (graph) => {
      graphBox.hidden = !graph; tableBox.hidden = graph;
      asGraph.setAttribute("aria-pressed", String(graph)); asTable.setAttribute("aria-pressed", String(!graph));
    };
    asGraph.addEventListener("click", () => flip(true));
    asTable.addEventListener("click", () => flip(false));
    const count = isGraph ? t("{n} nodes, {e} edges", { n: nodeRows.length, e: edgeRows.length }) : t("{n} rows", { n: (res.rows || []).length });
    fill(this.out, h("h3", { text: `${q.name}: ${count}${res.truncated ? ` ${t("(cut)")}` : ""}` }), extra,
      h("div", { class: "tabs", role: "group", "aria-label": t("Show the result as") }, asGraph, asTable),
      graphBox, isGraph ? legend() : null, tableBox);
    this.out.hidden = false;
    flip(isGraph);
    say(`${q.name}: ${count}.`);
    if (isGraph) {
      try {
        await new GraphView(graphBox).set(res, { start: res.extra?.start || null });
      } catch (e) {
        fail(e, "Drawing");
      }
    }
  },
};
