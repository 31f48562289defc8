"""The generic training loop: class weights, early stopping, best-weight restore."""

import pytest
import torch
from torch import nn

from gnn.models.errors import ModelError
from gnn.models.training import TrainConfig, evaluate, fit, resolve_pos_weight


class _Scale(nn.Module):
    """logit = w * z for fixed scores z: the sign of w decides the whole ranking."""

    def __init__(self) -> None:
        super().__init__()
        self.w = nn.Parameter(torch.tensor(1.0))

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.w * z


def _setup() -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    z = torch.tensor([1.0, 2.0, 3.0, 4.0, 1.0, 2.0, 3.0, 4.0])
    # Training labels say "low z is fraud", validation labels the opposite, so every
    # step of training (w going down) makes the validation ranking worse.
    y = torch.tensor([1, 1, 0, 0, 0, 0, 1, 1])
    train_mask = torch.tensor([True] * 4 + [False] * 4)
    return z, y, train_mask, ~train_mask


def test_pos_weight_auto_is_negatives_over_positives() -> None:
    y = torch.tensor([1, 0, 0, 0, 1, 0, 0, 0, 0, 1])
    mask = torch.ones(10, dtype=torch.bool)
    assert resolve_pos_weight(y, mask, "auto") == pytest.approx(7 / 3)
    assert resolve_pos_weight(y, mask, 2) == 2.0
    assert resolve_pos_weight(y, mask, None) is None
    with pytest.raises(ModelError):
        resolve_pos_weight(torch.zeros(4, dtype=torch.long), torch.ones(4, dtype=torch.bool),
                           "auto")
    with pytest.raises(ModelError):
        resolve_pos_weight(y, mask, "balanced")


def test_fit_stops_early_and_restores_the_best_weights() -> None:
    z, y, train_mask, val_mask = _setup()
    model = _Scale()

    def forward(m: nn.Module) -> torch.Tensor:
        return m(z)

    cfg = TrainConfig(epochs=200, lr=0.3, patience=5, grad_clip=None, pos_weight="auto")
    result = fit(model, forward, y, train_mask, val_mask, cfg)
    assert result.best_epoch == 1
    assert result.best_val == 1.0
    assert result.stopped_early
    assert result.epochs_run == 1 + 5
    assert [h["epoch"] for h in result.history] == [1, 2, 3, 4, 5, 6]
    assert float(model.w.detach()) > 0  # the weights of epoch 1, not those of epoch 6
    scores = evaluate(model, forward, y, {"val": val_mask, "train": train_mask},
                      ("roc_auc", "pr_auc"))
    assert scores["val"] == {"roc_auc": 1.0, "pr_auc": 1.0}
    assert scores["train"]["roc_auc"] == 0.0


def test_fit_rejects_unknown_metric() -> None:
    z, y, train_mask, val_mask = _setup()
    model = _Scale()
    with pytest.raises(ModelError):
        fit(model, lambda m: m(z), y, train_mask, val_mask, TrainConfig(metric="f1"))
    with pytest.raises(ModelError):
        evaluate(model, lambda m: m(z), y, {"val": val_mask}, ("accuracy",))
