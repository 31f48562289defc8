// Pure helpers: formatting, identifier kinds, risk bands, sparkline geometry.
import { locale, t } from "./i18n.js";

// The propagation engine's bands (gnn/propagation/risk.py BANDS): lower bound, name.
export const BANDS = [[0.0, "low"], [0.3, "medium"], [0.6, "high"], [0.85, "critical"]];
// Kazakhstan time (UTC+5 all year since 2024): what investigators read in reports.
export const TZ_OFFSET_S = 5 * 3600;
const PREFIX_KIND = { acc: "account", per: "person", pho: "phone", dev: "device" };

export function bandOf(risk) {
  if (risk === null || risk === undefined || Number.isNaN(Number(risk))) return null;
  let name = BANDS[0][1];
  for (const [lower, band] of BANDS) if (Number(risk) >= lower) name = band;
  return name;
}

const whole = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

export function kzt(n) {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return "—";
  return `${whole.format(Number(n))} KZT`;
}

/** 1234567 -> "1.2M" (edge labels must stay short). */
export function compact(n) {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return "";
  const x = Math.abs(Number(n));
  if (x >= 1e9) return `${(n / 1e9).toFixed(1)}B`;
  if (x >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (x >= 1e3) return `${(n / 1e3).toFixed(0)}k`;
  return String(Math.round(n));
}

export function score(x, digits = 3) {
  return x === null || x === undefined ? "—" : Number(x).toFixed(digits);
}

// Every time on the page is shown in the AFC's zone, with the zone written out, so that
// a time read off the screen means the same in Almaty, in a bank's office abroad or in a
// report (the browser's own zone could differ from the investigator's colleagues').
export const ZONE = "Asia/Almaty";

/** An epoch-seconds number, an ISO string or a Date -> Date (null when unreadable). */
export function toDate(ts) {
  if (ts === null || ts === undefined || ts === "") return null;
  const d = ts instanceof Date ? ts : new Date(typeof ts === "number" || /^\d+(\.\d+)?$/.test(String(ts))
    ? Number(ts) * 1000 : String(ts));
  return Number.isNaN(d.getTime()) ? null : d;
}

const formats = new Map();
function fmt(kind) {
  const key = `${locale()}|${kind}`;
  if (!formats.has(key)) {
    const opts = kind === "day" ? { year: "numeric", month: "2-digit", day: "2-digit", timeZone: ZONE }
      : { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
        hourCycle: "h23", timeZone: ZONE, timeZoneName: "short" };
    formats.set(key, new Intl.DateTimeFormat(locale(), opts));
  }
  return formats.get(key);
}

/** A time (epoch seconds or ISO) -> date, hour and minute in Asia/Almaty with the zone
 * ("02.12.2026, 15:04 GMT+5"). */
export function when(ts) {
  const d = toDate(ts);
  return d ? fmt("time").format(d) : "—";
}

/** The date only (edge labels), in Asia/Almaty. */
export function day(ts) {
  const d = toDate(ts);
  return d ? fmt("day").format(d) : "—";
}

/** What the tooltip of every time says: which zone it is in. */
export function zoneNote() {
  return t("Times are shown in {zone} (the AFC's time zone)", { zone: ZONE });
}

/** A <time> element: the zoned text, the ISO instant in datetime, the zone in a tooltip. */
export function timeEl(ts) {
  const d = toDate(ts);
  const el = document.createElement("time");
  el.textContent = when(ts);
  if (d) {
    el.dateTime = d.toISOString();
    el.title = zoneNote();
  }
  return el;
}

/** A date input's "YYYY-MM-DD" -> epoch seconds at that day's start (end: its end), KZ time. */
export function dateToTs(value, end = false) {
  if (!value) return null;
  const t = Date.parse(`${value}T00:00:00Z`);
  if (Number.isNaN(t)) return null;
  return Math.floor(t / 1000) - TZ_OFFSET_S + (end ? 86399 : 0);
}

export function isPseudonym(value) {
  return /^(acc|per|pho|dev)_[0-9a-f]{32}$/.test(value.trim());
}

/** What kind of entity an identifier names: a pseudonym by its prefix, else a raw one
 * by its shape (IBAN, IIN: 12 digits, phone, anything else a device id). */
export function inferKind(value) {
  const v = value.trim();
  if (isPseudonym(v)) return PREFIX_KIND[v.slice(0, 3)];
  if (/^KZ[0-9A-Z ]{10,40}$/i.test(v)) return "account";
  const digits = v.replace(/[\s()-]/g, "");
  if (/^\d{12}$/.test(digits)) return "person";
  if (/^\+?[78]\d{10}$/.test(digits)) return "phone";
  return "device";
}

/** The kind of a graph node from its Neo4j labels. */
export function kindOfLabels(labels) {
  const known = ["Account", "Person", "Phone", "Device", "Incident", "ListEntry", "Bank",
    "Signal", "Cluster"];
  const l = (labels || []).find((x) => known.includes(x)) || (labels || [])[0] || "node";
  return l === "ListEntry" ? "list_entry" : l.toLowerCase();
}

export function shortId(id) {
  const s = String(id ?? "");
  return /^(acc|per|pho|dev)_[0-9a-f]{32}$/.test(s) ? `${s.slice(0, 10)}…` : s;
}

/** Polyline points of a series scaled into w x h (y grows downwards), or "" if empty. */
export function sparkPoints(series, w, h, pad = 2) {
  const ys = (series || []).map(Number).filter((x) => Number.isFinite(x));
  if (ys.length === 0) return "";
  const lo = Math.min(...ys);
  const hi = Math.max(...ys);
  const span = hi - lo || 1;
  const dx = ys.length > 1 ? (w - 2 * pad) / (ys.length - 1) : 0;
  return ys.map((y, i) => {
    const x = ys.length > 1 ? pad + i * dx : w / 2;
    const yy = h - pad - ((y - lo) / span) * (h - 2 * pad);
    return `${x.toFixed(1)},${yy.toFixed(1)}`;
  }).join(" ");
}

/** A cluster's growth series (new external payers per window), when the API gives one. */
export function growthSeries(cluster) {
  for (const v of [cluster.growth, cluster.properties?.growth_series, cluster.properties?.growth]) {
    if (Array.isArray(v) && v.length) return v;
  }
  return null;
}
