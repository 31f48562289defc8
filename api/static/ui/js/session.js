// The API key lives in sessionStorage only: it goes when the tab closes, and no other
// tab or later visit sees it.
const KEY = "fraudgraph.apiKey";
let who = null;

export function getKey() {
  return sessionStorage.getItem(KEY);
}

export function setKey(key) {
  sessionStorage.setItem(KEY, key);
}

export function clearKey() {
  sessionStorage.removeItem(KEY);
  who = null;
}

export function setWho(w) {
  who = w;
}

export function whoAmI() {
  return who;
}

/** Whether the signed-in role holds an API permission (api/auth.py PERMISSIONS). */
export function can(permission) {
  return Boolean(who && who.permissions.includes(permission));
}
