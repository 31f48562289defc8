"""Deterministic synthetic AFC worlds: feeds as in docs/feeds.md plus hidden truth."""

from generator.errors import GenerateError
from generator.world import generate_world

__all__ = ["GenerateError", "generate_world"]
