"""Money-flow features of accounts: volumes, counterparties, pass-through and dwell time.

Mules receive and forward quickly ("dwell time" of hours), forward most of what came in
(pass-through ratio near 1), cash out at ATMs and have many distinct payers in a short
span. All inputs are transfers strictly before the cut-off (the snapshot is already an
`as_of` view).
"""

from __future__ import annotations

import numpy as np

from gnn.features.table import FeatureTable, count, distinct_pairs, log1p, ratio
from gnn.snapshot.timed import CHANNELS, TimedSnapshot

DAY_S = 86_400.0
HOUR_S = 3_600.0
TRANSFERS = ("Account", "TRANSFERRED", "Account")
ATM = CHANNELS.index("atm")


def _dwell(src: np.ndarray, dst: np.ndarray, at: np.ndarray, amount: np.ndarray,
           n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For every outgoing transfer, the time since the latest earlier incoming transfer of
    the same account. Returns per account: mean log1p(dwell hours) over outgoing
    transfers that had an incoming one before them, the share of outgoing transfers sent
    within 24 h of an incoming one, and the share of the outgoing amount sent so."""
    if at.size == 0:
        z = np.zeros(n)
        return z, z, z
    t0 = float(np.nanmin(at))
    rel = np.nan_to_num(at - t0, nan=0.0).astype(np.int64)
    # One sorted stream of (account, time, kind) events, kind 0 = in before 1 = out at
    # the same second; a running maximum over the incoming keys then gives, at each
    # outgoing event, the latest incoming key so far. A merge, not a binary search
    # per transfer: 10x faster on millions of transfers (cache-friendly).
    in_key = dst.astype(np.int64) * (1 << 34) + rel * 2
    out_key = src.astype(np.int64) * (1 << 34) + rel * 2 + 1
    keys = np.sort(np.concatenate([in_key, out_key]))
    last_in = np.maximum.accumulate(np.where(keys & 1, -1, keys))
    outs = (keys & 1) == 1
    prev = last_in[outs]
    # Outgoing events come out ordered by key; map back to the caller's order.
    back = np.argsort(out_key, kind="stable")
    prev_o = np.empty_like(prev)
    prev_o[back] = prev
    ok = (prev_o >= 0) & ((prev_o >> 34) == src)
    dwell = ((out_key - 1 - prev_o) // 2).astype(np.float64)
    quick = ok & (dwell <= DAY_S)
    n_out = count(src, n)
    n_ok = count(src[ok], n)
    mean_log = ratio(count(src[ok], n, np.log1p(dwell[ok] / HOUR_S)), n_ok)
    # Accounts with nothing forwarded after an income get the 30-day log dwell: "slow".
    mean_log = np.where(n_ok > 0, mean_log, np.log1p(30 * 24.0))
    share_quick = ratio(count(src[quick], n), n_out)
    amt_quick = ratio(count(src[quick], n, amount[quick]), count(src, n, amount))
    return mean_log, share_quick, amt_quick


def _flow_block(table: FeatureTable, suffix: str, src: np.ndarray, dst: np.ndarray,
                amount: np.ndarray, n: int) -> None:
    out_n, in_n = count(src, n), count(dst, n)
    out_a, in_a = count(src, n, amount), count(dst, n, amount)
    table.add("flow", f"out_count{suffix}", log1p(out_n))
    table.add("flow", f"in_count{suffix}", log1p(in_n))
    table.add("flow", f"out_kzt{suffix}", log1p(out_a))
    table.add("flow", f"in_kzt{suffix}", log1p(in_a))
    table.add("flow", f"pass_through{suffix}",
              ratio(np.minimum(in_a, out_a), np.maximum(in_a, out_a)))
    ps, pd = distinct_pairs(src, dst, n)
    table.add("flow", f"out_counterparties{suffix}", log1p(count(ps, n)))
    table.add("flow", f"in_counterparties{suffix}", log1p(count(pd, n)))


def flow_features(table: FeatureTable, snap: TimedSnapshot, cutoff: float,
                  window_days: float) -> None:
    n = snap.count("Account")
    es = snap.edge(TRANSFERS)
    empty_i = np.zeros(0, dtype=np.int64)
    src = es.src if es is not None else empty_i
    dst = es.dst if es is not None else empty_i
    amount = es.amount if es is not None and es.amount is not None else np.ones(src.size)
    at = es.at if es is not None and es.at is not None else np.full(src.size, np.nan)
    attrs = snap.attrs(TRANSFERS)
    channel = attrs.get("channel", np.full(src.size, -1.0))
    interbank = attrs.get("interbank", np.zeros(src.size))
    amount = np.nan_to_num(amount, nan=0.0)

    _flow_block(table, "", src, dst, amount, n)
    recent = at >= cutoff - window_days * DAY_S
    _flow_block(table, "_recent", src[recent], dst[recent], amount[recent], n)

    order = np.argsort(at, kind="stable") if at.size else empty_i
    mean_log, share_quick, amt_quick = _dwell(src[order], dst[order], at[order],
                                              amount[order], n)
    table.add("flow", "dwell_log_hours", mean_log)
    table.add("flow", "forwarded_24h_share", share_quick)
    table.add("flow", "forwarded_24h_kzt_share", amt_quick)

    out_n = count(src, n)
    table.add("flow", "atm_out_share", ratio(count(src[channel == ATM], n), out_n))
    table.add("flow", "interbank_out_share", ratio(count(src[interbank > 0], n), out_n))
    table.add("flow", "max_in_kzt", log1p(_max_by(dst, amount, n)))

    ends = np.concatenate([src, dst])
    times = np.concatenate([at, at])
    fin = np.isfinite(times)
    first = np.full(n, np.inf)
    last = np.full(n, -np.inf)
    np.minimum.at(first, ends[fin], times[fin])
    np.maximum.at(last, ends[fin], times[fin])
    active = np.isfinite(first)
    table.add("flow", "days_since_first_transfer",
              np.where(active, (cutoff - first) / DAY_S, 0.0))
    table.add("flow", "days_since_last_transfer",
              np.where(active, (cutoff - last) / DAY_S, 999.0))
    days = np.floor(times[fin] / DAY_S).astype(np.int64)
    da, _dd = distinct_pairs(ends[fin], days - (days.min() if days.size else 0),
                             int(days.max() - days.min() + 1) if days.size else 1)
    active_days = count(da, n)
    table.add("flow", "active_days", log1p(active_days))
    table.add("flow", "transfers_per_active_day",
              ratio(count(ends[fin], n), np.maximum(active_days, 1.0)))


def _max_by(index: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros(n)
    if index.size:
        np.maximum.at(out, index, values)
    return out
