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


def _int(col: pa.Array) -> np.ndarray:
    # At most 9 digits, so the cast cannot overflow; longer values are not canonical.
    digits = pc.match_substring_regex(col, "^[0-9]{1,9}$")
    cleaned = pc.if_else(pc.fill_null(digits, False), col, "0")
    return np.asarray(pc.cast(cleaned, pa.int64()).to_numpy(zero_copy_only=False))


def amounts(col: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    form = _ok(pc.match_substring_regex(col, _AMOUNT))
    value = pc.cast(pc.if_else(pc.fill_null(pc.match_substring_regex(col, _AMOUNT), False),
                               col, "0"), pa.float64()).to_numpy(zero_copy_only=False)
    return value, form & (value > 0) & (value <= F.MAX_AMOUNT_KZT)


def _members(col: pa.Array, options: Sequence[str]) -> np.ndarray:
    return _ok(pc.is_in(col, value_set=pa.array(list(options), pa.string())))


def per_value(col: pa.Array, compute: Callable[[str], T]
              ) -> tuple[list[T | None], list[RowRejected | None]]:
    """Per row: compute(value) or the RowRejected it raised, computed once per distinct
    value of the column; a null value gives (None, None), and its row takes the per-row
    path."""
    encoded = pc.dictionary_encode(col)
    results: list[T | None] = []
    errors: list[RowRejected | None] = []
    for v in encoded.dictionary.to_pylist():
        try:
            results.append(compute(v))
            errors.append(None)
        except RowRejected as e:
            results.append(None)
            errors.append(e)
    results.append(None)  # index -1
    errors.append(None)
    idx = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).tolist()
    return [results[i] for i in idx], [errors[i] for i in idx]


def _pair(values: list[tuple[str, Any] | None]) -> tuple[list[Any], list[Any]]:
    return ([None if v is None else v[0] for v in values],
            [None if v is None else v[1] for v in values])


def transfers(raws: Sequence[Row], ctx: ShapeContext) -> list[Result]:
    n = len(raws)
    tx = _strings(raws, "tx_id")
    ok = _ok(pc.match_substring_regex(tx, _ID))
    amount, amount_ok = amounts(_strings(raws, "amount_kzt"))
    ts, ts_ok = timestamps(_strings(raws, "at"), ctx)
    channel = _strings(raws, "channel")
    interbank = _strings(raws, "interbank")
    src_col, dst_col = _strings(raws, "from_iban"), _strings(raws, "to_iban")
    ok &= amount_ok & ts_ok & _members(channel, _CHANNELS)
    ok &= _members(interbank, ("true", "false"))
    ok &= _ok(pc.is_valid(src_col)) & _ok(pc.is_valid(dst_col))
    src_v, src_err = per_value(src_col, lambda v: ctx.counterparty({"from_iban": v}, "from_iban"))
    dst_v, dst_err = per_value(dst_col, lambda v: ctx.counterparty({"to_iban": v}, "to_iban"))
    (src, src_ext), (dst, dst_ext) = _pair(src_v), _pair(dst_v)
    inter = _ok(pc.equal(interbank, "true")).tolist()
    tx_l, ch_l = tx.to_pylist(), channel.to_pylist()
    amount_l, ts_l, ok_l = amount.tolist(), ts.tolist(), ok.tolist()
    out: list[Result] = []
    for i in range(n):
        if not ok_l[i]:
            out.append(_one(feeds.transfers, raws[i], ctx))
            continue
        # In the per-row shaper's order: the first counterparty's fault, then the second's.
        err = src_err[i] or dst_err[i]
        if err is not None:
            out.append(err)
        elif src[i] == dst[i]:
            out.append(RowRejected("to_iban", "transfer to the same account"))
        else:
            out.append(Shaped(tx_l[i], {
                "tx_id": tx_l[i], "src": src[i], "dst": dst[i], "src_ext": src_ext[i],
                "dst_ext": dst_ext[i], "amount": amount_l[i], "ts": ts_l[i],
                "channel": ch_l[i], "interbank": inter[i]}))
    return out


def calls(raws: Sequence[Row], ctx: ShapeContext) -> list[Result]:
    n = len(raws)
    cid = _strings(raws, "call_id")
    ok = _ok(pc.match_substring_regex(cid, _ID))
    ts, ts_ok = timestamps(_strings(raws, "at"), ctx)
    dur_col = _strings(raws, "duration_s")
    dur_form = _ok(pc.match_substring_regex(dur_col, "^[0-9]{1,5}$"))
    duration = _int(dur_col)
    caller_col, callee_col = _strings(raws, "caller"), _strings(raws, "callee")
    ok &= ts_ok & dur_form & (duration <= 86400)
    ok &= _ok(pc.is_valid(caller_col)) & _ok(pc.is_valid(callee_col))

    def phone(name: str) -> Callable[[str], tuple[str, bool]]:
        return lambda v: (ctx.ident({name: v}, name, "phone", F.phone),
                          F.is_foreign_phone(v))

    caller_v, caller_err = per_value(caller_col, phone("caller"))
    callee_v, callee_err = per_value(callee_col, phone("callee"))
    (caller, caller_fg), (callee, callee_fg) = _pair(caller_v), _pair(callee_v)
    cid_l, ts_l, dur_l, ok_l = cid.to_pylist(), ts.tolist(), duration.tolist(), ok.tolist()
    out: list[Result] = []
    for i in range(n):
        if not ok_l[i]:
            out.append(_one(feeds.calls, raws[i], ctx))
            continue
        err = caller_err[i] or callee_err[i]
        if err is not None:
            out.append(err)
        elif caller[i] == callee[i]:
            out.append(RowRejected("callee", "a call to the caller's own number"))
        else:
            out.append(Shaped(cid_l[i], {
                "call_id": cid_l[i], "caller": caller[i], "callee": callee[i],
                "caller_foreign": caller_fg[i], "callee_foreign": callee_fg[i],
                "ts": ts_l[i], "duration_s": dur_l[i]}))
    return out


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
