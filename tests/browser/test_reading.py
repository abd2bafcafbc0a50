"""A reader's paths through both sites, clicked as a person would, with JavaScript on and off."""
from __future__ import annotations

import re

import pytest

from .conftest import open_tab

pytestmark = pytest.mark.browser
SEED_TITLE = "Mexico: We’ll Go to the U.N. to Defend ‘Human Rights’ of Mexicans in U.S."


@pytest.mark.parametrize("name", ["example", "corpus"])
def test_a_reader_clicks_from_home_to_topic_to_briefing_to_tag_to_archive(served, tab, name):
    from playwright.sync_api import expect

    site, page = served[name], tab.page
    page.goto(site.base + "/")
    page.get_by_role("navigation", name="Sections").get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/topics/[a-z0-9-]+/$"))
    topic = page.locator("h1").inner_text()
    expect(page.locator(".aside .intro")).not_to_be_empty()

    first = page.locator("#list-heading ~ .rows h3 a, #list-heading ~ .rows h4 a").first
    title = first.inner_text()
    first.click()
    expect(page).to_have_url(re.compile(r"/briefings/\d{4}/[a-z0-9-]+/$"))
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator(".article-head .kicker")).to_have_text(topic)

    tag = page.locator(".filed a[rel=tag]").first
    tag_name = tag.inner_text()
    tag.click()
    expect(page).to_have_url(re.compile(r"/tags/[a-z0-9-]+/$"))
    expect(page.locator("h1")).to_have_text(f"Tagged “{tag_name}”")
    expect(page.locator(".rows").get_by_role("link", name=title, exact=True)).to_have_count(1)

    page.locator("details.menu summary").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Archive").click()
    expect(page).to_have_url(site.base + "/archive/")
    expect(page.locator("main h2").first).to_have_text(re.compile(r"^\d{4}"))
    page.locator("main .calendar").first.locator("a").last.click()  # the newest month, on its year's page
    expect(page).to_have_url(re.compile(r"/archive/\d{4}/#m\d{1,2}$"))
    expect(page.locator("h1")).to_have_text(re.compile(r"^Archive: \d{4}$"))
    expect(page.locator("main h2").first).to_have_text(re.compile(r"^[A-Z][a-z]+ \d{4}"))
    expect(page.locator("main .archive a").first).to_have_attribute("href", re.compile(r"/briefings/\d{4}/[a-z0-9-]+/$"))
    assert tab.errors == []


def test_searching_from_the_header_box_finds_the_seed_briefing(served, tab):
    from playwright.sync_api import expect

    site, page = served["example"], tab.page
    page.goto(site.base + "/archive/")
    page.get_by_role("searchbox", name="Search briefings").fill("Videgaray")
    page.keyboard.press("Enter")
    expect(page).to_have_url(site.base + "/search/?q=Videgaray")
    result = page.locator(".search-result h2 a")
    expect(result).to_have_count(1, timeout=15_000)
    expect(result).to_have_text(SEED_TITLE)
    result.click()
    expect(page.locator("h1")).to_have_text(SEED_TITLE)
    assert tab.errors == []


def test_typing_into_the_search_page_finds_the_seed_briefing_and_only_briefings(served, tab):
    from playwright.sync_api import expect

    site, page = served["example"], tab.page
    page.goto(site.base + "/search/")
    page.get_by_label("Words to find").fill("Videgaray")
    expect(page.locator(".search-result h2 a")).to_have_text([SEED_TITLE], timeout=15_000)
    page.get_by_label("Words to find").fill("Briefing")  # in every page's masthead, but only articles are indexed
    expect(page.locator("#search-status")).to_have_text("No briefing matches “Briefing”.", timeout=15_000)
    expect(page.locator(".search-result")).to_have_count(0)
    assert tab.errors == []


def test_corpus_search_returns_briefings_from_the_generated_site(served, tab):
    from playwright.sync_api import expect

    site, page = served["corpus"], tab.page
    page.goto(site.base + site.urls["article"])
    title = page.locator("h1").inner_text()
    page.goto(site.base + "/search/?q=" + title.split()[0])
    expect(page.locator(".search-result h2 a").first).to_be_visible(timeout=15_000)
    hrefs = page.locator(".search-result h2 a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs and all(re.fullmatch(r"/briefings/\d{4}/[a-z0-9-]+/", h) for h in hrefs), hrefs
    assert tab.errors == []


def test_without_javascript_search_explains_itself_and_leads_to_the_archive(served, chromium):
    from playwright.sync_api import expect

    site = served["example"]
    opened = open_tab(chromium, java_script_enabled=False)
    page = opened.page
    try:
        page.goto(site.base + "/")
        page.get_by_role("searchbox", name="Search briefings").fill("Videgaray")
        page.keyboard.press("Enter")
        expect(page).to_have_url(site.base + "/search/?q=Videgaray")
        expect(page.get_by_text("needs JavaScript")).to_be_visible()
        page.locator("main").get_by_role("link", name="archive").click()
        expect(page).to_have_url(site.base + "/archive/")
        page.locator("main").get_by_role("link", name="2017", exact=True).click()
        expect(page.get_by_role("link", name=SEED_TITLE)).to_be_visible()
    finally:
        page.context.close()
