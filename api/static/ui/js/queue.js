// The alert queue: what fired, what to look at first. Filter by status, bank, band,
// scheme, kind and age; sort by clicking a column; dismiss a false alarm with a reason;
// open a case from the selected alerts. A bank's key sees its own customers' alerts only
// (the API enforces it; the bank filter is then fixed).
import { api, enc } from "./api.js";
import { fail, field, fill, h, say } from "./dom.js";
import { kzt, score, shortId, when, timeEl } from "./format.js";
import { can, whoAmI } from "./session.js";
import { band, t } from "./i18n.js";

const PAGE = 50;
const SORTS = [["priority", "Priority"], ["risk", "Risk"], ["money", "Money at stake"], ["raised", "Raised"]];
const SCHEMES = ["", "phone_fraud", "fake_investment", "dropper", "gambling", "drugs", "other"];

function select(name, options, value = "") {
  return h("select", { name }, options.map(([v, label]) => h("option", { value: v, text: t(label), selected: v === value })));
}

export const queueView = {
  perm: "alerts:read",

  init(section) {
    this.sort = "priority";
    this.order = "desc";
    this.offset = 0;
    this.asOf = null;
    this.selected = new Set();
    const bank = whoAmI() && whoAmI().role === "bank" ? whoAmI().bank : "";
    this.f = {
      status: select("status", [["", "open and in a case"], ["open", "open"], ["in_case", "in a case"],
        ["dismissed", "dismissed"], ["closed", "closed"]]),
      bank: h("input", { name: "bank", size: 8, value: bank, disabled: Boolean(bank), autocomplete: "off" }),
      band: select("band", [["", "any"], ["critical", "critical"], ["high", "high"], ["medium", "medium"], ["low", "low"]]),
      scheme: select("scheme", SCHEMES.map((s) => [s, s || "any"])),
      kind: select("kind", [["", "any"], ["account", "account"], ["person", "person"], ["phone", "phone"],
        ["device", "device"], ["cluster", "cluster"]]),
      age: select("age", [["", "any"], ["1", "last day"], ["7", "last 7 days"], ["30", "last 30 days"]]),
    };
    const form = h("form", { id: "queue-filters", class: "inline card", "aria-label": t("Queue filters") },
      field(t("Status"), this.f.status)[0], field(t("Bank"), this.f.bank)[0], field(t("Band"), this.f.band)[0],
      field(t("Scheme"), this.f.scheme)[0], field(t("Kind"), this.f.kind)[0], field(t("Raised"), this.f.age)[0],
      h("button", { type: "submit", text: t("Filter") }));
    form.addEventListener("submit", (ev) => { ev.preventDefault(); this.offset = 0; this.load(); });
    this.table = h("div", { id: "queue-table", class: "card" });
    section.append(h("h2", { id: "queue-title", tabindex: "-1", text: t("Alert queue") }), form);
    if (can("cases")) section.append(this.actions());
    section.append(this.table);
  },

  actions() {
    this.caseTitle = h("input", { name: "title", size: 30, maxlength: 200, placeholder: t("case title") });
    const open = h("form", { id: "queue-open-case", class: "inline" },
      field(t("New case from the selected alerts"), this.caseTitle)[0], h("button", { type: "submit", text: t("Open case") }));
    open.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      if (!this.selected.size) { say(t("Select one or more alerts first."), true); return; }
      try {
        const c = await api("/v1/cases", { method: "POST", body: {
          title: this.caseTitle.value.trim() || t("Case from {n} alert(s)", { n: this.selected.size }),
          alerts: [...this.selected] } });
        this.selected.clear();
        say(t("Opened case {id}.", { id: c.case.id }));
        window.location.hash = `#/cases/${enc(c.case.id)}`;
      } catch (err) {
        fail(err, "Open case");
      }
    });
    this.dismissId = h("input", { name: "alert", size: 28, readonly: true });
    this.dismissReason = h("input", { name: "reason", size: 34, maxlength: 500, required: true });
    const dismiss = h("form", { id: "queue-dismiss", class: "inline" },
      field(t("Dismiss alert"), this.dismissId)[0], field(t("Reason"), this.dismissReason)[0],
      h("button", { type: "submit", class: "danger", text: t("Dismiss") }));
    dismiss.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      try {
        await api(`/v1/alerts/${enc(this.dismissId.value)}/dismiss`, { method: "POST",
          body: { reason: this.dismissReason.value.trim() } });
        say(t("Dismissed {id}; it stays quiet until its evidence changes.", { id: this.dismissId.value }));
        this.dismissId.value = "";
        this.dismissReason.value = "";
        await this.load();
      } catch (err) {
        fail(err, "Dismiss");
      }
    });
    return h("div", { class: "card" }, open, dismiss);
  },

  async show() {
    await this.load();
  },

  query() {
    const q = { sort: this.sort, order: this.order, limit: PAGE, offset: this.offset };
    for (const k of ["status", "bank", "band", "scheme", "kind"]) {
      const v = this.f[k].value.trim();
      if (v && !(k === "bank" && this.f.bank.disabled)) q[k] = v;
    }
    if (this.f.age.value && this.asOf) {
      q.raised_after = new Date((this.asOf - Number(this.f.age.value) * 86400) * 1000).toISOString();
    }
    return q;
  },

  async load() {
    const t0 = performance.now();
    let page;
    try {
      if (this.f.age.value && !this.asOf) this.asOf = (await api("/v1/alerts", { query: { limit: 1 } })).as_of;
      page = await api("/v1/alerts", { query: this.query() });
    } catch (e) {
      fail(e, "Queue");
      return;
    }
    this.asOf = page.as_of ?? this.asOf;
    this.render(page);
    this.table.dataset.loadMs = String(Math.round(performance.now() - t0));
    say(t("{n} alert(s); showing {a}–{b}.", { n: page.total, a: page.items.length ? page.offset + 1 : 0, b: page.offset + page.items.length }));
  },

  header() {
    const sortable = new Map(SORTS);
    const cols = ["", "Priority", "Entity", "Band", "Risk", "Banks", "Money at stake", "Why", "Raised", "Status", ""];
    const keyOf = { Priority: "priority", Risk: "risk", "Money at stake": "money", Raised: "raised" };
    return h("tr", {}, cols.map((label) => {
      const key = keyOf[label];
      if (!key || !sortable.has(key)) return h("th", { scope: "col", text: label ? t(label) : "" });
      const active = this.sort === key;
      const arrow = active ? (this.order === "desc" ? " ↓" : " ↑") : "";
      return h("th", { scope: "col", "aria-sort": active ? (this.order === "desc" ? "descending" : "ascending") : "none" },
        h("button", { type: "button", class: "link", "data-sort": key, text: `${t(label)}${arrow}`, onclick: () => {
          this.order = active && this.order === "desc" ? "asc" : "desc";
          this.sort = key;
          this.offset = 0;
          this.load();
        } }));
    }));
  },

  row(a) {
    const pick = h("input", { type: "checkbox", "aria-label": t("Select alert {id}", { id: a.id }), checked: this.selected.has(a.id),
      disabled: !can("cases") || a.status === "closed" || a.status === "in_case",
      onchange: (ev) => { if (ev.target.checked) this.selected.add(a.id); else this.selected.delete(a.id); } });
    const entity = a.entity_kind === "cluster"
      ? h("a", { href: `#/clusters/${enc(a.entity_id)}`, text: t("cluster {id}", { id: a.entity_id }) })
      : h("a", { href: `#/search/${a.entity_kind}/${enc(a.entity_id)}`, class: "mono", title: a.entity_id,
        text: `${a.entity_kind} ${shortId(a.entity_id)}` });
    const act = a.status === "open" && can("cases")
      ? h("button", { type: "button", class: "quiet", text: t("Dismiss…"), "aria-label": t("Dismiss alert {id}", { id: a.id }),
        onclick: () => { this.dismissId.value = a.id; this.dismissReason.focus(); } })
      : (a.case_id ? h("a", { href: `#/cases/${enc(a.case_id)}`, text: t("case") }) : "");
    return h("tr", { "data-alert": a.id, class: a.current === false ? "muted" : null },
      h("td", {}, pick), h("td", { class: "num", text: score(a.priority, 1) }), h("td", {}, entity),
      h("td", { text: a.band ? band(a.band) : "—" }), h("td", { class: "num", text: score(a.risk ?? a.gnn_score, 2) }),
      h("td", { text: (a.banks || []).join(", ") || "—" }), h("td", { class: "num", text: kzt(a.money_kzt) }),
      h("td", { text: (a.reasons || []).join("; ") }), h("td", {}, timeEl(a.raised_ts)),
      h("td", { text: t(a.status.replace("_", " ")) }), h("td", {}, act));
  },

  render(page) {
    const prev = h("button", { type: "button", class: "quiet", text: t("← Previous"), disabled: page.offset === 0,
      onclick: () => { this.offset = Math.max(0, this.offset - PAGE); this.load(); } });
    const next = h("button", { type: "button", class: "quiet", text: t("Next →"), disabled: page.offset + page.items.length >= page.total,
      onclick: () => { this.offset += PAGE; this.load(); } });
    const body = page.items.map((a) => this.row(a));
    fill(this.table,
      h("h3", { id: "queue-count" }, t(page.total === 1 ? "{n} alert" : "{n} alerts", { n: page.total }),
        page.as_of ? [` · ${t("last run")} `, timeEl(page.as_of)] : null),
      page.items.length
        ? h("div", { class: "table-wrap" }, h("table", { id: "queue-list" }, h("thead", {}, this.header()), h("tbody", {}, body)))
        : h("p", { class: "muted", text: t("No alerts match.") }),
      h("div", { class: "inline pager" }, prev, next));
  },
};
