"""Generic full-batch training for binary node scoring, in the style of PyG's examples.

The model is called through a ``forward`` closure that returns one logit per target
node, so one loop serves ``model(x, graph)`` and ``model(x_dict, edge_index_dict)``
alike. ``train`` runs one optimisation step, ``evaluate`` scores masks, ``fit`` loops
with early stopping on a validation metric and restores the best weights.
"""

from __future__ import annotations

import copy
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import Tensor, nn
from tqdm import tqdm

from gnn.models.errors import ModelError
from gnn.models.metrics import pr_auc, recall_at_fpr, roc_auc

log = logging.getLogger(__name__)

Forward = Callable[[nn.Module], Tensor]

METRICS: dict[str, Callable[[np.ndarray, np.ndarray], float]] = {
    "roc_auc": roc_auc,
    "pr_auc": pr_auc,
    "recall_at_1pct_fpr": lambda y, s: recall_at_fpr(y, s, 0.01),
}


@dataclass
class TrainConfig:
    epochs: int = 300
    lr: float = 1e-3
    weight_decay: float = 0.0
    patience: int | None = 50  # evaluations without a validation gain before stopping
    eval_every: int = 1
    pos_weight: float | str | None = None  # "auto": negatives / positives in training
    grad_clip: float | None = 1.0
    metric: str = "roc_auc"  # validation metric that selects the epoch
    progress: bool = False


@dataclass
class FitResult:
    best_epoch: int
    best_val: float
    epochs_run: int
    seconds: float
    stopped_early: bool
    history: list[dict[str, float]] = field(default_factory=list)


def resolve_pos_weight(
    y: Tensor, train_mask: Tensor, pos_weight: float | str | None
) -> float | None:
    """``"auto"`` becomes negatives/positives among training labels (class balance)."""
    if pos_weight is None or isinstance(pos_weight, float | int):
        return None if pos_weight is None else float(pos_weight)
    if pos_weight != "auto":
        raise ModelError(f"pos_weight must be a number, 'auto' or None, got {pos_weight!r}")
    labels = y[train_mask].float()
    positives = float(labels.sum())
    if positives == 0:
        raise ModelError("no positive labels in the training mask")
    return (labels.numel() - positives) / positives


def make_loss(pos_weight: float | None) -> nn.BCEWithLogitsLoss:
    weight = None if pos_weight is None else torch.tensor(pos_weight)
    return nn.BCEWithLogitsLoss(pos_weight=weight)


def train(
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    forward: Forward,
    y: Tensor,
    train_mask: Tensor,
    loss_fn: nn.Module,
    grad_clip: float | None = None,
) -> float:
    """One full-batch optimisation step; returns the training loss."""
    model.train()
    optimizer.zero_grad()
    logits = forward(model)
    loss = loss_fn(logits[train_mask], y[train_mask].float())
    loss.backward()
    if grad_clip is not None:
        nn.utils.clip_grad_norm_(model.parameters(), grad_clip)
    optimizer.step()
    return float(loss.detach())


@torch.no_grad()
def predict(model: nn.Module, forward: Forward) -> Tensor:
    """Scores (logits) for every target node, in eval mode."""
    model.eval()
    return forward(model).detach()


def evaluate(
    model: nn.Module,
    forward: Forward,
    y: Tensor,
    masks: Mapping[str, Tensor],
    metrics: tuple[str, ...] = ("roc_auc",),
) -> dict[str, dict[str, float]]:
    """``{mask name: {metric: value}}`` from one eval-mode forward pass."""
    unknown = set(metrics) - METRICS.keys()
    if unknown:
        raise ModelError(f"unknown metrics {sorted(unknown)}; known: {sorted(METRICS)}")
    scores = predict(model, forward).cpu().numpy()
    labels = y.cpu().numpy()
    out: dict[str, dict[str, float]] = {}
    for name, mask in masks.items():
        m = mask.cpu().numpy()
        out[name] = {metric: METRICS[metric](labels[m], scores[m]) for metric in metrics}
    return out


def fit(
    model: nn.Module,
    forward: Forward,
    y: Tensor,
    train_mask: Tensor,
    val_mask: Tensor,
    config: TrainConfig | None = None,
) -> FitResult:
    """Adam, full batch, model selection on ``config.metric`` over ``val_mask``.

    The model ends with the weights of its best validation evaluation.
    """
    cfg = config or TrainConfig()
    if cfg.metric not in METRICS:
        raise ModelError(f"unknown metric {cfg.metric!r}; known: {sorted(METRICS)}")
    if cfg.epochs < 1 or cfg.eval_every < 1:
        raise ModelError("epochs and eval_every must be at least 1")
    optimizer = torch.optim.Adam(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    loss_fn = make_loss(resolve_pos_weight(y, train_mask, cfg.pos_weight)).to(y.device)
    best_val, best_epoch, since_best = -np.inf, 0, 0
    best_state = copy.deepcopy(model.state_dict())
    history: list[dict[str, float]] = []
    started = time.perf_counter()
    epoch, stopped = 0, False
    bar = tqdm(range(1, cfg.epochs + 1), disable=not cfg.progress, desc="epochs", leave=False)
    for epoch in bar:
        loss = train(model, optimizer, forward, y, train_mask, loss_fn, cfg.grad_clip)
        if epoch % cfg.eval_every and epoch != cfg.epochs:
            continue
        val = evaluate(model, forward, y, {"val": val_mask}, (cfg.metric,))["val"][cfg.metric]
        history.append({"epoch": float(epoch), "loss": loss, "val": val})
        bar.set_postfix(loss=f"{loss:.4f}", val=f"{val:.4f}", best=f"{max(best_val, val):.4f}")
        if val > best_val:
            best_val, best_epoch, since_best = val, epoch, 0
            best_state = copy.deepcopy(model.state_dict())
        else:
            since_best += 1
            if cfg.patience is not None and since_best >= cfg.patience:
                stopped = True
                break
    model.load_state_dict(best_state)
    seconds = time.perf_counter() - started
    log.debug("fit: best %s %.4f at epoch %d of %d (%.1f s)", cfg.metric, best_val, best_epoch,
              epoch, seconds)
    return FitResult(best_epoch, float(best_val), epoch, seconds, stopped, history)
