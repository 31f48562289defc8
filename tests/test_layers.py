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


# Inside gnn, each job's room imports only the rooms before it; the base modules
# (the error root and the model registry) sit under all of them, the jobs the CLI runs
# (commands, evaluate) above.
GNN_LAYERS = [["errors", "registry"], ["snapshot"], ["features"], ["propagation"], ["models"],
              ["clusters"], ["commands", "evaluate"]]


def _gnn_room(name: str) -> int | None:
    for rank, rooms in enumerate(GNN_LAYERS):
        if name in rooms:
            return rank
    return None


def test_gnn_rooms_import_only_downward() -> None:
    broken = []
    for path in sorted((REPO_ROOT / "gnn").rglob("*.py")):
        rel = path.relative_to(REPO_ROOT / "gnn")
        if rel.name == "__init__.py" and len(rel.parts) == 1:
            continue
        own = _gnn_room(rel.parts[0].removesuffix(".py"))
        assert own is not None, f"gnn/{rel} is in no room of GNN_LAYERS"
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module] if isinstance(node, ast.ImportFrom) and node.module
                     and node.level == 0 else [])
            for name in names:
                parts = name.split(".")
                if parts[0] != "gnn" or len(parts) < 2:
                    continue
                other = _gnn_room(parts[1])
                if other is not None and other > own:
                    broken.append(f"gnn/{rel} imports {name}")
    assert broken == []


def _module_graph() -> dict[str, set[str]]:
    """Project module -> the project modules it imports (anywhere in the file, lazy
    imports included: a cycle broken only by importing inside a function is still one)."""
    files: dict[str, Path] = {}
    for room in [*LAYERS, "bench"]:
        for path in (REPO_ROOT / room).rglob("*.py"):
            parts = list(path.relative_to(REPO_ROOT).with_suffix("").parts)
            files[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path

    def resolve(name: str) -> str | None:
        while name and name not in files:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        deps: set[str | None] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                deps |= {resolve(a.name) for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                # `from a.b import c` names module a.b.c when c is one, else a.b.
                deps |= {resolve(f"{node.module}.{a.name}") for a in node.names}
        graph[module] = {d for d in deps if d and d != module}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            v, children = work[-1]
            w = next(children, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    found.append(sorted(comp))
    return found


def test_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_between_modules() -> None:
    assert _cycles(_module_graph()) == []
