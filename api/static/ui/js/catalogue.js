// The named queries (GET /v1/queries), fetched once per sign-in.
import { api } from "./api.js";

let cached = null;

export function catalogue() {
  if (!cached) cached = api("/v1/queries").catch((e) => { cached = null; throw e; });
  return cached;
}

export function forget() {
  cached = null;
}

export async function queryInfo(name) {
  return (await catalogue()).find((q) => q.name === name) || null;
}

export function param(info, name) {
  return (info?.params || []).find((p) => p.name === name) || null;
}
