"""The search page in Chromium over many small shards: search, filter by topic, sort by date; the same answers from an
index kept up to date edit by edit as from one built from scratch; and the page without an index or without JavaScript."""
from __future__ import annotations

import random
import re
import subprocess
import sys

import pytest

from briefing import pipeline, search
from test_incremental import Collection

from .conftest import NOW, ROOT, _serve, need, open_tab

pytestmark = pytest.mark.browser
QUERIES = ["budget", "tariff", "grid", "harbour", "pension levy", "wage", "quota", "review", "zzzz-nothing"]

# Every page of every result for each query, through Pagefind's own JS over the shards the manifest lists.
ALL_RESULTS = """async (queries) => {
  const shards = (await (await fetch("/pagefind/shards.json", {cache: "no-cache"})).json()).shards;
  const pagefind = await import(`/pagefind/${shards[0].key}/pagefind.js`);
  await pagefind.options({baseUrl: "/"});
  for (const s of shards.slice(1)) await pagefind.mergeIndex(`/pagefind/${s.key}/`);
  const answers = {};
  for (const q of queries) {
    const found = await pagefind.search(q);
    answers[q] = (await Promise.all(found.results.map(r => r.data()))).map(d => d.url).sort();
  }
  return answers;
}"""


def build(content, layouts, output, cache_dir, **options):
    report = pipeline.build_site(pipeline.Options(content_dir=content, layouts_dir=layouts, output_dir=output, now=NOW, cache_dir=cache_dir, **options))
    assert report.ok, [str(p) for p in report.errors]
    return report


# A briefing whose words are in no other: Pagefind falls back, in a shard without a term, to a prefix of it ("in").
RARE = """---
title: "Council Hears From Ogunjobi on Minecraft Servers"
author: "José Kowalski"
date: 2021-03-10T09:00:00+00:00
tags:
  - "Technology"
summary: "Schools ask for servers."
---

The committee heard from Adaeze Ogunjobi, who runs Minecraft servers for schools, about the installation of new network
equipment.
"""
RARE_URL = "/briefings/2021/ogunjobi-minecraft/"


@pytest.fixture(scope="module")
def sharded(tmp_path_factory):
    """200 generated briefings and one with rare words, in shards of at most 12, so a year spans several shards; served."""
    need(search.find_pagefind(), "Pagefind", "pip install -e . installs pagefind[bin]")
    tmp = tmp_path_factory.mktemp("sharded")
    subprocess.run([sys.executable, str(ROOT / "bench" / "gen_corpus.py"), "--n", "200", "--out", str(tmp / "content")], check=True, capture_output=True)
    (tmp / "content" / "briefings" / "2021" / "ogunjobi-minecraft.md").write_text(RARE, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "MAX_SHARD_PAGES", 12)
        build(tmp / "content", ROOT / "layouts", tmp / "site", tmp / "cache")
    server, base = _serve(tmp / "site")
    yield tmp / "site", base
    server.shutdown()
    server.server_close()


def result_dates(page) -> list[str]:
    return page.locator(".search-result time").evaluate_all("times => times.map(t => t.dateTime)")


def test_a_reader_searches_filters_by_topic_sorts_by_date_and_follows_a_result(sharded, chromium):
    from playwright.sync_api import expect

    site, base = sharded
    assert len(list((site / "pagefind").glob("*/pagefind-entry.json"))) > 15, "the fixture should spread the index over many shards"
    tab = open_tab(chromium, viewport={"width": 1280, "height": 900})
    page = tab.page
    page.goto(base + "/search/?q=budget")
    expect(page.locator("#search-status")).to_have_text(re.compile(r"^\d+ briefings match “budget”\.$"), timeout=15_000)
    total = int(page.locator("#search-status").inner_text().split()[0])
    expect(page.locator(".search-result")).to_have_count(min(10, total))

    page.get_by_label("Topic").select_option("Energy")
    expect(page.locator("#search-status")).to_have_text(re.compile(r"^\d+ briefings? match “budget” in Energy\.$"))
    in_topic = int(page.locator("#search-status").inner_text().split()[0])
    assert 1 < in_topic < total

    page.get_by_label("Order").select_option("newest")
    expect(page).to_have_url(base + "/search/?q=budget&topic=Energy&sort=newest")
    expect(page.locator("#search-status")).to_have_text(f"{in_topic} briefings match “budget” in Energy, newest first.")
    expect(page.locator(".search-result")).to_have_count(min(10, in_topic))
    while page.locator("#search-more").is_visible():  # every result, across every shard, newest first
        shown = page.locator(".search-result").count()
        page.locator("#search-more").click()
        expect(page.locator(".search-result")).not_to_have_count(shown)
    dates = result_dates(page)
    assert len(dates) == in_topic and dates == sorted(dates, reverse=True)

    first = page.locator(".search-result").first
    shown_date = first.locator("time").inner_text()
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", shown_date)
    href = first.locator("h2 a").get_attribute("href")
    assert re.fullmatch(r"/briefings/\d{4}/[a-z0-9-]+/", href)
    first.locator("h2 a").click()
    expect(page).to_have_url(base + href)
    expect(page.locator("article .meta time").first).to_have_text(shown_date)
    expect(page.locator('footer.filed a[href="/topics/energy/"]')).to_have_text("Energy")
    assert tab.errors == []
    page.context.close()


