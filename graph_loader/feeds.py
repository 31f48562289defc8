"""Feed definitions: the columns of each feed and the pure shaping of one raw row into
the parameters of its Cypher batch. Personal identifiers are pseudonymised here, so no
raw value travels further than this module."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fraudgraph.pseudonym import Pseudonymiser, scrub_text
from graph_loader import fields as F
from graph_loader.errors import FieldError

Row = dict[str, Any]


class RowRejected(Exception):
    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(f"{field_name}: {reason}")
        self.field = field_name
        self.reason = reason


@dataclass
class ShapeContext:
    now: datetime
    pseudo: Pseudonymiser
    # Account pseudonyms known so far (graph + earlier rows); filled by the loader.
    account_known: Callable[[str], bool] = field(default=lambda _id: True)
    # Whether a device pseudonym is a known device's: free text is searched for the
    # device ids the graph holds, which no pattern could know. None: patterns only.
    device_known: Callable[[str], bool] | None = None
    # Identifiers repeat across rows (an account appears in many transfers): validated
    # raw value -> pseudonym (a counterparty: and its kind), bounded so memory stays flat
    # on any file size.
    _ids: dict[tuple[str, str], Any] = field(default_factory=dict)
    # Accounts found known (a loaded account never disappears during a load): the
    # compact set behind account_known costs microseconds a look-up, this a few ns.
    _known_ok: set[str] = field(default_factory=set)

    def known(self, acc: str) -> bool:
        if acc in self._known_ok:
            return True
        if not self.account_known(acc):
            return False
        if len(self._known_ok) >= 1_000_000:
            self._known_ok.clear()
        self._known_ok.add(acc)
        return True

    def _memo(self, raw: Row, name: str, kind: str, compute: Callable[[], Any]) -> Any:
        """compute() for the field's value, remembered per (kind, raw value)."""
        value = raw.get(name)
        if isinstance(value, str):
            hit = self._ids.get((kind, value))
            if hit is not None:
                return hit
        result = compute()
        if isinstance(value, str):
            if len(self._ids) >= 1_000_000:
                self._ids.clear()
            self._ids[(kind, value)] = result
        return result

    def ident(self, raw: Row, name: str, kind: str, parser: Callable[[object], str]) -> str:
        return str(self._memo(raw, name, kind,
                              lambda: self.pseudo(kind, get(raw, name, parser))))

    def counterparty(self, raw: Row, name: str) -> tuple[str, str | None]:
        """(pseudonym, None) for a participant's account; (pseudonym, kind) for one
        outside the participants (fields.EXTERNAL_KINDS): an IBAN no accounts feed
        sent, a foreign IBAN, a card or an e-wallet. Never rejected for being unknown:
        that is where stolen money leaves, and what a refund trace must follow."""
        def compute() -> tuple[str, str]:
            canonical, kind = get(raw, name, F.counterparty)
            return self.pseudo("account", canonical), kind

        acc, kind = self._memo(raw, name, "counterparty", compute)
        if kind == "iban" and self.known(acc):
            return acc, None
        return acc, kind


@dataclass(slots=True)
class Shaped:
    key: str  # the row's own id, for duplicate detection within the file
    row: Row
    new_account: str | None = None  # an account this row introduces
    bank: str | None = None


def get(raw: Row, name: str, parser: Callable[..., Any], *args: Any, **kw: Any) -> Any:
    try:
        return parser(raw.get(name), *args, **kw)
    except FieldError as e:
        raise RowRejected(name, str(e)) from None


def opt(raw: Row, name: str, parser: Callable[..., Any], *args: Any, **kw: Any) -> Any:
    if F.optional(raw.get(name)):
        return None
    return get(raw, name, parser, *args, **kw)


def _foreign(raw: Row, name: str) -> bool:
    """Whether an already validated phone field is outside the +7 zone, read off its
    written form without parsing it again: call rows are the high-volume feed."""
    value = raw.get(name)
    return isinstance(value, str) and F.is_foreign_phone(value)


def _known(ctx: ShapeContext, name: str, acc: str) -> str:
    if not ctx.known(acc):
        raise RowRejected(name, "refers to an account that is not loaded (dangling reference)")
    return acc


def accounts(raw: Row, ctx: ShapeContext) -> Shaped:
    iban = get(raw, "iban", F.iban)
    acc = ctx.pseudo("account", iban)
    bank = get(raw, "bank", F.bank_code)
    row = {
        "id": acc,
        "bank": bank,
        "holder": ctx.pseudo("person", get(raw, "holder_iin", F.iin)),
        "opened_ts": get(raw, "opened_at", F.timestamp, now=ctx.now),
        "kind": get(raw, "kind", F.choice, ("personal", "business", "merchant")),
    }
    return Shaped(acc, row, new_account=acc, bank=bank)


