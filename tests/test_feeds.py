"""Every feed parses cleanly (feedparser, no bozo) and carries the elements readers rely on, whatever the content."""
import re
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import pytest

from briefing import pipeline
from conftest import LAYOUTS, NOW, briefing_text

HOSTILE_TITLE = 'Q&A: "Tariffs" <rise> — ¿qué? 日本 ]]> & more'


@pytest.fixture
def built(tmp_path, make_content) -> Path:
    content = make_content(
        {
            "topics/trade.md": "---\ntitle: Trade & <Tariffs>\nsummary: Goods & \"duties\".\ntags: [R&D, trade]\n---\n\nIntro.\n",
            "briefings/2020/hostile.md": briefing_text(
                title=HOSTILE_TITLE.replace('"', '\\"'),
                author="Zoë O'Brien",
                date="2020-06-01T09:30:00+02:00",
                tags=('"R&D"', '"<script>"', "trade"),
                body="Body with [a relative link](../other/), ![img](/static/x.png \"t\") & <b>bold</b> and \u0007 a bell.",
            ),
            "briefings/2020/other.md": briefing_text(title="Other", date="2020-05-01", tags=("trade",), id="urn:uuid:1234"),
        }
    )
    output = tmp_path / "site"
    report = pipeline.build_site(pipeline.Options(content_dir=content, layouts_dir=LAYOUTS, output_dir=output, now=NOW))
    assert report.ok, report.problems
    return output


def parse(path: Path):
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
    return parsed


def test_every_feed_is_well_formed_and_self_describing(built):
    feeds = sorted(built.rglob("feed.xml"))
    names = {p.relative_to(built).as_posix() for p in feeds}
    assert names == {"feed.xml", "topics/trade/feed.xml", "tags/r-d/feed.xml", "tags/script/feed.xml", "tags/trade/feed.xml", "authors/jane-doe/feed.xml", "authors/zoe-obrien/feed.xml"}
    for path in feeds:
        parsed = parse(path)
        url = "https://example.org/" + path.relative_to(built).as_posix()
        assert parsed.version == "rss20"
        assert parsed.feed.language == "en"
        assert any(link.rel == "self" and link.href == url for link in parsed.feed.links)
        assert parsed.feed.link.startswith("https://example.org/")
        assert parsed.feed.updated  # lastBuildDate, from the newest item


def test_items_escape_hostile_text_and_keep_it_intact(built):
    parsed = parse(built / "feed.xml")
    entry = next(e for e in parsed.entries if "Tariffs" in e.title)
    assert entry.title == HOSTILE_TITLE.replace("\u0007", "")
    assert [t.term for t in entry.tags] == ["R&D", "<script>", "trade"]
    assert entry.author == "Zoë O'Brien"
    assert entry.published == "Mon, 01 Jun 2020 03:30:00 -0400"  # the instant, shown in the site timezone
    assert entry.link == "https://example.org/briefings/2020/hostile/"
    assert entry.id.startswith("tag:example.org,2020-06-01:") and not entry.guidislink


def test_full_content_has_absolute_links(built):
    raw = (built / "feed.xml").read_text()
    root = ElementTree.fromstring(raw)
    encoded = root.find(".//item/{http://purl.org/rss/1.0/modules/content/}encoded").text
    assert 'href="https://example.org/briefings/2020/other/"' in encoded
    assert 'src="https://example.org/static/x.png"' in encoded
    assert "\u0007" not in raw  # a control character would make the XML invalid


def test_front_matter_id_is_the_guid(built):
    parsed = parse(built / "feed.xml")
    entry = next(e for e in parsed.entries if e.title == "Other")
    assert entry.id == "urn:uuid:1234"


def test_opml_lists_every_feed(built):
    root = ElementTree.fromstring((built / "feeds.opml").read_bytes())
    urls = {o.get("xmlUrl") for o in root.iter("outline")}
    assert urls == {"https://example.org/" + p.relative_to(built).as_posix() for p in built.rglob("feed.xml")}


