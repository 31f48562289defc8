"""Heterogeneous fraud-graph models on a tiny random HeteroData."""

from collections.abc import Iterator

import numpy as np
import pytest
import torch
from torch_geometric.data import HeteroData

from gnn.models.data import port_numbers
from gnn.models.errors import ModelError, UnknownModelError
from gnn.models.hetero import HETERO_MODELS, add_reverse_edges, build_hetero_model
from gnn.models.metrics import roc_auc
from gnn.models.training import TrainConfig, fit, make_loss, train

N_ACC = 40


@pytest.fixture(autouse=True)
def _one_thread() -> Iterator[None]:
    # Tiny tensors: on shared cores, 2 OpenMP threads spin-wait and run 10-50x slower.
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def _edges(gen: torch.Generator, n_src: int, n_dst: int, m: int) -> torch.Tensor:
    return torch.stack([torch.randint(0, n_src, (m,), generator=gen),
                        torch.randint(0, n_dst, (m,), generator=gen)])


def _fraud_graph(seed: int = 0) -> HeteroData:
    """Accounts whose label is planted in their first feature; phones/devices featureless."""
    gen = torch.Generator().manual_seed(seed)
    data = HeteroData()
    data["account"].x = torch.randn(N_ACC, 3, generator=gen)
    data["account"].y = (data["account"].x[:, 0] > 0).long()
    data["person"].x = torch.randn(15, 2, generator=gen)
    data["phone"].num_nodes = 10
    data["device"].num_nodes = 8
    data["incident"].x = torch.randn(5, 1, generator=gen)
    data["account", "transferred", "account"].edge_index = _edges(gen, N_ACC, N_ACC, 120)
    data["account", "transferred", "account"].amount = torch.rand(120, generator=gen)
    data["account", "transferred", "account"].edge_attr = torch.rand(120, 4, generator=gen)
    data["person", "holds", "account"].edge_index = _edges(gen, 15, N_ACC, N_ACC)
    data["person", "uses", "phone"].edge_index = _edges(gen, 15, 10, 20)
    data["account", "logged_in_from", "device"].edge_index = _edges(gen, N_ACC, 8, 30)
    data["incident", "beneficiary", "account"].edge_index = _edges(gen, 5, N_ACC, 8)
    return add_reverse_edges(data)


def _minimal(full: HeteroData) -> HeteroData:
    """Only what a bank without telecom data sends: accounts and transfers."""
    data = HeteroData()
    data["account"].x = full["account"].x
    data["account"].y = full["account"].y
    transfers = full["account", "transferred", "account"]
    data["account", "transferred", "account"].edge_index = transfers.edge_index
    data["account", "transferred", "account"].edge_attr = transfers.edge_attr
    return add_reverse_edges(data)


def _forward(data: HeteroData):  # type: ignore[no-untyped-def]
    def forward(model: torch.nn.Module) -> torch.Tensor:
        return model(data.x_dict, data.edge_index_dict, data.num_nodes_dict,
                     data.collect("edge_attr", allow_empty=True))
    return forward


def test_add_reverse_edges() -> None:
    data = _fraud_graph()
    fwd = data["person", "holds", "account"].edge_index
    rev = data["account", "rev_holds", "person"].edge_index
    assert torch.equal(rev, fwd.flip(0))
    loop_rev = data["account", "rev_transferred", "account"]
    assert torch.equal(loop_rev.amount, data["account", "transferred", "account"].amount)
    assert len(data.edge_types) == 10  # 5 relations + 5 reverses, no rev_rev_
    assert len(add_reverse_edges(data).edge_types) == 10


@pytest.mark.parametrize("name", HETERO_MODELS)
def test_forward_shape(name: str) -> None:
    torch.manual_seed(0)
    data = _fraud_graph()
    model = build_hetero_model(name, data, hidden=16, num_layers=2)
    out = _forward(data)(model)
    assert out.shape == (N_ACC,)
    assert torch.isfinite(out).all()


@pytest.mark.parametrize("name", HETERO_MODELS)
def test_training_steps_reduce_the_loss(name: str) -> None:
    torch.manual_seed(0)
    data = _fraud_graph()
    model = build_hetero_model(name, data, hidden=16, num_layers=2, dropout=0.0)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    mask = torch.ones(N_ACC, dtype=torch.bool)
    loss_fn = make_loss(None)
    y = data["account"].y
    losses = [train(model, optimizer, _forward(data), y, mask, loss_fn) for _ in range(30)]
    assert losses[-1] < 0.5 * losses[0]


