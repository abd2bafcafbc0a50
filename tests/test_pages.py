"""What the reader-facing pages carry, read from a real build: metadata, JSON-LD, related and sequence links, indexes, weight."""
from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest

from briefing import pipeline, render, routes
from briefing.model import Place, Topic
from conftest import LAYOUTS, NOW, ROOT, briefing_text, run_cli

TOPIC = "---\ntitle: Trade\nsummary: Tariffs and the deals behind them.\ntags: [tariffs]\naccent: \"#fde047\"\n---\n\nWho pays, and who is *protected*.\n"
LONG_BODY = "\n\n".join(["## What happened"] + ["The ministry said the tariff schedule would change again before the summer, and exporters asked for time. " * 9] * 8)


class Head(HTMLParser):
    """Collects what tests ask of a page: meta tags, links, script bodies, headings in order."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.meta: list[dict] = []
        self.links: list[dict] = []
        self.scripts: list[tuple[dict, str]] = []
        self.headings: list[int] = []
        self.title = ""
        self._in: str | None = None
        self._attrs: dict = {}
        self._text = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            self.meta.append(attrs)
        elif tag in ("link", "a"):
            self.links.append({"tag": tag, **attrs})
        elif tag in ("script", "title"):
            self._in, self._attrs, self._text = tag, attrs, ""
        elif re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))

    def handle_data(self, data):
        if self._in:
            self._text += data

    def handle_endtag(self, tag):
        if tag == self._in == "script":
            self.scripts.append((self._attrs, self._text))
        elif tag == self._in == "title":
            self.title = self._text
        if tag == self._in:
            self._in = None

    def content(self, key: str) -> list[str]:
        return [m.get("content") for m in self.meta if key in (m.get("name"), m.get("property"))]


def build(make_content, tmp_path, files: dict) -> Path:
    content = make_content(files)
    report = pipeline.build_site(pipeline.Options(content_dir=content, layouts_dir=LAYOUTS, output_dir=tmp_path / "site", now=NOW, cache_dir=tmp_path / "cache"))
    assert report.ok, report.problems
    return tmp_path / "site"


@pytest.fixture
def site(make_content, tmp_path) -> Path:
    """Six briefings on tariffs: one long and pictured, rare and common tags to rank related ones by."""
    files = {
        "topics/trade.md": TOPIC,
        "briefings/2020/long.md": briefing_text(
            "Tariffs </script><script>alert(1)</script> & rise", author="Ana Ruiz", date="2020-03-05", tags=("tariffs", "steel", "ports", "Économie"),
            body=LONG_BODY, updated="2020-03-07", image="\n  src: /static/port.jpg\n  alt: Cranes at the port\n  caption: The port at dawn\n  credit: A. Photographer",
            source="\n  name: The Ledger\n  url: https://ledger.example/tariffs\n  published: 2020-03-04",
        ),
        "briefings/2020/steel-ports.md": briefing_text("Steel and ports", date="2020-03-01", tags=("tariffs", "steel", "ports")),
        "briefings/2020/steel.md": briefing_text("Steel only", date="2020-02-20", tags=("tariffs", "steel")),
        "briefings/2020/plain.md": briefing_text("Tariffs only", date="2020-02-10", tags=("tariffs",)),
        "briefings/2019/older.md": briefing_text("An older one", date="2019-12-01", tags=("tariffs", "2020 election")),
        "briefings/2020/newest.md": briefing_text("The newest", date="2020-04-01", tags=("tariffs",)),
    }
    return build(make_content, tmp_path, files)


ARTICLE = "briefings/2020/long/index.html"


def page(site: Path, rel: str) -> Head:
    return Head((site / rel).read_text(encoding="utf-8"))


def test_article_head_carries_title_description_canonical_open_graph_and_twitter_card(site):
    head = page(site, ARTICLE)
    assert head.title == "Tariffs </script><script>alert(1)</script> & rise · Test Briefings"
    assert head.content("description")[0].startswith("The ministry said the tariff schedule")
    assert [l["href"] for l in head.links if l.get("rel") == "canonical"] == ["https://example.org/" + ARTICLE.removesuffix("index.html")]
    assert head.content("og:type") == ["article"]
    assert head.content("article:published_time") == ["2020-03-05T00:00:00-05:00"]
    assert head.content("article:modified_time") == ["2020-03-07T00:00:00-05:00"]
    assert head.content("article:author") == ["https://example.org/authors/ana-ruiz/"]
    assert head.content("article:tag") == ["tariffs", "steel", "ports", "Économie"]
    assert head.content("og:image") == ["https://example.org/static/port.jpg"]
    assert head.content("twitter:card") == ["summary_large_image"]


def test_json_ld_is_a_news_article_and_a_script_tag_in_the_title_cannot_break_out(site):
    html = (site / ARTICLE).read_text(encoding="utf-8")
    head = Head(html)
    ld = [text for attrs, text in head.scripts if attrs.get("type") == "application/ld+json"]
    assert len(ld) == 1 and "</script>" not in ld[0] and "<" not in ld[0] and "&" not in ld[0]
    data = json.loads(ld[0])
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Tariffs </script><script>alert(1)</script> & rise"
    assert (data["datePublished"], data["dateModified"]) == ("2020-03-05T00:00:00-05:00", "2020-03-07T00:00:00-05:00")
    assert data["author"] == [{"@type": "Person", "name": "Ana Ruiz", "url": "https://example.org/authors/ana-ruiz/"}]
    assert data["publisher"]["name"] == "Test Briefings"
    assert data["keywords"] == ["tariffs", "steel", "ports", "Économie"]
    assert data["mainEntityOfPage"]["@id"] == "https://example.org/briefings/2020/long/"
    assert [attrs.get("type") for attrs, _ in head.scripts] == ["application/ld+json"]  # no executable script on an article


def test_json_script_escapes_every_character_that_could_end_a_script_element():
    text = render.json_script({"t": "</script><!-- & -->"})
    assert text == '{"t":"\\u003c/script\\u003e\\u003c!-- \\u0026 --\\u003e"}'
    assert json.loads(text) == {"t": "</script><!-- & -->"}


def test_article_shows_byline_dates_source_figure_and_files_it_under_topic_and_tags(site):
    html = (site / ARTICLE).read_text(encoding="utf-8")
    assert '<a href="/authors/ana-ruiz/">Ana Ruiz</a>' in html
    assert 'Published <time datetime="2020-03-05T00:00:00-05:00" data-pagefind-meta="day">5 March 2020</time>' in html
    assert 'Updated <time datetime="2020-03-07T00:00:00-05:00">7 March 2020</time>' in html
    assert re.search(r"· \d+ min read", html)
    assert '<img src="/static/port.jpg" alt="Cranes at the port">' in html
    assert '<figcaption>The port at dawn <span class="credit" data-pagefind-ignore>Photo: A. Photographer</span></figcaption>' in html  # a credit is no text to search or excerpt
    assert '<a href="https://ledger.example/tariffs">The Ledger</a> on <time datetime="2020-03-04T00:00:00-05:00">4 March 2020</time>' in html
    assert '<p class="kicker" data-pagefind-ignore><a href="/topics/trade/" data-pagefind-meta="topic">Trade</a></p>' in html
    assert '<a class="chip" href="/tags/economie/" rel="tag">Économie</a>' in html
    assert "data-pagefind-body" in html


def test_related_briefings_rank_rarer_shared_tags_first_and_name_the_tags_they_share(site):
    html = (site / ARTICLE).read_text(encoding="utf-8")
    related = re.search(r'<section class="related".*?</section>', html, re.S).group(0)
    titles = re.findall(r'<h3><a href="[^"]+">([^<]+)</a>', related)
    assert titles[:2] == ["Steel and ports", "Steel only"]  # ports and steel are rarer than tariffs
    assert 3 <= len(titles) <= 5
    shared = re.findall(r'<p class="shared">Also tagged (.*?)</p>', related)
    assert shared[:2] == ["ports, steel, tariffs", "steel, tariffs"]  # rarest first
    assert related.count('<a class="topic-label" href="/topics/trade/"') == len(titles)


def test_previous_and_next_stay_within_the_first_topic_and_say_older_and_newer_with_dates(site):
    head = page(site, ARTICLE)
    sequence = {l["rel"]: l["href"] for l in head.links if l["tag"] == "a" and l.get("rel") in ("prev", "next")}
    assert sequence == {"prev": "/briefings/2020/steel-ports/", "next": "/briefings/2020/newest/"}
    html = (site / ARTICLE).read_text(encoding="utf-8")
    assert '<span class="label">← Older in Trade · <time datetime="2020-03-01T00:00:00-05:00">1 March 2020</time></span> Steel and ports</a>' in html
    assert '<span class="label">Newer in Trade · <time datetime="2020-04-01T00:00:00-04:00">1 April 2020</time> →</span> The newest</a>' in html


def test_every_html_page_has_its_own_title_a_description_a_canonical_url_and_headings_in_order(site):
    titles = {}
    for path in sorted(site.rglob("*.html")):
        head = page(site, path.relative_to(site).as_posix())
        assert head.title and head.content("description") != [""], path
        assert [l for l in head.links if l.get("rel") == "canonical"], path
        assert head.headings.count(1) == 1 and head.headings[0] == 1, (path, head.headings)
        assert all(b <= a + 1 for a, b in zip(head.headings, head.headings[1:])), (path, head.headings)
        titles.setdefault(head.title, path)
        assert titles[head.title] == path, f"{path} repeats the title of {titles[head.title]}"


def test_paginated_lists_link_neighbours_with_rel_prev_and_next(site):
    first, second = page(site, "tags/tariffs/index.html"), page(site, "tags/tariffs/page/2/index.html")
    assert [l["href"] for l in first.links if l["tag"] == "link" and l.get("rel") == "next"] == ["/tags/tariffs/page/2/"]
    assert [l["href"] for l in second.links if l["tag"] == "a" and l.get("rel") == "prev"] == ["/tags/tariffs/"]
    assert second.title == "Tagged tariffs (page 2) · Test Briefings"


def test_tag_index_leads_with_the_most_used_tags_sized_by_use(site):
    html = (site / "tags/index.html").read_text(encoding="utf-8")
    top = re.search(r'<ol class="tag-cloud top">(.*?)</ol>', html, re.S).group(1)
    assert re.findall(r'<li class="s(\d)"><a href="/tags/([^/]+)/">[^<]+</a> <span class="count">(\d+)</span>', top) == [("4", "tariffs", "6"), ("3", "steel", "3"), ("3", "ports", "2")]
    assert html.index("Most used") < html.index("Every tag, A–Z")


def test_tag_index_groups_tags_a_to_z_with_counts_and_digits_first(site):
    html = (site / "tags/index.html").read_text(encoding="utf-8")
    letters = re.findall(r'<h3 id="(letter-[a-z0-9-]+)">([^<]+)</h3>', html)
    assert letters == [("letter-0-9", "0–9"), ("letter-e", "E"), ("letter-p", "P"), ("letter-s", "S"), ("letter-t", "T")]
    assert '<a href="/tags/tariffs/">tariffs</a> <span class="count">6</span>' in html
    assert '<a href="#letter-e">E</a>' in html


def test_archive_lists_years_newest_first_each_a_calendar_of_twelve_months_with_empty_ones_greyed(site):
    html = (site / "archive/index.html").read_text(encoding="utf-8")
    assert re.findall(r'<h2 id="y(\d+)"><a href="/archive/(\d+)/">', html) == [("2020", "2020"), ("2019", "2019")]
    year = html.split('id="y2020"')[1].split("</section>")[0]
    months = re.findall(r'<li( class="empty")?>(?:<a href="/archive/2020/#m(\d+)">)?<span class="month">(\w+)</span> <span class="count">(\d+)</span>', year)
    assert [(name, count, bool(empty)) for empty, _, name, count in months][:5] == [("January", "0", True), ("February", "2", False), ("March", "2", False), ("April", "1", False), ("May", "0", True)]
    assert len(months) == 12 and [m for _, m, _, _ in months if m] == ["2", "3", "4"]
    year = (site / "archive/2020/index.html").read_text(encoding="utf-8")
    assert re.findall(r"<h([12])[^>]*>([^<]+)", year) == [("1", "Archive: 2020"), ("2", "April 2020 "), ("2", "March 2020 "), ("2", "February 2020 ")]
    assert '<a href="/archive/2019/" rel="next">2019 →</a>' in year and 'rel="prev"' not in year.split("<main")[1]
    assert '<a href="/archive/2020/" rel="prev">← 2020</a>' in (site / "archive/2019/index.html").read_text(encoding="utf-8")


def stylesheets(site: Path, rel: str) -> int:
    """The bytes of every stylesheet a page links."""
    return sum((site / l["href"].lstrip("/")).stat().st_size for l in page(site, rel).links if l.get("rel") == "stylesheet")


def test_an_article_page_and_its_css_weigh_under_30_kb(site):
    css = stylesheets(site, ARTICLE)
    assert css >= (LAYOUTS / "static" / "style.css").stat().st_size
    article = (site / ARTICLE).stat().st_size
    assert article > 8_000, "the test briefing should be a long one"
    assert article + css < 30_000, f"article {article} B + css {css} B"


def test_the_search_index_covers_briefings_only(site):
    entries = [json.loads(path.read_text()) for path in (site / "pagefind").glob("*/pagefind-entry.json")]
    assert sum(language["page_count"] for entry in entries for language in entry["languages"].values()) == 6
    search = (site / "search/index.html").read_text(encoding="utf-8")
    assert '<script type="module" src="/static/search.js"></script>' in search and 'name="robots"' not in search
    assert '<form class="search-box" role="search" action="/search/" method="get">' in (site / "index.html").read_text(encoding="utf-8")


def test_without_pagefind_the_build_succeeds_and_warns(make_content, tmp_path):
    content = make_content({"briefings/2020/a.md": briefing_text()})
    env = {"PATH": "/usr/bin:/bin", "PAGEFIND_BINARY_PATH": str(tmp_path / "no-such-pagefind")}
    done = run_cli("build", "--content", str(content), "--layouts", str(LAYOUTS), "--output", str(tmp_path / "out"), "-v", cwd=tmp_path, env=env)  # cwd: the build state lands in tmp, not the repo
    assert done.returncode == 0, done.stderr
    assert "warning: Pagefind is not installed, so the site has no search index (pip install 'pagefind[bin]')" in done.stderr
    assert (tmp_path / "out/index.html").is_file() and not (tmp_path / "out/pagefind").exists()


@pytest.mark.parametrize("accent", ["#fde047", "#1d4ed8", "#000", "#ffffff", "rgb(4, 120, 87)", "#9a341280"])
def test_topic_accent_text_and_tints_pass_wcag_aa_in_both_schemes(accent):
    css = (LAYOUTS / "static" / "style.css").read_text(encoding="utf-8")
    light, dark = (dict(re.findall(r"--(text|muted|link): (#[0-9a-f]{6})", block.split("}")[0])) for block in css.split("@media (prefers-color-scheme: dark)")[:2])
    assert f"--bg: {render.BACKGROUNDS['light']}" in css and f"--bg: {render.BACKGROUNDS['dark']}" in css
    palette = render.accent_palette(accent)
    for scheme, theme in (("l", light), ("d", dark)):
        tint = palette[f"--accent-bg-{scheme}"]
        assert render.contrast(palette[f"--accent-ink-{scheme}"], tint) >= 4.5
        for name, colour in theme.items():
            assert render.contrast(colour, tint) >= 4.5, (scheme, name, colour, tint)


def test_an_accent_that_cannot_be_measured_only_draws_rules():
    assert render.accent_style("rebeccapurple") == "--accent: rebeccapurple"


def test_the_example_article_and_css_weigh_under_30_kb(tmp_path):
    report = pipeline.build_site(pipeline.Options(content_dir=ROOT / "content", layouts_dir=LAYOUTS, output_dir=tmp_path / "site", cache_dir=tmp_path / "cache"))
    assert report.ok, report.problems
    site = tmp_path / "site"
    weights = [p.stat().st_size + stylesheets(site, p.relative_to(site).as_posix()) for p in (site / "briefings").rglob("index.html")]
    assert weights and max(weights) < 30_000


PROFILE = "---\nname: Ana Ruiz\nrole: Trade correspondent\nphoto: /static/ana.jpg\nlinks:\n  - {title: Mastodon, url: \"https://example.social/@ana\"}\n---\n\nAna covers *ports* from Rotterdam.\n"


def test_an_author_page_shows_the_profile_and_offers_the_authors_feed(make_content, tmp_path):
    files = {
        "topics/trade.md": TOPIC,
        "authors/ana-ruiz.md": PROFILE,
        "briefings/2020/a.md": briefing_text("Cranes", author="Ana Ruiz", date="2020-03-05", tags=("tariffs",)),
        "briefings/2020/b.md": briefing_text("Quays", author="[Ana Ruiz, Bo Lee]", date="2020-03-06T09:15:00", tags=("tariffs",)),
    }
    site = build(make_content, tmp_path, files)
    html = (site / "authors/ana-ruiz/index.html").read_text(encoding="utf-8")
    head = Head(html)
    assert '<img class="portrait" src="/static/ana.jpg" alt="" width="112" height="112">' in html
    assert "<h1>Ana Ruiz</h1>" in html and '<p class="role">Trade correspondent</p>' in html
    assert '<div class="bio"><p>Ana covers <em>ports</em> from Rotterdam.</p></div>' in html
    assert '<a href="https://example.social/@ana" rel="me">Mastodon</a>' in html
    assert head.content("description") == ["Briefings by Ana Ruiz, Trade correspondent."]
    assert [l["href"] for l in head.links if l.get("rel") == "alternate"][-1] == "https://example.org/authors/ana-ruiz/feed.xml"
    metas = re.findall(r'<p class="meta">(.*?)</p>', html.split('class="rows"')[1])
    assert "with Bo Lee" in metas[0] and all("Ana Ruiz" not in m for m in metas)  # no name repeated on every row
    feed = (site / "authors/ana-ruiz/feed.xml").read_text(encoding="utf-8")
    assert feed.count("<item>") == 2 and "<title>Test Briefings: Ana Ruiz</title>" in feed
    assert "https://example.org/authors/bo-lee/feed.xml" in (site / "feeds.opml").read_text(encoding="utf-8")
    assert '<span class="role">Trade correspondent</span>' in (site / "authors/index.html").read_text(encoding="utf-8")


def test_a_profile_no_briefing_names_is_a_located_warning(make_content):
    root = make_content({"authors/ana-ruiz.md": PROFILE, "briefings/2020/a.md": briefing_text(author="Bo Lee")})
    report = pipeline.check(pipeline.Options(content_dir=root, layouts_dir=LAYOUTS))
    assert [str(p).split("content/", 1)[1] for p in report.warnings] == ["authors/ana-ruiz.md:2:1: warning: name: no briefing names 'Ana Ruiz' as its author, so the profile is shown nowhere (check the spelling against the briefings' author:, or remove the profile)"]


def test_an_article_gives_the_time_of_fresh_news_and_none_for_a_day(make_content, tmp_path):
    files = {"topics/trade.md": TOPIC, "briefings/2020/a.md": briefing_text("Timed", date="2020-03-06T09:15:00", tags=("tariffs",)), "briefings/2020/b.md": briefing_text("Dated", date="2020-03-05", tags=("tariffs",))}
    site = build(make_content, tmp_path, files)
    timed, dated = ((site / f"briefings/2020/{n}/index.html").read_text(encoding="utf-8") for n in "ab")
    assert re.search(r'<time datetime="2020-03-06T09:15:00-05:00"[^>]*>6 March 2020</time>\nat 09:15 EST', timed)
    assert " at " not in dated.split('class="meta"', 2)[2].split("</p>")[0]


def _places(*days: float) -> list[Place]:
    start = datetime(2020, 6, 30, 18, tzinfo=timezone.utc)  # a Tuesday
    return [Place(f"briefings/2020/p{i}.md", f"/p{i}/", start - timedelta(days=d), None, (), (), ()) for i, d in enumerate(days)]


@pytest.mark.parametrize(
    "days, span, sizes",
    [
        ((0, 0.1, 1, 1.2, 2), "day", [2, 2, 1]),
        ((0, 3, 8, 9, 15, 16), "week", [1, 2, 2, 1]),
        ((0, 40, 44, 70, 75), "month", [1, 2, 2]),
        ((0, 100, 200, 400, 500), "year", [2, 3]),
        ((0, 400, 800, 1200), "", [4]),
    ],
)
def test_a_list_is_grouped_by_the_shortest_span_that_helps_scanning(days, span, sizes):
    groups = routes.spans(_places(*days))
    assert {g["span"] for g in groups} == {span} and [len(g["briefings"]) for g in groups] == sizes


def test_topics_without_an_accent_each_get_a_default_colour_of_their_own():
    topics = tuple(Topic(f"topics/{s}.md", s, s, "", (), "", accent) for s, accent in [("a", ""), ("b", "#2563eb"), ("c", ""), ("d", ""), ("e", "")])
    accents = render.topic_accents(topics)
    assert accents["b"] == "#2563eb" and len(set(accents.values())) == 5
    assert render.topic_accents(topics[:3])["a"] == accents["a"]  # chosen by slug, not by how many topics there are
    assert all(accents[s] in render.DEFAULT_ACCENTS for s in "acde")


@pytest.mark.parametrize("colour", render.DEFAULT_ACCENTS)
def test_every_default_accent_draws_in_both_schemes_and_its_text_passes_aa(colour):
    for scheme in ("light", "dark"):
        assert render.contrast(colour, render.BACKGROUNDS[scheme]) >= render.RULES
    palette = render.accent_palette(colour)
    for s, scheme in (("l", "light"), ("d", "dark")):
        for ground in (palette[f"--accent-bg-{s}"], render.BACKGROUNDS[scheme], render.SURFACES[scheme]):
            assert render.contrast(palette[f"--accent-ink-{s}"], ground) >= 4.5
