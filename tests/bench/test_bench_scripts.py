"""Every benchmark runs by the command the README gives (`.venv/bin/python bench/X.py`):
run by its path, a script's folder comes first on sys.path, so a bench module named like
a package (bench/gnn.py, bench/api.py) shadowed that package for every script."""

from __future__ import annotations

import subprocess
import sys

from fraudgraph.settings import REPO_ROOT

BENCH = REPO_ROOT / "bench"
PACKAGES = {p.parent.name for p in REPO_ROOT.glob("*/__init__.py")}
SCRIPTS = sorted(p for p in BENCH.glob("*.py") if p.name != "__init__.py")


def test_no_bench_module_is_named_like_a_package() -> None:
    assert {"gnn", "api", "cypher", "fraudgraph", "graph_loader"} <= PACKAGES
    assert not {p.stem for p in SCRIPTS} & PACKAGES
    # Nor like a standard-library module: bench/queue.py made every script's `import
    # queue` (concurrent.futures, hence sklearn) find the benchmark instead.
    assert "queue" in sys.stdlib_module_names
    assert not {p.stem for p in SCRIPTS} & set(sys.stdlib_module_names)


def test_the_readme_names_every_benchmark() -> None:
    readme = (REPO_ROOT / "README.md").read_text()
    assert [p.name for p in SCRIPTS if f"bench/{p.name}" not in readme] == []


def test_every_benchmark_answers_help_when_run_by_its_path() -> None:
    # All at once: each imports its stack (torch for some), and they may share the cores.
    procs = {p.name: subprocess.Popen([sys.executable, f"bench/{p.name}", "--help"],
                                      cwd=REPO_ROOT, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True) for p in SCRIPTS}
    failed = {}
    for name, proc in procs.items():
        out, err = proc.communicate(timeout=300)
        if proc.returncode != 0 or "usage:" not in out:
            failed[name] = err.strip().splitlines()[-1:] or out[:200]
    assert failed == {}
