"""The feedback replay: does the investigators' loop make the alerts better?

A generated world is loaded once and exported; then its last ``--days`` days are
replayed day by day, twice, in the same run:

- each day T, the registered model scores every account as of T (nothing from T on is
  visible: `gnn.snapshot.timed.as_of`); the ``--top`` highest-priority alerts of the day
  (`casework.alerts`: priority from score and money at stake; accounts already known
  positive, already in the queue, or held by an earlier verdict are not raised again
  unless their evidence materially changed) go to the investigators;
- ``--delay`` days later each alert gets its verdict, simulated from the truth:
  confirmed fraud if the account is truly fraud, else not fraud; a confirmed account is
  not alerted again (in either arm: the AFC's case records exist either way);
- every ``--retrain-every`` days the model is retrained at cut-off T.

The two arms differ only in what the retraining sees: *feedback* trains on the verdicts
too (as `gnn.snapshot.labels` reads them: confirmed = positive from its date, not fraud =
negative overruling earlier reports), *baseline* on incidents and the black list only.
The investigators work the queue the same way in both. Reported per arm: daily
precision among the top alerts, mean precision before and after the first retrain
that could see verdicts, and the lead time (days from an account's first alert to its
first incident report, over accounts reported later).

    FRAUDGRAPH_VAR_DIR=... FRAUDGRAPH_BOLT_PORT=... .venv/bin/python bench/feedback.py \\
        --reset --accounts 20000 --days 28 --top 100 --out var/bench/feedback.json

``--reset`` deletes the configured database's data first (required: the replay loads
its own world). The plot goes next to the JSON (``.png``).
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse
import json
import logging
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean, median
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from casework.alerts import Action, AlertConfig, Evidence, Prior, decide, priority
from cypher.graph_schema import apply_schema, reset_data
from fraudgraph.db import open_driver
from fraudgraph.pseudonym import Pseudonymiser
from fraudgraph.settings import load_settings
from generator.world import generate_world
from gnn.errors import LabelError
from gnn.models.fit import GnnConfig
from gnn.models.pipeline import TrainOptions, score_snapshot, train_pipeline
from gnn.snapshot.export import export_snapshot
from gnn.snapshot.graph import EdgeSet
from gnn.snapshot.labels import VERDICT, choose_cutoffs, first_known, label_sources
from gnn.snapshot.timed import TimedSnapshot, as_of
from gnn.snapshot.truth import load_account_truth
from graph_loader.load import load_directory

log = logging.getLogger("bench.feedback")
DAY = 86_400.0
TRANSFER = ("Account", "TRANSFERRED", "Account")


def with_verdicts(snap: TimedSnapshot, verdicts: list[tuple[int, str, float]]) -> TimedSnapshot:
    """The snapshot plus Verdict nodes and edges, as gnn/snapshot/export.py would read them."""
    acc = np.array([v[0] for v in verdicts], dtype=np.int64)
    kinds = np.array([v[1] for v in verdicts], dtype=np.str_)
    decided = np.array([v[2] for v in verdicts], dtype=np.float64)
    return TimedSnapshot(
        nodes={**snap.nodes, "Verdict": [f"v{i}" for i in range(len(verdicts))]},
        edges={**snap.edges, VERDICT: EdgeSet(np.arange(len(verdicts), dtype=np.int64), acc)},
        node_attrs={**snap.node_attrs, "Verdict": {"verdict": kinds}},
        edge_attrs={**snap.edge_attrs, VERDICT: {"decided": decided}},
        data_hash=f"{snap.data_hash}-v{len(verdicts)}")


def inflow(snap: TimedSnapshot, cutoff: float, window_s: float) -> np.ndarray:
    """Per account, transfers received in [cutoff - window, cutoff)."""
    es = snap.edges[TRANSFER]
    assert es.at is not None and es.amount is not None
    m = (es.at >= cutoff - window_s) & (es.at < cutoff)
    return np.bincount(es.dst[m], weights=es.amount[m], minlength=snap.count("Account"))


@dataclass
class Arm:
    name: str
    feedback: bool
    verdicts: list[tuple[int, str, float]] = field(default_factory=list)
    held: dict[int, Prior] = field(default_factory=dict)
    pending: list[tuple[float, int, dict[str, Any]]] = field(default_factory=list)
    first_alert: dict[int, float] = field(default_factory=dict)
    days: list[dict[str, Any]] = field(default_factory=list)
    trains: list[dict[str, Any]] = field(default_factory=list)
    model: Path | None = None


def train(arm: Arm, snap: TimedSnapshot, cutoff: float, args: argparse.Namespace,
          models: Path) -> None:
    s = with_verdicts(snap, arm.verdicts if arm.feedback else [])
    # Fixed windows back from the cut-off, or label quantiles when a small world has too
    # few labels in them (gnn.snapshot.labels.choose_cutoffs); only labels before the cut-off.
    mp = getattr(args, "min_positives", 3)
    t0 = time.perf_counter()
    try:
        cut = choose_cutoffs(first_known(as_of(s, cutoff)), cutoff, args.window_days, mp)
        # The graph as known at the cut-off: a pipeline that refits on "every label known
        # now" must not see the replay's future.
        manifest = train_pipeline(as_of(s, cutoff), models / arm.name, TrainOptions(
            window_days=args.window_days, cutoffs=cut,
            threads=args.threads, progress=False, min_positives=mp,
            gnn=GnnConfig(epochs=args.epochs, hidden=32, seed=args.seed)))
    except LabelError as e:
        # Too few labels yet to split by time (small worlds, early cut-offs): the arm
        # keeps the model it has, as a deployment keeps serving yesterday's model.
        log.warning("%s: no retrain at %s (%s); keeping the previous model", arm.name,
                    cutoff, e)
        arm.trains.append({"cutoff": cutoff, "skipped": str(e)})
        return
    arm.model = models / arm.name / manifest["version"]
    arm.trains.append({"cutoff": cutoff, "seconds": round(time.perf_counter() - t0, 1),
                       "label_sources": label_sources(as_of(s, cutoff)),
                       "verdicts_seen": sum(1 for v in arm.verdicts if v[2] < cutoff)
                       if arm.feedback else 0,
                       "test_pr_auc": manifest["metrics"]["test"]["gnn"]["pr_auc"]})
    log.info("%s: trained at day %s in %.0f s", arm.name, cutoff, arm.trains[-1]["seconds"])


def replay_day(arm: Arm, snap: TimedSnapshot, day: int, cutoff: float, fraud: np.ndarray,
               reported: np.ndarray, args: argparse.Namespace, cfg: AlertConfig) -> None:
    due = [p for p in arm.pending if p[0] <= cutoff]
    arm.pending = [p for p in arm.pending if p[0] > cutoff]
    for at, i, fp in due:
        verdict = "confirmed_fraud" if fraud[i] else "not_fraud"
        arm.verdicts.append((i, verdict, at))
        arm.held[i] = Prior(f"a{i}", "closed", int(at), fp)
    s = with_verdicts(snap, arm.verdicts if arm.feedback else [])
    assert arm.model is not None
    scores = score_snapshot(s, arm.model, cutoff=cutoff, threads=args.threads).scores
    known = first_known(as_of(s, cutoff)) < cutoff
    money = inflow(snap, cutoff, cfg.money_window_days * DAY)
    queued = {p[1] for p in arm.pending}
    # Accounts the AFC already confirmed are handled (cases, lists) in both arms: a new
    # alert on one finds nothing new, whether or not the model was trained on it.
    confirmed = {v[0] for v in arm.verdicts if v[1] == "confirmed_fraud"}
    order = np.argsort(-np.nan_to_num(scores, nan=-1.0))[: args.top * 20]
    ranked: list[tuple[float, int, Evidence]] = []
    for i in order.tolist():
        if known[i] or i in queued or i in confirmed:
            continue
        e = Evidence("account", str(i), gnn_score=float(scores[i]), money_kzt=float(money[i]))
        if decide(e, arm.held.get(i), int(cutoff), cfg).action is not Action.RAISE:
            continue
        ranked.append((priority(e, cfg), i, e))
    # The same eligible accounts ranked by the model's score alone: what the model adds,
    # apart from the money at stake (which weighs 30 % of the queue's priority).
    by_score = np.array(sorted((i for _, i, _ in ranked), key=lambda i: -scores[i])[: args.top],
                        dtype=np.int64)
    ranked.sort(key=lambda r: -r[0])
    top = ranked[: args.top]
    for _, i, e in top:
        arm.pending.append((cutoff + args.delay * DAY, i, e.fingerprint()))
        arm.first_alert.setdefault(i, cutoff)
    idx = np.array([i for _, i, _ in top], dtype=np.int64)
    arm.days.append({"day": day, "cutoff": cutoff, "alerts": int(idx.size),
                     "precision": float(fraud[idx].mean()) if idx.size else None,
                     "precision_by_score": float(fraud[by_score].mean()) if by_score.size
                     else None,
                     "reported_later": int((reported[idx] > cutoff).sum()) if idx.size else 0,
                     "verdicts": len(arm.verdicts)})


def summary(arm: Arm, reported: np.ndarray, switch_day: int) -> dict[str, Any]:
    scored = [d for d in arm.days if d["precision"] is not None]
    before = [d["precision"] for d in scored if d["day"] < switch_day]
    after = [d["precision"] for d in scored if d["day"] >= switch_day]
    by_score = [d["precision_by_score"] for d in scored if d["day"] >= switch_day
                and d["precision_by_score"] is not None]
    leads = [(reported[i] - t) / DAY for i, t in arm.first_alert.items()
             if np.isfinite(reported[i]) and reported[i] > t]
    return {"mean_precision_before": round(mean(before), 4) if before else None,
            "mean_precision_after": round(mean(after), 4) if after else None,
            "mean_precision_by_score_after": round(mean(by_score), 4) if by_score else None,
            "alerted_accounts": len(arm.first_alert),
            "alerted_then_reported": len(leads),
            "median_lead_days": round(median(leads), 2) if leads else None}


def replay(snap: TimedSnapshot, fraud: np.ndarray, args: Any, models: Path) -> dict[str, Any]:
    """Both arms over the last ``args.days`` days of ``snap`` (``fraud``: the truth per
    account). ``args`` needs days, top, delay, retrain_every, window_days, epochs,
    threads, seed (an argparse namespace, or any object with them)."""
    t0 = time.perf_counter()
    reported = first_known(snap)  # incident reports and the black list, no verdicts
    end = snap.latest_time() + 1.0
    start = end - args.days * DAY
    cfg = AlertConfig()
    arms = [Arm("feedback", True), Arm("baseline", False)]
    retrain_days = [d for d in range(1, args.days) if d % args.retrain_every == 0]
    for arm in arms:
        train(arm, snap, start, args, models)
        if arm.model is None:
            # Nothing to score the first day with: say so rather than fail on day 0.
            raise SystemExit(f"feedback replay: too few labels before the replay's first day "
                             f"({arm.trains[-1].get('skipped')}); replay fewer --days or "
                             f"generate a longer world (--world-days) or another --seed")
        for day in range(args.days):
            cutoff = start + day * DAY
            if day in retrain_days:
                train(arm, snap, cutoff, args, models)
            replay_day(arm, snap, day, cutoff, fraud, reported, args, cfg)
            log.info("%s day %d: precision %s", arm.name, day, arm.days[-1]["precision"])
    # Verdicts can reach a model from the first retrain after the first verdicts.
    switch = next((d for d in retrain_days if d >= args.delay), args.days)
    sums = {a.name: summary(a, reported, switch) for a in arms}
    fb, base = (sums[k]["mean_precision_after"] for k in ("feedback", "baseline"))
    return {
        "world": {"accounts": snap.count("Account"), "fraud_accounts": int(fraud.sum())},
        "config": {"top": args.top, "days": args.days, "delay": args.delay,
                   "retrain_every": args.retrain_every},
        "retrain_days": retrain_days, "switch_day": switch,
        "arms": {a.name: {"days": a.days, "trains": a.trains, "summary": sums[a.name]}
                 for a in arms},
        "precision_gain_after": (round(fb - base, 4) if fb is not None and base is not None
                                 else None),
        "replay_s": round(time.perf_counter() - t0, 1),
    }


def plot(result: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4))
    for name, arm in result["arms"].items():
        xs = [d["day"] for d in arm["days"]]
        line = ax.plot(xs, [d["precision"] for d in arm["days"]], marker="o", ms=3,
                       label=f"{name}: by priority")[0]
        ax.plot(xs, [d["precision_by_score"] for d in arm["days"]], ls="--",
                color=line.get_color(), label=f"{name}: by model score")
    for t in result["retrain_days"]:
        ax.axvline(t, color="grey", lw=0.6, ls=":")
    ax.set_xlabel("replay day")
    ax.set_ylabel(f"precision of the top {result['config']['top']} daily alerts")
    ax.set_title("Alert precision with and without investigator feedback")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, default=Path("var/bench/feedback.json"))
    p.add_argument("--accounts", type=int, default=20_000)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--world-days", type=int, default=180)
    p.add_argument("--days", type=int, default=28, help="days replayed at the end")
    p.add_argument("--top", type=int, default=100, help="alerts worked per day")
    p.add_argument("--delay", type=float, default=3.0, help="days until a verdict")
    p.add_argument("--retrain-every", type=int, default=7)
    p.add_argument("--window-days", type=float, default=28.0)
    p.add_argument("--epochs", type=int, default=40)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--reset", action="store_true", help="delete the database's data first")
    args = p.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    logging.getLogger("neo4j").setLevel(logging.WARNING)
    if not args.reset:
        p.error("--reset is required: the replay loads its own world into the database")
    settings = load_settings()
    pseudo = Pseudonymiser(settings.pseudonym_key.get_secret_value())
    work = args.out.parent / f"feedback-a{args.accounts}-s{args.seed}"
    t0 = time.perf_counter()
    generate_world(work / "world", args.accounts, args.seed, days=args.world_days,
                   progress=False)
    with open_driver(settings) as driver:
        db = settings.neo4j_database
        reset_data(driver, db)
        apply_schema(driver, db)
        load_directory(driver, db, work / "world", pseudo, rejects_path=work / "rejects.csv",
                       progress=False)
        snap = export_snapshot(driver, db, progress=False)
    prep_s = time.perf_counter() - t0
    truth = load_account_truth(work / "world" / "truth", pseudo, snap.nodes["Account"])
    result = replay(snap, truth.is_fraud, args, work / "models")
    result["world"]["prepare_s"] = round(prep_s, 1)
    result["seconds"] = round(time.perf_counter() - t0, 1)
    result["config"] = vars(args) | {"out": str(args.out)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, default=str))
    plot(result, args.out.with_suffix(".png"))
    after = {k: a["summary"]["mean_precision_after"] for k, a in result["arms"].items()}
    log.info("precision after day %d: %s (gain %s); written %s", result["switch_day"], after,
             result["precision_gain_after"], args.out)


if __name__ == "__main__":
    main()
