// Search an entity by raw identifier or pseudonym; its risk card; its neighbourhood.
// A raw identifier (IBAN, IIN, phone, device id) travels only in the body of
// POST /v1/entities/lookup, never in an address: the page's address (#/search/kind/id,
// kept in the browser's history) carries the pseudonym the answer names.
import { api, enc } from "./api.js";
import { fill, fail, field, h, say } from "./dom.js";
import { bandOf, inferKind, isPseudonym, score, shortId, timeEl } from "./format.js";
import { Neighbourhood } from "./neighbourhood.js";
import { can } from "./session.js";
import { band as bandName, t } from "./i18n.js";

const KINDS = ["account", "person", "phone", "device"];
const SHOWN_REASONS = 8;

function pathText(p) {
  const parts = [];
  (p.nodes || []).forEach((n, i) => {
    if (i > 0) parts.push(` ${String((p.rels || [])[i - 1] || "—")} `);
    parts.push(n.at_other_bank ? `${n.text || "another bank's customer"}${n.band ? ` (${n.band})` : ""}` : `${n.kind} ${shortId(n.id)}`);
  });
  return parts.join("");
}

function evidenceText(ev) {
  if (ev === null || ev === undefined) return "";
  const s = typeof ev === "string" ? ev : JSON.stringify(ev);
  return s.length > 160 ? `${s.slice(0, 157)}…` : s;
}