def phones(raw: Row, ctx: ShapeContext) -> Shaped:
    event_id = get(raw, "event_id", F.identifier)
    number = get(raw, "number", F.phone)
    row = {
        "event_id": event_id,
        "phone": ctx.pseudo("phone", number),
        "foreign": F.is_foreign_phone(number),
        "operator": get(raw, "operator", F.bank_code),
        "holder": ctx.pseudo("person", get(raw, "holder_iin", F.iin)),
        "event": get(raw, "event", F.choice, ("new_sim", "swap", "port")),
        "ts": get(raw, "at", F.timestamp, now=ctx.now),
    }
    return Shaped(event_id, row)


def devices(raw: Row, ctx: ShapeContext) -> Shaped:
    dev = ctx.pseudo("device", get(raw, "device_id", F.device_id))
    row = {
        "id": dev,
        "platform": get(raw, "platform", F.choice, ("android", "ios", "web", "other")),
        "first_seen_ts": get(raw, "first_seen_at", F.timestamp, now=ctx.now),
    }
    return Shaped(dev, row)


def transfers(raw: Row, ctx: ShapeContext) -> Shaped:
    tx_id = get(raw, "tx_id", F.identifier)
    src, src_ext = ctx.counterparty(raw, "from_iban")
    dst, dst_ext = ctx.counterparty(raw, "to_iban")
    if src == dst:
        raise RowRejected("to_iban", "transfer to the same account")
    amount = get(raw, "amount_kzt", F.amount)
    ts = get(raw, "at", F.timestamp, now=ctx.now)
    channel = get(raw, "channel", F.choice, ("app", "web", "atm", "pos", "branch", "qr", "ussd"))
    interbank = get(raw, "interbank", F.boolean)
    row = {
        "tx_id": tx_id,
        "src": src,
        "dst": dst,
        # The kind of a counterparty outside the participants (an :External node), or
        # None for a participant's account.
        "src_ext": src_ext,
        "dst_ext": dst_ext,
        "amount": amount,
        "ts": ts,
        "channel": channel,
        "interbank": interbank,
    }
    return Shaped(tx_id, row)


def logins(raw: Row, ctx: ShapeContext) -> Shaped:
    sid = get(raw, "session_id", F.identifier)
    acc = ctx.ident(raw, "iban", "account", F.iban)
    row = {
        "account": acc,
        "device": ctx.ident(raw, "device_id", "device", F.device_id),
        "ip": ctx.ident(raw, "ip", "ip", F.ip),
        "ts": get(raw, "at", F.timestamp, now=ctx.now),
    }
    _known(ctx, "iban", acc)
    return Shaped(sid, row)


def calls(raw: Row, ctx: ShapeContext) -> Shaped:
    cid = get(raw, "call_id", F.identifier)
    caller = ctx.ident(raw, "caller", "phone", F.phone)
    callee = ctx.ident(raw, "callee", "phone", F.phone)
    if caller == callee:
        raise RowRejected("callee", "a call to the caller's own number")
    row = {
        "call_id": cid,
        "caller": caller,
        "callee": callee,
        "caller_foreign": _foreign(raw, "caller"),
        "callee_foreign": _foreign(raw, "callee"),
        "ts": get(raw, "at", F.timestamp, now=ctx.now),
        "duration_s": get(raw, "duration_s", F.integer, 0, 86400),
    }
    return Shaped(cid, row)


_SCHEMES = ("phone_fraud", "fake_investment", "dropper", "gambling", "drugs", "other")


def incidents(raw: Row, ctx: ShapeContext) -> Shaped:
    iid = get(raw, "incident_id", F.identifier)
    victim = ctx.pseudo("account", get(raw, "victim_iban", F.iban))
    bens_raw = get(raw, "beneficiary_ibans", F.required)
    parts = [p for p in bens_raw.split(";") if p.strip()]
    if not parts or len(parts) > 100:
        raise RowRejected("beneficiary_ibans",
                          "must list 1-100 IBANs, cards or e-wallets separated by ';'")
    # Where the victim's money went: a participant's account, or one outside them.
    externals: dict[str, str] = {}
    bens = []
    for p in parts:
        b, kind = ctx.counterparty({"beneficiary_ibans": p}, "beneficiary_ibans")
        bens.append(b)
        if kind is not None:
            externals[b] = kind
    caller = opt(raw, "caller_phone", F.phone)
    row = {
        "id": iid,
        "reported_ts": get(raw, "reported_at", F.timestamp, now=ctx.now),
        "reporter": get(raw, "reporter", F.identifier),
        "scheme": get(raw, "scheme", F.choice, _SCHEMES),
        "victim": _known(ctx, "victim_iban", victim),
        "amount": get(raw, "amount_kzt", F.amount),
        "beneficiaries": sorted(set(bens)),
        "externals": [{"id": b, "kind": k} for b, k in sorted(externals.items())],
        "caller": ctx.pseudo("phone", caller) if caller else None,
        "caller_foreign": bool(caller) and F.is_foreign_phone(caller),
        "occurred_ts": opt(raw, "occurred_at", F.timestamp, now=ctx.now),
    }
    return Shaped(iid, row)


