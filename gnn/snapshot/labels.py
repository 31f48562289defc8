"""Labels known at a cut-off, and the time-based train / validation / test split.

An account is a *known* positive at time T when, before T, it was named as the
beneficiary of a reported incident (``reported_at < T``), put on the black list
(``since < T``) or confirmed as fraud by an investigator's case verdict (decided before
T). A "not fraud" verdict makes it a negative: the reports naming it and any confirmed
verdict *before* that verdict no longer count (later ones do); the black list, changed
only through its own path, still does. The split follows time, never a random
shuffle, because the AFC always scores today's accounts with a model fitted on
yesterday's knowledge:

    train       features as of T1, labels known before T1
    validation  features as of T1; accounts unknown at T1, positive if first labelled
                in [T1, T2), negative if still unlabelled at T2
    test        features as of T2; accounts unknown at T2, positive if first labelled
                in [T2, T3), negative if still unlabelled at T3

Accounts opened after a window's feature cut-off are left out of that window.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gnn.errors import LabelError
from gnn.snapshot.timed import TimedSnapshot

DAY_S = 86_400.0


VERDICT = ("Verdict", "VERDICT_ON", "Account")


def _verdicts(snap: TimedSnapshot) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(account, decided time, verdict) per verdict edge, and per account the time of its
    latest "not fraud" verdict (``-inf``: none)."""
    cleared = np.full(snap.count("Account"), -np.inf)
    es, kinds = snap.edge(VERDICT), snap.node_attr("Verdict", "verdict")
    if es is None or not len(es) or kinds is None:
        empty = np.zeros(0)
        return empty.astype(np.int64), empty, empty.astype(np.str_), cleared
    decided = snap.attrs(VERDICT).get("decided", np.full(len(es), np.nan))
    verdict = kinds[es.src]
    nf = (verdict == "not_fraud") & np.isfinite(decided)
    np.maximum.at(cleared, es.dst[nf], decided[nf])
    return es.dst, decided, verdict, cleared


def first_known(snap: TimedSnapshot) -> np.ndarray:
    """Per account, the first time it became a known positive (``inf``: never)."""
    n = snap.count("Account")
    t = np.full(n, np.inf)
    acc, decided, verdict, cleared = _verdicts(snap)
    ben = snap.edge(("Incident", "BENEFICIARY", "Account"))
    if ben is not None and len(ben) and ben.at is not None:
        at = np.where(np.isfinite(ben.at), ben.at, np.inf)
        at = np.where(at > cleared[ben.dst], at, np.inf)  # reports found false by a verdict
        np.minimum.at(t, ben.dst, at)
    confirmed = (verdict == "confirmed_fraud") & np.isfinite(decided)
    confirmed &= decided > cleared[acc]
    np.minimum.at(t, acc[confirmed], decided[confirmed])
    et = ("ListEntry", "LISTS", "Account")
    lists = snap.edge(et)
    kinds = snap.node_attr("ListEntry", "list")
    if lists is not None and len(lists) and kinds is not None:
        since = snap.attrs(et).get("since", np.full(len(lists), np.nan))
        black = kinds[lists.src] == "black"
        # A black entry without a start date is treated as known from the beginning.
        start = np.where(np.isfinite(since), since, -np.inf)
        np.minimum.at(t, lists.dst[black], start[black])
    return t


def label_sources(snap: TimedSnapshot) -> dict[str, int]:
    """Accounts labelled by each source (for the model registry's manifest)."""
    acc, decided, verdict, cleared = _verdicts(snap)
    n = snap.count("Account")
    ben = snap.edge(("Incident", "BENEFICIARY", "Account"))
    named, overruled = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    if ben is not None and len(ben) and ben.at is not None:
        live = ben.at > cleared[ben.dst]
        named[ben.dst[live]] = True
        overruled[ben.dst[~live]] = True
    et = ("ListEntry", "LISTS", "Account")
    lists, kinds = snap.edge(et), snap.node_attr("ListEntry", "list")
    black = np.zeros(n, dtype=bool)
    if lists is not None and len(lists) and kinds is not None:
        black[lists.dst[kinds[lists.src] == "black"]] = True
    confirmed = np.zeros(n, dtype=bool)
    ok = (verdict == "confirmed_fraud") & (decided > cleared[acc])
    confirmed[acc[ok]] = True
    not_fraud = np.isfinite(cleared)
    return {"incident_beneficiaries": int(named.sum()),
            "incident_beneficiaries_overruled": int((overruled & ~named).sum()),
            "black_list": int(black.sum()),
            "verdict_confirmed_fraud": int(confirmed.sum()),
            "verdict_not_fraud": int(not_fraud.sum()),
            "positives": int(np.isfinite(first_known(snap)).sum())}


