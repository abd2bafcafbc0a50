"""The machine-read outputs: RSS feeds, the OPML list of feeds, sitemaps and robots.txt, escaped by construction."""
from __future__ import annotations

import functools
import html
import re
from email.utils import format_datetime
from urllib.parse import quote, urlsplit

from . import markup
from .model import Briefing, SiteConfig
from .routes import Page

def escape(data: str) -> str:
    """XML character data: as xml.sax.saxutils writes it (which pulls in urllib and http.client, a tenth of startup)."""
    return data.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(data: str) -> str:
    """An XML attribute value with its quotes, as xml.sax.saxutils writes it."""
    data = escape(data).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in data:
        return f'"{data}"'
    return f"'{data}'" if "'" not in data else '"' + data.replace('"', "&quot;") + '"'


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 forbids


def text(value: str) -> str:
    """Character data for XML: addresses and HTML (content:encoded)."""
    return escape(_NOT_XML.sub("", str(value)))


def plain(value: str) -> str:
    """Plain text as the RSS Profile asks (titles, descriptions, dc:creator, category): &, < and > as the hexadecimal
    references &#x26;, &#x3C; and &#x3E;, which readers that treat the text as HTML and those that do not read alike."""
    return _NOT_XML.sub("", str(value)).replace("&", "&#x26;").replace("<", "&#x3C;").replace(">", "&#x3E;")


def attr(value: str) -> str:
    return quoteattr(_NOT_XML.sub("", str(value)))


def absolute(config: SiteConfig, url: str) -> str:
    """A site path as a full URL; a slug in another script is percent-encoded (UTF-8), as feeds and sitemaps need a URL, not an IRI."""
    return config.base_url + quote(url.lstrip("/"), safe="/:@!$&'()*+,;=-._~%?#")


def guid(config: SiteConfig, briefing: Briefing) -> str:
    """A permanent id: the front matter's, else a tag: URI of the site's host, the date and the path (RFC 4151)."""
    if briefing.id:
        return briefing.id
    host = urlsplit(config.base_url).hostname or "localhost"
    return f"tag:{host},{briefing.date:%Y-%m-%d}:{briefing.url}"


def last_build(briefings: list[Briefing]):
    """The newest date among the items, not the wall clock: the same content gives the same bytes."""
    return max((b.updated or b.date for b in briefings), default=None)


@functools.lru_cache(maxsize=4096)  # a briefing is an item of several feeds (the site's, its topic's, tags', authors')
def item(b: Briefing, config: SiteConfig, categories: tuple[str, ...]) -> str:
    """A briefing as an RSS <item>. Kept by value: it reads only fields that a Briefing compares (not `extra`)."""
    link = absolute(config, b.url)
    parts = [
        f"<title>{plain(b.title)}</title>",
        f"<link>{text(link)}</link>",
        f'<guid isPermaLink="false">{text(guid(config, b))}</guid>',
        f"<pubDate>{format_datetime(b.date)}</pubDate>",
        *(f"<dc:creator>{plain(name)}</dc:creator>" for name in b.authors),
        *(f"<category>{plain(name)}</category>" for name in categories),
        f"<description>{plain(html.escape(b.summary, quote=False))}</description>",  # an item's description is HTML
        f"<content:encoded>{text(markup.absolute_links(b.body_html, link))}</content:encoded>",
    ]
    return "<item>\n" + "\n".join(parts) + "\n</item>"


def _item(b: Briefing, config: SiteConfig, categories: tuple[str, ...]) -> str:
    try:
        return item(b, config, categories)
    except TypeError:  # a value that cannot be a key (a list where a tuple belongs): rendered, not kept
        return item.__wrapped__(b, config, categories)


def rss(page: Page, config: SiteConfig, tag_names: dict[str, str]) -> str:
    ctx = page.context
    items = [_item(b, config, tuple(tag_names[key] for key in b.tag_keys)) for b in ctx["briefings"]]
    built = last_build(ctx["briefings"])
    channel = [
        f"<title>{plain(ctx['title'])}</title>",
        f"<link>{text(absolute(config, ctx['link']))}</link>",
        f"<description>{plain(ctx['description'])}</description>",
        f"<language>{text(config.language)}</language>",
        *([f"<lastBuildDate>{format_datetime(built)}</lastBuildDate>"] if built else []),
        f'<atom:link href={attr(absolute(config, page.url))} rel="self" type="application/rss+xml"/>',
        "<generator>Briefing</generator>",
    ]
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        "<channel>\n" + "\n".join(channel + items) + "\n</channel>\n</rss>\n"
    )


def opml(page: Page, config: SiteConfig, tag_names: dict[str, str]) -> str:
    outlines = [
        f'<outline type="rss" text={attr(html.escape(f["title"], quote=False))} title={attr(html.escape(f["title"], quote=False))} xmlUrl={attr(absolute(config, f["url"]))} htmlUrl={attr(absolute(config, f["link"]))}/>'
        for f in page.context["feeds"]
    ]
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<opml version="2.0">\n'
        f"<head>\n<title>{text(html.escape(config.title, quote=False))}: all feeds</title>\n</head>\n<body>\n" + "\n".join(outlines) + "\n</body>\n</opml>\n"
    )


def sitemap(page: Page, config: SiteConfig, tag_names: dict[str, str]) -> str:
    entries = []
    for url, changed in page.context["entries"]:
        lastmod = f"<lastmod>{changed.isoformat()}</lastmod>" if changed else ""
        entries.append(f"<url><loc>{text(absolute(config, url))}</loc>{lastmod}</url>")
    return '<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + "\n".join(entries) + "\n</urlset>\n"


def sitemapindex(page: Page, config: SiteConfig, tag_names: dict[str, str]) -> str:
    entries = [f"<sitemap><loc>{text(absolute(config, url))}</loc></sitemap>" for url in page.context["urls"]]
    return '<?xml version="1.0" encoding="utf-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + "\n".join(entries) + "\n</sitemapindex>\n"


def robots(page: Page, config: SiteConfig, tag_names: dict[str, str]) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {absolute(config, '/sitemap.xml')}\n"


RENDERERS = {"rss": rss, "opml": opml, "sitemap": sitemap, "sitemapindex": sitemapindex, "robots": robots}
