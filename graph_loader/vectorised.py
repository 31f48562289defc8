"""Shaping many rows of a high-volume feed at once, with pyarrow compute.

The exact rules stay in one place, the per-row parsers (fields.py, feeds.py). The
vectorised pass only recognises the canonical written form of each field (a plain
amount, `YYYY-MM-DDThh:mm:ss±hh:mm`, `true`/`false`, ...) and computes its value the way
the parser would; every row with a field outside that form goes through the per-row
shaper, which accepts it or rejects it with its reason. So the fast pass can only ever
accept what the per-row path accepts, with the same values (tests/graph_loader/
test_vectorised.py checks both on the same rows), and a bad row keeps its row number
and reason. Identifiers are pseudonymised once per distinct value (ShapeContext's memo).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any, TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from graph_loader import feeds
from graph_loader import fields as F
from graph_loader.feeds import Feed, Row, RowRejected, ShapeContext, Shaped

Result = Shaped | RowRejected
T = TypeVar("T")

_ID = "^[A-Za-z0-9][A-Za-z0-9_.:\\-]{0,127}$"
_AMOUNT = "^[0-9]{1,12}(\\.[0-9]{1,2})?$"
_TS = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})$"
_CHANNELS = ("app", "web", "atm", "pos", "branch", "qr", "ussd")


def _strings(raws: Sequence[Row], name: str) -> pa.Array:
    # Every canonical form is ASCII text. Anything else (a Parquet feed's typed column,
    # an undecodable byte kept as a lone surrogate, which pyarrow cannot hold) is null
    # here, and its row goes to the per-row shaper.
    return pa.array([v if isinstance(v, str) and v.isascii() else None
                     for v in (r.get(name) for r in raws)], pa.string())


def _ok(mask: pa.Array) -> np.ndarray:
    return np.asarray(pc.fill_null(mask, False).to_numpy(zero_copy_only=False), dtype=bool)


def timestamps(col: pa.Array, ctx: ShapeContext) -> tuple[np.ndarray, np.ndarray]:
    """(epoch seconds, canonical and valid) for a column of written timestamps: the
    value fields.timestamp gives, where the form is canonical and the time plausible."""
    form = _ok(pc.match_substring_regex(col, _TS))
    local = pc.utf8_slice_codeunits(col, 0, 19)
    naive = pc.strptime(local, format="%Y-%m-%dT%H:%M:%S", unit="s", error_is_null=True)
    # strptime rolls 30 February over into March: the calendar check is a round trip.
    same = _ok(pc.equal(pc.strftime(naive, format="%Y-%m-%dT%H:%M:%S"), local))
    epoch_local = pc.fill_null(pc.cast(naive, pa.int64()), 0).to_numpy()
    # 'Z' reads as no offset: its hours and minutes below come out as 0.
    sign = np.where(_ok(pc.equal(pc.utf8_slice_codeunits(col, 19, 20), "+")), 1, -1)
    oh = _int(pc.utf8_slice_codeunits(col, 20, 22))
    om = _int(pc.utf8_slice_codeunits(col, 23, 25))
    offset_ok = (om < 60) & (oh * 60 + om <= 14 * 60)
    epoch = epoch_local - sign * (oh * 3600 + om * 60)
    year = _int(pc.utf8_slice_codeunits(col, 0, 4))
    latest = ctx.now.timestamp() + timedelta(days=1).total_seconds()
    valid = (form & same & offset_ok & (year >= F.MIN_YEAR) & (epoch >= _MIN_EPOCH)
             & (epoch <= latest))
    return epoch, valid


_MIN_EPOCH = calendar.timegm((F.MIN_YEAR, 1, 1, 0, 0, 0))


def _cast_where(col: pa.Array, pattern: str, to: pa.DataType) -> tuple[np.ndarray, np.ndarray]:
    """(values, form): the column cast to `to` where it matches `pattern`, 0 elsewhere
    (the pattern bounds the digits, so the cast cannot fail or overflow)."""
    matches = pc.fill_null(pc.match_substring_regex(col, pattern), False)
    values = pc.cast(pc.if_else(matches, col, "0"), to).to_numpy(zero_copy_only=False)
    return np.asarray(values), _ok(matches)


def _int(col: pa.Array) -> np.ndarray:
    return _cast_where(col, "^[0-9]{1,9}$", pa.int64())[0]


def amounts(col: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    value, form = _cast_where(col, _AMOUNT, pa.float64())
    return value, form & (value > 0) & (value <= F.MAX_AMOUNT_KZT)


def _members(col: pa.Array, options: Sequence[str]) -> np.ndarray:
    return _ok(pc.is_in(col, value_set=pa.array(list(options), pa.string())))


def per_value(col: pa.Array, compute: Callable[[str], T]) -> list[T | RowRejected | None]:
    """Per row: compute(value), or the RowRejected it raised, computed once per distinct
    value of the column; None for a null value (its row takes the per-row path)."""
    encoded = pc.dictionary_encode(col)
    results: list[T | RowRejected | None] = []
    for v in encoded.dictionary.to_pylist():
        try:
            results.append(compute(v))
        except RowRejected as e:
            results.append(e)
    results.append(None)  # index -1
    idx = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).tolist()
    return [results[i] for i in idx]


End = Callable[[str], Callable[[str], tuple[str, Any]]]
Build = Callable[[int, str, Any, str, Any], Shaped]


def _events(raws: Sequence[Row], ctx: ShapeContext, ok: np.ndarray, ends: tuple[str, str],
            end: End, same: tuple[str, str], fallback: Callable[[Row, ShapeContext], Shaped],
            build: Build) -> list[Result]:
    """The rows of an event feed whose other fields are checked (`ok`): its two ends (a
    transfer's accounts, a call's numbers) shaped once per distinct value by `end(name)`,
    giving (pseudonym, extra); `same` rejects an event between one end and itself.
    Faults come in the per-row shaper's order: the first end's, the second's, `same`."""
    a_v, b_v = (per_value(_strings(raws, name), end(name)) for name in ends)
    out: list[Result] = []
    for i, take in enumerate(ok.tolist()):
        va, vb = a_v[i], b_v[i]
        if not take or va is None or vb is None:
            out.append(_one(fallback, raws[i], ctx))
        elif isinstance(va, RowRejected):
            out.append(va)
        elif isinstance(vb, RowRejected):
            out.append(vb)
        elif va[0] == vb[0]:
            out.append(RowRejected(*same))
        else:
            out.append(build(i, va[0], va[1], vb[0], vb[1]))
    return out