_ENTITY_PARSERS: dict[str, Callable[[object], str]] = {
    "account": F.iban,
    "person": F.iin,
    "phone": F.phone,
    "device": F.device_id,
}


def list_entries(raw: Row, ctx: ShapeContext) -> Shaped:
    return list_entry(raw, ctx)


def list_entry(raw: Row, ctx: ShapeContext, pseudonym: str | None = None) -> Shaped:
    """One list_entries row. `pseudonym`: the entity is named by its pseudonym already
    (the API adds entries by pseudonym too), so entity_id is not read; every other field
    is validated as the feed's are. The caller checks the pseudonym is of the kind."""
    eid = get(raw, "entry_id", F.identifier)
    kind = get(raw, "entity_kind", F.choice, tuple(_ENTITY_PARSERS))
    known: tuple[tuple[str, str], ...] = ()
    if pseudonym is None:
        entity_raw = get(raw, "entity_id", _ENTITY_PARSERS[kind])
        entity = ctx.pseudo(kind, entity_raw)
        known = ((kind, entity_raw),)
    else:
        entity = pseudonym
    since = get(raw, "since", F.timestamp, now=ctx.now)
    # Expiries lie in the future by nature; only the zone and format are checked.
    until = opt(raw, "until", F.timestamp, now=None)
    if until is not None and until <= since:
        raise RowRejected("until", "expiry is not after 'since'")
    row = {
        "id": eid,
        "entity_kind": kind,
        "entity": entity,
        "list": get(raw, "list", F.choice, ("black", "grey")),
        # A reason most often quotes the entity it is about, in whatever form.
        "reason": scrub_text(get(raw, "reason", F.free_text), ctx.pseudo,
                             known=known, is_device=ctx.device_known),
        "source": get(raw, "source", F.identifier),
        "since_ts": since,
        "until_ts": until,
    }
    return Shaped(eid, row)


@dataclass(frozen=True)
class Feed:
    name: str
    columns: tuple[str, ...]
    shape: Callable[[Row, ShapeContext], Shaped]
    personal: tuple[str, ...]  # columns holding personal identifiers (for rejects files)
    # Event feeds keyed by a uniqueness constraint: a batch is first CREATEd (fast), and
    # only if the constraint reports an existing event is it MERGEd (idempotent reload).
    fast_path: bool = False
    # Its statements take one list parameter per field of the shaped row ($tx_id[i]...)
    # rather than `$rows`, a list of maps: see load.batch_params.
    columnar: bool = False


FEEDS: tuple[Feed, ...] = (
    Feed("accounts", ("iban", "bank", "holder_iin", "opened_at", "kind"), accounts,
         ("iban", "holder_iin"), columnar=True),
    Feed("devices", ("device_id", "platform", "first_seen_at"), devices, ("device_id",),
         columnar=True),
    Feed("phones", ("event_id", "number", "operator", "holder_iin", "event", "at"), phones,
         ("number", "holder_iin"), columnar=True),
    Feed("logins", ("session_id", "iban", "device_id", "ip", "at"), logins,
         ("iban", "device_id", "ip"), columnar=True),
    Feed("transfers", ("tx_id", "from_iban", "to_iban", "amount_kzt", "at", "channel",
                       "interbank"), transfers, ("from_iban", "to_iban"), fast_path=True,
         columnar=True),
    Feed("calls", ("call_id", "caller", "callee", "at", "duration_s"), calls,
         ("caller", "callee"), fast_path=True, columnar=True),
    Feed("incidents", ("incident_id", "reported_at", "reporter", "scheme", "victim_iban",
                       "amount_kzt", "beneficiary_ibans", "caller_phone", "occurred_at"),
         incidents, ("victim_iban", "beneficiary_ibans", "caller_phone")),
    Feed("list_entries", ("entry_id", "entity_kind", "entity_id", "list", "reason", "source",
                          "since", "until"), list_entries, ("entity_id",)),
)
FEEDS_BY_NAME = {f.name: f for f in FEEDS}