def test_results_show_date_and_topic_and_an_excerpt_of_the_body_with_marks_in_the_site_colours(sharded, chromium):
    site, base = sharded
    for scheme, colour in (("light", "rgb(255, 243, 176)"), ("dark", "rgb(92, 77, 10)")):
        tab = open_tab(chromium, viewport={"width": 1280, "height": 900}, color_scheme=scheme)
        page = tab.page
        page.goto(base + "/search/?q=budget")
        page.locator(".search-result").first.wait_for(timeout=15_000)
        for item in page.locator(".search-result").all():
            title = item.locator("h2").inner_text()
            excerpt = item.locator(".search-result-excerpt").inner_text()
            meta = item.locator(".search-result-meta").inner_text()
            assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4} · [A-Z][A-Za-z ]+", meta), meta
            assert not excerpt.lstrip("… ").startswith(title.rstrip(".")), "the excerpt starts after the title"
            assert not excerpt.startswith(meta.split(" · ")[1]), "the excerpt does not start with the topic label"
        marks = page.locator(".search-result mark")
        assert marks.count() >= 10 and {m.lower() for m in marks.all_inner_texts()} <= {"budget", "budgets"}
        assert marks.first.evaluate("m => getComputedStyle(m).backgroundColor") == colour
        assert tab.errors == []
        page.context.close()


def matches(page, base: str, query: str) -> int:
    """The number of briefings the search page says match the query."""
    from playwright.sync_api import expect

    page.goto(f"{base}/search/?{query}")
    status = page.locator("#search-status")
    expect(status).to_have_text(re.compile(r"^(\d+ briefings? match(es)?|No briefing matches) "), timeout=15_000)
    return int(status.inner_text().split()[0]) if status.inner_text()[0].isdigit() else 0


def one_index_counts(site, base: str, chromium, queries: list[str]) -> dict[str, int]:
    """What one Pagefind index over the whole site finds for each query, as the reference the shards must agree with."""
    subprocess.run([str(search.find_pagefind()), "--site", str(site), "--output-subdir", "one-index"], check=True, capture_output=True)
    tab = open_tab(chromium)
    tab.page.goto(base + "/404.html")
    counts = tab.page.evaluate("""async (queries) => {
      const pagefind = await import("/one-index/pagefind.js");
      await pagefind.options({baseUrl: "/"});
      const counts = {};
      for (const q of queries) counts[q] = (await pagefind.search(q)).results.length;
      return counts;
    }""", queries)
    tab.page.context.close()
    return counts


def test_a_word_in_one_briefing_finds_that_briefing_alone_in_either_order(sharded, chromium):
    from playwright.sync_api import expect

    site, base = sharded
    tab = open_tab(chromium, viewport={"width": 1280, "height": 900})
    page = tab.page
    for query in ("installation", "Ogunjobi", "Adaeze", "installations"):
        for sort in ("", "&sort=newest"):
            assert matches(page, base, f"q={query}{sort}") == 1, (query, sort)
            expect(page.locator("#search-status")).to_have_text(f"1 briefing matches “{query}”.")
            expect(page.locator(".search-result")).to_have_count(1)
            expect(page.locator(".search-result h2 a")).to_have_attribute("href", RARE_URL)
            assert {m.lower() for m in page.locator(".search-result mark").all_inner_texts()} <= {query.lower(), "installation"}
            assert page.locator(".search-result-excerpt mark").count() >= 1
    assert tab.errors == []
    page.context.close()


