"""The one exception root of gnn/: export, features, training, scoring, clusters, and the
model stack (`gnn.models.errors`) and propagation (`gnn.propagation.errors`) below it."""

from fraudgraph.errors import FraudgraphError


class GnnError(FraudgraphError):
    """Root of the GNN pipeline's errors."""


class ExportError(GnnError):
    """The graph could not be exported into a snapshot (inconsistent ids, bad cache)."""


class LabelError(GnnError):
    """Labels or time cut-offs that cannot support a train/validation/test split."""


class ModelNotFoundError(GnnError):
    """No registered model under var/models (run `fraudgraph train` first)."""
