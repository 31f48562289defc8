"""Ground truth of generated worlds (``DIR/truth/entities.csv``), aligned with a snapshot.

Truth files hold raw identifiers; the graph holds pseudonyms. Each account id is
pseudonymised with the same key as the loader before it is matched.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np

from fraudgraph.pseudonym import Pseudonymiser
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


def _ts(text: str) -> float:
    return datetime.fromisoformat(text).timestamp() if text else float("nan")


def load_account_truth(truth_dir: Path, pseudo: Pseudonymiser, account_ids: list[str]
                       ) -> AccountTruth:
    path = truth_dir / "entities.csv"
    if not path.exists():
        raise GnnError(f"{path} not found (is this the truth/ directory of a generated world?)")
    index = {k: i for i, k in enumerate(account_ids)}
    n = len(account_ids)
    out = AccountTruth(np.zeros(n, dtype=bool), np.full(n, "", dtype=object),
                       np.full(n, "", dtype=object), np.full(n, "", dtype=object),
                       np.full(n, np.nan), np.full(n, np.nan), 0)
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["entity_kind"] != "account":
                continue
            i = index.get(pseudo("account", row["entity_id"]))
            if i is None:
                continue
            out.matched += 1
            out.is_fraud[i] = row["is_fraud"].strip().lower() in ("1", "true")
            out.role[i] = row.get("role", "")
            out.scheme_id[i] = row.get("scheme_id", "") or ""
            out.scheme_type[i] = row.get("scheme_type", "") or ""
            out.active_from[i] = _ts(row.get("active_from", ""))
            out.known_at[i] = _ts(row.get("known_at", ""))
    return out


def scheme_types(truth_dir: Path) -> dict[str, str]:
    path = truth_dir / "schemes.csv"
    if not path.exists():
        return {}
    with open(path, newline="", encoding="utf-8") as fh:
        return {r["scheme_id"]: r["scheme_type"] for r in csv.DictReader(fh)}