@pytest.mark.parametrize("name", HETERO_MODELS)
def test_minimal_feed_accounts_and_transfers_only(name: str) -> None:
    torch.manual_seed(0)
    full, minimal = _fraud_graph(), _minimal(_fraud_graph())
    # A model built for the full schema scores a minimal feed...
    model = build_hetero_model(name, full, hidden=16)
    model.eval()
    assert _forward(minimal)(model).shape == (N_ACC,)
    # ...and a model built on the minimal feed trains on it with the generic loop.
    small = build_hetero_model(name, minimal, hidden=16, dropout=0.0)
    y = minimal["account"].y
    train_mask = torch.arange(N_ACC) < 30
    result = fit(small, _forward(minimal), y, train_mask, ~train_mask,
                 TrainConfig(epochs=20, lr=1e-2, patience=None))
    assert result.epochs_run == 20
    assert result.best_val > 0.8


def test_errors() -> None:
    data = _fraud_graph()
    with pytest.raises(UnknownModelError):
        build_hetero_model("hgt", data)
    model = build_hetero_model("hetero_sage", data, hidden=16)
    x_dict = {k: v for k, v in data.x_dict.items() if k != "account"}
    with pytest.raises(ModelError):
        model(x_dict, data.edge_index_dict)
    no_accounts = HeteroData()
    no_accounts["person"].x = torch.randn(3, 2)
    with pytest.raises(ModelError):
        build_hetero_model("hetero_gat", no_accounts)


def test_port_numbers_count_counterparties_in_order_of_first_money() -> None:
    # Account 0 paid 7 first (t=5), then 3 (t=9), then 5 (t=20); account 1 paid only 3.
    src = np.array([0, 0, 1, 0])
    dst = np.array([5, 3, 3, 7])
    first = np.array([20.0, 9.0, 1.0, 5.0])
    assert port_numbers(src, first, dst).tolist() == [3, 2, 1, 1]
    # At the payee: 3 was paid by 1 (t=1) before 0 (t=9).
    assert port_numbers(dst, first, src).tolist() == [1, 2, 1, 1]
    assert port_numbers(np.array([], dtype=np.int64), np.array([]),
                        np.array([], dtype=np.int64)).size == 0


def _attr_only_graph(seed: int) -> HeteroData:
    """Labels that only the transfers' attributes carry: an account is positive when a
    payment into it has a large first attribute. Node features are noise and every
    account receives two payments, so degrees say nothing either."""
    gen = torch.Generator().manual_seed(seed)
    n = 800
    data = HeteroData()
    data["account"].x = torch.randn(n, 3, generator=gen)
    dst = torch.arange(n).repeat_interleave(2)
    ei = torch.stack([torch.randint(0, n, (2 * n,), generator=gen), dst])
    attr = torch.rand(2 * n, 2, generator=gen)
    y = torch.zeros(n, dtype=torch.long)
    y[dst[attr[:, 0] > 0.85]] = 1
    data["account"].y = y
    data["account", "transferred", "account"].edge_index = ei
    data["account", "transferred", "account"].edge_attr = attr
    return add_reverse_edges(data)


def _held_out_auc(name: str, data: HeteroData) -> float:
    torch.manual_seed(0)
    model = build_hetero_model(name, data, hidden=16, num_layers=1, dropout=0.0)
    y = data["account"].y
    train_mask = torch.arange(y.numel()) < 500
    fit(model, _forward(data), y, train_mask, ~train_mask,
        TrainConfig(epochs=150, lr=2e-2, patience=None))
    model.eval()
    with torch.no_grad():
        scores = _forward(data)(model)[~train_mask].numpy()
    return roc_auc(y[~train_mask].numpy(), scores)


def test_only_the_multigraph_model_reads_edge_attributes() -> None:
    data = _attr_only_graph(1)
    gine, sage = _held_out_auc("multi_gine", data), _held_out_auc("hetero_sage", data)
    assert sage < 0.62  # nothing to read but noise
    assert gine > sage + 0.15


def test_multi_gine_needs_the_edge_attributes_it_was_built_for() -> None:
    data = _fraud_graph()
    model = build_hetero_model("multi_gine", data, hidden=16)
    with pytest.raises(ModelError, match="edge_attr"):
        model(data.x_dict, data.edge_index_dict, data.num_nodes_dict)
