"""Saving and rebuilding the hetero GNN: the state dict plus what is needed to rebuild
the same architecture (metadata, input sizes) without the training graph."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
from torch import nn
from torch_geometric.data import HeteroData

from gnn.errors import ModelNotFoundError
from gnn.models.errors import UnknownModelError
from gnn.models.fit import GnnConfig
from gnn.models.hetero import edge_dims, hetero_model


def architecture(data: HeteroData) -> dict[str, Any]:
    node_types, edge_types = data.metadata()
    return {
        "node_types": list(node_types),
        "edge_types": [list(et) for et in edge_types],
        "in_dims": {nt: int(data[nt].x.size(-1)) for nt in data.node_types if "x" in data[nt]},
        "edge_dims": [[*et, d] for et, d in edge_dims(data).items()],
    }


def save_gnn(model: nn.Module, data: HeteroData, cfg: GnnConfig, path: Path) -> dict[str, Any]:
    torch.save(model.state_dict(), path)
    return architecture(data)


def load_gnn(path: Path, gnn_manifest: dict[str, Any]) -> tuple[nn.Module, GnnConfig]:
    if not path.exists():
        raise ModelNotFoundError(f"missing GNN checkpoint {path}")
    cfg = GnnConfig(**gnn_manifest["config"])
    arch = gnn_manifest["architecture"]
    metadata = (arch["node_types"], [tuple(et) for et in arch["edge_types"]])
    # Checkpoints from before edge attributes were recorded used none.
    dims = {(s, r, d): int(w) for s, r, d, w in arch.get("edge_dims", [])}
    try:
        model = hetero_model(cfg.model, metadata, arch["in_dims"], dims, cfg.hidden,
                             cfg.layers, cfg.dropout)
    except UnknownModelError as e:
        raise ModelNotFoundError(f"unknown GNN class {cfg.model!r} in the manifest") from e
    model.load_state_dict(torch.load(path, weights_only=True))
    model.eval()
    return model, cfg
