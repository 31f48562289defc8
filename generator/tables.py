"""Feed rows from the world's arrays: identifiers rendered as strings, codes as names."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from generator import buffers as B
from generator import identifiers as ids
from generator.config import (
    BANK_CODES,
    CHANNELS,
    KINDS,
    OPERATORS,
    PLATFORMS,
    REPORTED_SCHEMES,
    SIM_EVENTS,
    WorldSpec,
)
from generator.population import Population
from generator.reporting import REASONS, SOURCES
from generator.telecom import Telecom

Batch = dict[str, Any]


def names(table: tuple[str, ...], codes: np.ndarray) -> pa.Array:
    return pa.array(list(table), type=pa.string()).take(pa.array(np.asarray(codes, dtype=np.int64)))


def seq_ids(prefix: bytes, start: int, n: int, width: int = 10) -> np.ndarray:
    return ids.assemble(n, prefix, ids.digits(np.arange(start, start + n), width))


class Strings:
    """Identifier strings of every entity, rendered once (fixed-width bytes, compact)."""

    def __init__(self, spec: WorldSpec, pop: Population, tel: Telecom) -> None:
        self.iban = ids.ibans(np.arange(pop.n_accounts), pop.acc_bank, spec.seed)
        self.phone = ids.phone_numbers(np.arange(tel.n_phones), spec.seed)
        self.device = ids.device_ids(np.arange(tel.n_devices), tel.dev_platform, spec.seed)
        self.holder = pop.holder_id

    def of(self, kind: int, idx: np.ndarray, pop: Population) -> np.ndarray:
        if kind == B.EK_ACCOUNT:
            return self.iban[idx]
        if kind == B.EK_PERSON:
            return self.holder[idx]
        if kind == B.EK_PHONE:
            return self.phone[idx]
        return self.device[idx]

    def mixed(self, kinds: np.ndarray, idx: np.ndarray, pop: Population) -> pa.Array:
        parts: list[pa.Array] = []
        where: list[np.ndarray] = []
        for k in range(len(B.ENTITY_KINDS)):
            sel = np.flatnonzero(kinds == k)
            parts.append(ids.to_arrow(self.of(k, idx[sel], pop)))
            where.append(sel)
        pos = np.concatenate(where)
        inv = np.empty(len(pos), dtype=np.int64)
        inv[pos] = np.arange(len(pos))
        return pa.concat_arrays(parts).take(pa.array(inv))


def accounts_batch(pop: Population, s: Strings, acc: np.ndarray) -> Batch:
    return {
        "iban": s.iban[acc],
        "bank": names(BANK_CODES, pop.acc_bank[acc]),
        "holder_iin": s.holder[pop.acc_holder[acc]],
        "opened_at": pop.acc_opened[acc],
        "kind": names(KINDS, pop.acc_kind[acc]),
    }


def devices_batch(tel: Telecom, s: Strings, dev: np.ndarray) -> Batch:
    return {
        "device_id": s.device[dev],
        "platform": names(PLATFORMS, tel.dev_platform[dev]),
        "first_seen_at": tel.dev_first_seen[dev],
    }


def sims_sorted(tel: Telecom) -> dict[str, np.ndarray]:
    sims = tel.sims
    cols = {
        k: np.concatenate(getattr(sims, k)) for k in ("phone", "event", "at", "operator", "holder")
    }
    order = np.lexsort((cols["event"], cols["phone"], cols["at"]))
    return {k: v[order] for k, v in cols.items()}


def phones_batch(s: Strings, sims: dict[str, np.ndarray], lo: int, hi: int) -> Batch:
    return {
        "event_id": seq_ids(b"SE", lo + 1, hi - lo),
        "number": s.phone[sims["phone"][lo:hi]],
        "operator": names(OPERATORS, sims["operator"][lo:hi]),
        "holder_iin": s.holder[sims["holder"][lo:hi]],
        "event": names(SIM_EVENTS, sims["event"][lo:hi]),
        "at": sims["at"][lo:hi],
    }


def transfers_batch(
    pop: Population, s: Strings, cols: dict[str, np.ndarray], first_id: int
) -> Batch:
    src, dst = cols["src"], cols["dst"]
    return {
        "tx_id": seq_ids(b"TX", first_id, len(src)),
        "from_iban": s.iban[src],
        "to_iban": s.iban[dst],
        "amount_kzt": cols["cents"],
        "at": cols["at"],
        "channel": names(CHANNELS, cols["channel"]),
        "interbank": pop.acc_bank[src] != pop.acc_bank[dst],
    }


def logins_batch(s: Strings, cols: dict[str, np.ndarray], first_id: int) -> Batch:
    return {
        "session_id": seq_ids(b"LS", first_id, len(cols["acc"])),
        "iban": s.iban[cols["acc"]],
        "device_id": s.device[cols["dev"]],
        "ip": ids.ipv4_strings(cols["ip"]),
        "at": cols["at"],
    }


def calls_batch(s: Strings, cols: dict[str, np.ndarray], first_id: int) -> Batch:
    return {
        "call_id": seq_ids(b"CL", first_id, len(cols["caller"])),
        "caller": s.phone[cols["caller"]],
        "callee": s.phone[cols["callee"]],
        "at": cols["at"],
        "duration_s": cols["duration"],
    }


def _nullable(strings: np.ndarray, present: np.ndarray) -> pa.Array:
    arr = ids.to_arrow(strings)
    return pc.if_else(pa.array(present), arr, pa.scalar(None, pa.string()))


def incidents_batch(s: Strings, inc: dict[str, np.ndarray]) -> Batch:
    m = len(inc["victim"])
    ben = inc["ben"]
    parts = [_nullable(s.iban[np.maximum(ben[:, j], 0)], ben[:, j] >= 0) for j in range(3)]
    caller = inc["caller"]
    return {
        "incident_id": seq_ids(b"IN", 1, m, 8),
        "reported_at": inc["reported_at"],
        "reporter": names(SOURCES, inc["reporter"]),
        "scheme": names(REPORTED_SCHEMES, inc["scheme"]),
        "victim_iban": s.iban[inc["victim"]],
        "amount_kzt": inc["cents"],
        "beneficiary_ibans": pc.binary_join_element_wise(*parts, ";", null_handling="skip"),
        "caller_phone": _nullable(s.phone[np.maximum(caller, 0)], caller >= 0),
        "occurred_at": inc["occurred_at"],
    }


def lists_batch(pop: Population, s: Strings, lists: dict[str, np.ndarray]) -> Batch:
    n = len(lists["idx"])
    return {
        "entry_id": seq_ids(b"LE", 1, n, 8),
        "entity_kind": names(B.ENTITY_KINDS, lists["kind"]),
        "entity_id": s.mixed(lists["kind"], lists["idx"], pop),
        "list": names(("black", "grey"), lists["list"]),
        "reason": names(REASONS, lists["reason"]),
        "source": names(SOURCES, lists["source"]),
        "since": lists["since"],
        "until": lists["until"],
    }
