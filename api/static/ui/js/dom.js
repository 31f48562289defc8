// A tiny DOM builder: the page is plain DOM, no framework, and never sets innerHTML
// from data (every value from the API lands as text).
import { t } from "./i18n.js";

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG_NS = "http://www.w3.org/2000/svg";

export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function setAttrs(el, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(el.dataset, v);
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, String(v));
  }
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/** Replace an element's children (nested arrays flattened, null and false skipped). */
export function fill(el, ...children) {
  clear(el);
  append(el, children);
  return el;
}

let seq = 0;
/** A unique element id, for label/for and aria-describedby pairs. */
export function uid(prefix = "fg") {
  seq += 1;
  return `${prefix}-${seq}`;
}

/** A labelled form field: returns [wrapper, control]. */
export function field(labelText, control, hint) {
  control.id = control.id || uid("f");
  const parts = [h("label", { for: control.id, text: labelText }), control];
  if (hint) {
    const hid = uid("hint");
    control.setAttribute("aria-describedby", hid);
    parts.push(h("span", { id: hid, class: "hint", text: hint }));
  }
  return [h("div", { class: "field" }, parts), control];
}

/** A table from column specs [{key, label, num, render(row)}] and rows. */
export function table(columns, rows, caption) {
  const head = h("tr", {}, columns.map((c) => h("th", { scope: "col", class: c.num ? "num" : null, text: c.label })));
  const body = rows.map((r) => h("tr", {}, columns.map((c) => {
    const v = c.render ? c.render(r) : r[c.key];
    return h("td", { class: c.num ? "num" : null }, v instanceof Node ? v : (v ?? "—"));
  })));
  return h("div", { class: "table-wrap" },
    h("table", {}, caption ? h("caption", { class: "hint", text: caption }) : null,
      h("thead", {}, head), h("tbody", {}, body)));
}

/** One line in the page's live region (read out by screen readers). */
export function say(text, error = false) {
  const el = document.getElementById("status");
  if (!el) return;
  el.textContent = text || "";
  el.classList.toggle("error", Boolean(error));
}

/** An API failure as a status line; returns the message. */
export function fail(err, what) {
  const msg = `${t(what)}: ${err && err.message ? err.message : String(err)}`;
  say(msg, true);
  return msg;
}
