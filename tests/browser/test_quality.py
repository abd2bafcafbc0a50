"""Every kind of page, on both sites: no console errors, no sideways scroll on a phone, no axe violations, valid HTML."""
from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from .conftest import ARTIFACTS, ROOT, open_tab

pytestmark = pytest.mark.browser
SITES = ["example", "corpus"]
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => `${v.id} (${v.impact}): ${v.help}; ` +
    v.nodes.slice(0, 3).map(n => n.target.join(" ") + " → " + n.failureSummary.replace(/\\s+/g, " ")).join(" | "));
}"""


def kinds(site) -> list[tuple[str, str]]:
    """Every page kind, plus the search page showing results (what search.js adds to the page)."""
    return sorted(site.urls.items()) + [("search-results", "/search/?q=the")]


def visit(page, site, url: str) -> None:
    page.goto(site.base + url)
    if "?q=" in url:
        page.locator(".search-result").first.wait_for(timeout=15_000)


@pytest.mark.parametrize("name", SITES)
def test_no_page_kind_logs_console_errors_or_scrolls_sideways_at_390px(served, chromium, name):
    site = served[name]
    opened = open_tab(chromium, viewport={"width": 390, "height": 844}, device_scale_factor=1)
    failures = []
    for kind, url in kinds(site):
        opened.errors.clear()
        visit(opened.page, site, url)
        overflow = opened.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            failures.append(f"{kind} {url}: {overflow}px wider than the viewport")
        failures += [f"{kind} {url}: {error}" for error in opened.errors]
    opened.page.context.close()
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", SITES)
def test_axe_finds_no_violations_on_any_page_kind(served, chromium, axe_source, name, scheme):
    site = served[name]
    opened = open_tab(chromium, viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    failures = []
    for kind, url in kinds(site):
        visit(opened.page, site, url)
        opened.page.add_script_tag(content=axe_source)
        failures += [f"{kind} {url}: {v}" for v in opened.page.evaluate(AXE_RUN)]
    opened.page.context.close()
    assert not failures, "\n".join(failures)


def test_nu_html_checker_finds_no_errors_on_any_page_of_either_site(built_sites, vnu_jar):
    roots = [str(site.root) for site in built_sites.values()]
    done = subprocess.run(
        ["java", "-jar", str(vnu_jar), "--errors-only", "--format", "json", "--skip-non-html", *roots],
        capture_output=True, text=True, timeout=900,
    )
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    checked = sum(1 for site in built_sites.values() for _ in site.root.rglob("*.html"))
    assert checked > 600
    summary = [f"{m.get('url', '').split('/', 5)[-1]}:{m.get('lastLine', '?')}: {m.get('message')}" for m in messages]
    assert summary == [], f"{len(summary)} errors in {checked} pages"


@pytest.mark.parametrize("width", [390, 1280])
def test_screenshots_of_home_topic_and_article_are_saved(served, chromium, width):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    opened = open_tab(chromium, viewport={"width": width, "height": 900 if width > 390 else 844})
    saved = []
    for name in SITES:
        site = served[name]
        for kind in ("home", "topic", "article"):
            visit(opened.page, site, site.urls[kind])
            path = ARTIFACTS / f"{name}-{kind}-{width}.png"
            opened.page.screenshot(path=str(path), full_page=True)
            saved.append(path)
    opened.page.context.close()
    assert all(p.stat().st_size > 5_000 for p in saved)


LONG_URL = "https://www.bundesverfassungsgericht.de/SharedDocs/Pressemitteilungen/DE/2024/bvg24-017-urteil-zur-wahlrechtsreform.html"
LONG_TAG = "Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft"


def test_a_long_unbroken_url_or_tag_never_makes_a_phone_scroll_sideways(tmp_path, chromium):
    # Real briefings quote addresses and compound words wider than a phone: every page kind that shows them wraps them.
    from .conftest import _build, _serve

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "briefings" / "2026").mkdir(parents=True, exist_ok=True)
    (content / "briefings" / "2026" / "court-rules-on-the-voting-law.md").write_text(
        f'---\ntitle: "Court rules on the voting law"\nauthor: Ana Lima\ndate: 2026-05-02T09:00:00+02:00\n'
        f"tags:\n  - Immigration\n  - {LONG_TAG}\n---\n\nThe ruling, published at {LONG_URL}, keeps the reform in place.\n\n"
        "A second paragraph says what it means for the next election.\n", encoding="utf-8")
    site = _build("long-words", content, tmp_path / "site")
    server, base = _serve(site.root)
    opened = open_tab(chromium, viewport={"width": 375, "height": 812}, device_scale_factor=1)
    wide = []
    try:
        for url in ["/", "/topics/immigration/", "/tags/", "/briefings/2026/court-rules-on-the-voting-law/", "/archive/2026/"]:
            opened.page.goto(base + url)
            overflow = opened.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 0:
                wide.append(f"{url}: {overflow}px wider than the viewport")
    finally:
        opened.page.context.close()
        server.shutdown()
        server.server_close()
    assert not wide, "\n".join(wide)