def known_before(first: np.ndarray, cutoff: float) -> np.ndarray:
    return np.asarray(first < cutoff)


@dataclass(frozen=True)
class Cutoffs:
    t1: float
    t2: float
    t3: float

    def __post_init__(self) -> None:
        if not self.t1 < self.t2 <= self.t3:
            raise LabelError(f"cut-offs must satisfy t1 < t2 <= t3, got {self}")


@dataclass
class TimeSplit:
    cutoffs: Cutoffs
    train: np.ndarray  # bool masks over accounts
    val: np.ndarray
    test: np.ndarray
    y_train: np.ndarray  # 0/1 int8, meaningful where the mask is set
    y_val: np.ndarray
    y_test: np.ndarray

    def counts(self) -> dict[str, dict[str, int]]:
        return {
            name: {"accounts": int(m.sum()), "positives": int(y[m].sum())}
            for name, m, y in (("train", self.train, self.y_train), ("val", self.val, self.y_val),
                               ("test", self.test, self.y_test))
        }


def default_cutoffs(end: float, window_days: float = 28.0) -> Cutoffs:
    """T3 = the end of the data; T2 and T1 one and two windows before it."""
    w = window_days * DAY_S
    return Cutoffs(end - 2 * w, end - w, end)


def choose_cutoffs(first: np.ndarray, end: float, window_days: float = 28.0,
                   min_positives: int = 3, start: float | None = None,
                   min_history: float = 0.25) -> Cutoffs:
    """Fixed windows back from the end when each holds ``min_positives`` first labels.

    Otherwise, given the data's ``start``, T1 is put where ``min_history`` of the
    timeline lies behind it, and the labels after it are halved between validation and
    test: features as of a T1 a few days into the data describe nobody (AMLSim's alerts
    are mostly known in its first weeks, and a T1 there left validation AP at chance).
    Without ``start``, or when too few labels come later, the windows are cut at
    label-time quantiles (half of the labelled accounts for training, a quarter each for
    validation and test), so small worlds still split."""
    fixed = default_cutoffs(end, window_days)
    times = np.sort(first[np.isfinite(first) & (first < end)])
    in_window = [int(((times >= a) & (times < b)).sum()) for a, b in
                 ((-np.inf, fixed.t1), (fixed.t1, fixed.t2), (fixed.t2, fixed.t3))]
    if min(in_window) >= min_positives:
        return fixed
    if start is not None and end > start:
        earliest = start + min_history * (end - start)
        later = times[times >= earliest]
        if later.size >= 2 * min_positives and (times < earliest).sum() >= min_positives:
            k = later.size // 2
            t2 = float(later[k - 1] + later[k]) / 2.0 if later[k] > later[k - 1] \
                else float(later[k])
            if earliest < t2:
                return Cutoffs(earliest, t2, end)
    n = times.size
    if n < 3 * min_positives:
        raise LabelError(f"only {n} labelled accounts (incidents' beneficiaries, black list); "
                         f"need {3 * min_positives} to split train/validation/test")
    k1, k2 = n // 2, (3 * n) // 4

    def between(k: int) -> float:
        return float(times[k - 1] + times[k]) / 2.0 if times[k] > times[k - 1] else float(times[k])

    t1, t2 = between(k1), between(k2)
    if not t1 < t2:
        raise LabelError("labels are too concentrated in time to split")
    return Cutoffs(t1, t2, end)


def _exists(opened_at: np.ndarray | None, n: int, cutoff: float) -> np.ndarray:
    if opened_at is None:
        return np.ones(n, dtype=bool)
    return np.asarray(~(opened_at >= cutoff))  # NaN (unknown opening) counts as existing


def time_split(first: np.ndarray, opened_at: np.ndarray | None, cutoffs: Cutoffs,
               min_positives: int = 1) -> TimeSplit:
    n = first.shape[0]
    c = cutoffs
    known1, known2 = first < c.t1, first < c.t2
    e1, e2 = _exists(opened_at, n, c.t1), _exists(opened_at, n, c.t2)
    split = TimeSplit(
        cutoffs=c,
        train=e1,
        val=e1 & ~known1,
        test=e2 & ~known2,
        y_train=known1.astype(np.int8),
        y_val=(~known1 & known2).astype(np.int8),
        y_test=(~known2 & (first < c.t3)).astype(np.int8),
    )
    for name, stats in split.counts().items():
        if stats["positives"] < min_positives:
            raise LabelError(
                f"{name} window has {stats['positives']} positives (need {min_positives}); "
                "choose other cut-offs or load more incidents / list entries")
        if stats["positives"] == stats["accounts"]:
            raise LabelError(f"{name} window has no negatives")
    return split
