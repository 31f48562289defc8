"""One exception root for gnn/: a caller's `except GnnError` sees every error it raises."""

from __future__ import annotations

import pytest

from fraudgraph.errors import FraudgraphError
from gnn.errors import GnnError
from gnn.models.errors import ModelError, UnknownModelError
from gnn.propagation import PropagationConfig
from gnn.propagation.errors import PropagationError, UnknownEntityError


@pytest.mark.parametrize("error", [ModelError, UnknownModelError, PropagationError,
                                   UnknownEntityError])
def test_every_gnn_error_is_a_gnn_error(error: type[Exception]) -> None:
    assert issubclass(error, GnnError) and issubclass(error, FraudgraphError)


def test_a_propagation_error_is_caught_as_a_gnn_error() -> None:
    with pytest.raises(GnnError):
        PropagationConfig(alpha=2.0)
