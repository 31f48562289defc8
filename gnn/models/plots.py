"""Precision-recall curves as PNG (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def pr_curves(y: np.ndarray, scores: dict[str, np.ndarray], path: Path, title: str) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import average_precision_score, precision_recall_curve

    fig, ax = plt.subplots(figsize=(6, 5))
    for name, s in sorted(scores.items()):
        if y.sum() == 0 or y.sum() == y.size:
            continue
        p, r, _ = precision_recall_curve(y, np.nan_to_num(s, nan=-1e9))
        ax.plot(r, p, label=f"{name} (AP {average_precision_score(y, s):.3f})")
    ax.axhline(float(y.mean()) if y.size else 0.0, color="grey", ls=":", label="prevalence")
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_title(title)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.legend(loc="upper right", fontsize=8)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
