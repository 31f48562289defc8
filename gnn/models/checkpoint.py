"""Saving and rebuilding the hetero GNN: the state dict plus what is needed to rebuild
the same architecture (metadata, input sizes) without the training graph."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
from torch import nn
from torch_geometric.data import HeteroData

from gnn.errors import ModelNotFoundError
from gnn.models.fit import GnnConfig
from gnn.models.hetero import HeteroGAT, HeteroSAGE

_CLASSES: dict[str, type[nn.Module]] = {"hetero_sage": HeteroSAGE, "hetero_gat": HeteroGAT}


def architecture(data: HeteroData) -> dict[str, Any]:
    node_types, edge_types = data.metadata()
    return {
        "node_types": list(node_types),
        "edge_types": [list(et) for et in edge_types],
        "in_dims": {nt: int(data[nt].x.size(-1)) for nt in data.node_types if "x" in data[nt]},
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
    cls = _CLASSES.get(cfg.model)
    if cls is None:
        raise ModelNotFoundError(f"unknown GNN class {cfg.model!r} in the manifest")
    model = cls(metadata, arch["in_dims"], cfg.hidden, cfg.layers, cfg.dropout)
    model.load_state_dict(torch.load(path, weights_only=True))
    model.eval()
    return model, cfg
