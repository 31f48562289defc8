// Cases: the list, and one case with its alerts and entities, its graph, its whole
// timeline, and the forms that change it (assign, note, link, verdict, reopen). Every
// change goes through the API, which keeps the history; the page only shows it.
import { api, enc } from "./api.js";
import { fail, field, fill, h, say, table } from "./dom.js";
import { dateToTs, inferKind, kzt, score, shortId, when, timeEl } from "./format.js";
import { GraphView, legend } from "./graph.js";
import { can } from "./session.js";
import { band, t } from "./i18n.js";

const VERDICTS = [["confirmed_fraud", "confirmed fraud"], ["not_fraud", "not fraud"], ["inconclusive", "inconclusive"]];
const SCHEMES = ["phone_fraud", "fake_investment", "dropper", "gambling", "drugs", "mule", "other"];
const GRAPH_ACCOUNTS = 5;  // neighbourhoods drawn around at most this many accounts

function describe(e) {
  const d = e.detail || {};
  switch (e.action) {
    case "created": return `opened${d.title ? ` “${d.title}”` : ""}${d.assignee ? `, assigned to ${d.assignee}` : ""}`;
    case "assigned": return `assigned to ${d.assignee}${d.previous ? ` (was ${d.previous})` : ""}`;
    case "unassigned": return `unassigned (was ${d.previous})`;
    case "note": return d.text;
    case "linked": return `linked ${(d.alerts || []).length} alert(s), ${(d.entities || []).length} entit${(d.entities || []).length === 1 ? "y" : "ies"}`;
    case "closed": return `closed: ${String(d.verdict).replace("_", " ")}${d.scheme ? ` (${d.scheme})` : ""} — ${d.reason}; ${d.labelled_accounts ?? 0} account label(s)`;
    case "reopened": return `reopened — ${d.reason}; verdict ${d.withdrawn_verdict} withdrawn`;
    default: return JSON.stringify(d);
  }
}

