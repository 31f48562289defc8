"""Deterministic synthetic AFC worlds: feeds as in docs/feeds.md plus hidden truth."""

from graph_loader.generate.errors import GenerateError
from graph_loader.generate.world import generate_world

__all__ = ["GenerateError", "generate_world"]
