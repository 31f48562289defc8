"""Workbench fixtures: the world (once per module), the real API served by uvicorn on a
loopback port, and Debian's headless Chromium driven by Playwright (never a downloaded
browser). A missing Chromium or graph library is a test error with the fix in it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from neo4j import Driver
from playwright.sync_api import Browser, Page, sync_playwright

from api.app import create_app
from api.config import ApiConfig
from api.ui import VENDOR_FILE
from fraudgraph.pseudonym import Pseudonymiser
from fraudgraph.settings import REPO_ROOT, Settings
from tests.ui.server import LiveServer
from tests.ui.world import UiWorld, build_world

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
ARTIFACTS = REPO_ROOT / "var" / "ui-artifacts"


@dataclass
class Tab:
    """One browser page, with what it said on the console."""

    page: Page
    base: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def goto(self, path: str = "/ui/") -> None:
        self.page.goto(self.base + path)

    def sign_in(self, key: str) -> None:
        self.goto()
        self.page.fill("#signin-key", key)
        self.page.press("#signin-key", "Enter")
        self.page.wait_for_selector("#who:not([hidden])")

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def status(self) -> str:
        return self.page.inner_text("#status")


def launch_chromium(pw: object) -> Browser:
    if shutil.which("chromium") is None and not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} not found: run `make browser` (Debian's chromium)")
    browser: Browser = pw.chromium.launch(  # type: ignore[attr-defined]
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    return browser


@pytest.fixture(scope="module")
def ui_world(neo4j_driver: Driver, settings: Settings, pseudo: Pseudonymiser,
             tmp_path_factory: pytest.TempPathFactory) -> UiWorld:
    return build_world(neo4j_driver, settings.neo4j_database, pseudo,
                       tmp_path_factory.mktemp("uiworld"))


@pytest.fixture(scope="module")
def live(ui_world: UiWorld, settings: Settings,
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    if not VENDOR_FILE.is_file():
        raise RuntimeError(f"{VENDOR_FILE} missing: run `make ui`")
    app = create_app(settings, config=ApiConfig(audit_dir=tmp_path_factory.mktemp("audit")),
                     engine=ui_world.engine)
    with LiveServer(app) as srv:
        yield srv


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        b = launch_chromium(pw)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def tab(browser: Browser, live: LiveServer) -> Iterator[Tab]:
    """A fresh browser context (so a fresh sessionStorage) per test."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    t = Tab(page, live.url)

    def on_console(msg: object) -> None:
        kind, text = msg.type, msg.text  # type: ignore[attr-defined]
        if kind == "error":
            t.errors.append(text)
        elif kind == "warning":
            t.warnings.append(text)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: t.errors.append(f"uncaught: {exc}"))
    try:
        yield t
    finally:
        context.close()