def test_sitemap_and_robots(built):
    root = ElementTree.fromstring((built / "sitemap.xml").read_bytes())
    locs = {loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert "https://example.org/briefings/2020/hostile/" in locs and "https://example.org/" in locs
    assert "Sitemap: https://example.org/sitemap.xml" in (built / "robots.txt").read_text()


def test_plain_text_is_encoded_as_the_rss_profile_asks(tmp_path, make_content):
    # The RSS Profile: titles, descriptions, dc:creator and category are plain text with & as &#x26; and < as &#x3C;
    # (readers that render them as HTML and readers that do not then show the same text); an item's description is HTML.
    site_yaml = 'title: "Q&A <Weekly> \\"Briefings\\""\ndescription: "News & views, 1 < 2, \'quoted\'"\nbase_url: https://example.org/\n'
    content = make_content(
        {
            "topics/r-and-d.md": '---\ntitle: "R&D <Labs> \\"quoted\\""\nsummary: "Research & development, 3 < 4"\ntags: ["R&D"]\n---\n\nIntro.\n',
            "briefings/2020/one.md": briefing_text(title='AT&T <buys> \\"Time\\"', author='"Smith & Wesson <Jr>"', tags=('"R&D"', '"Q&A"'), summary='"Sums & <b>bold</b>, 1 < 2"'),
        },
        site_yaml,
    )
    report = pipeline.build_site(pipeline.Options(content_dir=content, layouts_dir=LAYOUTS, output_dir=tmp_path / "site", now=NOW))
    assert report.ok, report.problems
    site_feed = (tmp_path / "site/feed.xml").read_text(encoding="utf-8")
    assert "<title>Q&#x26;A &#x3C;Weekly&#x3E; \"Briefings\"</title>" in site_feed
    assert "<description>News &#x26; views, 1 &#x3C; 2, 'quoted'</description>" in site_feed  # once, not twice
    assert '<title>AT&#x26;T &#x3C;buys&#x3E; "Time"</title>' in site_feed
    assert "<dc:creator>Smith &#x26; Wesson &#x3C;Jr&#x3E;</dc:creator>" in site_feed
    assert "<category>R&#x26;D</category>" in site_feed and "<category>Q&#x26;A</category>" in site_feed
    assert "<description>Sums &#x26;amp; bold, 1 &#x26;lt; 2</description>" in site_feed  # a summary is Markdown: its text, as HTML
    topic_feed = (tmp_path / "site/topics/r-and-d/feed.xml").read_text(encoding="utf-8")
    assert "<description>Research &#x26; development, 3 &#x3C; 4</description>" in topic_feed
    assert "<title>Q&#x26;A &#x3C;Weekly&#x3E; \"Briefings\": R&#x26;D &#x3C;Labs&#x3E; \"quoted\"</title>" in topic_feed
    tag_feed = (tmp_path / "site/tags/r-d/feed.xml").read_text(encoding="utf-8")
    assert "<description>Briefings tagged R&#x26;D</description>" in tag_feed
    plain_elements = re.findall(r"<(title|dc:creator|category)>(.*?)</\1>", site_feed + topic_feed + tag_feed)
    assert plain_elements and not any("&amp;" in text or "&lt;" in text for _, text in plain_elements)
    parsed = parse(tmp_path / "site/feed.xml")
    assert parsed.feed.title == 'Q&A <Weekly> "Briefings"' and parsed.entries[0].author == "Smith & Wesson <Jr>"
    # OPML's text and title attributes are HTML: escaped as HTML, then as XML
    opml = ElementTree.fromstring((tmp_path / "site/feeds.opml").read_bytes())
    assert {o.get("text") for o in opml.iter("outline")} >= {"Q&amp;A &lt;Weekly&gt; \"Briefings\": R&amp;D &lt;Labs&gt; \"quoted\""}


def test_an_item_is_kept_across_feeds_and_one_that_cannot_be_kept_is_still_rendered():
    from dataclasses import replace
    from datetime import datetime, timezone

    from briefing import feeds
    from briefing.model import Briefing, SiteConfig

    config = SiteConfig(title="T", description="", base_url="https://example.org/")
    b = Briefing(path="briefings/2024/a.md", slug="a", year=2024, title="A & B", authors=("Ann",), date=datetime(2024, 1, 2, tzinfo=timezone.utc), tag_names=(), body_html='<p><a href="/x/">x</a></p>', summary="S")
    feeds.item.cache_clear()
    first = feeds._item(b, config, ("Tag",))
    assert feeds._item(replace(b, extra={"other": 1}), config, ("Tag",)) is first  # equal but for extra, which items never read
    assert feeds.item.cache_info().hits == 1
    unkeepable = replace(b, authors=["Ann", "Bo"])  # a list cannot be a key
    assert "<dc:creator>Bo</dc:creator>" in feeds._item(unkeepable, config, ("Tag",))
    assert feeds._item(replace(b, title="C"), config, ("Tag",)) != first
