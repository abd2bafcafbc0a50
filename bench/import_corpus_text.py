"""Add a page to tests/import-corpus: strip a saved page to its size, or make a plain-text file the way a maintainer scrapes one.

    python bench/import_corpus_text.py show PAGE.html                 # the page's whole innerText, to read answers from
    python bench/import_corpus_text.py strip PAGE.html OUT.html       # script, style and svg bodies and long data: URIs emptied
    python bench/import_corpus_text.py make PAGE.html OUT.txt --title T --first S

`strip` keeps every tag, every metadata tag and the JSON-LD: only the bodies of other <script>, <style>
and <svg> elements and data: URIs longer than 200 characters go, so the corpus stays small.

`make` loads the page in headless Chromium with JavaScript off and no network, finds the smallest shown element
whose innerText holds the headline T and, below it, the article's first sentence S, and writes that element's
innerText, starting two lines above the headline when the element starts higher (a scraper that starts
at the headline block). Every junk line the browser shows is kept. Needs Playwright and a Chromium
(BRIEFING_BROWSER, else /usr/bin/chromium).
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

SMALLEST = """([title, first]) => {
  const norm = s => s.replace(/[\\u2018\\u2019]/g, "'").replace(/[\\u201c\\u201d]/g, '"').replace(/\\s+/g, ' ').toLowerCase();
  const t = norm(title).slice(0, 40), f = norm(first).slice(0, 40);
  let best = document.body;
  for (const el of document.body.querySelectorAll('*')) {
    if (!el.checkVisibility()) continue;  // a hidden share form or menu may repeat the headline and standfirst
    const text = norm(el.innerText || '');
    const at = text.indexOf(t);  // the headline above the story, not a "related" link below it
    if (at >= 0 && text.indexOf(f, at) > at && text.length < norm(best.innerText).length) best = el;
  }
  return best.innerText;
}"""


STRIPPED = re.compile(rb"(<(script|style|svg)\b[^>]*>)(.*?)(</\2\s*>)", re.I | re.S)


def strip_page(page: bytes) -> bytes:
    """The page without script (JSON-LD aside), style and svg bodies, nor long data: URIs; its bytes otherwise untouched."""
    def empty(match: re.Match) -> bytes:
        opening = match.group(1)
        keep = match.group(2).lower() == b"script" and b"ld+json" in opening.lower()
        return match.group(0) if keep else opening + match.group(4)
    page = STRIPPED.sub(empty, page)
    return re.sub(rb"data:[^\s\"')]{200,}", b"data:,", page)


def inner_text(page_path: Path, title: str = "", first: str = "") -> str:
    from playwright.sync_api import sync_playwright

    browser_path = os.environ.get("BRIEFING_BROWSER", "/usr/bin/chromium")
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=browser_path)
        context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 1000})
        page = context.new_page()
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
        page.goto(page_path.resolve().as_uri(), wait_until="domcontentloaded")
        text = page.evaluate(SMALLEST, [title, first]) if title else page.evaluate("() => document.body.innerText")
        browser.close()
    return text


def from_headline(text: str, title: str) -> str:
    """Start two lines above the headline, as a scraper that starts at the headline block would."""
    lines = text.split("\n")
    key = " ".join(title.split()).casefold()[:40]
    at = next((i for i, line in enumerate(lines) if key and key in " ".join(line.split()).casefold().replace("’", "'")
               or key in " ".join(line.split()).casefold()), None)
    if at is None:
        return text
    seen = 0
    start = at
    while start > 0 and seen < 2:
        start -= 1
        if lines[start].strip():
            seen += 1
    return "\n".join(lines[start:])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    show = sub.add_parser("show")
    show.add_argument("page", type=Path)
    strip = sub.add_parser("strip")
    strip.add_argument("page", type=Path)
    strip.add_argument("out", type=Path)
    make = sub.add_parser("make")
    make.add_argument("page", type=Path)
    make.add_argument("out", type=Path)
    make.add_argument("--title", required=True)
    make.add_argument("--first", required=True)
    args = parser.parse_args()
    if args.command == "show":
        print(inner_text(args.page))
        return 0
    if args.command == "strip":
        args.out.write_bytes(strip_page(args.page.read_bytes()))
        return 0
    text = from_headline(inner_text(args.page, args.title, args.first), args.title)
    args.out.write_text(text.strip("\n") + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
