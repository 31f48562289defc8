// Black and grey lists: read for analysts, add and remove (with a reason) for admins.
import { api, enc } from "./api.js";
import { fill, fail, field, h, say, table } from "./dom.js";
import { dateToTs, shortId, when, timeEl } from "./format.js";
import { can } from "./session.js";
import { band, t } from "./i18n.js";

const KINDS = ["account", "person", "phone", "device"];

function isoDate(value) {
  const ts = dateToTs(value);
  return ts === null ? undefined : new Date(ts * 1000).toISOString();
}

export const listsView = {
  perm: "lists:read",

  init(section) {
    this.which = h("select", { name: "list", id: "list-pick" }, ["black", "grey"].map((l) => h("option", { value: l, text: t("{list} list", { list: t(l) }) })));
    this.inactive = h("input", { type: "checkbox", name: "inactive" });
    const pick = h("form", { class: "inline card", "aria-label": t("Which list") }, field(t("List"), this.which)[0],
      h("label", {}, this.inactive, " also expired and removed entries"), h("button", { type: "submit", text: t("Show") }));
    pick.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const target = `#/lists/${this.which.value}`;
      if (window.location.hash === target) this.load();
      else window.location.hash = target;
    });
    this.table = h("div", { id: "list-table", class: "card" });
    section.append(h("h2", { id: "lists-title", tabindex: "-1", text: t("Lists") }), pick);
    if (can("lists:write")) section.append(this.addForm(), this.removeForm());
    section.append(this.table);
  },

  addForm() {
    const kind = h("select", { name: "entity_kind" }, KINDS.map((k) => h("option", { value: k, text: k })));
    const entity = h("input", { name: "entity_id", required: true, autocomplete: "off", size: 34 });
    const reason = h("input", { name: "reason", required: true, maxlength: 500, size: 34 });
    const source = h("input", { name: "source", value: "AFC", required: true, size: 8 });
    const until = h("input", { name: "until", type: "date" });
    const form = h("form", { id: "list-add", class: "inline card", "aria-label": t("Add an entry") },
      h("h3", { text: t("Add an entry") }), field(t("Kind"), kind)[0],
      field(t("Identifier"), entity, t("raw or pseudonym"))[0], field(t("Reason"), reason)[0], field(t("Source"), source)[0],
      field(t("Until (optional)"), until)[0], h("button", { type: "submit", text: t("Add to list") }));
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      try {
        const e = await api(`/v1/lists/${this.which.value}`, { method: "POST", body: {
          entity_kind: kind.value, entity_id: entity.value.trim(), reason: reason.value.trim(),
          source: source.value.trim(), until: isoDate(until.value) } });
        say(t("Added {id} to the {list} list.", { id: e.id, list: t(e.list) }));
        entity.value = "";
        reason.value = "";
        await this.load();
      } catch (err) {
        fail(err, "Add");
      }
    });
    return form;
  },

  removeForm() {
    this.removeId = h("input", { name: "entry_id", required: true, autocomplete: "off", size: 30 });
    this.removeReason = h("input", { name: "reason", required: true, maxlength: 500, size: 34 });
    const form = h("form", { id: "list-remove", class: "inline card", "aria-label": t("Remove an entry") },
      h("h3", { text: t("Remove an entry") }), field(t("Entry id"), this.removeId)[0],
      field(t("Reason for removal"), this.removeReason)[0], h("button", { type: "submit", class: "danger", text: t("Remove") }));
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      try {
        await api(`/v1/lists/${this.which.value}/${enc(this.removeId.value)}`, { method: "DELETE",
          query: { reason: this.removeReason.value.trim() } });
        say(t("Removed {id} from the {list} list.", { id: this.removeId.value, list: t(this.which.value) }));
        this.removeId.value = "";
        this.removeReason.value = "";
        await this.load();
      } catch (err) {
        fail(err, "Remove");
      }
    });
    return form;
  },

  async show(args) {
    if (args[0] === "black" || args[0] === "grey") this.which.value = args[0];
    await this.load();
  },

  async load() {
    const list = this.which.value;
    let page;
    try {
      page = await api(`/v1/lists/${list}`, { query: { include_inactive: this.inactive.checked, limit: 500 } });
    } catch (e) {
      fail(e, "List");
      return;
    }
    const cols = [
      { label: t("Entry"), key: "id" }, { label: t("Kind"), key: "entity_kind" },
      { label: t("Entity"), render: (e) => h("span", { class: "mono", title: e.entity || "", text: shortId(e.entity) }) },
      { label: t("Reason"), key: "reason" }, { label: t("Source"), key: "source" },
      { label: t("Since"), render: (e) => timeEl(e.since_ts) }, { label: t("Until"), render: (e) => (e.until_ts ? timeEl(e.until_ts) : "—") },
      { label: t("Active"), render: (e) => (e.active ? "yes" : `no${e.removed_reason ? ` (removed: ${e.removed_reason})` : ""}`) },
    ];
    if (can("lists:write")) {
      cols.push({ label: "", render: (e) => (e.active ? h("button", { type: "button", class: "quiet", text: t("Remove…"),
        "aria-label": t("Remove entry {id}", { id: e.id }), onclick: () => { this.removeId.value = e.id; this.removeReason.focus(); } }) : "") });
    }
    fill(this.table, h("h3", { text: t("{list} list: {n} entries", { list: t(list), n: page.total }) }),
      page.items.length ? table(cols, page.items) : h("p", { class: "muted", text: t("Empty.") }));
    say(`${t("{list} list: {n} entries", { list: t(list), n: page.total })}.`);
  },
};
