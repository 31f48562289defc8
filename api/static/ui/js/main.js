// The workbench's shell: sign-in, the sections the role may use, hash routing.
import { api } from "./api.js";
import { casesView } from "./cases.js";
import { forget } from "./catalogue.js";
import { LANGS, getLang, setLang, t, translatePage } from "./i18n.js";
import { clustersView } from "./clusters.js";
import { say } from "./dom.js";
import { listsView } from "./lists.js";
import { queriesView } from "./queries.js";
import { queueView } from "./queue.js";
import { searchView } from "./search.js";
import { can, clearKey, getKey, setKey, setWho, whoAmI } from "./session.js";
import { traceView } from "./trace.js";

const VIEWS = { search: searchView, clusters: clustersView, trace: traceView, queries: queriesView, lists: listsView,
  queue: queueView, cases: casesView };
const $ = (id) => document.getElementById(id);
const ready = new Set();

function showOnly(name) {
  for (const el of document.querySelectorAll("main > .view")) el.hidden = el.id !== `view-${name}`;
  for (const a of document.querySelectorAll("nav a")) {
    if (a.dataset.view === name) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}

function firstAllowed() {
  return Object.keys(VIEWS).find((k) => can(VIEWS[k].perm)) || "denied";
}

async function route() {
  if (!whoAmI()) {
    showOnly("signin");
    return;
  }
  const parts = window.location.hash.replace(/^#\/?/, "").split("/").filter((x) => x !== "");
  const name = parts[0] || firstAllowed();
  const view = VIEWS[name];
  if (!view || !can(view.perm)) {
    // The API would refuse it anyway; the page asks it nothing.
    showOnly("denied");
    say(view ? t("Your role ({role}) may not use {name}.", { role: whoAmI().role, name: t(name) })
      : t("No section {name}.", { name }), Boolean(view));
    return;
  }
  const section = $(`view-${name}`);
  if (!ready.has(name)) {
    view.init(section);
    ready.add(name);
  }
  showOnly(name);
  await view.show(parts.slice(1));
}

function signedIn(w) {
  setWho(w);
  $("who-text").textContent = `${w.role}${w.bank ? ` · ${w.bank}` : ""} · ${t("key")} ${w.key_id}`;
  $("who").hidden = false;
  $("nav").hidden = false;
  for (const li of document.querySelectorAll("nav li[data-perm]")) li.hidden = !can(li.dataset.perm);
}

function signOut(message) {
  clearKey();
  forget();
  ready.clear();
  for (const v of Object.keys(VIEWS)) {
    const el = $(`view-${v}`);
    while (el.firstChild) el.removeChild(el.firstChild);
  }
  $("who").hidden = true;
  $("nav").hidden = true;
  if (window.location.hash) window.history.replaceState(null, "", window.location.pathname);
  showOnly("signin");
  say(message || t("Signed out."));
  $("signin-key").focus();
}

async function signIn(key) {
  setKey(key);
  try {
    signedIn(await api("/ui/whoami"));
    return null;
  } catch (e) {
    clearKey();
    return e.status === 401 ? t("The API does not know this key (or it was revoked).") : e.message;
  }
}

/** The language switch: every view is built again in the new language (they hold no
 * state the API does not), the static page is translated in place. */
function languageSwitch() {
  const pick = $("lang-pick");
  for (const [code, name] of LANGS) {
    const o = document.createElement("option");
    o.value = code;
    o.textContent = name;
    o.lang = code;
    pick.append(o);
  }
  pick.value = getLang();
  pick.addEventListener("change", () => setLang(pick.value));
  window.addEventListener("fg:lang", () => {
    translatePage();
    if (!whoAmI()) return;
    $("who-text").textContent = `${whoAmI().role}${whoAmI().bank ? ` · ${whoAmI().bank}` : ""} · ${t("key")} ${whoAmI().key_id}`;
    ready.clear();
    for (const v of Object.keys(VIEWS)) {
      const el = $(`view-${v}`);
      while (el.firstChild) el.removeChild(el.firstChild);
      if (VIEWS[v].reset) VIEWS[v].reset();
    }
    say("");
    route().catch((e) => say(e.message, true));
  });
}

function start() {
  translatePage();
  languageSwitch();
  $("signin-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const input = $("signin-key");
    $("signin-error").textContent = "";
    const err = await signIn(input.value.trim());
    input.value = "";
    if (err) {
      $("signin-error").textContent = err;
      input.focus();
      return;
    }
    say(t("Signed in as {role}.", { role: whoAmI().role }));
    if (!window.location.hash) window.location.hash = `#/${firstAllowed()}`;
    else await route();
    $("main").focus();
  });
  $("sign-out").addEventListener("click", () => signOut());
  window.addEventListener("fg:unauthorized", () => {
    if (whoAmI()) signOut(t("Your key is no longer accepted; sign in again."));
  });
  window.addEventListener("hashchange", () => {
    route().catch((e) => say(e.message, true));
  });
  if (getKey()) {
    signIn(getKey()).then((err) => {
      if (err) signOut(err);
      else route();
    });
  } else {
    showOnly("signin");
  }
}

start();
