"""The generator's exceptions (under the loader's root, as the generator lives in its package)."""

from graph_loader.errors import GraphLoaderError


class GenerateError(GraphLoaderError):
    """A world that cannot be generated with the given parameters."""
