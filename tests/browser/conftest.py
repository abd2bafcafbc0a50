"""Browser-test fixtures: the example site and a generated 300-briefing site, built into tmp, served on 127.0.0.1.

Under CI (CI=true) a missing browser, axe-core or vnu.jar fails the run; elsewhere it skips with the reason.
"""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest

from briefing import pipeline, routes, state as states

ROOT = Path(__file__).resolve().parents[2]
# The browser's executable: Debian's Chromium here; CI names the Google Chrome its runner ships (check.yml).
BROWSER_VARIABLE = "BRIEFING_BROWSER"
CHROMIUM = Path(os.environ.get(BROWSER_VARIABLE) or "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ARTIFACTS = ROOT / "tests" / "artifacts"
NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)  # after every generated briefing, so none is held back


def need(ok: object, what: str, fix: str) -> None:
    """Skip outside CI; fail under CI, where a missing tool must never pass as a green run."""
    if ok:
        return
    message = f"{what} is missing ({fix})"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@dataclass(frozen=True)
class Built:
    """A built site on disk and one URL for each kind of HTML page it has."""

    name: str
    root: Path
    urls: dict[str, str]  # page kind -> a URL path of that kind
    base: str = ""  # http://127.0.0.1:port, once served


def _build(name: str, content: Path, output: Path) -> Built:
    options = pipeline.Options(content_dir=content, layouts_dir=ROOT / "layouts", output_dir=output, now=NOW, cache_dir=output.parent / f"{name}-cache")
    report = pipeline.build_site(options)
    assert report.ok, "\n".join(str(p) for p in report.problems)
    assert not report.warnings, "\n".join(str(p) for p in report.warnings)
    collection = pipeline.gather(options, states.State())
    urls: dict[str, str] = {}
    for page in routes.plan(pipeline.outline(collection)):
        if page.template.endswith(".html") and page.kind != "redirect":
            urls.setdefault(page.kind, page.url)
            if page.kind in ("topic", "tag", "author") and page.url.endswith("/page/2/"):
                urls.setdefault(f"{page.kind}-page-2", page.url)
    return Built(name, output, urls)


def _serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:  # keep test output readable
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="session")
def built_sites(tmp_path_factory) -> dict[str, Built]:
    """Both sites, built once per session: 'example' from the repo's content/, 'corpus' of 300 generated briefings."""
    need(_pagefind_available(), "Pagefind", "pip install -e . installs pagefind[bin]")
    tmp = tmp_path_factory.mktemp("sites")
    corpus = tmp / "corpus-content"
    subprocess.run([sys.executable, str(ROOT / "bench" / "gen_corpus.py"), "--n", "300", "--out", str(corpus)], check=True, capture_output=True)
    return {
        "example": _build("example", ROOT / "content", tmp / "example"),
        "corpus": _build("corpus", corpus, tmp / "corpus"),
    }


def _pagefind_available() -> bool:
    from briefing.search import find_pagefind

    return find_pagefind() is not None


@pytest.fixture(scope="session")
def served(built_sites) -> dict[str, Built]:
    servers, result = [], {}
    for name, site in built_sites.items():
        server, base = _serve(site.root)
        servers.append(server)
        result[name] = Built(site.name, site.root, site.urls, base)
    yield result
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def chromium():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "Playwright for Python", "pip install -e '.[test]'")
    need(CHROMIUM.is_file(), f"a Chromium-based browser at {CHROMIUM}", f"apt-get install -y chromium, or set {BROWSER_VARIABLE} to a Chrome or Chromium executable")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass(frozen=True)
class Tab:
    """A browser page, and every console error or uncaught exception it has shown so far."""

    page: object
    errors: list[str]


def open_tab(browser, **context_options) -> Tab:
    page = browser.new_context(**context_options).new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(f"console.error: {msg.text} {msg.location.get('url', '')}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    return Tab(page, errors)


@pytest.fixture
def tab(chromium):
    """A fresh desktop-sized page in its own context (no cookies or cache shared between tests)."""
    opened = open_tab(chromium, viewport={"width": 1280, "height": 900})
    yield opened
    opened.page.context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    need(AXE.is_file(), f"axe-core at {AXE.relative_to(ROOT)}", "run npm ci")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def vnu_jar() -> Path:
    need(VNU.is_file(), f"vnu.jar at {VNU.relative_to(ROOT)}", "run npm ci")
    need(shutil.which("java"), "Java (for the Nu HTML Checker)", "apt-get install -y default-jre-headless")
    return VNU
