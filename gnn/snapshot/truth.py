"""Ground truth of generated worlds aligned with a snapshot: per snapshot account, the
truth that `generator.truth_reader` (the one reader of the format) gives for it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from fraudgraph.pseudonym import Pseudonymiser
from generator.errors import TruthError
from generator.truth_reader import read_truth
from gnn.errors import GnnError


@dataclass
class AccountTruth:
    is_fraud: np.ndarray  # bool per snapshot account
    role: np.ndarray  # str ('' for accounts absent from the truth)
    scheme_id: np.ndarray  # str ('' none)
    scheme_type: np.ndarray  # str ('' none)
    active_from: np.ndarray  # float epoch s, NaN unknown
    known_at: np.ndarray  # float epoch s, NaN never reported
    matched: int  # truth account rows found in the snapshot


def _seconds(ts: int | None) -> float:
    return float("nan") if ts is None else float(ts)


def load_account_truth(truth_dir: Path, pseudo: Pseudonymiser, account_ids: list[str]
                       ) -> AccountTruth:
    """The truth's account rows on the snapshot's accounts (an account in several schemes
    takes its last row, as the file lists them)."""
    try:
        rows = read_truth(truth_dir, pseudo)
    except TruthError as e:
        raise GnnError(str(e)) from e
    index = {k: i for i, k in enumerate(account_ids)}
    n = len(account_ids)
    out = AccountTruth(np.zeros(n, dtype=bool), np.full(n, "", dtype=object),
                       np.full(n, "", dtype=object), np.full(n, "", dtype=object),
                       np.full(n, np.nan), np.full(n, np.nan), 0)
    for row in rows:
        if row.kind != "account":
            continue
        i = index.get(row.id)
        if i is None:
            continue
        out.matched += 1
        out.is_fraud[i] = row.is_fraud
        out.role[i] = row.role
        out.scheme_id[i] = row.scheme_id
        out.scheme_type[i] = row.scheme_type
        out.active_from[i] = _seconds(row.active_from)
        out.known_at[i] = _seconds(row.known_at)
    return out
