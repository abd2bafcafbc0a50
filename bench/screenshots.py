#!/usr/bin/env python3
"""Regenerate the README's screenshots (docs/screenshots/) from the current layouts, so they never go stale.

Usage:
  python bench/screenshots.py [--out docs/screenshots] [--browser /usr/bin/chromium]

Builds the example site (content/) and a generated 300-briefing collection (bench/gen_corpus.py) into a
temporary folder, serves each on 127.0.0.1, and shoots them with the system Chromium through Playwright
(`pip install -e '.[docs]'`; never `playwright install`): the generated front page and topic front on a desktop,
the seed article on a phone, and a generated article with its standfirst on a phone in the dark. Each PNG is
cut to 64 colours with Pillow, so the four weigh about as much as one full-colour shot. The same code and
layouts give the same pictures.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import io
import os
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing import pipeline  # noqa: E402

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)  # after every generated briefing
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--hide-scrollbars"]
COLOURS = 64


@dataclass(frozen=True)
class Shot:
    name: str  # the file in docs/screenshots/, without .png
    site: str  # "example" or "corpus"
    url: str  # a path, or "lead" for the corpus's newest briefing
    width: int
    height: int
    scheme: str = "light"


SHOTS = (
    Shot("home", "corpus", "/", 1440, 900),
    Shot("article", "example", "/briefings/2017/mexico-well-go-to-the-un-to-defend-human-rights-of-mexicans/", 390, 844),
    Shot("topic", "corpus", "/topics/economy/", 1440, 900, "dark"),
    Shot("standfirst", "corpus", "lead", 390, 844, "dark"),
)


def build(content: Path, output: Path) -> Path:
    options = pipeline.Options(content_dir=content, layouts_dir=ROOT / "layouts", output_dir=output, now=NOW, cache_dir=output.parent / f"{output.name}-cache", search=False)
    report = pipeline.build_site(options)
    if not report.ok:
        sys.exit("\n".join(str(p) for p in report.problems))
    return output


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def small_png(data: bytes) -> bytes:
    """A screenshot as a 64-colour PNG: text and flat colours survive, the file shrinks five- to tenfold."""
    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("RGB").quantize(COLOURS, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--browser", default=os.environ.get("BRIEFING_BROWSER") or "/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus-content"
        subprocess.run([sys.executable, str(ROOT / "bench" / "gen_corpus.py"), "--n", "300", "--out", str(corpus)], check=True)
        sites = {"example": build(ROOT / "content", Path(tmp) / "example"), "corpus": build(corpus, Path(tmp) / "corpus")}
        servers = {name: serve(root) for name, root in sites.items()}
        args.out.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.browser, headless=True, args=FLAGS)
            for shot in SHOTS:
                base = servers[shot.site][1]
                context = browser.new_context(viewport={"width": shot.width, "height": shot.height}, color_scheme=shot.scheme, device_scale_factor=1)
                page = context.new_page()
                url = shot.url
                if url == "lead":
                    page.goto(base + "/")
                    url = page.locator(".lead-headline a").get_attribute("href")
                page.goto(base + url)
                path = args.out / f"{shot.name}.png"
                path.write_bytes(small_png(page.screenshot()))
                print(f"{path} ({path.stat().st_size // 1024} KB): {shot.site} {url} at {shot.width} px, {shot.scheme}")
                context.close()
            browser.close()
        for server, _ in servers.values():
            server.shutdown()


if __name__ == "__main__":
    main()