export const searchView = {
  perm: "risk",
  graph: null,

  init(section) {
    // Built again on a language switch: the old neighbourhood panel is gone with it.
    this.graph = null;
    this.shown = null;
    this.section = section;
    this.kind = h("select", { name: "kind" }, h("option", { value: "auto", text: t("detect from the identifier") }),
      KINDS.map((k) => h("option", { value: k, text: k })));
    this.id = h("input", { name: "id", type: "search", required: true, autocomplete: "off", size: 42 });
    const form = h("form", { id: "search-form", class: "inline card", role: "search" },
      field(t("Identifier"), this.id, t("IBAN, IIN, phone, device id, or a pseudonym (acc_…, per_…, pho_…, dev_…)"))[0],
      field(t("Kind"), this.kind)[0],
      h("button", { type: "submit", text: t("Search") }));
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const kind = this.kind.value === "auto" ? inferKind(this.id.value) : this.kind.value;
      const value = this.id.value.trim();
      if (isPseudonym(value)) window.location.hash = `#/search/${kind}/${enc(value)}`;
      else this.lookup(kind, value);
    });
    this.card = h("div", { id: "risk-card", class: "card", hidden: true, "aria-live": "polite" });
    this.graphRoot = h("div", { id: "graph-panel", class: "card", hidden: true });
    section.append(h("h2", { id: "search-title", tabindex: "-1", text: t("Search an entity") }), form,
      h("div", { class: "grid" }, this.card, this.graphRoot));
  },

  async show(args) {
    const [kind, raw] = args;
    if (!kind || !raw) return;
    const id = decodeURIComponent(raw);
    if (this.shown === `${kind}/${id}`) return; // just put there by lookup()
    if (!isPseudonym(id)) {
      // An old bookmark with a raw identifier: not sent anywhere, and out of the address.
      window.history.replaceState(null, "", "#/search");
      say(t("Addresses carry pseudonyms only: type the identifier into the search box."), true);
      return;
    }
    if (this.id.value !== id) this.id.value = id;
    await this.display(kind, () => api("/v1/entities/lookup", { method: "POST", body: { kind, id } }));
  },

  async lookup(kind, value) {
    await this.display(kind, () => api("/v1/entities/lookup", { method: "POST", body: { kind, id: value } }));
  },

  async display(kind, fetchCard) {
    say(t("Looking up {kind}…", { kind: t(kind) }));
    let risk;
    try {
      risk = await fetchCard();
    } catch (e) {
      this.card.hidden = true;
      this.graphRoot.hidden = true;
      fail(e, "Search");
      return;
    }
    // The address names the pseudonym, never what was typed.
    this.shown = `${risk.kind}/${risk.id}`;
    const target = `#/search/${risk.kind}/${enc(risk.id)}`;
    if (window.location.hash !== target) window.history.pushState(null, "", target);
    this.renderCard(risk);
    say(t("{kind} {id}: {band} risk.", { kind: t(risk.kind), id: shortId(risk.id), band: risk.band ? bandName(risk.band) : t("no") }));
    if (can("queries")) {
      this.graphRoot.hidden = false;
      if (!this.graph) {
        this.graph = new Neighbourhood(this.graphRoot, {
          onOpenEntity: (k, i) => { window.location.hash = `#/search/${k}/${enc(i)}`; },
        });
      }
      await this.graph.show(risk.id, { paths: this.allPaths(risk) });
    }
  },

  allPaths(risk) {
    return [...(risk.paths || []), ...(risk.reasons || []).map((r) => r.path).filter(Boolean)];
  },

  renderCard(r) {
    const band = r.band || bandOf(r.risk) || "unknown";
    const reasons = r.reasons || [];
    const heur = reasons.filter((x) => x.code.startsWith("HEURISTIC_"));
    const other = reasons.filter((x) => !x.code.startsWith("HEURISTIC_"));
    const reasonItem = (x) => h("li", {},
      x.severity ? h("span", { class: "sev", text: x.severity }) : null, x.text,
      x.score !== null && x.score !== undefined ? h("span", { class: "muted", text: ` (${t("score")} ${score(x.score, 2)})` }) : null,
      x.evidence && x.code.startsWith("HEURISTIC_") ? h("div", { class: "hint mono", text: evidenceText(x.evidence) }) : null,
      x.path && this.graph ? h("button", { type: "button", class: "link", text: t(" show on graph"),
        onclick: () => this.graph.view.highlightPaths([x.path]) }) : null);
    const facts = [["Kind", r.kind], ["Pseudonym", r.id], ["Bank", r.bank || "—"], ["Engine", r.engine]];
    if (!r.restricted) {
      facts.push(["Propagated", score(r.prop_score)], ["GNN score", score(r.gnn_score)],
        ["Updated", r.risk_updated_at ? timeEl(r.risk_updated_at) : "—"]);
    }
    fill(this.card, 
      h("h3", { text: t("Risk card") }),
      h("p", {}, h("span", { id: "risk-band", class: `band band-${band}`, "data-band": band, text: bandName(band) }),
        r.restricted ? null : h("span", { id: "risk-score", class: "score", text: score(r.risk) })),
      r.restricted ? h("p", { class: "hint", text: t("Another bank's customer: your key sees the band only.") }) : null,
      h("dl", { class: "facts" }, facts.map(([k, v]) => [h("dt", { text: t(k) }), h("dd", { class: k === "Pseudonym" ? "mono" : null }, v ?? "—")])),
      r.restricted ? null : [
        h("h4", { text: t("Heuristic hits ({n})", { n: heur.length }) }),
        heur.length ? h("ul", { id: "heuristic-hits", class: "reasons" }, heur.map(reasonItem)) : h("p", { class: "muted", text: t("None in the latest run.") }),
        h("h4", { text: t("Reasons ({n})", { n: other.length }) }),
        other.length ? h("ul", { id: "reasons", class: "reasons" }, other.slice(0, SHOWN_REASONS).map(reasonItem)) : h("p", { class: "muted", text: t("No list entries, incidents or listed neighbours.") }),
        other.length > SHOWN_REASONS ? h("details", {}, h("summary", { text: t("{n} more", { n: other.length - SHOWN_REASONS }) }),
          h("ul", { class: "reasons" }, other.slice(SHOWN_REASONS).map(reasonItem))) : null,
        h("h4", { text: t("Explanation paths ({n})", { n: (r.paths || []).length }) }),
        (r.paths || []).length ? h("ol", { id: "paths", class: "reasons" }, r.paths.map((p) => h("li", { class: "mono" },
          pathText(p), p.weight !== null && p.weight !== undefined ? h("span", { class: "muted", text: ` (${t("weight")} ${score(p.weight, 4)})` }) : null)))
          : h("p", { class: "muted", text: t("The risk engine gave no paths.") }),
        (r.top_seeds || []).length ? [h("h4", { text: t("Top risk sources") }), h("ul", { class: "reasons" },
          r.top_seeds.map((sd) => h("li", {}, `${sd.kind} `, h("span", { class: "mono", text: sd.id ? shortId(sd.id) : "at another bank" }), ` — ${Math.round(sd.contribution * 100)} %`)))] : null,
      ]);
    this.card.hidden = false;
    this.card.dataset.band = band;
  },
};
