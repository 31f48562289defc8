// Incident trace: where the victim's money went, hop by hop, and who holds it now.
import { api, enc } from "./api.js";
import { fill, fail, field, h, say, table } from "./dom.js";
import { kzt, shortId, when, timeEl } from "./format.js";
import { GraphView, legend } from "./graph.js";
import { t as tr } from "./i18n.js";

const mono = (id) => h("span", { class: "mono", title: id, text: shortId(id) });

/** The trace as a drawable graph: victim -> first accounts -> hop by hop. */
// A bank's trace names no other bank's customer (account null, at_other_bank): each
// such end is drawn as its own anonymous node, "at another bank".
const OTHER = "at another bank";

export function traceGraph(t) {
  const nodes = new Map();
  let anon = 0;
  const add = (id) => {
    const key = id || `other-bank-${(anon += 1)}`;
    if (!nodes.has(key)) nodes.set(key, id ? { id, kind: "account" } : { id: key, kind: "account", label: OTHER, props: { at_other_bank: true } });
    return key;
  };
  const edges = [];
  if (t.victim) add(t.victim);
  for (const s of t.start) {
    const target = add(s.account);
    if (t.victim) edges.push({ source: t.victim, target, type: "PAID", traced_kzt: s.kzt, ts: s.ts });
  }
  for (const hop of t.hops) {
    for (const e of hop.edges) {
      const source = add(e.src);
      const target = add(e.dst);
      edges.push({ source, target, type: e.cash_out ? "CASH_OUT" : "TRANSFERRED",
        traced_kzt: e.traced_kzt, ts: e.ts, tx_id: e.tx_id });
    }
  }
  return { nodes: [...nodes.values()], edges };
}

export const traceView = {
  perm: "incidents:trace",

  init(section) {
    this.input = h("input", { name: "incident", required: true, autocomplete: "off", size: 28 });
    const form = h("form", { id: "trace-form", class: "inline card" },
      field(tr("Incident id"), this.input, tr("as reported, e.g. HALYK-2026-000123"))[0],
      h("button", { type: "submit", text: tr("Trace") }));
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      window.location.hash = `#/trace/${enc(this.input.value)}`;
    });
    this.out = h("div", { id: "trace-result", hidden: true });
    section.append(h("h2", { id: "trace-title", tabindex: "-1", text: tr("Incident trace") }), form, this.out);
  },

  async show(args) {
    const [raw] = args;
    if (!raw) return;
    const id = decodeURIComponent(raw);
    this.input.value = id;
    say(tr("Tracing {id}…", { id }));
    let t;
    try {
      t = await api(`/v1/incidents/${enc(id)}/trace`);
    } catch (e) {
      this.out.hidden = true;
      fail(e, "Trace");
      return;
    }
    this.render(t);
  },

  async render(t) {
    const tot = t.totals;
    const canvas = h("div", { id: "trace-graph", class: "graph small", role: "img",
      "aria-label": tr("Money flow from the victim, hop by hop; the tables below hold the same") });
    const hopCols = [
      { label: tr("Time"), render: (e) => timeEl(e.ts) }, { label: tr("From"), render: (e) => (e.src ? mono(e.src) : OTHER) },
      { label: tr("To"), render: (e) => (e.dst ? mono(e.dst) : OTHER) }, { label: tr("Transfer"), num: true, render: (e) => kzt(e.amount_kzt) },
      { label: tr("Victim's money"), num: true, render: (e) => kzt(e.traced_kzt) },
      { label: tr("Channel"), render: (e) => `${e.channel || "—"}${e.cash_out ? " (cash-out)" : ""}${e.interbank ? ", interbank" : ""}` },
    ];
    const holderCols = [
      { label: tr("Account"), render: (x) => (x.account ? h("button", { type: "button", class: "link mono", text: shortId(x.account), title: x.account,
        onclick: () => { window.location.hash = `#/search/account/${enc(x.account)}`; } }) : OTHER) },
      { label: tr("Bank"), key: "bank" }, { label: tr("Holds"), num: true, render: (x) => kzt(x.held_kzt) },
      { label: tr("Since"), render: (x) => timeEl(x.since_ts) }, { label: tr("Hop"), key: "hop", num: true },
      { label: "", render: (x) => (x.frontier ? "at the hop limit: may have moved on" : "") },
    ];
    fill(this.out, 
      h("div", { class: "card" },
        h("h3", { text: tr("Incident {id}", { id: t.incident }) }),
        h("dl", { id: "trace-totals", class: "facts" },
          [["Victim", t.victim || "—"], ["Reported", kzt(tot.reported_kzt)], ["Traced from", kzt(tot.start_kzt)],
            ["Still held", kzt(tot.held_kzt)], ["Cashed out", kzt(tot.cashed_out_kzt)],
            ["Window", tr("{days} days, up to {hops} hops", { days: Math.round(t.window_s / 86400), hops: t.max_hops })
              + (t.truncated ? ` ${tr("(cut at the limit)")}` : "")]]
            .map(([k, v]) => [h("dt", { text: tr(k) }), h("dd", { class: k === "Victim" ? "mono" : null, text: v })]))),
      h("div", { class: "card" }, h("h3", { text: tr("Money flow") }), canvas, legend()),
      h("div", { class: "card" }, h("h3", { text: tr("Who holds it now ({n})", { n: t.holders.length }) }),
        t.holders.length ? table(holderCols, t.holders) : h("p", { class: "muted", text: tr("Nobody: all of it left the system.") })),
      h("div", { class: "card", id: "trace-hops" }, h("h3", { text: tr("Hop by hop") }),
        t.hops.length ? t.hops.map((hop) => h("section", {}, h("h4", { text: tr("Hop {n}: {amount} of the victim's money", { n: hop.hop, amount: kzt(hop.traced_kzt) }) }),
          table(hopCols, hop.edges))) : h("p", { class: "muted", text: tr("No onward transfers found in the window.") })),
      t.cash_outs.length ? h("div", { class: "card" }, h("h3", { text: tr("Cash-outs") }),
        table([{ label: tr("Account"), render: (x) => (x.account ? mono(x.account) : OTHER) }, { label: tr("Time"), render: (x) => timeEl(x.ts) },
          { label: tr("Amount"), num: true, render: (x) => kzt(x.kzt) }], t.cash_outs)) : null);
    this.out.hidden = false;
    say(tr("Trace of {id}: {hops} hop(s), {holders} holder(s), {amount} still held.", { id: t.incident, hops: t.hops.length, holders: t.holders.length, amount: kzt(tot.held_kzt) }));
    try {
      // A money trail is drawn whole: folding could hide a current holder.
      const view = new GraphView(canvas, { fold: false });
      const roots = t.victim ? [t.victim] : t.start.map((x) => x.account);
      await view.set(traceGraph(t), { start: t.victim, layout: { name: "breadthfirst", directed: true, animate: false,
        roots: roots.map((r) => `#${CSS.escape(r)}`).join(", "), spacingFactor: 1.1, padding: 20 } });
      for (const x of t.holders) if (x.account) view.cy.getElementById(x.account).addClass("path");
    } catch (e) {
      fail(e, "Trace drawing");
    }
  },
};
