"""The hostile site in a real browser: no vector opens a dialog or sets window.__xss, even when its elements are hovered and focused."""
from __future__ import annotations

import time

import pytest

from briefing import pipeline
from test_xss import NOW, VECTORS, write_hostile_content

from .conftest import ROOT, _serve

# Hover, focus and toggle every element, as a reader might, so that any surviving handler gets its chance to run.
PROVOKE = """() => {
  for (const el of document.querySelectorAll('*')) {
    for (const type of ['mouseover', 'mouseenter', 'focus', 'focusin', 'toggle', 'animationstart', 'load', 'error']) {
      el.dispatchEvent(new Event(type));
    }
  }
  const scripted = [...document.querySelectorAll('a[href], area[href], form[action], iframe, object, embed')]
    .filter(el => !String(el.className).startsWith('pagefind-ui'))  // the site's own search widget (action="javascript:void(0)")
    .filter(el => ['javascript:', 'data:', 'vbscript:'].includes(new URL(el.href || el.action || el.src || el.data || 'about:blank', location).protocol)
               || ['IFRAME', 'OBJECT', 'EMBED'].includes(el.tagName));
  return {xss: window.__xss === 1 || window.parent.__xss === 1, scripted: scripted.map(el => el.outerHTML.slice(0, 120))};
}"""


@pytest.fixture(scope="module")
def hostile_served(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("xss-browser")
    content = write_hostile_content(tmp / "content")
    report = pipeline.build_site(pipeline.Options(content_dir=content, layouts_dir=ROOT / "layouts", output_dir=tmp / "site", now=NOW))
    assert report.ok, "\n".join(map(str, report.errors))
    server, base = _serve(tmp / "site")
    yield tmp / "site", base
    server.shutdown()
    server.server_close()


def page_urls(site) -> list[str]:
    """Every article (each carries one vector in every field), every topic, the lists, and a sample of tag and author pages."""
    paths = sorted(p.relative_to(site).as_posix() for p in site.rglob("index.html"))
    keep = [p for p in paths if p.startswith("briefings/") or p.count("/") == 1]
    keep += [p for p in paths if p.startswith("topics/") and p.count("/") == 2]  # each topic's first page: its intro
    keep += [p for p in paths if p.startswith(("tags/", "authors/", "topics/"))][::9]
    return sorted(set(keep))


def test_no_vector_runs_in_chromium(chromium, hostile_served):
    site, base = hostile_served
    urls = page_urls(site)
    assert len(urls) > len(VECTORS)
    context = chromium.new_context(java_script_enabled=True)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.type} {dialog.message}"), dialog.dismiss()))
    ran, scripted = [], []
    started = time.perf_counter()
    try:
        for path in urls:
            page.goto(f"{base}/{path}", wait_until="load")
            page.wait_for_timeout(30)  # let deferred handlers and SVG animations fire
            result = page.evaluate(PROVOKE)
            if result["xss"]:
                ran.append(path)
            scripted += [f"{path}: {html}" for html in result["scripted"]]
    finally:
        context.close()
    print(f"{len(urls)} pages in {time.perf_counter() - started:.1f} s")
    assert dialogs == []
    assert ran == []
    assert scripted == []


def test_the_probe_sees_a_vector_that_runs(chromium, tmp_path):
    """The probe can fail: an unsanitised page with one vector is caught."""
    (tmp_path / "index.html").write_text(f"<!DOCTYPE html><title>t</title><p>{VECTORS[8]}</p><p><img src=x onerror=alert(1)></p>")
    server, base = _serve(tmp_path)
    context = chromium.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    try:
        page.goto(f"{base}/index.html", wait_until="load")
        page.wait_for_timeout(100)
        assert page.evaluate(PROVOKE)["xss"] is True
        assert dialogs and set(dialogs) == {"alert"}
    finally:
        context.close()
        server.shutdown()
        server.server_close()
