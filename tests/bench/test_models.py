"""Homogeneous models: CSR aggregations against dense maths, shapes, a planted signal."""

from collections.abc import Iterator

import pytest
import torch

from bench.models import HOMOGENEOUS_MODELS, SparseGraph, build_model
from gnn.models.errors import UnknownModelError
from gnn.models.metrics import roc_auc
from gnn.models.training import TrainConfig, evaluate, fit


@pytest.fixture(autouse=True)
def _one_thread() -> Iterator[None]:
    # Tiny tensors: on shared cores, 2 OpenMP threads spin-wait and run 10-50x slower.
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def _random_graph(n: int, m: int, seed: int) -> torch.Tensor:
    gen = torch.Generator().manual_seed(seed)
    src = torch.randint(0, n, (m,), generator=gen)
    dst = torch.randint(0, n, (m,), generator=gen)
    return torch.cat([torch.stack([src, dst]), torch.stack([dst, src])], dim=1)


def _dense(g: SparseGraph) -> torch.Tensor:
    a = torch.zeros(g.num_nodes, g.num_nodes, dtype=torch.float64)
    a[g.row, g.col] = 1.0
    return a


def test_sparse_graph_coalesces_and_adds_self_loops() -> None:
    edge_index = torch.tensor([[0, 0, 1, 2, 2], [1, 1, 0, 2, 0]])  # duplicate 0->1, loop 2->2
    g = SparseGraph.from_edge_index(edge_index, 4)
    assert g.num_edges == 3
    assert g.in_degree().tolist() == [2, 1, 0, 0]
    looped = SparseGraph.from_edge_index(edge_index, 4, self_loops=True)
    assert looped.num_edges == 3 + 4
    assert looped.in_degree().tolist() == [3, 2, 1, 1]


def test_aggregations_match_dense_and_have_correct_gradients() -> None:
    torch.manual_seed(0)
    g = SparseGraph.from_edge_index(_random_graph(9, 20, seed=1), 12)  # 9-11 isolated
    a = _dense(g)
    x = torch.randn(12, 3, dtype=torch.float64, requires_grad=True)
    mean = a / a.sum(1, keepdim=True).clamp(min=1)
    assert torch.allclose(g.mean(x), mean @ x)
    deg = a.sum(1).clamp(min=1)
    assert torch.allclose(g.gcn(x), (a / deg.sqrt()[:, None] / deg.sqrt()[None, :]) @ x)
    w = torch.randn(g.num_edges, 2, dtype=torch.float64, requires_grad=True)
    xh = torch.randn(12, 2, 3, dtype=torch.float64, requires_grad=True)
    dense_w = torch.zeros(12, 12, 2, dtype=torch.float64)
    dense_w[g.row, g.col] = w.detach()
    assert torch.allclose(g.weighted_sum(w, xh), torch.einsum("ijh,jhd->ihd", dense_w, xh))
    q = torch.randn(12, 2, 3, dtype=torch.float64, requires_grad=True)
    assert torch.allclose(g.edge_dot(q, xh), (q[g.row] * xh[g.col]).sum(-1))
    probs = g.softmax(w)
    sums = torch.zeros(12, 2, dtype=torch.float64).index_add(0, g.row, probs)
    has_in = g.in_degree() > 0
    assert int((~has_in).sum()) == 3
    assert torch.allclose(sums[has_in], torch.ones_like(sums[has_in]))
    attended = g.attention(w, xh)
    assert torch.allclose(attended, g.weighted_sum(probs, xh))
    assert torch.equal(attended[~has_in], torch.zeros_like(attended[~has_in]))
    assert torch.autograd.gradcheck(g.attention, (w, xh))
    assert torch.autograd.gradcheck(g.weighted_sum, (w, xh))
    assert torch.autograd.gradcheck(g.edge_dot, (q, xh))
    assert torch.autograd.gradcheck(g.softmax, (w,))
    assert torch.autograd.gradcheck(g.mean, (x,))
    assert torch.autograd.gradcheck(g.gcn, (x,))


@pytest.mark.parametrize("name", HOMOGENEOUS_MODELS)
def test_forward_shapes(name: str) -> None:
    torch.manual_seed(0)
    edge_index = _random_graph(30, 60, seed=0)
    x = torch.randn(30, 5)
    model = build_model(name, 5, hidden=16, num_layers=2, heads=4)
    out = model(x, model.graph(edge_index, 30))
    assert out.shape == (30,)
    assert torch.isfinite(out).all()
    # A raw edge_index is accepted too and gives the same result in eval mode.
    model.eval()
    assert torch.allclose(model(x, edge_index), model(x, model.graph(edge_index, 30)))
    multi = build_model(name, 5, hidden=16, num_layers=1, heads=4, out_dim=3)
    assert multi(x, edge_index).shape == (30, 3)


def test_unknown_model_and_missing_graph() -> None:
    with pytest.raises(UnknownModelError):
        build_model("gin", 5)
    with pytest.raises(UnknownModelError):
        build_model("sage", 5)(torch.randn(3, 5))


def _planted() -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, dict[str, torch.Tensor]]:
    """Labels depend only on the neighbours' first feature, not on the node's own."""
    n = 600
    gen = torch.Generator().manual_seed(7)
    edge_index = _random_graph(n, 2400, seed=7)
    x = torch.randn(n, 4, generator=gen)
    g = SparseGraph.from_edge_index(edge_index, n)
    signal = g.mean(x)[:, 0]
    y = (signal > signal.median()).long()
    perm = torch.randperm(n, generator=gen)
    masks = {k: torch.zeros(n, dtype=torch.bool) for k in ("train", "val", "test")}
    masks["train"][perm[:300]] = True
    masks["val"][perm[300:450]] = True
    masks["test"][perm[450:]] = True
    return x, edge_index, y, masks


def test_gnn_learns_a_neighbourhood_signal_that_the_mlp_cannot() -> None:
    x, edge_index, y, masks = _planted()
    test_auc: dict[str, float] = {}
    for name in ("resnet", "sage", "gat_sep"):
        torch.manual_seed(0)
        model = build_model(name, 4, hidden=32, num_layers=1, heads=4, dropout=0.0)
        graph = model.graph(edge_index, x.size(0))

        def forward(m: torch.nn.Module, graph: SparseGraph = graph) -> torch.Tensor:
            return m(x, graph)

        cfg = TrainConfig(epochs=80, lr=1e-2, patience=30)
        result = fit(model, forward, y, masks["train"], masks["val"], cfg)
        assert 1 <= result.best_epoch <= result.epochs_run
        test_auc[name] = evaluate(model, forward, y, {"test": masks["test"]})["test"]["roc_auc"]
    assert test_auc["resnet"] < 0.65
    assert test_auc["sage"] > 0.85
    assert test_auc["gat_sep"] > 0.85
    assert roc_auc(y[masks["test"]], x[masks["test"], 0]) < 0.65  # own feature is no help