def test_the_shards_find_what_one_index_over_the_site_finds_stems_and_filters_included(sharded, chromium):
    """Stems shorter than the term ("installing" finds "installation"), a prefix typed so far, a word some pages match
    only in their topic (metadata), and two words of which one is in another briefing than the other."""
    site, base = sharded
    queries = ["installation", "installing", "harbours", "inquiries", "budg", "pension levies", "minecraft budget", "long-term", "economy"]
    expected = one_index_counts(site, base, chromium, queries)
    assert expected["installing"] == 1 and expected["harbours"] > 1 and expected["minecraft budget"] == 0
    tab = open_tab(chromium, viewport={"width": 1280, "height": 900})
    for query in queries:
        for sort in ("", "&sort=newest"):
            assert matches(tab.page, base, f"q={query}{sort}") == expected[query], (query, sort)
    in_energy = matches(tab.page, base, "q=harbours&topic=Energy")
    assert 0 < in_energy < expected["harbours"]
    assert matches(tab.page, base, "q=harbours&topic=Energy&sort=newest") == in_energy
    assert matches(tab.page, base, "q=installation&year=2020") == 0  # one index has the word, so no year falls back
    assert matches(tab.page, base, "q=installation&year=2021") == 1
    assert tab.errors == []
    tab.page.context.close()


def test_an_index_kept_up_to_date_edit_by_edit_answers_like_one_built_from_scratch(tmp_path, chromium, copy_layouts):
    need(search.find_pagefind(), "Pagefind", "pip install -e . installs pagefind[bin]")
    collection = Collection(tmp_path, random.Random(13), copy_layouts())
    site = tmp_path / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "MAX_SHARD_PAGES", 4)
        build(collection.content, collection.layouts, site, tmp_path / "cache")
        for _ in range(15):
            collection.step()
            build(collection.content, collection.layouts, site, tmp_path / "cache")
        build(collection.content, collection.layouts, tmp_path / "clean", tmp_path / "clean-cache", clean=True)
    answers = []
    for root in (site, tmp_path / "clean"):
        server, base = _serve(root)
        tab = open_tab(chromium)
        tab.page.goto(base + "/404.html")
        words = ["quarterly", "minister", "budget", "report", "court", "ruling", "water", "nothing-matches-this"]
        answers.append(tab.page.evaluate(ALL_RESULTS, words))
        assert tab.errors == []
        tab.page.context.close()
        server.shutdown()
        server.server_close()
    assert answers[0] == answers[1]
    assert sum(len(urls) for urls in answers[0].values()) > 0


def test_without_an_index_the_page_shows_what_was_asked_and_where_to_browse(tmp_path, chromium, monkeypatch):
    from playwright.sync_api import expect

    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-pagefind"))
    content = tmp_path / "content"
    subprocess.run([sys.executable, str(ROOT / "bench" / "gen_corpus.py"), "--n", "12", "--out", str(content)], check=True, capture_output=True)
    pipeline.build_site(pipeline.Options(content_dir=content, layouts_dir=ROOT / "layouts", output_dir=tmp_path / "site", now=NOW, cache_dir=tmp_path / "cache"))
    server, base = _serve(tmp_path / "site")
    tab = open_tab(chromium)
    page = tab.page
    try:
        page.goto(base + "/search/?q=harbour+levy")
        expect(page.locator("#search-unavailable")).to_be_visible(timeout=15_000)
        expect(page.locator("#search-asked")).to_have_text("harbour levy")
        expect(page.get_by_label("Words to find")).to_have_value("harbour levy")
        expect(page.locator("main").get_by_role("link", name="archive")).to_be_visible()
        page.get_by_role("searchbox", name="Search briefings").fill("tariff")  # the header box works here too
        page.keyboard.press("Enter")
        expect(page).to_have_url(base + "/search/?q=tariff")
        expect(page.locator("#search-asked")).to_have_text("tariff")
    finally:
        page.context.close()
        server.shutdown()
        server.server_close()
