"""Registered models under ``var/models/<version>/``.

A version directory holds ``manifest.json`` (version, creation time, data hash, cut-offs,
feature lists, normalisation, model config, metrics), ``gnn.pt`` (state dict),
``lightgbm.txt`` and ``test_scores.npz`` (every model's and baseline's test-window
scores, for `fraudgraph eval models`). Versions sort by time: the newest is "latest".
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gnn.errors import ModelNotFoundError

MANIFEST = "manifest.json"


def new_version(data_hash: str, now: datetime | None = None) -> str:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{stamp}-{data_hash[:8]}"


def model_dir(models_root: Path, version: str) -> Path:
    return models_root / version


def write_manifest(directory: Path, manifest: dict[str, Any]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    tmp = directory / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=2, sort_keys=True, default=float))
    os.replace(tmp, directory / MANIFEST)


def read_manifest(directory: Path) -> dict[str, Any]:
    path = directory / MANIFEST
    if not path.exists():
        raise ModelNotFoundError(f"{directory} has no {MANIFEST}")
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def versions(models_root: Path) -> list[str]:
    if not models_root.exists():
        return []
    return sorted(p.name for p in models_root.iterdir() if (p / MANIFEST).exists())


def latest(models_root: Path) -> Path:
    found = versions(models_root)
    if not found:
        raise ModelNotFoundError(f"no registered model under {models_root}; run `fraudgraph train`")
    return models_root / found[-1]


def resolve(models_root: Path, version: str | None) -> Path:
    if version is None:
        return latest(models_root)
    d = models_root / version
    if not (d / MANIFEST).exists():
        raise ModelNotFoundError(f"no model version {version!r} under {models_root}")
    return d