def transfers(raws: Sequence[Row], ctx: ShapeContext) -> list[Result]:
    tx = _strings(raws, "tx_id")
    ok = _ok(pc.match_substring_regex(tx, _ID))
    amount, amount_ok = amounts(_strings(raws, "amount_kzt"))
    ts, ts_ok = timestamps(_strings(raws, "at"), ctx)
    channel = _strings(raws, "channel")
    interbank = _strings(raws, "interbank")
    ok &= amount_ok & ts_ok & _members(channel, _CHANNELS)
    ok &= _members(interbank, ("true", "false"))
    inter = _ok(pc.equal(interbank, "true")).tolist()
    tx_l, ch_l = tx.to_pylist(), channel.to_pylist()
    amount_l, ts_l = amount.tolist(), ts.tolist()

    def account(name: str) -> Callable[[str], tuple[str, Any]]:
        return lambda v: ctx.counterparty({name: v}, name)

    def build(i: int, src: str, src_ext: Any, dst: str, dst_ext: Any) -> Shaped:
        return Shaped(tx_l[i], {
            "tx_id": tx_l[i], "src": src, "dst": dst, "src_ext": src_ext, "dst_ext": dst_ext,
            "amount": amount_l[i], "ts": ts_l[i], "channel": ch_l[i], "interbank": inter[i]})

    return _events(raws, ctx, ok, ("from_iban", "to_iban"), account,
                   ("to_iban", "transfer to the same account"), feeds.transfers, build)


def calls(raws: Sequence[Row], ctx: ShapeContext) -> list[Result]:
    cid = _strings(raws, "call_id")
    ok = _ok(pc.match_substring_regex(cid, _ID))
    ts, ts_ok = timestamps(_strings(raws, "at"), ctx)
    duration, dur_form = _cast_where(_strings(raws, "duration_s"), "^[0-9]{1,5}$", pa.int64())
    ok &= ts_ok & dur_form & (duration <= 86400)
    cid_l, ts_l, dur_l = cid.to_pylist(), ts.tolist(), duration.tolist()

    def phone(name: str) -> Callable[[str], tuple[str, Any]]:
        return lambda v: (ctx.ident({name: v}, name, "phone", F.phone),
                          F.is_foreign_phone(v))

    def build(i: int, caller: str, caller_fg: Any, callee: str, callee_fg: Any) -> Shaped:
        return Shaped(cid_l[i], {
            "call_id": cid_l[i], "caller": caller, "callee": callee,
            "caller_foreign": caller_fg, "callee_foreign": callee_fg, "ts": ts_l[i],
            "duration_s": dur_l[i]})

    return _events(raws, ctx, ok, ("caller", "callee"), phone,
                   ("callee", "a call to the caller's own number"), feeds.calls, build)


def _one(shape: Callable[[Row, ShapeContext], Shaped], raw: Row,
         ctx: ShapeContext) -> Result:
    try:
        return shape(raw, ctx)
    except RowRejected as e:
        return e


VECTORISED: dict[str, Callable[[Sequence[Row], ShapeContext], list[Result]]] = {
    "transfers": transfers, "calls": calls}


def shape_many(feed: Feed, raws: Sequence[Row], ctx: ShapeContext) -> list[Result]:
    """Each raw row's Shaped, or the RowRejected the per-row shaper raises for it."""
    fast = VECTORISED.get(feed.name)
    if fast is not None and raws:
        return fast(raws, ctx)
    return [_one(feed.shape, raw, ctx) for raw in raws]
