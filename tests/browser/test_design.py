"""The reading experience of issue 14, checked as a reader meets it: on the example site and the 300-briefing collection,
on a phone (390 px) and a desktop (1440 px), in the light and the dark scheme, and on paper."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.request import urlopen

import pytest

from briefing import render

from .conftest import open_tab

pytestmark = pytest.mark.browser
SITES = ["example", "corpus"]
WIDTHS = [390, 1440]
SCHEMES = ["light", "dark"]
LISTS = ["home", "topic", "tag", "author", "topic-page-2"]  # the pages whose rows carry topic labels
RAW_MARKDOWN = re.compile(r"\*\*?\w|\w\*|\]\(|\[[^\]]+\]\[|(?:^|\s)_\w[^_]*_(?:\s|$)|(?:^|\s)#+ |`")


def tab_for(chromium, width: int, scheme: str = "light", **options):
    return open_tab(chromium, viewport={"width": width, "height": 844 if width < 600 else 900}, color_scheme=scheme, **options)


def visit(opened, site, url: str) -> None:
    response = opened.page.goto(site.base + url)
    assert response is not None and response.ok, url


def luminance_contrast(page, selector_js: str) -> list[tuple[str, float]]:
    """Each matched element's text colour and its contrast with the page's background, measured in the browser."""
    colours = page.evaluate(f"""() => [...{selector_js}].map(e => [e.textContent.trim(), getComputedStyle(e).color])""")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    return [(text, render.contrast(_rgb(colour), _rgb(background))) for text, colour in colours]


def _rgb(css: str) -> tuple[float, float, float]:
    return tuple(float(v) for v in re.findall(r"[\d.]+", css)[:3])


# --- Summaries: Markdown shown as HTML, plain text wherever text is wanted -------------------------------------------


@pytest.mark.parametrize("name", SITES)
def test_no_list_meta_tag_or_feed_shows_a_summary_as_raw_markdown(served, chromium, name):
    site = served[name]
    opened = tab_for(chromium, 1440)
    found = []
    for kind in [*LISTS, "article"]:
        if kind not in site.urls:
            continue
        visit(opened, site, site.urls[kind])
        texts = opened.page.evaluate("""() => [
            ...[...document.querySelectorAll('.summary, .standfirst')].map(e => e.textContent),
            ...[...document.querySelectorAll('meta[name=description], meta[property="og:description"]')].map(m => m.content),
            ...[...document.querySelectorAll('script[type="application/ld+json"]')].map(s => JSON.parse(s.textContent).description || ''),
        ]""")
        found += [f"{kind}: {text!r}" for text in texts if RAW_MARKDOWN.search(text) or "<" in text]
    for feed in ["/feed.xml", *(f"{site.urls['topic']}feed.xml",)]:
        with urlopen(site.base + feed) as response:
            items = ET.fromstring(response.read()).iter("item")
        found += [f"{feed}: {d!r}" for item in items for d in [item.findtext("description") or ""] if RAW_MARKDOWN.search(d) or "<" in d]
    opened.page.context.close()
    assert found == []


def test_a_markdown_summary_is_html_in_lists_and_on_its_article_and_text_in_its_meta_and_feed(served, chromium):
    site = served["corpus"]
    opened = tab_for(chromium, 390)
    visit(opened, site, "/feed.xml")
    visit(opened, site, "/")
    # the newest briefing whose summary the generator wrote with emphasis or a link
    shown = opened.page.evaluate("() => [...document.querySelectorAll('.summary, .standfirst')].filter(e => e.querySelector('em, strong, a')).map(e => e.closest('li, article').querySelector('h2 a, h3 a, h4 a').getAttribute('href'))")
    if not shown:
        visit(opened, site, site.urls["topic"])
        shown = opened.page.evaluate("() => [...document.querySelectorAll('.summary')].filter(e => e.querySelector('em, strong, a')).map(e => e.closest('li').querySelector('h3 a, h4 a').getAttribute('href'))")
    assert shown, "no list showed a summary with Markdown: the generated collection should have some"
    visit(opened, site, shown[0])
    standfirst = opened.page.locator(".article-head .standfirst")
    assert standfirst.is_visible() and standfirst.locator("em, strong, a").count() >= 1
    text = standfirst.inner_text()
    description = opened.page.locator("meta[name=description]").get_attribute("content")
    assert " ".join(description.split()) == " ".join(text.split())
    opened.page.context.close()


# --- The masthead: topics as sections, the search box, the rest in a menu ---------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", SITES)
def test_the_masthead_has_every_topic_as_a_section_a_search_box_and_a_menu(served, chromium, name, width):
    site = served[name]
    opened = tab_for(chromium, width)
    visit(opened, site, site.urls["article"])
    page = opened.page
    titles = page.get_by_role("navigation", name="Sections").get_by_role("link").all_inner_texts()
    assert len(titles) >= 3 and titles == sorted(titles, key=str.lower)
    assert page.get_by_role("searchbox", name="Search briefings").is_visible()
    strip = page.evaluate("() => { const u = document.querySelector('.sections ul'); return [u.scrollWidth, u.clientWidth, document.documentElement.scrollWidth - document.documentElement.clientWidth]; }")
    assert strip[2] <= 0, "the page scrolls sideways"
    if name == "corpus" and width == 390:
        assert strip[0] > strip[1], "twelve topics fit a phone's width only as a strip that scrolls"
    menu = page.locator("details.menu")
    assert not menu.get_by_role("link", name="Tags").is_visible()
    menu.locator("summary").click()
    for link in ("Tags", "Archive", "Authors"):
        assert menu.get_by_role("link", name=link, exact=True).is_visible(), link
    menu.get_by_role("link", name="Tags", exact=True).click()
    page.wait_for_url("**/tags/")
    visit(opened, site, "/topics/")
    assert page.locator(".topic-grid h2").all_inner_texts() == titles  # every topic, in the same order
    opened.page.context.close()


def test_without_javascript_the_menu_opens_and_leads_on(served, chromium):
    site = served["corpus"]
    opened = tab_for(chromium, 390, java_script_enabled=False)
    visit(opened, site, "/")
    opened.page.locator("details.menu summary").click()
    opened.page.get_by_role("navigation", name="Main").get_by_role("link", name="Archive", exact=True).click()
    opened.page.wait_for_url("**/archive/")
    assert opened.page.locator("h1").inner_text() == "Archive"
    opened.page.context.close()


# --- Lists: a topic label on every row, in the topic's colour; the home page's lead ---------------------------------


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", SITES)
def test_every_list_row_carries_its_topic_label_in_a_colour_that_reads(served, chromium, name, width, scheme):
    site = served[name]
    opened = tab_for(chromium, width, scheme)
    missing, faint, colours, seen = [], [], set(), 0
    for kind in [k for k in (*LISTS, "article") if k in site.urls]:
        visit(opened, site, site.urls[kind])
        rows = opened.page.evaluate("""() => [...document.querySelectorAll('main .rows > li, .lead-story')].filter(li => !li.closest('.desk'))
            .map(li => [li.querySelector('h2, h3, h4').textContent, !!li.querySelector(':scope > .topic-label')])""")
        missing += [f"{kind}: {title}" for title, labelled in rows if not labelled]
        for text, ratio in luminance_contrast(opened.page, "document.querySelectorAll('main .topic-label')"):
            if ratio < 4.5:
                faint.append(f"{kind}: {text} {ratio:.2f}")
        colours |= set(opened.page.evaluate("() => [...document.querySelectorAll('.sections a')].map(a => getComputedStyle(a).color)"))
        seen += len(rows)
    opened.page.context.close()
    assert seen >= (4 if name == "example" else 60) and missing == [] and faint == []
    assert len(colours) == len(site_topics(served, name)), "each topic in the masthead has its own colour"


def site_topics(served, name) -> list[str]:
    with urlopen(served[name].base + "/feeds.opml") as response:
        return [o.get("xmlUrl") for o in ET.fromstring(response.read()).iter("outline") if "/topics/" in o.get("xmlUrl", "")]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", SITES)
def test_the_home_page_leads_with_the_newest_briefing_then_the_latest_by_topic(served, chromium, name, width):
    site = served[name]
    opened = tab_for(chromium, width)
    visit(opened, site, "/feed.xml")
    newest = opened.page.evaluate("() => document.querySelector('item > title').textContent")
    visit(opened, site, "/")
    page = opened.page
    lead = page.locator(".lead-story .lead-headline")
    assert lead.inner_text() == newest
    assert page.locator(".lead-story > .standfirst").inner_text().strip()
    lead_size = float(lead.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    other_sizes = page.evaluate("() => [...document.querySelectorAll('.rows h3, .rows h4')].map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert all(lead_size > 1.4 * s for s in other_sizes)
    desks = page.locator(".desk")
    assert desks.count() == len(site_topics(served, name))
    for i in range(desks.count()):
        rows = desks.nth(i).locator(".rows > li")
        assert 1 <= rows.count() <= 4
        dates = rows.locator("time").evaluate_all("ts => ts.map(t => t.getAttribute('datetime'))")
        assert dates == sorted(dates, reverse=True) or len(set(d[:10] for d in dates)) == 1
    if name == "corpus":
        first_desk = desks.first.bounding_box()["y"]
        assert first_desk < (2600 if width == 390 else 1500), f"the topics start {first_desk:.0f}px down"
    opened.page.context.close()


# --- Topic pages --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SITES)
def test_a_topic_page_has_a_compact_banner_on_a_phone_and_uses_the_width_of_a_desktop(served, chromium, name):
    site = served[name]
    phone = tab_for(chromium, 390)
    visit(phone, site, site.urls["topic"])
    banner = phone.page.locator(".hero").bounding_box()
    assert banner["height"] < 0.4 * 844, f"banner {banner['height']:.0f}px tall on a phone"
    assert phone.page.locator(".rows > li").first.bounding_box()["y"] < 844, "the first briefing is on the first screen"
    phone.page.context.close()
    desk = tab_for(chromium, 1440)
    visit(desk, site, site.urls["topic"])
    page = desk.page
    listing, aside = page.locator(".with-aside > section").bounding_box(), page.locator(".aside").bounding_box()
    assert aside["x"] >= listing["x"] + listing["width"], "the aside stands beside the list"
    headings = page.locator(".aside h2").all_inner_texts()
    assert any(h.startswith("TAGS") or h == "Tags" for h in headings) and any(h.upper() == "AUTHORS" for h in headings)
    if name == "corpus":
        assert any(h.upper() == "LATEST FROM OTHER TOPICS" for h in headings)
        others = page.locator(".aside .rows .topic-label").all_inner_texts()
        title = page.locator("h1").inner_text()
        assert others and title.upper() not in [o.upper() for o in others]
    desk.page.context.close()


def test_topics_without_an_accent_get_distinct_default_colours_that_read_in_both_schemes(served, chromium):
    site = served["corpus"]
    for scheme in SCHEMES:
        opened = tab_for(chromium, 1440, scheme)
        visit(opened, site, "/topics/")
        accents = opened.page.evaluate("() => [...document.querySelectorAll('.topic-grid > li')].map(li => getComputedStyle(li).borderTopColor)")
        assert len(set(accents)) == len(accents) == 12
        for text, ratio in luminance_contrast(opened.page, "document.querySelectorAll('.topic-grid h2 a')"):
            assert ratio >= 4.5, (scheme, text, ratio)  # against the page; axe checks them on the cards' tint
        opened.page.context.close()


# --- The article: standfirst, fresh time, related cards, older and newer --------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", SITES)
def test_the_article_shows_its_standfirst_and_related_cards_with_the_tags_they_share(served, chromium, name, width):
    site = served[name]
    opened = tab_for(chromium, width)
    visit(opened, site, site.urls["article"])
    page = opened.page
    tags = set(page.locator(".filed a[rel=tag]").all_inner_texts())
    written = page.locator(".article-head .standfirst")
    first = page.locator(".prose p").first.inner_text()
    if written.count():
        assert written.inner_text().strip() and written.inner_text().strip()[:60] != first[:60]
    else:  # a summary taken from the first paragraph is not shown twice
        assert name == "example"
    assert re.search(r"Published \d+ \w+ \d{4}( at \d\d:\d\d \w+)?", page.locator(".article-head .meta").inner_text())
    cards = page.locator(".related .cards > li")
    if name == "corpus":
        assert 3 <= cards.count() <= 5
    for i in range(cards.count()):
        card = cards.nth(i)
        shared = card.locator(".shared").inner_text().removeprefix("Also tagged ").split(", ")
        assert shared and set(shared) <= tags, shared
        assert card.locator(".topic-label").count() == 1 and card.locator("time").count() == 1
    if cards.count() >= 2:
        a, b = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
        side_by_side = abs(a["y"] - b["y"]) < 2
        assert side_by_side == (width == 1440)
    for rel, word in (("prev", "Older"), ("next", "Newer")):
        link = page.locator(f".sequence a[rel={rel}]")
        if link.count():
            assert re.match(rf"^(← )?{word} in .+ · \d+ \w+ \d{{4}}", link.locator(".label").inner_text(), re.I)
    opened.page.context.close()


# --- Indexes: tags by use, the archive's calendars, authors with profiles and feeds --------------------------------------


@pytest.mark.parametrize("name", SITES)
def test_the_tag_index_leads_with_the_most_used_tags_and_keeps_the_full_a_to_z(served, chromium, name):
    site = served[name]
    opened = tab_for(chromium, 1440)
    visit(opened, site, "/tags/")
    page = opened.page
    top = page.locator(".tag-cloud.top > li")
    counts = [int(c) for c in top.locator(".count").all_inner_texts()]
    assert counts == sorted(counts, reverse=True)
    if name == "corpus":
        assert len(counts) >= 10
        sizes = [float(s) for s in top.locator("a").evaluate_all("as => as.map(a => parseFloat(getComputedStyle(a).fontSize))")]
        assert sizes[0] > sizes[-1] and sizes == sorted(sizes, reverse=True)
        assert top.first.bounding_box()["y"] < page.locator("#all-tags").bounding_box()["y"]
    letters = page.locator("section h3[id^=letter-]").all_inner_texts()
    assert letters == sorted(letters, key=lambda letter: (letter != "0–9", letter)) and letters
    every = page.locator("section[aria-labelledby=all-tags] .tag-cloud > li")
    assert every.count() == int(re.match(r"\d+", page.locator("main .meta").first.inner_text()).group())
    opened.page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", SITES)
def test_each_archive_year_is_a_calendar_of_twelve_months_in_order_with_empty_ones_greyed(served, chromium, name, width):
    site = served[name]
    opened = tab_for(chromium, width)
    for url in ("/archive/", site.urls["archive-year"]):
        visit(opened, site, url)
        page = opened.page
        for calendar in page.locator(".calendar").all():
            months = calendar.locator(".month").all_inner_texts()
            assert months == ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
            empty = calendar.locator(".empty")
            assert empty.locator("a").count() == 0
            for i in range(empty.count()):
                assert empty.nth(i).locator(".count").inner_text() == "0"
            linked = calendar.locator("a")
            assert linked.count() + empty.count() == 12
            rows = {round(b["y"]) for b in (calendar.locator("li").nth(i).bounding_box() for i in range(12))}
            assert len(rows) == (4 if width == 390 else 2), "three months a row on a phone, six on a desktop"
    opened.page.context.close()


def test_an_author_with_a_profile_shows_it_and_every_author_has_a_feed_listed_in_the_opml(served, chromium):
    site = served["corpus"]
    with urlopen(site.base + "/feeds.opml") as response:
        feeds = [o.get("xmlUrl") for o in ET.fromstring(response.read()).iter("outline")]
    opened = tab_for(chromium, 390)
    visit(opened, site, "/authors/")
    page = opened.page
    authors = page.locator(".name-list > li").count()
    with_role = page.locator(".name-list .role").count()
    assert authors >= 30 and 6 <= with_role < authors
    link = page.locator(".name-list > li:has(.role) a").first
    link.click()
    assert page.locator(".profile .role").inner_text()
    assert page.locator(".profile .bio p").count() >= 1
    assert page.locator(".profile-links a[rel=me]").count() >= 1
    feed = page.locator("link[rel=alternate][href$='/feed.xml']").evaluate_all("ls => ls.map(l => l.href)")
    own = [f for f in feed if "/authors/" in f]
    assert len(own) == 1 and own[0].replace("http://", "https://").split("/authors/")[1] in [f.split("/authors/")[-1] for f in feeds if "/authors/" in f]
    rows = page.locator(".rows > li .meta").all_inner_texts()
    name = page.locator("h1").inner_text()
    assert rows and not any(name in row and "with" not in row for row in rows), "the author's name is not repeated on every row"
    with urlopen(site.base + "/authors/" + own[0].split("/authors/")[1]) as response:
        channel = ET.fromstring(response.read()).find("channel")
    assert channel.findtext("title").endswith(name) and len(channel.findall("item")) >= 1
    assert sum(1 for f in feeds if "/authors/" in f) == authors
    opened.page.context.close()


# --- Paper --------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SITES)
def test_printing_from_a_dark_system_prints_black_on_white_with_the_address_and_no_navigation(served, chromium, name):
    site = served[name]
    opened = tab_for(chromium, 1440, "dark")
    visit(opened, site, site.urls["article"])
    page = opened.page
    screen = page.evaluate("getComputedStyle(document.querySelector('.brand')).color")
    page.emulate_media(media="print", color_scheme="dark")
    colours = page.evaluate("""() => Object.fromEntries(['.brand', 'body', '.kicker a', '.byline', '.article-head .meta', '.prose p', '.label']
        .map(s => [s, document.querySelector(s)]).filter(([, e]) => e).map(([s, e]) => [s, getComputedStyle(e).color]))""")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert screen != "rgb(0, 0, 0)"
    assert background in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")
    for selector, colour in colours.items():
        assert render.contrast(_rgb(colour), (255, 255, 255)) >= 10, (selector, colour)
    for hidden in (".sections", ".menu", ".search-box", ".related", ".sequence", ".colophon"):
        if page.locator(hidden).count():
            assert not page.locator(hidden).first.is_visible(), hidden
    address = page.locator(".print-url")
    assert address.is_visible() and page.evaluate("document.querySelector('link[rel=canonical]').href") in address.inner_text()
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF") and len(pdf) > 5_000
    opened.page.context.close()
