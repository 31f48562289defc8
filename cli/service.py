"""CLI commands of the api package: `fraudgraph serve`, `fraudgraph keys ...` and
`fraudgraph audit verify`."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer


def _propagation_engine(settings: Any) -> tuple[Any, Any]:
    from api.server import propagation_engine

    return propagation_engine(settings)


def register(app: typer.Typer) -> None:
    keys_app = typer.Typer(no_args_is_help=True, help="API keys")
    app.add_typer(keys_app, name="keys")

    @app.command("serve")
    def serve(
        host: Annotated[str | None, typer.Option(help="default: FRAUDGRAPH_API_HOST")] = None,
        port: Annotated[int | None, typer.Option(help="default: FRAUDGRAPH_API_PORT")] = None,
        workers: Annotated[int, typer.Option(help="uvicorn worker processes")] = 1,
        access_log: Annotated[bool, typer.Option(help="uvicorn's access log (logs raw "
                                                      "paths; the audit trail does not)")]
        = False,
    ) -> None:
        """Run the AFC API (FastAPI + uvicorn)."""
        import uvicorn

        from fraudgraph.settings import Settings

        settings = Settings()
        settings.check_deployable()
        if workers > 1:
            # Each worker builds its own app, driver and propagation engine from the
            # environment (api/server.py), like the single process below.
            uvicorn.run("api.server:app_from_env", factory=True, host=host or settings.api_host,
                        port=port or settings.api_port, workers=workers, access_log=access_log,
                        log_level="info")
            return
        from api.app import create_app

        engine, close = _propagation_engine(settings)
        try:
            uvicorn.run(create_app(settings, engine=engine), host=host or settings.api_host,
                        port=port or settings.api_port, access_log=access_log,
                        log_level="info")
        finally:
            close()

    @keys_app.command("create")
    def keys_create(
        role: Annotated[str, typer.Option(help="afc_analyst, bank or admin")],
        bank: Annotated[str | None, typer.Option(help="bank code (required for role bank)")]
        = None,
    ) -> None:
        """Create an API key and print it once (only its hash is stored)."""
        from api.errors import ApiError
        from api.keys import create_key
        from fraudgraph.db import open_driver
        from fraudgraph.settings import load_settings

        s = load_settings()
        with open_driver(s) as driver:
            try:
                key_id, token = create_key(driver, s.neo4j_database, role, bank)
            except ApiError as e:
                raise typer.BadParameter(e.detail) from None
        typer.echo(json.dumps({"id": key_id, "role": role, "bank": bank, "key": token}))
        typer.echo("store the key now: it cannot be shown again", err=True)

    @keys_app.command("list")
    def keys_list() -> None:
        """List keys (ids, roles, banks; never the secrets)."""
        from api.keys import list_keys
        from fraudgraph.db import open_driver
        from fraudgraph.settings import load_settings

        s = load_settings()
        with open_driver(s) as driver:
            for k in list_keys(driver, s.neo4j_database):
                typer.echo(json.dumps(k, default=str))

    @keys_app.command("revoke")
    def keys_revoke(key_id: str) -> None:
        """Revoke a key (effective in a running API within its key cache TTL)."""
        from api.keys import revoke_key
        from fraudgraph.db import open_driver
        from fraudgraph.settings import load_settings

        s = load_settings()
        with open_driver(s) as driver:
            if not revoke_key(driver, s.neo4j_database, key_id):
                raise typer.BadParameter(f"no key {key_id}")
        typer.echo(f"revoked {key_id}")

    audit_app = typer.Typer(no_args_is_help=True, help="The API's audit trail")
    app.add_typer(audit_app, name="audit")

    @audit_app.command("verify")
    def audit_verify() -> None:
        """Recompute the audit trail's hash chain; exit 1 when it was tampered with.
        Prints the head (sequence number and hash): note it outside fraudgraph, so that a
        rewrite of the whole chain shows too."""
        from api.audit import verify
        from fraudgraph.db import open_driver
        from fraudgraph.settings import load_settings

        s = load_settings()
        with open_driver(s) as driver:
            report = verify(driver, s.neo4j_database)
        typer.echo(json.dumps({"ok": report.ok, "events": report.events,
                               "head_seq": report.head_seq, "head_hash": report.head_hash,
                               "problems": report.problems}))
        if not report.ok:
            raise typer.Exit(1)
