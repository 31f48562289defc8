"""The investigator workbench: static files under /ui (api/static/ui, built by `make ui`)
and one small helper route, /ui/whoami, so the page can hide what the key's role may not
do. The page talks to the ordinary /v1 endpoints with the key the investigator typed;
the API enforces every permission whatever the page shows."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from api.auth import PERMISSIONS, require
from api.deps import PrincipalDep

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static" / "ui"
VENDOR_FILE = STATIC_DIR / "vendor" / "cytoscape.min.js"
# Everything comes from this origin; no inline script and no <style> element. Cytoscape
# sets one style attribute on its canvas container, hence style-src-attr.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; "
       "style-src-attr 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
       "form-action 'self'")
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-cache",
}


class _UiFiles(StaticFiles):
    """StaticFiles plus the security headers on every response."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        for k, v in HEADERS.items():
            response.headers[k] = v
        return response


def permissions_of(role: str) -> list[str]:
    """The permissions a role holds (the page shows only what these allow)."""
    return sorted(p for p, roles in PERMISSIONS.items() if role in roles)


def mount_ui(app: FastAPI, static_dir: Path | None = None) -> None:
    """Serve the workbench at /ui. Call after the API's routers (a mount matches every
    path below it, so /ui/whoami must be registered first)."""
    directory = static_dir or STATIC_DIR

    async def whoami(principal: PrincipalDep) -> dict[str, Any]:
        return {"key_id": principal.key_id, "role": principal.role, "bank": principal.bank,
                "permissions": permissions_of(principal.role)}

    app.add_api_route("/ui/whoami", whoami, methods=["GET"], include_in_schema=False,
                      dependencies=[Depends(require("ready"))])
    if not (directory / "vendor" / VENDOR_FILE.name).is_file():
        # The page still loads and says so; the API is unaffected.
        log.warning("workbench graph library missing (%s): run `make ui`",
                    directory / "vendor" / VENDOR_FILE.name)
    app.mount("/ui", _UiFiles(directory=directory, html=True, check_dir=False), name="ui")
