// The workbench's languages: Kazakh and Russian (the AFC's working languages) and English.
// A message is looked up by its English text (gettext style), so a string without a
// translation still reads in English instead of showing a key; `{name}` fills a value in.
// The language is chosen in the header; it is remembered in localStorage only once the
// investigator picks one (so that a first visit stores nothing), else taken from the
// browser's language, else English.
import { CATALOGUE } from "./messages.js";

export const LANGS = [["kk", "Қазақша"], ["ru", "Русский"], ["en", "English"]];
const STORE = "fraudgraph.lang";
let lang = initial();

function initial() {
  let stored = null;
  try {
    stored = localStorage.getItem(STORE);
  } catch {
    stored = null; // storage disabled: the browser's language then
  }
  if (stored && LANGS.some(([c]) => c === stored)) return stored;
  for (const l of navigator.languages || [navigator.language || ""]) {
    const base = String(l).toLowerCase().split("-")[0];
    if (LANGS.some(([c]) => c === base)) return base;
  }
  return "en";
}

export function getLang() {
  return lang;
}

/** The BCP 47 tag for Intl formatting (Kazakh and Russian as written in Kazakhstan). */
export function locale() {
  return { kk: "kk-KZ", ru: "ru-KZ", en: "en-GB" }[lang] || "en-GB";
}

export function setLang(code) {
  if (!LANGS.some(([c]) => c === code)) return;
  lang = code;
  try {
    localStorage.setItem(STORE, code);
  } catch {
    // not remembered; the page still switches
  }
  document.documentElement.lang = code;
  window.dispatchEvent(new CustomEvent("fg:lang", { detail: code }));
}

/** The message `en` in the current language, with {name} placeholders filled from vars. */
export function t(en, vars) {
  const table = CATALOGUE[lang];
  const msg = (table && table[en]) || en;
  if (!vars) return msg;
  return msg.replace(/\{(\w+)\}/g, (m, k) => (vars[k] === undefined || vars[k] === null ? m : String(vars[k])));
}

/** A risk band's name ("low", "critical", ...) in the current language. */
export function band(name) {
  const key = `band:${name || "unknown"}`;
  const msg = t(key);
  return msg === key ? (name || "unknown") : msg;
}

/** Translate the static page (index.html): elements with data-i18n get their text from
 * the catalogue, data-i18n-attr="attr:Message" their attribute. */
export function translatePage(root = document) {
  document.documentElement.lang = lang;
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-attr]")) {
    const [attr, ...msg] = el.dataset.i18nAttr.split(":");
    el.setAttribute(attr, t(msg.join(":")));
  }
  document.title = t("fraudgraph — investigator workbench");
}
