"""The rooms' layering, read from the source with ast (no server needed): each top-level
package imports only the rooms below it, so no cycle between rooms is possible."""

from __future__ import annotations

import ast
from pathlib import Path

from fraudgraph.settings import REPO_ROOT

# Lowest first; a room may import only rooms earlier in this list.
LAYERS = ["fraudgraph", "generator", "cypher", "graph_loader", "gnn", "casework", "api", "cli"]
# `python -m fraudgraph` is a launcher alias of the console script (fraudgraph/__main__.py).
ALLOWED = {("fraudgraph/__main__.py", "cli")}


def _imports(path: Path) -> set[str]:
    tops: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            tops |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            tops.add(node.module.split(".")[0])
    return tops


def test_rooms_import_only_downward() -> None:
    broken = []
    for rank, room in enumerate(LAYERS):
        above = set(LAYERS[rank + 1:])
        for path in sorted((REPO_ROOT / room).rglob("*.py")):
            rel = path.relative_to(REPO_ROOT).as_posix()
            for top in _imports(path) & above:
                if (rel, top) not in ALLOWED:
                    broken.append(f"{rel} imports {top}")
    assert broken == []
