"""CLI commands of the loader: generate and load."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from cli.common import write_json


def register(app: typer.Typer) -> None:
    app.command("generate")(generate)
    app.command("load")(load)
    adapt = typer.Typer(no_args_is_help=True, help="Convert foreign data sets to feed files")
    adapt.command("amlsim")(adapt_amlsim)
    app.add_typer(adapt, name="adapt")


def generate(
    out: Annotated[Path, typer.Option(help="output directory")],
    accounts: Annotated[int, typer.Option(help="number of accounts (5k-2M)")] = 20_000,
    seed: Annotated[int, typer.Option(help="random seed")] = 7,
    fmt: Annotated[str, typer.Option("--format", help="csv or parquet")] = "csv",
    minimal: Annotated[bool, typer.Option(help="accounts, transfers, list entries only")] = False,
) -> None:
    """Generate a deterministic synthetic AFC world with ground truth in OUT/truth."""
    from generator.world import generate_world

    manifest = generate_world(out, accounts=accounts, seed=seed, fmt=fmt, minimal=minimal)
    typer.echo(json.dumps(manifest.get("feeds", manifest), indent=2))


def adapt_amlsim(
    src: Annotated[Path, typer.Argument(help="AMLSim output: accounts, transactions, labels")],
    out: Annotated[Path, typer.Option(help="feed directory to write (truth in OUT/truth)")],
    split_seed: Annotated[int, typer.Option(help="seed of the known/hidden alert split")] = (
        20261125),
    known_share: Annotated[float, typer.Option(help="share of SAR alerts made known")] = 0.3,
) -> None:
    """IBM AMLSim output -> feed files, by shared/data/amlsim-10k/README.md's protocol."""
    from graph_loader.adapters.amlsim import convert

    res = convert(src, out, split_seed=split_seed, known_share=known_share)
    typer.echo(json.dumps(res.as_dict(), indent=2))


def load(
    directory: Annotated[Path, typer.Argument(help="directory of feed files")],
    report: Annotated[Path | None, typer.Option(help="JSON report path")] = None,
    rejects: Annotated[Path | None, typer.Option(help="rejects CSV path")] = None,
    bulk: Annotated[bool, typer.Option(
        "--bulk", help="first load of an empty database through neo4j-admin import")] = False,
) -> None:
    """Validate, pseudonymise and load feeds into Neo4j. Exit 3 if any row was rejected.

    --bulk writes import files and runs `neo4j-admin database import full` on the
    project-managed server (stopped and started again); against an existing NEO4J_URI it
    writes the files and prints the command to run on that server."""
    from cli.common import settings
    from cypher.graph_schema import apply_schema
    from fraudgraph.db import open_driver
    from fraudgraph.pseudonym import Pseudonymiser
    from graph_loader.bulk import bulk_load
    from graph_loader.load import load_directory
    from graph_loader.report import LoadReport

    s = settings()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    run_dir = s.var_dir / "loads" / stamp
    report = report or run_dir / "report.json"
    rejects = rejects or run_dir / "rejects.csv"
    pseudo = Pseudonymiser(s.pseudonym_key.get_secret_value())
    rep: LoadReport
    with open_driver(s) as driver:
        apply_schema(driver, s.neo4j_database)
        if bulk:
            res = bulk_load(driver, s, directory, pseudo, rejects_path=rejects,
                            import_dir=run_dir / "import", batch_size=s.batch_size)
            rep, out = res.report, res.as_dict()
        else:
            rep = load_directory(driver, s.neo4j_database, directory, pseudo,
                                 rejects_path=rejects, batch_size=s.batch_size,
                                 writers=s.load_writers)
            out = rep.as_dict()
    write_json(report, out)
    for f in rep.files:
        typer.echo(
            f"{f.feed:13s} read {f.read:>9d}  loaded {f.loaded:>9d}  "
            f"rejected {f.rejected:>7d}"
        )
    if bulk and not res.imported:
        typer.echo(f"import files: {res.import_dir}\nrun on the Neo4j server, with the "
                   f"database stopped, from that directory:\n  {out['bulk']['command']}\n"
                   f"then, with it started again: fraudgraph load {directory}")
    typer.echo(f"report: {report}\nrejects: {rejects}")
    if rep.rejected:
        raise typer.Exit(3)
