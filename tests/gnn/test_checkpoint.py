"""A saved GNN comes back as the same function of the graph, for every architecture."""

from pathlib import Path

import pytest
import torch

from gnn.errors import ModelNotFoundError
from gnn.models.checkpoint import load_gnn, save_gnn
from gnn.models.fit import GnnConfig
from gnn.models.hetero import HETERO_MODELS, build_hetero_model
from tests.gnn.test_gnn_hetero import _forward, _fraud_graph


@pytest.mark.parametrize("name", HETERO_MODELS)
def test_round_trip_scores_the_same(name: str, tmp_path: Path) -> None:
    torch.manual_seed(0)
    data = _fraud_graph()
    cfg = GnnConfig(model=name, hidden=16, layers=2, dropout=0.0)
    model = build_hetero_model(name, data, hidden=16, num_layers=2, dropout=0.0)
    model.eval()
    arch = save_gnn(model, data, cfg, tmp_path / "gnn.pt")
    back, back_cfg = load_gnn(tmp_path / "gnn.pt", {"config": cfg.as_dict(), "architecture": arch})
    assert back_cfg.model == name
    with torch.no_grad():
        assert torch.allclose(_forward(data)(model), _forward(data)(back))


def test_unknown_architecture_is_reported(tmp_path: Path) -> None:
    data = _fraud_graph()
    model = build_hetero_model("hetero_sage", data, hidden=16)
    arch = save_gnn(model, data, GnnConfig(hidden=16), tmp_path / "gnn.pt")
    with pytest.raises(ModelNotFoundError, match="unknown GNN class"):
        load_gnn(tmp_path / "gnn.pt", {"config": GnnConfig(model="hgt").as_dict(),
                                       "architecture": arch})