export const casesView = {
  perm: "cases",

  init(section) {
    this.status = h("select", { name: "status" }, [["", "any"], ["open", "open"], ["assigned", "assigned"], ["closed", "closed"]]
      .map(([v, label]) => h("option", { value: v, text: t(label) })));
    const form = h("form", { class: "inline card", "aria-label": t("Case list options") }, field(t("Status"), this.status)[0],
      h("button", { type: "submit", text: t("Show") }));
    form.addEventListener("submit", (ev) => { ev.preventDefault(); window.location.hash = "#/cases"; this.loadList(); });
    this.detail = h("div", { id: "case-detail", hidden: true });
    this.list = h("div", { id: "case-list", class: "card" });
    section.append(h("h2", { id: "cases-title", tabindex: "-1", text: t("Cases") }), form, this.detail, this.list);
  },

  async show(args) {
    const [id] = args;
    if (id) {
      this.list.hidden = true;
      await this.open(decodeURIComponent(id));
    } else {
      this.detail.hidden = true;
      this.list.hidden = false;
      await this.loadList();
    }
  },

  async loadList() {
    let page;
    try {
      page = await api("/v1/cases", { query: { status: this.status.value, limit: 200 } });
    } catch (e) {
      fail(e, "Cases");
      return;
    }
    const cols = [
      { label: t("Case"), render: (c) => h("a", { href: `#/cases/${enc(c.id)}`, text: c.id }) },
      { label: t("Title"), key: "title" }, { label: t("Status"), key: "status" }, { label: t("Assignee"), key: "assignee" },
      { label: t("Verdict"), render: (c) => (c.verdict ? `${c.verdict.replace("_", " ")}${c.scheme ? ` (${c.scheme})` : ""}` : "—") },
      { label: t("Alerts"), key: "alerts", num: true }, { label: t("Banks"), render: (c) => (c.banks || []).join(", ") || "—" },
      { label: t("Changed"), render: (c) => timeEl(c.updated_ts) },
    ];
    fill(this.list, h("h3", { text: t("Cases: {n}", { n: page.total }) }),
      page.items.length ? table(cols, page.items) : h("p", { class: "muted", text: t("No cases.") }));
    say(`${t("Cases: {n}", { n: page.total })}.`);
  },

  async change(path, body, what) {
    try {
      const d = await api(`/v1/cases/${enc(this.caseId)}/${path}`, { method: "POST", body });
      say(t("{what}: case {id} is {status}.", { what: t(what), id: this.caseId, status: t(d.case.status) }));
      this.render(d);
      return d;
    } catch (err) {
      fail(err, what);
      return null;
    }
  },

  async open(id) {
    this.caseId = id;
    try {
      this.render(await api(`/v1/cases/${enc(id)}`));
    } catch (e) {
      fail(e, "Case");
    }
  },

  forms(c) {
    const out = [];
    if (c.status === "closed") {
      const reason = h("input", { name: "reason", size: 40, maxlength: 2000, required: true });
      const f = h("form", { id: "case-reopen", class: "inline card" }, h("h4", { text: t("Reopen") }),
        field(t("Reason"), reason)[0], h("button", { type: "submit", text: t("Reopen case") }));
      f.addEventListener("submit", (ev) => { ev.preventDefault(); this.change("reopen", { reason: reason.value.trim() }, "Reopen"); });
      return [f];
    }
    const who = h("input", { name: "assignee", size: 20, maxlength: 64, value: c.assignee || "", pattern: "[A-Za-z0-9_.@\\-]{1,64}" });
    const assign = h("form", { id: "case-assign", class: "inline card" }, h("h4", { text: t("Assignee") }), field(t("Investigator"), who)[0],
      h("button", { type: "submit", text: t("Assign") }),
      c.assignee ? h("button", { type: "button", class: "quiet", text: t("Unassign"),
        onclick: () => this.change("assign", { assignee: null }, "Unassign") }) : null);
    assign.addEventListener("submit", (ev) => { ev.preventDefault(); this.change("assign", { assignee: who.value.trim() }, "Assign"); });
    const text = h("textarea", { name: "text", rows: 3, cols: 60, maxlength: 4000, required: true });
    const note = h("form", { id: "case-note", class: "card" }, h("h4", { text: t("Add a note") }), field(t("Note"), text, t("identifiers are pseudonymised on save"))[0],
      h("button", { type: "submit", text: t("Add note") }));
    note.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      if (await this.change("notes", { text: text.value.trim() }, "Note")) text.value = "";
    });
    const linkId = h("input", { name: "id", size: 36, autocomplete: "off", required: true });
    const link = h("form", { id: "case-link", class: "inline card" }, h("h4", { text: t("Link") }),
      field(t("Alert id, account (IBAN), IIN, phone or pseudonym"), linkId)[0], h("button", { type: "submit", text: t("Link") }));
    link.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const v = linkId.value.trim();
      const body = v.startsWith("alr_") ? { alerts: [v] } : { entities: [{ kind: inferKind(v) || "account", id: v }] };
      this.change("links", body, "Link");
    });
    out.push(assign, note, link, this.verdictForm());
    return out;
  },

  verdictForm() {
    const verdict = h("select", { name: "verdict", required: true }, VERDICTS.map(([v, label]) => h("option", { value: v, text: t(label) })));
    const scheme = h("select", { name: "scheme" }, SCHEMES.map((s) => h("option", { value: s, text: s })));
    const reason = h("input", { name: "reason", size: 40, maxlength: 2000, required: true });
    const decided = h("input", { name: "decided_at", type: "date" });
    const sync = () => { scheme.disabled = verdict.value !== "confirmed_fraud"; };
    verdict.addEventListener("change", sync);
    sync();
    const f = h("form", { id: "verdict-form", class: "card" }, h("h4", { text: t("Close with a verdict") }),
      h("p", { class: "hint", text: t("A verdict on an account is a training label for the next model: confirmed fraud a positive from its date, not fraud a negative.") }),
      field(t("Verdict"), verdict)[0], field(t("Scheme (confirmed fraud)"), scheme)[0], field(t("Reason"), reason)[0],
      field(t("Decided on (optional, Asia/Almaty date)"), decided, t("if the verdict was reached earlier than today"))[0],
      h("button", { type: "submit", text: t("Close case") }));
    f.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const ts = dateToTs(decided.value, true);
      const body = { verdict: verdict.value, reason: reason.value.trim() };
      if (!scheme.disabled) body.scheme = scheme.value;
      if (ts !== null) body.decided_at = new Date(Math.min(ts * 1000, Date.now())).toISOString();
      this.change("close", body, "Close");
    });
    return f;
  },

  render(d) {
    const c = d.case;
    const alertCols = [
      { label: t("Alert"), render: (a) => h("span", { class: "mono", text: a.id }) },
      { label: t("Entity"), render: (a) => h("span", { class: "mono", title: a.entity_id, text: `${a.entity_kind} ${shortId(a.entity_id)}` }) },
      { label: t("Priority"), num: true, render: (a) => score(a.priority, 1) }, { label: t("Band"), key: "band" },
      { label: t("Money"), num: true, render: (a) => kzt(a.money_kzt) }, { label: t("Status"), key: "status" },
    ];
    const entityCols = [
      { label: t("Entity"), render: (e) => h("a", { href: `#/search/${e.kind}/${enc(e.id)}`, class: "mono", title: e.id, text: `${e.kind} ${shortId(e.id)}` }) },
      { label: t("Bank"), key: "bank" }, { label: t("Band"), key: "band" }, { label: t("Risk"), num: true, render: (e) => score(e.risk, 2) },
    ];
    const live = d.verdicts.filter((v) => v.withdrawn_ts === null || v.withdrawn_ts === undefined);
    const timeline = h("ol", { id: "case-timeline", class: "timeline" }, d.history.map((e) =>
      h("li", { "data-action": e.action }, timeEl(e.at_ts), " · ",
        h("span", { class: "mono", text: e.by }), " · ", h("span", { text: describe(e) }))));
    this.canvas = h("div", { id: "case-graph", class: "graph small", role: "img", "aria-label": t("Graph around case {id}", { id: c.id }) });
    fill(this.detail,
      h("div", { class: "card" },
        h("h3", { id: "case-title", tabindex: "-1", text: `${c.title}` }),
        h("p", { id: "case-state" }, `${c.id} · `, h("strong", { text: c.status }),
          c.assignee ? ` · ${c.assignee}` : "", c.verdict ? ` · ${t(c.verdict.replace("_", " "))}${c.scheme ? ` (${c.scheme})` : ""}` : "",
          ` · ${t("banks")} ${(c.banks || []).join(", ") || "—"} · ${t("opened")} `, timeEl(c.created_ts)),
        live.length ? h("p", { class: "hint", text: t("{n} account label(s) in force.", { n: live.length }) }) : null,
        this.blacklistButton(c, live),
        h("a", { href: "#/cases", text: t("All cases") })),
      ...this.forms(c),
      h("div", { class: "grid" },
        h("div", { class: "card" }, h("h4", { text: t("Alerts ({n})", { n: d.alerts.length }) }), d.alerts.length ? table(alertCols, d.alerts) : h("p", { class: "muted", text: t("None.") })),
        h("div", { class: "card" }, h("h4", { text: t("Entities ({n})", { n: d.entities.length }) }), d.entities.length ? table(entityCols, d.entities) : h("p", { class: "muted", text: t("None.") }))),
      h("div", { class: "card" }, h("h4", { text: t("Graph") }), this.canvas, legend()),
      h("div", { class: "card" }, h("h4", { text: t("Timeline") }), timeline));
    this.detail.hidden = false;
    this.drawGraph(d);
  },

  // A confirmation can also list the accounts, through the ordinary list path (admins).
  blacklistButton(c, live) {
    if (c.verdict !== "confirmed_fraud" || !live.length || !can("lists:write")) return null;
    return h("button", { type: "button", id: "case-blacklist", text: t("Put {n} account(s) on the black list", { n: live.length }),
      onclick: async (ev) => {
        ev.target.disabled = true;
        let done = 0;
        for (const v of live) {
          try {
            await api("/v1/lists/black", { method: "POST", body: { entity_kind: "account", entity_id: v.account,
              reason: `case ${c.id}: confirmed ${c.scheme || "fraud"}`, source: "AFC" } });
            done += 1;
          } catch (err) {
            fail(err, t("Black list {id}", { id: shortId(v.account) }));
          }
        }
        say(t("{done} of {n} account(s) put on the black list.", { done, n: live.length }));
      } });
  },

  async drawGraph(d) {
    const accounts = [...new Set([...d.entities.filter((e) => e.kind === "account").map((e) => e.id),
      ...d.alerts.filter((a) => a.entity_kind === "account").map((a) => a.entity_id)])].slice(0, GRAPH_ACCOUNTS);
    if (!accounts.length) return;
    try {
      const view = new GraphView(this.canvas);
      const first = await api("/v1/queries/neighbourhood", { method: "POST", body: { params: { id: accounts[0], hops: 1, max_nodes: 80, per_node: 15 } } });
      await view.set(first, { start: accounts[0] });
      for (const id of accounts.slice(1)) {
        const more = await api("/v1/queries/neighbourhood", { method: "POST", body: { params: { id, hops: 1, max_nodes: 80, per_node: 15 } } });
        await view.merge(more, { around: id });
      }
      this.canvas.dataset.state = "drawn";
    } catch (e) {
      fail(e, "Case graph");
    }
  },
};
